"""Who reaches what: anonymous -> login, wrong role -> 403, another company's ids -> 404."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from members.models import Company, Contact, SmeHolding
from members.services import sme_figures_save, sme_holding_add


@pytest.fixture
def a_objects(company_a, company_b):
    figures = sme_figures_save(
        company=company_a, fiscal_year=2024, staff_units=D(5), turnover=D(1), balance_sheet=D(1)
    )
    holding = sme_holding_add(
        figures=figures, kind="linked", direction="holds", share=D(60), other_company=company_b
    )
    return {
        "company": company_a,
        "contact": company_a.contacts.get(first_name="Anna"),
        "figures": figures,
        "holding": holding,
    }


def company_a_urls(o):
    """Every page, form, export and action that names something of company A."""
    c, contact = o["company"].pk, o["contact"].pk
    return [
        ("get", reverse("members:company", args=[c])),
        ("get", reverse("members:company_edit", args=[c])),
        ("post", reverse("members:company_edit", args=[c])),
        ("get", reverse("members:company_history", args=[c])),
        ("get", reverse("members:company_contacts_export", args=[c, "csv"])),
        ("get", reverse("members:company_contacts_export", args=[c, "xlsx"])),
        ("get", reverse("members:contact_create", args=[c])),
        ("post", reverse("members:contact_create", args=[c])),
        ("get", reverse("members:relationship_create", args=[c])),
        ("post", reverse("members:relationship_create", args=[c])),
        ("get", reverse("members:sme_figures_create", args=[c])),
        ("post", reverse("members:sme_figures_create", args=[c])),
        ("get", reverse("members:sme_figures_edit", args=[c, 2024])),
        ("post", reverse("members:sme_figures_delete", args=[o["figures"].pk])),
        ("get", reverse("members:sme_holding_create", args=[o["figures"].pk])),
        ("post", reverse("members:sme_holding_delete", args=[o["holding"].pk])),
        ("get", reverse("members:contact_edit", args=[contact])),
        ("post", reverse("members:contact_edit", args=[contact])),
        ("post", reverse("members:contact_delete", args=[contact])),
        ("post", reverse("members:contact_opt_in", args=[contact])),
        ("post", reverse("members:contact_undeliverable_lift", args=[contact])),
        ("get", reverse("members:contact_history", args=[contact])),
        ("get", reverse("members:portal_contact_edit", args=[contact])),
        ("post", reverse("members:portal_contact_edit", args=[contact])),
        ("post", reverse("members:portal_contact_delete", args=[contact])),
        ("get", reverse("members:contact_autocomplete") + f"?company={c}"),
    ]


STAFF_LISTS = [
    ("members:directory", []),
    ("members:directory_export", ["csv"]),
    ("members:directory_export", ["xlsx"]),
    ("members:contacts", []),
    ("members:contacts_export", ["csv"]),
    ("members:company_create", []),
    ("members:import", []),
    ("members:import_template", ["csv"]),
]
PORTAL = [
    ("members:portal", []),
    ("members:portal_profile", []),
    ("members:portal_contact_create", []),
    ("members:portal_invitations", []),
    ("members:portal_contacts_export", ["csv"]),
]


def test_company_b_user_gets_404_for_everything_of_company_a(b_client, a_objects):
    for method, url in company_a_urls(a_objects):
        if method == "post":
            response = b_client.post(url, {"first_name": "X", "last_name": "Y"})
        else:
            response = b_client.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
    # nothing changed
    assert Contact.objects.filter(pk=a_objects["contact"].pk).exists()
    assert SmeHolding.objects.filter(pk=a_objects["holding"].pk).exists()
    assert a_objects["company"].contacts.count() == 1


def test_company_b_sees_nothing_of_a_in_its_own_pages_and_exports(b_client, a_objects):
    for name, args in PORTAL:
        response = b_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        body = response.content.decode("utf-8", errors="replace")
        assert "Alpha" not in body, name
    data = b_client.get(reverse("members:contact_autocomplete") + "?q=a").json()
    # B's own login is one of B's contacts (the login model), A's never appear.
    assert [r["text"] for r in data["results"]] == [
        "Bruno Beta – Beta Stanztechnik GmbH",
        "Berta Beta-Nutzerin – Beta Stanztechnik GmbH",
    ]
    data = b_client.get(reverse("members:company_autocomplete") + "?q=").json()
    own = Company.objects.get(legal_name__startswith="Beta")
    assert [r["id"] for r in data["results"]] == [own.pk]


def test_anonymous_is_sent_to_login(client, a_objects):
    urls = [url for _, url in company_a_urls(a_objects)]
    urls += [reverse(n, args=a) for n, a in STAFF_LISTS + PORTAL]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"], url


def test_company_user_gets_403_for_staff_lists(a_client, a_objects):
    for name, args in STAFF_LISTS:
        assert a_client.get(reverse(name, args=args)).status_code == 403, name


def test_company_user_of_a_gets_403_for_staff_forms_of_own_company(a_client, a_objects):
    c = a_objects["company"].pk
    for url in [
        reverse("members:company_edit", args=[c]),
        reverse("members:company_history", args=[c]),
        reverse("members:relationship_create", args=[c]),
        reverse("members:sme_figures_create", args=[c]),
    ]:
        assert a_client.get(url).status_code == 403, url
    # their company's staff page leads to the portal, their export works
    assert a_client.get(reverse("members:company", args=[c]))["Location"] == reverse(
        "members:portal"
    )
    assert (
        a_client.get(reverse("members:company_contacts_export", args=[c, "csv"])).status_code == 200
    )


def test_staff_roles_cannot_use_the_portal(cm_client, pm_client):
    for client in (cm_client, pm_client):
        for name, args in PORTAL:
            assert client.get(reverse(name, args=args)).status_code == 403, name


def test_project_manager_reads_but_does_not_write(pm_client, a_objects):
    c = a_objects["company"].pk
    for url in [
        reverse("members:directory"),
        reverse("members:contacts"),
        reverse("members:company", args=[c]),
        reverse("members:company_history", args=[c]),
        reverse("members:directory_export", args=["csv"]),
    ]:
        assert pm_client.get(url).status_code == 200, url
    for method, url in [
        ("get", reverse("members:company_edit", args=[c])),
        ("post", reverse("members:company_edit", args=[c])),
        ("get", reverse("members:company_create")),
        ("get", reverse("members:import")),
        ("post", reverse("members:contact_delete", args=[a_objects["contact"].pk])),
        ("post", reverse("members:sme_figures_delete", args=[a_objects["figures"].pk])),
    ]:
        assert getattr(pm_client, method)(url).status_code == 403, url
    assert Contact.objects.filter(pk=a_objects["contact"].pk).exists()


def test_unknown_ids_are_404_for_staff(cm_client, db):
    for url in [
        reverse("members:company", args=[999999]),
        reverse("members:contact_edit", args=[999999]),
        reverse("members:sme_figures_edit", args=[999999, 2024]),
    ]:
        assert cm_client.get(url).status_code == 404
