"""Forms of the funding app: validation and layout only, no side effects."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Company


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Row(Column("start"), Column("end")))

    @staticmethod
    def initial_period() -> dict:
        year = timezone.localdate().year
        return {"start": date(year, 1, 1), "end": date(year, 12, 31)}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class DeclarationForm(forms.Form):
    declared_on = forms.DateField(label=_("Declared on"), widget=DateInput)
    signatory = forms.CharField(label=_("Signed by"), max_length=160, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(Row(Column("declared_on"), Column("signatory")))

    def clean_declared_on(self):
        value = self.cleaned_data["declared_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The declaration cannot be dated in the future."))
        return value


class PriorAidForm(forms.Form):
    grantor = forms.CharField(label=_("Granting authority"), max_length=200)
    granted_on = forms.DateField(label=_("Grant date"), widget=DateInput)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=0, max_digits=12, decimal_places=2
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=200, initial="Verordnung (EU) 2023/2831"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("grantor"), Column("granted_on"), Column("amount"), Column("legal_basis"))
        )

    def has_changed(self):
        # The prefilled legal basis alone does not make a row.
        return any(self[name].data for name in ("grantor", "granted_on", "amount"))


PriorAidFormSet = forms.formset_factory(PriorAidForm, extra=3, max_num=30, validate_max=True)


class ControlLinkForm(forms.Form):
    DIRECTIONS = [
        ("controls", _("controls this company")),
        ("controlled_by", _("is controlled by this company")),
    ]

    direction = forms.ChoiceField(label=_("The company"), choices=DIRECTIONS)
    other = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("Control since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Company.objects.exclude(pk=company.pk).only(
            "pk", "legal_name", "short_name"
        )
        self.helper = _helper()


class ControlLinkEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Control ended on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("Why the control ended"), max_length=200, required=False)


class ConfirmationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the prior aid left out no longer counts"),
        max_length=500,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. granted to another company, confirmed by phone")}
        ),
    )
