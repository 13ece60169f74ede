from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    """Name, company and address of a person the network may not know yet."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    company = forms.CharField(label=_("Company"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice."),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )
    invitations = forms.BooleanField(
        label=_("Yes, please invite me to future forums by e-mail (optional)."),
        required=False,
    )
    # A field people do not see and bots fill in (hidden with CSS, skipped by screen readers).
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class AddressForm(forms.Form):
    """For forums a visitor cannot register for: a known person asks for their own link."""

    email = forms.EmailField(label=_("E-mail"))
    website = forms.CharField(label=_("Leave this field empty"), required=False)
