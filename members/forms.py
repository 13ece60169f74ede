"""Forms of the members app: validation and crispy layouts, no side effects."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.widgets import SearchableSelect

from . import wz
from .models import Company, Contact, Relationship, SmeFigures, SmeHolding, Topic

VAT_ID = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")


def normalise_register_number(value: str) -> str:
    """'hrb  12345 ' -> 'HRB 12345': one spelling per number, so uniqueness holds."""
    return " ".join((value or "").split()).upper()


def normalise_vat_id(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _helper(*layout, submit=None) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*layout, Submit("save", submit or _("Save")))
    return helper


def _formfield(field, **kwargs):
    # Addresses typed without a scheme are https (Django 6's default; no warning now).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def _address_row() -> Row:
    return Row(
        Column("street", css_class="col-md-5"),
        Column("postcode", css_class="col-md-2"),
        Column("city"),
        Column("country"),
    )


class CompanyForm(forms.ModelForm):
    """The postcode is checked against the country by Company.clean (also for imports)."""

    class Meta:
        formfield_callback = _formfield
        model = Company
        fields = [
            "legal_name",
            "short_name",
            "legal_form",
            "register_number",
            "vat_id",
            "street",
            "postcode",
            "city",
            "country",
            "website",
            "sectors",
            "production",
            "wz2025",
            "wz2008",
            "sme_declared_on",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "sme_declared_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "country": SearchableSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = False  # a form sent without one keeps Germany
        self.helper = _helper(
            Fieldset(
                _("Company"),
                Row(
                    Column("legal_name", css_class="col-md-6"),
                    Column("short_name"),
                    Column("legal_form"),
                ),
                Row(Column("register_number"), Column("vat_id")),
            ),
            Fieldset(
                _("Address"),
                _address_row(),
                "website",
            ),
            Fieldset(
                _("Industry"), Row(Column("wz2025"), Column("wz2008")), "sectors", "production"
            ),
            Fieldset(_("SME"), "sme_declared_on"),
        )

    def clean_register_number(self):
        return normalise_register_number(self.cleaned_data["register_number"])

    def clean_wz2025(self):
        return wz.validate(self.cleaned_data["wz2025"], "wz2025")

    def clean_wz2008(self):
        return wz.validate(self.cleaned_data["wz2008"], "wz2008")

    def clean_vat_id(self):
        value = normalise_vat_id(self.cleaned_data["vat_id"])
        if value and not VAT_ID.match(value):
            raise forms.ValidationError(
                _("A VAT id starts with the country code, e.g. DE123456789.")
            )
        return value

    def clean_country(self):
        return self.cleaned_data["country"] or self.instance.country or "DE"


class PortalCompanyForm(CompanyForm):
    """What a company keeps current itself; names and identifiers stay with the cluster team."""

    class Meta(CompanyForm.Meta):
        fields = [
            "short_name",
            "street",
            "postcode",
            "city",
            "country",
            "website",
            "sectors",
            "production",
        ]

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["country"].required = False
        self.helper = _helper(
            Fieldset(
                _("Address"),
                "short_name",
                _address_row(),
                "website",
            ),
            Fieldset(_("Industry"), "sectors", "production"),
        )


class ContactForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topic interests"),
        queryset=Topic.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Contact
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "function",
            "email",
            "phone",
            "language",
            "topics",
            "receives_invitations",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("salutation"), Column("title"), Column("first_name"), Column("last_name")),
            Row(Column("function"), Column("email"), Column("phone"), Column("language")),
            "topics",
            "receives_invitations",
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RelationshipForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["cluster", "kind", "valid_from", "note"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:  # a cluster manager records relationships to their clusters
            self.fields["cluster"].queryset = clusters
        self.helper = _helper(Row(Column("cluster"), Column("kind"), Column("valid_from")), "note")

    def validate_unique(self):
        # The service ends the current relationship first; uniqueness is its job.
        pass


class SmeFiguresForm(forms.ModelForm):
    class Meta:
        model = SmeFigures
        fields = [
            "fiscal_year",
            "staff_units",
            "turnover",
            "balance_sheet",
            "public_share",
            "consolidated",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("fiscal_year"), Column("staff_units")),
            Row(Column("turnover"), Column("balance_sheet"), Column("public_share")),
            "consolidated",
        )

    def validate_unique(self):
        # A second entry for the same year replaces the first (service uses update_or_create).
        pass


class SmeHoldingForm(forms.ModelForm):
    class Meta:
        model = SmeHolding
        fields = [
            "kind",
            "direction",
            "share",
            "control",
            "investor_exception",
            "other_company",
            "other_name",
            "staff_units",
            "turnover",
            "balance_sheet",
        ]
        widgets = {"other_company": SearchableSelect}

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Company.objects.only("pk", "legal_name", "short_name")
        if company is not None:
            others = others.exclude(pk=company.pk)
        self.fields["other_company"].queryset = others
        self.helper = _helper(
            Row(Column("kind"), Column("direction"), Column("share")),
            Row(Column("control"), Column("investor_exception")),
            Row(Column("other_company"), Column("other_name")),
            Row(Column("staff_units"), Column("turnover"), Column("balance_sheet")),
        )

    def clean(self):
        data = super().clean()
        if not data.get("other_company") and not data.get("other_name"):
            raise forms.ValidationError(
                _("Name the other enterprise or choose it from the directory.")
            )
        if not data.get("other_company") and data.get("staff_units") is None:
            raise forms.ValidationError(_("Enter the other enterprise's figures."))
        return data


class InvitationRecipientsForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Colleagues who receive forum invitations"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = company.contacts.order_by("last_name", "first_name")
        self.helper = _helper("recipients")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per contact; the first row names the columns."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file", submit=_("Check file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
