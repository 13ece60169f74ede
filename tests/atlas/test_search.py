"""Members find published profiles by process, material, certification, postcode and text."""

import pytest
from django.urls import reverse

from .conftest import member, publish

pytestmark = pytest.mark.django_db
URL = reverse("atlas:search")


@pytest.fixture
def directory(alpha, beta, gamma):
    publish(
        alpha,
        processes=["cnc_milling", "cnc_turning"],
        materials=["aluminium", "stainless"],
        certifications=["iso_9001", "iatf_16949"],
        products="Spannvorrichtungen",
    )
    publish(beta, processes=["stamping", "cnc_milling"], certifications=["iso_9001"])
    hidden = publish(gamma, processes=["cnc_milling"], certifications=["iatf_16949"])
    hidden.published = False
    hidden.save()


def _found(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(p.company.legal_name for p in response.context["page"])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Alpha Präzisionstechnik GmbH", "Beta Stanztechnik GmbH"]),
        ({"process": "cnc_milling"}, ["Alpha Präzisionstechnik GmbH", "Beta Stanztechnik GmbH"]),
        ({"process": "stamping"}, ["Beta Stanztechnik GmbH"]),
        (
            {"process": "cnc_milling", "certification": "iatf_16949"},
            ["Alpha Präzisionstechnik GmbH"],
        ),
        ({"material": "stainless"}, ["Alpha Präzisionstechnik GmbH"]),
        ({"certification": "iso_14001"}, []),
        ({"postcode": "741"}, ["Beta Stanztechnik GmbH"]),
        ({"postcode": "74"}, ["Alpha Präzisionstechnik GmbH", "Beta Stanztechnik GmbH"]),
        ({"postcode": "70"}, []),  # Gamma is in 70173 but has not published
        ({"q": "spannvorricht"}, ["Alpha Präzisionstechnik GmbH"]),
    ],
)
def test_filters(client, user_beta, directory, params, expected):
    client.force_login(user_beta)
    assert _found(client, **params) == expected


@pytest.mark.parametrize("params", [{"process": "nonsense"}, {"postcode": "ab'; --"}])
def test_bad_filter_is_ignored_with_a_message(client, user_beta, directory, params):
    client.force_login(user_beta)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["page"]) == 2


def test_list_shows_no_address_and_labels_in_german(client, user_beta, directory):
    client.force_login(user_beta)
    page = client.get(URL, {"process": "cnc_milling"}).content.decode()
    assert "CNC-Fräsen" in page
    assert "IATF 16949" in page
    assert "vertrieb@" not in page


@pytest.mark.parametrize("size", [3, 30])
def test_search_queries_do_not_grow(client, user_beta, size, django_assert_max_num_queries):
    for number in range(size):
        company = member(f"Firma{number} GmbH", "74076", "Heilbronn")
        publish(company, processes=["welding", "assembly"], certifications=["iso_9001"])
    client.force_login(user_beta)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"process": "welding"})
    assert len(response.context["page"]) == min(size, 25)
