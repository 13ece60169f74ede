"""The profile form (the company's own), the search filters and the contact request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Certification, Kind, Material, Process
from .models import Enquiry, Profile

ENTRY_FIELDS = {
    Kind.PROCESS: "processes",
    Kind.MATERIAL: "materials",
    Kind.CERTIFICATION: "certifications",
}


class ProfileForm(forms.ModelForm):
    processes = forms.MultipleChoiceField(
        label=_("Processes"),
        choices=Process.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials"),
        choices=Material.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certifications = forms.MultipleChoiceField(
        label=_("Certifications"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = ["summary", "products", "capacity", "capacity_note", "contact", "published"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "products": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact": _(
                "Receives the contact requests of other members by e-mail; the address is "
                "not shown to them."
            ),
            "published": _("Other member companies find your profile in the competence directory."),
        }

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].required = False
        if self.instance.pk:
            for kind, name in ENTRY_FIELDS.items():
                self.fields[name].initial = self.instance.codes(kind)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("published") and not cleaned.get("contact"):
            self.add_error("contact", _("Please name the colleague who receives contact requests."))
        return cleaned

    def entries(self) -> dict[str, list[str]]:
        return {kind: self.cleaned_data[name] for kind, name in ENTRY_FIELDS.items()}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def _with_any(choices, label):
    return [("", label), *choices]


class SearchForm(forms.Form):
    """Plain selects: each list is short enough to scan."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    process = forms.ChoiceField(
        label=_("Process"), required=False, choices=_with_any(Process.choices, _("any process"))
    )
    material = forms.ChoiceField(
        label=_("Material"), required=False, choices=_with_any(Material.choices, _("any material"))
    )
    certification = forms.ChoiceField(
        label=_("Certification"),
        required=False,
        choices=_with_any(Certification.choices, _("any certification")),
    )
    postcode = forms.CharField(
        label=_("Postcode begins with"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("process", "material", "certification"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not postcode.isdigit():
            raise forms.ValidationError(_("Please enter the first digits of a postcode."))
        return postcode

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        labels = {"message": _("Your message")}
        help_texts = {
            "message": _(
                "Sent by e-mail to the company's contact person, with your name, company and "
                "e-mail address so they can answer you directly."
            )
        }
