"""Data built through the services for the backup tests: a forum with registrations, a held
workshop with its certificate PDF and an uploaded file, and mails in the outbox."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from forums import services as forums
from funding import regulations
from funding import services as funding
from funding.models import AidRecord, AidScheme, Regulation
from members.models import Cluster, Relationship
from outbox.models import Mail
from sefex import mails as sefex_mails
from sefex import services as sefex
from sefex.models import Module, Programme
from tests.forums.conftest import build_forum
from tests.funding.conftest import declare, future, schedule


def funded_programme() -> Programme:
    """A SEFEX programme that grants de-minimis aid: 4-hour workshops at 100 EUR an hour."""
    programme = Programme.objects.create(
        name="SEFEX Förderung",
        funding_start=date(2017, 1, 1),
        funding_end=date(2030, 12, 31),
        hourly_value=Decimal("100.00"),
        company_contribution_per_hour=Decimal("0"),
        default_duration_hours=Decimal("4"),
    )
    Module.objects.create(programme=programme, name="Strategisches Management", position=0)
    AidScheme.objects.create(programme=programme, grantor="WFG Raum Heilbronn")
    return programme


def build(*, companies, staff) -> dict:
    company_a, company_b = companies
    cluster_manager, project_manager = staff
    regulations.ensure(Regulation)
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    for company in companies:
        Relationship.objects.get_or_create(
            company=company,
            cluster=cluster,
            defaults={"kind": Relationship.Kind.MEMBER, "valid_from": "2020-01-01"},
        )
    forum = build_forum(cluster)
    for company in companies:
        for contact in company.contacts.all()[:2]:
            forums.registration_create(forum=forum, contact=contact, actor=cluster_manager)

    declare(company_a, project_manager)
    module = funded_programme().modules.get()
    start = future()
    workshop = schedule(company_a, module, project_manager, start)
    sefex.workshop_update(
        workshop=workshop, actor=project_manager, participants=list(company_a.contacts.all())
    )
    # The booking confirmation, as its task writes it after the commit (rows, not sent).
    sefex_mails.booked_send(workshop.pk)
    workshop = sefex.workshop_mark_held(
        workshop=workshop, actor=project_manager, now=start + timedelta(hours=5)
    )
    record = AidRecord.objects.get(workshop=workshop)
    pdf = funding.certificate_issue(record=record)
    record.refresh_from_db()
    attachment = sefex.attachment_add(
        workshop=workshop,
        actor=project_manager,
        upload=SimpleUploadedFile("protokoll.pdf", pdf, content_type="application/pdf"),
    )
    assert Mail.objects.exists()
    return {"record": record, "attachment": attachment, "forum": forum, "workshop": workshop}
