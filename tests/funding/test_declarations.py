"""Declarations are evidence: never edited or deleted (admin included), a newer one that lists
less prior aid does not lower what the ceiling counts until a project manager confirms it (and
they are told), superseded ones stay visible, control links and holdings are audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from funding import rules
from funding import services as funding
from funding.audit import ControlLinkAction, DeclarationAction
from funding.mails import REVIEW_KIND
from funding.models import ControlLink, Declaration
from funding.selectors import declaration_states
from outbox.models import Mail
from sefex import services as sefex
from sefex.models import Workshop

from .conftest import add_company, declare, future, schedule

TODAY = timezone.localdate


def _aid(days_ago, amount, grantor="L-Bank"):
    return {
        "grantor": grantor,
        "granted_on": TODAY() - timedelta(days=days_ago),
        "amount": Decimal(amount),
        "legal_basis": "VO (EU) 2023/2831",
    }


def _try_booking(company, module, manager):
    workshop = sefex.workshop_request(actor=manager, company=company, module=module)
    try:
        return sefex.workshop_schedule(
            workshop=workshop, actor=manager, project_manager=manager, starts_at=future()
        )
    except ValidationError as error:
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.REQUESTED
        return error


def test_a_new_declaration_leaving_out_recorded_aid_cannot_open_the_ceiling(
    module, project_manager, company_a, company_user_a
):
    """The scenario found: the project management records 299,600.01 EUR of prior aid for the
    company; the company then declares none; a workshop of 400 EUR must still be refused."""
    funding.declaration_record(
        company=company_a,
        declared_on=TODAY() - timedelta(days=20),
        actor=project_manager,
        prior_aid=[_aid(400, "299600.01")],
    )
    newer = funding.declaration_record(
        company=company_a, declared_on=TODAY() - timedelta(days=1), actor=company_user_a
    )
    assert newer.needs_confirmation
    refused = _try_booking(company_a, module, project_manager)
    assert isinstance(refused, ValidationError) and refused.code == "ceiling"

    # The project manager was told: a mail through the outbox and the funding overview.
    (mail,) = Mail.objects.filter(kind=REVIEW_KIND)
    assert mail.recipient_email == project_manager.email
    assert "299.600,01 EUR" in mail.text_body and company_a.legal_name in mail.subject
    assert event_actions(newer) == [DeclarationAction.RECORDED_FOR_REVIEW]

    funding.declaration_confirm(
        declaration=newer, actor=project_manager, reason="Beihilfe betraf die Schwesterfirma"
    )
    assert _try_booking(company_a, module, project_manager).state == Workshop.State.SCHEDULED
    confirmed = AuditEvent.objects.get(action=DeclarationAction.CONFIRMED)
    assert confirmed.actor == project_manager
    assert confirmed.reason == "Beihilfe betraf die Schwesterfirma"


def event_actions(declaration):
    return list(
        AuditEvent.objects.filter(object_id=str(declaration.pk))
        .filter(action__startswith="declaration.")
        .values_list("action", flat=True)
    )


def test_waiting_the_aid_of_both_counts_once_each(project_manager, company_user_a, company_a):
    declare(company_a, project_manager, days_ago=30, prior=[(TODAY() - timedelta(days=90), "100")])
    funding.declaration_record(
        company=company_a,
        declared_on=TODAY() - timedelta(days=2),
        actor=company_user_a,
        prior_aid=[_aid(60, "250", grantor="Land BW"), _aid(90, "100")],
    )
    funding.declaration_record(
        company=company_a,
        declared_on=TODAY() - timedelta(days=1),
        actor=company_user_a,
        prior_aid=[_aid(60, "250", grantor="land  bw")],
    )
    from funding.selectors import group_status

    status = group_status(company_a.pk)
    declared = sorted(r.amount for r in status.rows if r.kind == "declared")
    # 100 (in force, left out by the newest) + 250 (same aid, spelt twice) = counted once each
    assert declared == [Decimal("100.00"), Decimal("250.00")]
    assert list(declaration_states(company_a.pk).values()) == [
        rules.SUPERSEDED,
        rules.IN_FORCE,
        rules.PENDING,
    ]


def test_listing_the_same_or_more_takes_over_at_once_and_old_aid_may_drop(
    project_manager, company_user_a, company_a
):
    declare(
        company_a,
        project_manager,
        days_ago=30,
        prior=[(TODAY() - timedelta(days=90), "100"), (TODAY() - timedelta(days=1200), "5000")],
    )
    newer = funding.declaration_record(
        company=company_a,
        declared_on=TODAY(),
        actor=company_user_a,
        # the 5000 EUR lie more than three years back: no later check can count them
        prior_aid=[_aid(90, "100"), _aid(10, "50", grantor="Stadt Heilbronn")],
    )
    assert not newer.needs_confirmation
    assert declaration_states(company_a.pk)[newer.pk] == rules.IN_FORCE
    assert not Mail.objects.filter(kind=REVIEW_KIND).exists()
    assert event_actions(newer) == [DeclarationAction.RECORDED]


def test_only_a_project_manager_confirms_with_a_reason_and_only_what_waits(
    project_manager, cluster_manager, company_user_a, company_a
):
    declare(company_a, project_manager, days_ago=30, prior=[(TODAY() - timedelta(days=90), "9")])
    first = Declaration.objects.get()
    waiting = funding.declaration_record(
        company=company_a, declared_on=TODAY(), actor=company_user_a
    )
    for actor, reason in (
        (cluster_manager, "ok"),
        (company_user_a, "ok"),
        (project_manager, "   "),
    ):
        with pytest.raises(ValidationError):
            funding.declaration_confirm(declaration=waiting, actor=actor, reason=reason)
    with pytest.raises(ValidationError, match="wartet nicht"):
        funding.declaration_confirm(declaration=first, actor=project_manager, reason="x")
    assert declaration_states(company_a.pk)[waiting.pk] == rules.PENDING
    assert not AuditEvent.objects.filter(action=DeclarationAction.CONFIRMED).exists()


def test_a_declaration_is_never_changed_or_deleted(project_manager, company_a):
    declare(company_a, project_manager)
    declaration = Declaration.objects.get()
    declaration.signatory = "Someone else"
    with pytest.raises(ValueError, match="never changed"):
        declaration.save()
    with pytest.raises(ValueError, match="never deleted"):
        declaration.delete()


def test_in_the_admin_declarations_are_view_only_with_their_history(
    client, agency_admin, project_manager, company_a
):
    declare(company_a, project_manager, prior=[(TODAY() - timedelta(days=9), "10")])
    declaration = Declaration.objects.get()
    client.force_login(agency_admin)  # not even the agency administrator
    change = reverse("admin:funding_declaration_change", args=[declaration.pk])
    page = client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert f"object_id={declaration.pk}" in page.content.decode()
    assert client.post(change, {"declared_on": "2020-01-01"}).status_code == 403
    delete = reverse("admin:funding_declaration_delete", args=[declaration.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:funding_declaration_add")).status_code == 403
    declaration.refresh_from_db()
    assert declaration.declared_on == TODAY() - timedelta(days=1)
    assert declaration.prior_aid.count() == 1
    client.force_login(project_manager)
    assert client.post(change, {"declared_on": "2020-01-01"}).status_code == 403


def test_the_company_page_shows_every_declaration_with_its_state_and_the_pm_confirms_there(
    client, project_manager, cluster_manager, company_user_a, company_a
):
    declare(company_a, project_manager, days_ago=40, prior=[(TODAY() - timedelta(days=90), "7")])
    declare(company_a, project_manager, days_ago=30, prior=[(TODAY() - timedelta(days=90), "7")])
    waiting = funding.declaration_record(
        company=company_a, declared_on=TODAY(), actor=company_user_a
    )
    client.force_login(project_manager)
    body = client.get(reverse("funding:company", args=[company_a.pk])).content.decode()
    assert body.count("Erklärung vom") == 3
    assert "ersetzt" in body and "gilt" in body and "wartet auf die Bestätigung" in body
    assert company_a.legal_name in client.get(reverse("funding:overview")).content.decode()
    confirm = reverse("funding:declaration_confirm", args=[waiting.pk])
    unknown = reverse("funding:declaration_confirm", args=[waiting.pk + 1000])
    assert client.post(unknown, {"reason": "x"}).status_code == 404
    assert client.post(confirm, {"reason": ""}).status_code == 302
    assert declaration_states(company_a.pk)[waiting.pk] == rules.PENDING
    client.post(confirm, {"reason": "Telefonisch geklärt"})
    assert declaration_states(company_a.pk)[waiting.pk] == rules.IN_FORCE
    client.force_login(cluster_manager)
    trail = client.get(reverse("core:audit"), {"q": company_a.legal_name}).content.decode()
    assert "Telefonisch geklärt" in trail and "Frühere De-minimis-Beihilfen" in trail
    client.force_login(company_user_a)
    assert client.post(confirm, {"reason": "selbst bestätigt"}).status_code == 403
    mine = client.get(reverse("funding:my")).content.decode()
    assert mine.count("Erklärung vom") == 3 and "Telefonisch geklärt" in mine


@pytest.mark.parametrize("name", ["funding:overview", "funding:company"])
def test_pages_with_waiting_declarations_run_constant_queries(
    client, project_manager, company_user_a, company_a, name
):
    client.force_login(project_manager)
    counts = []
    for companies in (1, 4):
        for number in range(companies):
            company = company_a if number == 0 else add_company(f"Firma{companies}{number} GmbH")
            declare(
                company, project_manager, days_ago=9, prior=[(TODAY() - timedelta(days=90), "1")]
            )
            funding.declaration_record(company=company, declared_on=TODAY(), actor=project_manager)
        url = reverse(name, args=[company_a.pk] if name == "funding:company" else [])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_control_link_changes_are_audited(client, project_manager, company_a, company_b):
    client.force_login(project_manager)
    client.post(
        reverse("funding:link_add", args=[company_a.pk]),
        {"direction": "controls", "other": company_b.pk, "note": "Mehrheit"},
    )
    link = ControlLink.objects.get()
    # A link is ended with a date (it changed single undertakings), never deleted.
    client.post(
        reverse("funding:link_end", args=[link.pk]),
        {"company": company_a.pk, "ended_on": "2030-01-01", "reason": "Anteile verkauft"},
    )
    added, ended = AuditEvent.objects.filter(action__startswith="control_link.").order_by("pk")
    assert (added.action, added.actor, added.after["note"]) == (
        ControlLinkAction.ADDED,
        project_manager,
        "Mehrheit",
    )
    assert ended.action == ControlLinkAction.ENDED
    assert ended.before["controlled"] == str(company_b)
    assert (ended.before["ended_on"], ended.reason) == (None, "Anteile verkauft")
    link.refresh_from_db()
    assert (link.ended_on, link.ended_by) == (date(2030, 1, 1), project_manager)


def test_control_links_added_in_the_admin_are_audited(client, agency_admin, company_a, company_b):
    client.force_login(agency_admin)
    response = client.post(
        reverse("admin:funding_controllink_add"),
        {
            "controlling": company_a.pk,
            "controlled": company_b.pk,
            "note": "per Vertrag",
            "valid_from": "01.01.2024",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.created")
    assert {k: event.after[k] for k in ("controlling", "controlled", "note")} == {
        "controlling": str(company_a),
        "controlled": str(company_b),
        "note": "per Vertrag",
    }
    assert "2024" in str(event.after["valid_from"])
    link = ControlLink.objects.get()
    assert link.created_by == agency_admin
    # The admin cannot delete a link either: it is ended with a date.
    response = client.post(
        reverse("admin:funding_controllink_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ControlLink.objects.filter(pk=link.pk).exists()


def test_a_declaration_waiting_for_confirmation_is_still_current(
    module, project_manager, company_a, company_user_a
):
    """A waiting declaration is still a current declaration: booking works below the ceiling."""
    declare(company_a, project_manager, days_ago=400, prior=[(TODAY() - timedelta(days=500), "9")])
    funding.declaration_record(company=company_a, declared_on=TODAY(), actor=company_user_a)
    assert schedule(company_a, module, project_manager, future()).state == Workshop.State.SCHEDULED
