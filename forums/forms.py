"""Forms of the forums app: validation and layout only, no side effects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Company, Contact, Topic
from members.postcodes import validate_postcode
from metalldialog.widgets import SearchableSelect

from .models import AgendaItem, Forum

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


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
        fields = [
            "cluster",
            "title",
            "topics",
            "description",
            "starts_at",
            "ends_at",
            "host_company",
            "venue_name",
            "venue_street",
            "venue_postcode",
            "venue_city",
            "capacity",
            "seats_per_company",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "reminder_days",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "registration_opens_at": DateTimeLocalInput(),
            "registration_closes_at": DateTimeLocalInput(),
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "host_company": SearchableSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
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
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "speaker"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3, can_delete=True)


def agenda_initial(forum: Forum | None) -> list[dict]:
    if forum is None or not forum.pk:
        return []
    return [
        {"starts_at": i.starts_at, "ends_at": i.ends_at, "title": i.title, "speaker": i.speaker}
        for i in forum.agenda_items.order_by("starts_at", "pk")
    ]


def agenda_cleaned(formset) -> list[dict]:
    """The filled-in, not deleted rows of the agenda formset."""
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
    return items


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("New start"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("New end"), widget=DateTimeLocalInput())
    reason = forms.CharField(
        label=_("Note to registrants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


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
            "required": _("Please choose at least one person."),
        },
    )

    def __init__(self, *args, company: Company, forum: Forum, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset is the whole company: a colleague already registered gets the service's
        # clear "already registered" message instead of a generic invalid choice.
        self.fields["contacts"].queryset = company.contacts.order_by("last_name", "first_name")
        if choices is not None:
            self.fields["contacts"].choices = [(c.pk, c.full_name) for c in choices]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
