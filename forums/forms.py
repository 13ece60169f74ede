"""Forms of the forums app: validation and layout only, no side effects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import SearchableSelect
from members.models import Company, Contact, Topic
from members.postcodes import validate_postcode

from .models import FORUM_FIELDS, PAST_START_MESSAGE, AgendaItem, Forum, Registration

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def end_after_start(form: forms.Form, cleaned: dict) -> dict:
    """The form's `ends_at` must follow its `starts_at` (dates or times of day)."""
    starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        form.add_error("ends_at", _("The end must be after the start."))
    return cleaned


class ReminderDaysField(forms.CharField):
    """'7, 1' -> [7, 1]: the days before the forum on which reminders go out."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value.strip():
            return []
        try:
            days = sorted(
                {int(part) for part in value.replace(";", ",").split(",") if part.strip()}
            )
        except ValueError as exc:
            raise ValidationError(
                _("Enter whole numbers of days separated by commas, e.g. 7, 1.")
            ) from exc
        if any(d < 1 or d > 60 for d in days):
            raise ValidationError(_("Reminder days must be between 1 and 60."))
        return sorted(days, reverse=True)


class ForumForm(forms.ModelForm):
    reminder_days = ReminderDaysField(
        label=_("Reminder days before"),
        required=False,
        help_text=_("Days before the forum on which registrants get a reminder, e.g. 7, 1."),
    )

    class Meta:
        model = Forum
        fields = [*FORUM_FIELDS, "topics"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "registration_opens_at": DateTimeLocalInput(),
            "registration_closes_at": DateTimeLocalInput(),
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "host_company": SearchableSelect,
        }

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:  # a cluster manager plans forums of their clusters only
            self.fields["cluster"].queryset = clusters
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True).order_by("name")
        self.fields["host_company"].queryset = Company.objects.order_by("legal_name")
        if self.instance.pk and self.instance.state != Forum.State.DRAFT:
            # A published forum moves through "Reschedule", which informs everyone.
            for name in ("starts_at", "ends_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Use 'Reschedule' to move a published forum.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Forum"), "cluster", "title", "topics", "description", "audience"),
            Fieldset(
                _("Date"),
                Row(Column("starts_at"), Column("ends_at")),
                Row(Column("registration_opens_at"), Column("registration_closes_at")),
                "reminder_days",
            ),
            Fieldset(
                _("Venue"),
                "host_company",
                "venue_name",
                Row(Column("venue_street"), Column("venue_postcode"), Column("venue_city")),
            ),
            Fieldset(_("Seats"), Row(Column("capacity"), Column("seats_per_company"))),
        )

    def clean_venue_postcode(self):
        # Forums take place in the region: a German postcode.
        value = self.cleaned_data["venue_postcode"].strip()
        validate_postcode(value, "DE")
        return value

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        # A new date must lie ahead; a forum whose date has passed keeps it, so its other
        # details (a venue, the agenda) can still be put right.
        if starts_at and "starts_at" in self.changed_data and starts_at <= timezone.now():
            self.add_error("starts_at", PAST_START_MESSAGE)
        end_after_start(self, cleaned)
        closes_at = cleaned.get("registration_closes_at")
        if closes_at and starts_at and closes_at > starts_at:
            self.add_error(
                "registration_closes_at", _("Registration must close before the forum starts.")
            )
        opens_at = cleaned.get("registration_opens_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error("registration_opens_at", _("Registration must open before it closes."))
        if not cleaned.get("reminder_days") and "reminder_days" in cleaned:
            cleaned["reminder_days"] = []
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values the services take (topics separately)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "topics" and not self.fields[name].disabled
        }


class AgendaItemForm(forms.ModelForm):
    """One row of the agenda: times of day, the item, who speaks."""

    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "speaker"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        return end_after_start(self, super().clean())


class BaseAgendaFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


# One empty row to start with; "Add item" (static/forums/agenda.js) adds more.
AgendaFormSet = forms.formset_factory(
    AgendaItemForm, formset=BaseAgendaFormSet, extra=1, can_delete=True
)


def agenda_formset(data, forum: Forum | None) -> BaseAgendaFormSet:
    return AgendaFormSet(data, prefix="agenda", initial=agenda_initial(forum))


def agenda_initial(forum: Forum | None) -> list[dict]:
    if forum is None or not forum.pk:
        return []
    return [
        {"starts_at": i.starts_at, "ends_at": i.ends_at, "title": i.title, "speaker": i.speaker}
        for i in forum.agenda_items.order_by("starts_at", "pk")
    ]


def agenda_cleaned(formset) -> list[dict]:
    """The filled-in, not deleted rows of the agenda formset, in order of time."""
    items = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not data.get("title") or not data.get("starts_at"):
            continue
        items.append(
            {
                k: data.get(k) or ("" if k == "speaker" else None)
                for k in ("starts_at", "ends_at", "title", "speaker")
            }
        )
    return sorted(items, key=lambda item: item["starts_at"])


def error_summary(form, formset=None, row_label: str = "") -> list[tuple[str, str, str]]:
    """(field id, label, message) of every field error, for the summary at the top of a long
    form; the form's other errors crispy shows at the top of the form itself."""
    entries = [
        (field.id_for_label, str(field.label), str(error))
        for field in form
        for error in field.errors
    ]
    for number, row in enumerate(formset or [], start=1):
        entries += [
            (field.id_for_label, f"{row_label} {number}, {field.label}", str(error))
            for field in row
            for error in field.errors
        ]
    return entries


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("New start"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("New end"), widget=DateTimeLocalInput())
    reason = forms.CharField(
        label=_("Note to registrants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        return end_after_start(self, super().clean())


class CancelForumForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to registrants)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ColleaguesForm(forms.Form):
    """A company user picks colleagues to register; only their own company's contacts."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Who takes part?"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("This person is not a contact of your company."),
            "invalid_pk_value": _("This person is not a contact of your company."),
        },
        # Not required: a new colleague entered below may be the only one registered.
        required=False,
    )

    def __init__(self, *args, company: Company, forum: Forum, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset is the whole company: a colleague already registered gets the service's
        # clear "already registered" message instead of a generic invalid choice.
        self.fields["contacts"].queryset = company.contacts.order_by("last_name", "first_name")
        if choices is not None:
            self.fields["contacts"].choices = [(c.pk, c.full_name) for c in choices]


class NewColleagueForm(forms.Form):
    """A colleague who is not yet a contact of the company, entered inside the registration
    form; left empty, nobody is added."""

    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    function = forms.ChoiceField(
        label=_("Function"),
        choices=Contact.Function.choices,
        initial=Contact.Function.OTHER,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Becomes a contact of your company and gets the confirmation by e-mail."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")), "email", "function"
        )

    def is_filled(self) -> bool:
        """Whether anything was typed (the function alone has a default and does not count)."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("first_name", "last_name", "email"))

    def clean(self):
        cleaned = super().clean()
        if self.is_filled():
            for name in ("first_name", "last_name", "email"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("Please fill in this field to register the new colleague.")
                    )
        cleaned["function"] = cleaned.get("function") or Contact.Function.OTHER
        return cleaned


class StaffRegistrationForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.select_related("company").order_by(
            "company__legal_name", "last_name", "first_name"
        ),
        error_messages={"invalid_choice": _("Please choose a contact from the list.")},
        widget=SearchableSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        # Who is registered already is not offered again (and the list stays short).
        registered = forum.registrations.filter(state__in=Registration.ACTIVE_STATES)
        self.fields["contact"].queryset = self.fields["contact"].queryset.exclude(
            pk__in=registered.values("contact_id")
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.company} – {c.full_name}"


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How did you like the forum?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = poor, 5 = excellent"),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
