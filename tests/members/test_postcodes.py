"""Postcodes: a German one has five digits (companies in a form, in the portal, in an import,
a forum's venue); a foreign company's postcode follows its country. Long forms list their
errors at the top, each linked to its field."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from forums.forms import ForumForm
from members.models import Company
from members.postcodes import validate_postcode

from .test_import import make_rows, metall, to_csv  # noqa: F401 - metall is a fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value,country",
    [
        ("74072", "DE"),
        ("01067", "DE"),
        ("6020", "AT"),
        ("8001", "CH"),
        ("1011 AB", "NL"),
        ("00-950", "PL"),
        ("SW1A 1AA", "GB"),
        ("", "DE"),
    ],
)
def test_postcodes_of_the_country_pass(value, country):
    validate_postcode(value, country)


@pytest.mark.parametrize(
    "value,country",
    [
        ("ABCDE", "DE"),
        ("7407", "DE"),
        ("740721", "DE"),
        ("74 072", "DE"),
        ("74072", "AT"),
        ("1011", "NL"),
        ("!", "GB"),
    ],
)
def test_other_postcodes_are_refused_with_a_german_message(value, country):
    with translation.override("de"), pytest.raises(ValidationError) as error:
        validate_postcode(value, country)
    message = error.value.messages[0]
    assert "Postleitzahl" in message
    if country == "DE":
        assert message == "Eine deutsche Postleitzahl hat genau fünf Ziffern, z. B. 74072."


def _company_form_page(client, url):
    """GET the form page (its CSRF cookie and token), as a browser does."""
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_company_with_a_postcode_of_letters_is_not_saved(cluster_manager, company_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cluster_manager)
    url = reverse("members:company_edit", args=[company_a.pk])
    token = _company_form_page(client, url)
    data = {"csrfmiddlewaretoken": token, "legal_name": company_a.legal_name, "city": "Heilbronn"}
    response = client.post(url, data | {"postcode": "ABCDE", "country": "DE"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Eine deutsche Postleitzahl hat genau fünf Ziffern" in page
    company_a.refresh_from_db()
    assert company_a.postcode != "ABCDE"

    # The error summary sits above the form and links the field.
    summary = page.index("data-error-summary")
    assert summary < page.index('name="legal_name"')
    assert 'href="#id_postcode"' in page[summary : page.index("</ul>", summary)]

    # An Austrian company keeps its four-digit postcode.
    response = client.post(url, data | {"postcode": "6020", "country": "AT", "city": "Innsbruck"})
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert (company_a.postcode, company_a.country.code) == ("6020", "AT")
    page = client.get(reverse("members:company", args=[company_a.pk])).content.decode()
    assert "6020 Innsbruck, Österreich" in page


def test_the_portal_refuses_a_postcode_of_letters(a_client, company_a):
    response = a_client.post(
        reverse("members:portal_profile"), {"postcode": "HN", "city": "Heilbronn"}
    )
    assert response.status_code == 200
    assert "postcode" in response.context["form"].errors
    company_a.refresh_from_db()
    assert company_a.postcode != "HN"


def test_an_import_row_with_a_postcode_of_letters_imports_nothing(cm_client, metall):  # noqa: F811
    rows = make_rows(3)
    rows[2]["PLZ"] = "HNXYZ"
    upload = SimpleUploadedFile("firmen.csv", to_csv(rows))
    response = cm_client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].bad_rows == [4]
    assert "fünf Ziffern" in response.content.decode()
    assert not Company.objects.exists()


def test_a_forum_venue_needs_a_german_postcode():
    with translation.override("de"):
        form = ForumForm(data={"venue_postcode": "Heilbronn"})
        form.is_valid()
    assert form.errors["venue_postcode"] == [
        "Eine deutsche Postleitzahl hat genau fünf Ziffern, z. B. 74072."
    ]
