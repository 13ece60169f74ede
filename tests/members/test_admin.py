"""The admin: lists with search and filters load; actions go through the services."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from members.models import SmeFigures
from members.services import sme_figures_save


@pytest.fixture
def admin_client_cm(client, cluster_manager):
    client.force_login(cluster_manager)
    return client


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("admin:members_company_changelist", {"q": "alpha", "sme_class__exact": "micro"}),
        ("admin:members_contact_changelist", {"q": "anna", "receives_invitations__exact": "1"}),
        ("admin:members_relationship_changelist", {"kind__exact": "member"}),
        ("admin:members_smefigures_changelist", {"fiscal_year": "2024"}),
        ("admin:members_topic_changelist", {}),
        ("autocomplete", {}),
    ],
)
def test_admin_lists_load(admin_client_cm, company_a, name, params):
    if name == "autocomplete":
        url = reverse("admin:autocomplete")
        params = {
            "app_label": "members",
            "model_name": "contact",
            "field_name": "company",
            "term": "al",
        }
    else:
        url = reverse(name)
    assert admin_client_cm.get(url, params).status_code == 200


def test_admin_actions_call_the_services(admin_client_cm, company_a):
    figures = sme_figures_save(
        company=company_a, fiscal_year=2024, staff_units=D(5), turnover=D(1), balance_sheet=D(1)
    )
    SmeFigures.objects.filter(pk=figures.pk).update(staff_units=D(300))
    response = admin_client_cm.post(
        reverse("admin:members_company_changelist"),
        {"action": "recompute_sme_class", "_selected_action": [company_a.pk]},
    )
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.sme_class == "large"
    contact = company_a.contacts.get()
    admin_client_cm.post(
        reverse("admin:members_contact_changelist"),
        {"action": "opt_out", "_selected_action": [contact.pk]},
    )
    contact.refresh_from_db()
    assert contact.opted_out_at is not None


def test_holdings_edited_in_the_admin_are_audited(
    admin_client_cm, cluster_manager, company_a, company_b
):
    """Holdings make enterprises partners or linked: an inline row added or deleted in the admin
    lands in the audit trail with its values, as the services' changes do."""
    from core.models import AuditEvent
    from members.models import SmeHolding
    from tests.html import submission

    figures = sme_figures_save(
        company=company_a, fiscal_year=2024, staff_units=D(5), turnover=D(1), balance_sheet=D(1)
    )
    url = reverse("admin:members_smefigures_change", args=[figures.pk])
    data = submission(admin_client_cm.get(url).content.decode(), "smefigures_form")
    data.update(
        {
            "holdings-TOTAL_FORMS": "1",
            "holdings-0-figures": str(figures.pk),
            "holdings-0-kind": "linked",
            "holdings-0-direction": "holds",
            "holdings-0-share": "60",
            "holdings-0-other_company": str(company_b.pk),
        }
    )
    assert admin_client_cm.post(url, data).status_code == 302
    holding = SmeHolding.objects.get()
    added = AuditEvent.objects.get(action="admin.created", object_id=str(holding.pk))
    assert added.actor == cluster_manager
    assert added.after["other_company"] == str(company_b) and added.after["share"] == "60"

    data = submission(admin_client_cm.get(url).content.decode(), "smefigures_form")
    data["holdings-0-DELETE"] = "on"
    assert admin_client_cm.post(url, data).status_code == 302
    assert not SmeHolding.objects.exists()
    removed = AuditEvent.objects.get(action="admin.deleted", object_id=str(holding.pk))
    assert removed.before["kind"] == "linked" and removed.before["other_company"] == str(company_b)
