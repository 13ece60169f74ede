"""Privacy page in every footer, staff-only export and erasure, the retention task, import."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from members.models import Company, Contact, Relationship
from members.services import company_import
from outbox.models import Mail
from outbox.services import suppression_add
from privacy.audit import PrivacyAction
from privacy.models import PrivacyNotice
from privacy.tasks import retention
from tests.members.test_import import make_rows, metall, to_csv  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_privacy_page_is_public_editable_and_linked_from_every_footer(client, cluster_manager):
    url = reverse("privacy:notice")
    assert client.get(url).status_code == 200  # no record yet: the sender's address
    PrivacyNotice.objects.create(
        language="de",
        controller="WFG Heilbronn",
        purposes="Einladungen",
        recipients="keine",
        storage="24 Monate",
        rights="Auskunft, Löschung",
        authority="LfDI Baden-Württemberg",
    )
    page = client.get(url).content.decode()
    assert "LfDI Baden-Württemberg" in page
    client.force_login(cluster_manager)
    assert f'href="{url}"' in client.get(reverse("home"), follow=True).content.decode()


def test_export_is_for_cluster_management_only(client, company_a, company_user_a, cluster_manager):
    contact = company_a.contacts.first()
    urls = [
        reverse("privacy:export_json", args=[contact.pk]),
        reverse("privacy:export_html", args=[contact.pk]),
    ]
    for url in urls:
        assert "login" in client.get(url)["Location"]
    client.force_login(company_user_a)
    for url in urls:
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("privacy:erase", args=[contact.pk]), {"reason": "x"}).status_code == 403
    )
    client.force_login(cluster_manager)
    data = json.loads(client.get(urls[0]).content)
    assert data["contact"]["email"] == contact.email
    assert contact.last_name in client.get(urls[1]).content.decode()
    assert client.get(reverse("privacy:export_json", args=[999999])).status_code == 404
    exports = AuditEvent.objects.filter(action=PrivacyAction.EXPORTED, actor=cluster_manager)
    assert exports.count() == 2 and {e.object_id for e in exports} == {str(contact.pk)}


def test_erase_view_needs_a_reason_and_writes_nothing_without(client, company_a, cluster_manager):
    contact = company_a.contacts.first()
    client.force_login(cluster_manager)
    url = reverse("privacy:erase", args=[contact.pk])
    assert client.post(url, {"reason": " "}).status_code == 302
    assert Contact.objects.get(pk=contact.pk).email == contact.email
    # A reason PostgreSQL cannot store (a NUL character), or one too long: a message, no 500.
    for bad in ("Antrag\x00", "x" * 301):
        answer = client.post(url, {"reason": bad}, follow=True)
        assert answer.status_code == 200 and "alert-danger" in answer.content.decode()
        assert Contact.objects.get(pk=contact.pk).email == contact.email
    assert not AuditEvent.objects.filter(action=PrivacyAction.ERASED).exists()
    assert client.post(url, {"reason": "Antrag vom 2.5."}).status_code == 302
    assert Contact.objects.get(pk=contact.pk).email == ""
    assert "Antrag vom 2.5." in client.get(reverse("privacy:audit")).content.decode()


def test_retention_anonymises_only_idle_prospects_without_consent(cluster_manager, settings):
    from members.models import Cluster

    settings.PRIVACY_PROSPECT_RETENTION_MONTHS = 12
    cluster = Cluster.objects.create(name="C", slug="c")
    start = timezone.now() - timedelta(days=500)
    with time_machine.travel(start):
        prospect = Company.objects.create(legal_name="Prospekt GmbH")
        member = Company.objects.create(legal_name="Mitglied GmbH")
        for company, kind in ((prospect, "prospect"), (member, "member")):
            Relationship.objects.create(
                company=company, cluster=cluster, kind=kind, valid_from="2020-01-01"
            )
        idle = prospect.contacts.create(
            first_name="Ida", last_name="Idle", email="ida@prospekt.example"
        )
        kept = member.contacts.create(
            first_name="Max", last_name="Member", email="max@mitglied.example"
        )
    active = prospect.contacts.create(
        first_name="Anna", last_name="Active", email="anna@prospekt.example"
    )

    assert retention.apply().get() == [idle.pk]
    assert retention.apply().get() == []  # twice is harmless
    assert Contact.objects.get(pk=idle.pk).email == ""
    assert Contact.objects.get(pk=kept.pk).email == "max@mitglied.example"
    assert Contact.objects.get(pk=active.pk).email == "anna@prospekt.example"
    entry = AuditEvent.objects.get(action=PrivacyAction.RETENTION_ERASED)
    assert entry.object_id == str(idle.pk) and entry.actor is None


def test_import_of_a_suppressed_address_does_not_revive_invitations(metall):  # noqa: F811
    rows = make_rows(2)
    company_import(content=to_csv(rows), filename="firmen.csv", dry_run=False)
    contact = Contact.objects.get(email=rows[0]["E-Mail"])
    suppression_add(email=contact.email, contact=contact)
    contact.delete()
    company_import(content=to_csv(rows), filename="firmen.csv", dry_run=False)
    again = Contact.objects.get(email=rows[0]["E-Mail"])
    assert again.pk != contact.pk and again.opted_out_at is not None
    from outbox.services import mail_queue

    mail = mail_queue(
        kind="privacy_test_invitation",
        related=again.company,
        recipient_email=again.email,
        contact=again,
        template="emails/privacy_consent",
        context={"contact": again, "text_shown": "x", "confirm_url": "u", "expires_at": None},
        marketing=True,
    )
    assert mail.state == Mail.State.SUPPRESSED


def test_cluster_management_edits_the_privacy_notice_in_the_admin(
    client, cluster_manager, company_user_a
):
    client.force_login(cluster_manager)
    response = client.post(
        reverse("admin:privacy_privacynotice_add"),
        {
            "language": "de",
            "controller": "WFG",
            "purposes": "p",
            "recipients": "r",
            "storage": "s",
            "rights": "x",
            "authority": "LfDI",
        },
    )
    assert response.status_code == 302
    assert PrivacyNotice.objects.get().updated_by == cluster_manager
    client.force_login(company_user_a)
    assert client.get(reverse("admin:privacy_privacynotice_changelist")).status_code in (302, 403)


def test_consent_mail_is_on_the_staff_template_page_with_the_privacy_link(client, cluster_manager):
    client.force_login(cluster_manager)
    page = client.get(reverse("outbox:template_list")).content.decode()
    # The consent mail by its name (the page shows no template codes).
    assert "Bestätigung der Einwilligung" in page and "/privacy/consent/beispiel/" in page
    assert reverse("privacy:notice") in page  # the base layouts link the privacy page


def test_staff_send_the_consent_request_from_the_contact_page(
    client, company_a, company_user_a, cluster_manager
):
    from privacy.models import Consent

    contact = company_a.contacts.first()
    contact.email = "anna@alpha.example"
    contact.save()
    url = reverse("privacy:consent_ask", args=[contact.pk])
    client.force_login(company_user_a)
    assert client.post(url).status_code == 403
    assert not Consent.objects.exists()

    client.force_login(cluster_manager)
    response = client.post(url)
    assert response.status_code == 302
    consent = Consent.objects.get(contact=contact)
    assert consent.form == "staff request"
    assert Mail.objects.filter(related_consent_filter(consent)).count() == 1

    contact.email = ""
    contact.save()
    client.post(url, follow=True)
    assert Consent.objects.filter(contact=contact).count() == 1  # nothing written


def related_consent_filter(consent):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    return Q(content_type=ContentType.objects.get_for_model(consent), object_id=consent.pk)


def test_the_company_page_links_each_contact_to_its_privacy_page(
    client, company_a, cluster_manager, project_manager
):
    contact = company_a.contacts.first()
    link = f'href="{reverse("privacy:export_html", args=[contact.pk])}"'
    page = reverse("members:company", args=[company_a.pk])
    client.force_login(cluster_manager)
    assert link in client.get(page).content.decode()
    client.force_login(project_manager)  # may read the company, not the privacy pages
    assert link not in client.get(page).content.decode()


def test_the_export_page_names_fields_and_states_for_people(client, company_a, cluster_manager):
    """The HTML export says "Nachname" and "Ja", the JSON export keeps the codes."""
    contact = company_a.contacts.first()
    contact.function = contact.Function.PRODUCTION
    contact.save()
    client.force_login(cluster_manager)
    page = client.get(reverse("privacy:export_html", args=[contact.pk])).content.decode()
    assert "Nachname" in page and "Produktion" in page
    assert "last_name" not in page and "production" not in page and "True" not in page
    data = json.loads(client.get(reverse("privacy:export_json", args=[contact.pk])).content)
    assert data["contact"]["function"] == "production"
