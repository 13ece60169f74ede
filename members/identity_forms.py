"""The form for a cluster's or the agency's identity: validation only, no side effects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Agency, Cluster
from .models.identity import IDENTITY_FIELDS, LOGO_MAX_BYTES

# The first bytes of the image types a logo may have (no SVG: it can carry script).
LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def logo_extension(head: bytes) -> str | None:
    for signature, extension in LOGO_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    return None


class ColourInput(forms.TextInput):
    """The browser's colour picker; HTML allows no `required` on it (it always has a value)."""

    input_type = "color"

    def use_required_attribute(self, initial) -> bool:
        return False


class IdentityForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most %(size)s.") % {"size": filesizeformat(LOGO_MAX_BYTES)},
    )
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colour"].widget = ColourInput(
            attrs={"class": "form-control form-control-color"}
        )
        for field in self.fields.values():
            # Defaults from the settings are callables: no hidden "initial-" copies of them.
            field.show_hidden_initial = False
        for name in ("imprint", "privacy_notice"):
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = 5
        self.helper = FormHelper()
        self.helper.form_tag = True  # crispy adds the multipart enctype for the logo by itself
        self.helper.layout = Layout(
            Fieldset(
                _("Name and look"),
                *self.name_fields(),
                Row(Column("colour", css_class="col-sm-4"), Column("logo_upload")),
                "logo_remove",
            ),
            Fieldset(
                _("Sender"),
                Row(Column("sender_name"), Column("sender_email")),
                Row(Column("reply_to"), Column("city", css_class="col-sm-4")),
                "address",
            ),
            Fieldset(_("Imprint and privacy"), *self.text_fields()),
            Submit("save", _("Save")),
        )

    def name_fields(self) -> list:
        return ["name", "short_name"]

    def text_fields(self) -> list:
        return ["imprint"]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(size)s.") % {"size": filesizeformat(LOGO_MAX_BYTES)}
            )
        upload.seek(0)
        extension = logo_extension(upload.read(16))
        upload.seek(0)
        if extension is None:
            raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        upload.logo_extension = extension
        return upload


class ClusterIdentityForm(IdentityForm):
    class Meta:
        model = Cluster
        fields = ["name", *IDENTITY_FIELDS, "privacy_notice"]

    def text_fields(self) -> list:
        return ["imprint", "privacy_notice"]


class AgencyIdentityForm(IdentityForm):
    class Meta:
        model = Agency
        fields = ["name", *IDENTITY_FIELDS]
