"""German that says "Sie" everywhere: the informal messages of the libraries' German
catalogues (allauth, Django REST framework, django-import-export, …) are overridden in
locale/de (metalldialog/formal_german.py keeps their msgids)."""

import gettext
from pathlib import Path

import allauth
import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from rest_framework import serializers

from tests.german import informal

SITE_PACKAGES = Path(allauth.__file__).resolve().parents[1]
CATALOGUES = sorted(SITE_PACKAGES.glob("*/locale/de/LC_MESSAGES/django.mo"))


def _library_entries(path: Path) -> dict:
    with path.open("rb") as file:
        return {key: text for key, text in gettext.GNUTranslations(file)._catalog.items() if key}


def test_the_libraries_catalogues_are_found():
    names = {path.parents[3].name for path in CATALOGUES}
    assert {"allauth", "rest_framework", "import_export"} <= names, names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parents[3].name)
def test_no_library_message_says_du_in_the_app(path):
    """Every msgid of the library, as the app translates it into German, is formal."""
    app_catalogue = trans_real.translation("de")._catalog
    informal_left = {}
    for key in _library_entries(path):
        shown = app_catalogue.get(key, "")
        if word := informal(shown):
            informal_left[key] = (word, shown)
    assert not informal_left, f"{len(informal_left)} informal:\n" + "\n".join(
        f"  {key!r}: {word!r} in {shown!r}" for key, (word, shown) in informal_left.items()
    )


def test_the_overrides_change_what_the_libraries_say():
    """Where a library said "du", the app now says something else (not the same text)."""
    allauth = _library_entries(SITE_PACKAGES / "allauth/locale/de/LC_MESSAGES/django.mo")
    with translation.override("de"):
        assert informal(allauth["You have signed out."])
        assert translation.gettext("You have signed out.") == "Sie haben sich abgemeldet."


def test_logging_out_says_sie(client, company_user_a):
    client.force_login(company_user_a)
    response = client.post(reverse("account_logout"), follow=True)
    assert "Sie haben sich abgemeldet." in response.content.decode()


def test_url_and_email_errors_are_formal_in_forms_and_the_api():
    class Form(forms.Form):
        website = forms.URLField(assume_scheme="https")
        email = forms.EmailField()

    with translation.override("de"):
        errors = Form({"website": "kein url", "email": "keine mail"}).errors
        api_url = serializers.URLField()
        api_email = serializers.EmailField()
        with pytest.raises(serializers.ValidationError) as url_error:
            api_url.run_validation("kein url")
        with pytest.raises(serializers.ValidationError) as email_error:
            api_email.run_validation("keine mail")
    shown = [*errors["website"], *errors["email"]]
    shown += [*url_error.value.detail, *email_error.value.detail]
    assert all(not informal(str(text)) for text in shown), shown
    assert "Bitte geben Sie eine gültige Adresse ein." in [str(t) for t in url_error.value.detail]
