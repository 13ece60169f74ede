"""Staff forms, change history with who, the company portal, and the fragment registry."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from core import fragments
from core.models import AuditEvent
from members.audit import CompanyAction, ContactAction, RelationshipAction
from members.models import Cluster, Company, Contact, Relationship, SmeFigures, Topic
from members.services import contact_opt_out


def test_company_create_edit_and_history_records_who(cm_client, cluster_manager, db):
    data = {
        "legal_name": "Neu Metall GmbH",
        "register_number": "hrb  4711 ",
        "vat_id": "de 123.456.789",
        "postcode": "74072",
        "city": "Heilbronn",
        "website": "neu-metall.example",
        "sectors": ["1"],
        "production": "contract",
    }
    from members.models import Sector

    data["sectors"] = [Sector.objects.get(number=6).pk]
    response = cm_client.post(reverse("members:company_create"), data)
    assert response.status_code == 302
    company = Company.objects.get(legal_name="Neu Metall GmbH")
    assert (company.register_number, company.vat_id) == ("HRB 4711", "DE123456789")
    assert company.website == "https://neu-metall.example"

    response = cm_client.post(
        reverse("members:company_edit", args=[company.pk]), data | {"city": "Neckarsulm"}
    )
    assert response.status_code == 302
    record = company.history.order_by("-history_date").first()
    assert record.history_user == cluster_manager
    # The one audit trail has both steps with who did them.
    trail = AuditEvent.objects.filter(object_id=str(company.pk), action__startswith="company.")
    assert list(trail.order_by("pk").values_list("action", "actor")) == [
        (CompanyAction.CREATED, cluster_manager.pk),
        (CompanyAction.CHANGED, cluster_manager.pk),
    ]
    response = cm_client.get(reverse("members:company_history", args=[company.pk]))
    entries = response.context["entries"]
    assert entries[0]["who"] == cluster_manager
    assert [(c["old"], c["new"]) for c in entries[0]["changes"]] == [("Heilbronn", "Neckarsulm")]
    assert "Neckarsulm" in response.content.decode()

    # the same register number again is refused with a message, nothing written
    response = cm_client.post(reverse("members:company_create"), data | {"legal_name": "Zwilling"})
    assert response.status_code == 200
    assert not Company.objects.filter(legal_name="Zwilling").exists()
    assert response.context["form"].errors


def test_invalid_vat_id_is_a_form_error(cm_client, db):
    response = cm_client.post(
        reverse("members:company_create"), {"legal_name": "X GmbH", "vat_id": "123"}
    )
    assert response.status_code == 200
    assert "vat_id" in response.context["form"].errors
    assert not Company.objects.exists()


def test_contact_create_edit_delete_and_history(cm_client, cluster_manager, company_a):
    topic = Topic.objects.first()
    response = cm_client.post(
        reverse("members:contact_create", args=[company_a.pk]),
        {
            "salutation": "ms",
            "first_name": "Clara",
            "last_name": "Chrom",
            "function": "technology",
            "email": "Clara@Alpha.example",
            "language": "de",
            "topics": [topic.pk],
            "receives_invitations": "on",
        },
    )
    assert response.status_code == 302
    contact = company_a.contacts.get(last_name="Chrom")
    assert contact.email == "clara@alpha.example"
    assert list(contact.topics.all()) == [topic]
    response = cm_client.post(
        reverse("members:contact_edit", args=[contact.pk]),
        {"first_name": "Clara", "last_name": "Chrom-Nickel", "function": "sales", "language": "de"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_name == "Chrom-Nickel" and not contact.receives_invitations
    history = cm_client.get(reverse("members:contact_history", args=[contact.pk]))
    assert history.context["entries"][0]["who"] == cluster_manager
    fields = {str(c["field"]) for c in history.context["entries"][0]["changes"]}
    assert len(fields) >= 3  # last name, function, invitations

    response = cm_client.post(reverse("members:contact_delete", args=[contact.pk]))
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_company_page_shows_opt_out_and_staff_can_lift_it(cm_client, company_a):
    contact = company_a.contacts.get()
    contact_opt_out(contact=contact)
    contact_opt_out(contact=contact)  # a second click keeps the first time
    contact.refresh_from_db()
    first = contact.opted_out_at
    assert first is not None
    page = cm_client.get(reverse("members:company", args=[company_a.pk]))
    assert page.status_code == 200
    assert reverse("members:contact_opt_in", args=[contact.pk]) in page.content.decode()
    cm_client.post(reverse("members:contact_opt_in", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.opted_out_at is None
    # The trail: the person's own opt-out (once), the staff's lifting of it.
    trail = AuditEvent.objects.filter(object_id=str(contact.pk), action__startswith="contact.")
    assert [(e.action, e.actor is None) for e in trail.order_by("pk")] == [
        (ContactAction.OPTED_OUT, True),
        (ContactAction.OPTED_IN, False),
    ]


def test_relationship_change_ends_the_current_one(cm_client, company_a):
    cluster = Cluster.objects.get(slug="metall")
    url = reverse("members:relationship_create", args=[company_a.pk])
    response = cm_client.post(
        url, {"cluster": cluster.pk, "kind": "former", "valid_from": "2025-01-01"}
    )
    assert response.status_code == 302
    rows = list(company_a.relationships.order_by("valid_from"))
    assert [(r.kind, r.valid_to) for r in rows] == [
        ("member", date(2024, 12, 31)),
        ("former", None),
    ]
    started = AuditEvent.objects.get(action=RelationshipAction.STARTED)
    assert started.object_id == str(rows[1].pk) and started.after["kind"] == "former"
    # a start before the current one is refused, nothing changes
    response = cm_client.post(
        url, {"cluster": cluster.pk, "kind": "member", "valid_from": "2024-06-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert company_a.relationships.count() == 2


def test_sme_figures_and_holdings_through_the_pages(cm_client, company_a, company_b):
    url = reverse("members:sme_figures_create", args=[company_a.pk])
    for year, staff in ((2023, "9"), (2024, "12")):
        response = cm_client.post(
            url,
            {
                "fiscal_year": year,
                "staff_units": staff,
                "turnover": "1000000",
                "balance_sheet": "1000000",
                "public_share": "0",
            },
        )
        assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.sme_class == "micro"  # 2024 alone is above the limit: not yet small
    figures = SmeFigures.objects.get(company=company_a, fiscal_year=2024)
    response = cm_client.post(
        reverse("members:sme_holding_create", args=[figures.pk]),
        {"kind": "partner", "direction": "held_by", "share": "30"},
    )
    assert response.status_code == 200 and response.context["form"].errors  # nobody named
    response = cm_client.post(
        reverse("members:sme_holding_create", args=[figures.pk]),
        {"kind": "linked", "direction": "holds", "share": "80", "other_company": company_b.pk},
    )
    assert response.status_code == 302
    page = cm_client.get(reverse("members:company", args=[company_a.pk])).content.decode()
    assert company_b.legal_name in page
    bad = cm_client.post(url, {"fiscal_year": "1800", "staff_units": "-1"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_portal_profile_colleagues_and_invitations(a_client, company_a, company_user_a):
    page = a_client.get(reverse("members:portal"))
    assert page.status_code == 200 and "Anna" in page.content.decode()
    response = a_client.post(
        reverse("members:portal_profile"),
        {"short_name": "Alpha", "street": "Hafenstr. 1", "postcode": "74076", "city": "Heilbronn"},
    )
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.street == "Hafenstr. 1"
    assert company_a.legal_name == "Alpha Präzisionstechnik GmbH"  # not editable here

    response = a_client.post(
        reverse("members:portal_contact_create"),
        {
            "first_name": "Bert",
            "last_name": "Bohrer",
            "function": "production",
            "language": "de",
            "email": "bert@alpha.example",
            "receives_invitations": "on",
        },
    )
    assert response.status_code == 302
    bert = company_a.contacts.get(last_name="Bohrer")
    anna = company_a.contacts.get(first_name="Anna")
    assert bert.history.first().history_user == company_user_a
    created = AuditEvent.objects.get(object_id=str(bert.pk), action=ContactAction.CREATED)
    assert created.actor == company_user_a

    response = a_client.post(reverse("members:portal_invitations"), {"recipients": [bert.pk]})
    assert response.status_code == 302
    anna.refresh_from_db()
    bert.refresh_from_db()
    assert (anna.receives_invitations, bert.receives_invitations) == (False, True)

    response = a_client.post(reverse("members:portal_contact_delete", args=[bert.pk]))
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=bert.pk).exists()


def test_portal_invitation_form_rejects_foreign_contacts(a_client, company_a, company_b):
    foreign = company_b.contacts.get()
    response = a_client.post(reverse("members:portal_invitations"), {"recipients": [foreign.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors
    foreign.refresh_from_db()
    assert foreign.receives_invitations


def test_portal_export_holds_only_own_contacts(a_client, company_a, company_b):
    response = a_client.get(reverse("members:portal_contacts_export", args=["xlsx"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    # Anna and the company user's own contact (the login model), nobody of company B.
    assert len(rows) == 3 and {r[0] for r in rows[1:]} == {company_a.legal_name}


def test_registered_sections_appear_on_the_company_page(cm_client, company_a):
    fragments.register_company_section(
        "test-section",
        title="Testabschnitt",
        template="includes/company_sections.html",
        context=lambda company, request: {
            "sections": [{"key": "x", "title": company.city, "html": ""}]
        },
        order=1,
    )
    hidden = fragments.register_company_section(
        "hidden-section",
        title="Verborgen",
        template="includes/company_sections.html",
        context=lambda company, request: {"sections": []},
        visible=lambda request: False,
    )
    try:
        page = cm_client.get(reverse("members:company", args=[company_a.pk])).content.decode()
        assert 'id="section-test-section"' in page and "Testabschnitt" in page
        assert "Heilbronn" in page
        assert hidden.title not in page
        keys = [s.key for s in fragments.company_sections()]
        assert keys.index("test-section") < keys.index("hidden-section")
    finally:
        fragments.unregister_company_section("test-section")
        fragments.unregister_company_section("hidden-section")


def test_company_page_query_count_does_not_grow_with_contacts(cm_client, company_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.identity import identity_for

    identity_for()  # the footer's sender: configuration, read once and then cached
    url = reverse("members:company", args=[company_a.pk])
    cm_client.get(url)  # the login into the cache
    with CaptureQueriesContext(connection) as few:
        cm_client.get(url)
    Contact.objects.bulk_create(
        Contact(company=company_a, first_name="P", last_name=str(i)) for i in range(30)
    )
    Relationship.objects.create(
        company=company_a,
        cluster=Cluster.objects.create(slug="k", name="K"),
        kind="partner",
        valid_from=date(2021, 1, 1),
    )
    with CaptureQueriesContext(connection) as many:
        cm_client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_company_contacts_export_for_staff(cm_client, company_a, fmt):
    response = cm_client.get(reverse("members:company_contacts_export", args=[company_a.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
