"""Forms of the SEFEX app: validation and layout only, no side effects."""

from datetime import datetime, timedelta
from decimal import Decimal

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from members.models import Company, Contact, User

from .models import ActionItem, AvailabilityRule, MaturityAssessment, Module, Workshop
from .uploads import check_upload

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class InlineChoices(InlineCheckboxes):
    """Checkboxes side by side under the field's ordinary label (crispy's inline template puts
    a `for` attribute on its <legend>, which is not valid HTML)."""

    template = "%s/field.html"


def _helper(*, tag=False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = tag
    return helper


def managers():
    return User.objects.filter(groups__name=Role.PROJECT_MANAGER.value).order_by("last_name")


def active_modules():
    return Module.objects.filter(is_active=True, programme__is_active=True).select_related(
        "programme"
    )


def _not_in_past(value):
    if value and value <= timezone.now():
        raise forms.ValidationError(
            _("The appointment lies in the past. Please choose a later time.")
        )
    return value


class RequestForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    preferred_from = forms.DateField(label=_("Preferred from"), required=False, widget=DateInput)
    preferred_until = forms.DateField(label=_("Preferred until"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should the workshop be about?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = active_modules()
        self.helper = _helper()
        self.helper.layout = Layout(
            "module", Row(Column("preferred_from"), Column("preferred_until")), "note"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("preferred_from"), data.get("preferred_until")
        if start and start < timezone.localdate():
            self.add_error("preferred_from", _("The preferred period cannot start in the past."))
        if start and end and end < start:
            self.add_error("preferred_until", _("The preferred period ends before it starts."))
        return data


class StaffRequestForm(RequestForm):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields.insert(0, "company")


def slot_label(start: datetime, hours) -> str:
    """The label of a free time, e.g. "Tue, 01.12.2026, 09:00–13:00" (in the active language)."""
    start = timezone.localtime(start)
    end = start + timedelta(minutes=int(Decimal(hours) * 60))
    return _("%(weekday)s, %(day)s, %(start)s–%(end)s") % {
        "weekday": formats.date_format(start, "D"),
        "day": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
    }


class ProposeForm(forms.Form):
    """Two or three appointments: ticked among the manager's free times in the wished period,
    or typed in (an appointment agreed otherwise), or both."""

    free = forms.MultipleChoiceField(
        label=_("Free times in the wished period"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-max-choices": 3}),
        error_messages={
            "invalid_choice": _(
                "One of the ticked times is no longer free. Please choose the times again."
            )
        },
    )
    project_manager = forms.ModelChoiceField(
        label=_("Project manager"), queryset=User.objects.none()
    )
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"), min_value=0.5, max_value=12, decimal_places=1
    )
    slot_1 = forms.DateTimeField(
        label=_("Appointment 1"), required=False, widget=DateTimeLocalInput
    )
    slot_2 = forms.DateTimeField(
        label=_("Appointment 2"), required=False, widget=DateTimeLocalInput
    )
    slot_3 = forms.DateTimeField(
        label=_("Appointment 3"), required=False, widget=DateTimeLocalInput
    )
    invite = forms.ModelMultipleChoiceField(
        label=_("Send the choice by e-mail to"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They get a personal link and can choose without logging in."),
    )

    def __init__(self, *args, workshop: Workshop, free_slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["free"].choices = [
            (
                timezone.localtime(start).strftime(DATETIME_FORMAT),
                slot_label(start, workshop.duration_hours),
            )
            for start in free_slots
        ]
        if free_slots:
            for number in (1, 2, 3):
                self.fields[f"slot_{number}"].label = _("Other appointment %(number)s") % {
                    "number": number
                }
        else:
            del self.fields["free"]
        self.fields["project_manager"].queryset = managers()
        self.fields["invite"].queryset = Contact.objects.filter(company=workshop.company).exclude(
            email=""
        )
        self.helper = _helper()
        self.helper.layout = Layout(
            *([InlineChoices("free")] if free_slots else []),
            Row(Column("slot_1"), Column("slot_2"), Column("slot_3")),
            Row(Column("project_manager"), Column("duration_hours")),
            "invite",
        )

    def clean_slot_1(self):
        return _not_in_past(self.cleaned_data.get("slot_1"))

    def clean_slot_2(self):
        return _not_in_past(self.cleaned_data.get("slot_2"))

    def clean_slot_3(self):
        return _not_in_past(self.cleaned_data.get("slot_3"))

    def clean(self):
        data = super().clean()
        if not self.errors and not 2 <= len(self.starts()) <= 3:
            raise forms.ValidationError(
                _("Please tick or enter two or three different appointments."), code="count"
            )
        return data

    def starts(self) -> list[datetime]:
        ticked = [
            timezone.make_aware(datetime.strptime(value, DATETIME_FORMAT))
            for value in self.cleaned_data.get("free", [])
        ]
        typed = [
            self.cleaned_data[n] for n in ("slot_1", "slot_2", "slot_3") if self.cleaned_data.get(n)
        ]
        return sorted(set(ticked + typed))


class ScheduleForm(forms.Form):
    project_manager = forms.ModelChoiceField(
        label=_("Project manager"), queryset=User.objects.none()
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput)
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"), min_value=0.5, max_value=12, decimal_places=1
    )

    def __init__(self, *args, with_manager=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_manager:
            self.fields["project_manager"].queryset = managers()
        else:
            del self.fields["project_manager"]
        self.helper = _helper()

    def clean_starts_at(self):
        return _not_in_past(self.cleaned_data.get("starts_at"))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancellation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class WorkshopDetailsForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Workshop
        fields = ["place", "place_detail", "online_url", "participants", "consultants"]
        widgets = {
            "participants": forms.CheckboxSelectMultiple,
            "consultants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Contact.objects.filter(company=self.instance.company)
        self.fields["consultants"].queryset = User.objects.filter(
            groups__name__in=[Role.PROJECT_MANAGER.value, Role.CLUSTER_MANAGER.value]
        ).distinct()
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("place"), Column("place_detail"), Column("online_url")),
            Row(Column("participants"), Column("consultants")),
        )


class MinutesForm(forms.Form):
    """Agenda, summary and the findings (situation, goals) of the module the workshop was about."""

    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    situation = forms.CharField(
        label=_("Situation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        self.module = workshop.module
        finding = next((f for f in workshop.findings.all() if f.module_id == self.module.pk), None)
        initial = {
            "agenda": workshop.agenda,
            "summary": workshop.summary,
            "situation": finding.situation if finding else "",
            "goals": finding.goals if finding else "",
        }
        super().__init__(*args, initial=initial, **kwargs)
        for name, label in (
            ("situation", _("%(module)s: situation")),
            ("goals", _("%(module)s: goals")),
        ):
            self.fields[name].label = label % {"module": self.module.name}
        self.helper = _helper()

    def findings(self) -> dict[int, tuple[str, str]]:
        return {self.module.pk: (self.cleaned_data["situation"], self.cleaned_data["goals"])}


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "state"]
        widgets = {"due_on": DateInput}

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Contact.objects.filter(company=workshop.company)
        self.helper = _helper()
        self.helper.layout = Layout(
            "title", Row(Column("owner"), Column("due_on"), Column("state"))
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = MaturityAssessment
        fields = [*MaturityAssessment.DIMENSIONS, "note"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 1, "max": 5})
            for name in MaturityAssessment.DIMENSIONS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(*[Column(n) for n in MaturityAssessment.DIMENSIONS]), "note"
        )

    def validate_unique(self):
        pass  # one per workshop: the service updates the existing row


class AvailabilityRuleForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["weekday", "start_time", "end_time", "valid_from", "valid_until"]
        widgets = {
            "start_time": TimeInput,
            "end_time": TimeInput,
            "valid_from": DateInput,
            "valid_until": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(
                Column("weekday"),
                Column("start_time"),
                Column("end_time"),
                Column("valid_from"),
                Column("valid_until"),
            )
        )

    def validate_constraints(self, exclude=None):
        pass  # the service checks (with the clear messages)


class AvailabilityExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("From"), required=False, widget=TimeInput)
    end_time = forms.TimeField(label=_("Until"), required=False, widget=TimeInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("date"), Column("start_time"), Column("end_time"), Column("note"))
        )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the workshop?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 = very useful, 1 = not useful"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
