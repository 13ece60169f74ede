"""The De-minimis-Bescheinigung: a PDF whose text holds the amount, the company and the citation
of Regulation (EU) 2023/2831; stored on first print, the same document on every re-print, even
after the company's data changed."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services as funding
from funding.models import AidRecord
from metalldialog.celery import app as celery_app
from outbox.models import Intent
from outbox.services import mail_queue_due
from sefex import services as sefex
from tests.outbox.broker import broker_away

from .conftest import declare, future, held
from .conftest import schedule as _schedule


def funding_schedule(company, module, manager):
    return _schedule(company, module, manager, future())


CITATION = (
    "Verordnung (EU) 2023/2831 der Kommission vom 13. Dezember 2023, ABl. L, 2023/2831, 15.12.2023"
)


def pdf_text(content: bytes) -> str:
    """Text of a PDF by poppler's pdftotext, whitespace folded (lines may break anywhere)."""
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext (Debian package poppler-utils) is needed for this test"
    result = subprocess.run(  # noqa: S603 - fixed argv
        [executable, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def record(programme, module, project_manager, company_a):
    programme.hourly_value = Decimal("1234.50")
    programme.save()
    declare(company_a, project_manager)
    workshop = held(company_a, module, project_manager, future())
    return AidRecord.objects.get(workshop=workshop)


def test_certificate_pdf_states_amount_company_and_citation(record):
    content = funding.certificate_issue(record=record)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "De-minimis-Bescheinigung" in text
    assert record.number in text
    assert "4.938,00 EUR" in text  # 4 h x 1,234.50
    assert "Alpha Präzisionstechnik GmbH" in text
    assert CITATION in text
    assert record.grant_date.strftime("%d.%m.%Y") in text


def test_reprint_is_the_same_document_with_the_same_number_and_amount(record, company_a):
    first = funding.certificate_issue(record=record)
    # The company renames itself and the programme's value changes: the certificate does not.
    company_a.legal_name = "Alpha Neu GmbH"
    company_a.save()
    record.workshop.programme.hourly_value = Decimal("1.00")
    record.workshop.programme.save()
    again = funding.certificate_issue(record=AidRecord.objects.get(pk=record.pk))
    assert again == first
    text = pdf_text(again)
    assert record.number in text and "4.938,00 EUR" in text
    assert "Alpha Neu" not in text
    stored = AidRecord.objects.get(pk=record.pk)
    assert stored.certificate_sha256 and bytes(stored.certificate_pdf) == first


def test_holding_a_workshop_queues_the_certificate_on_commit_and_the_task_renders_it(
    module, project_manager, company_a, django_capture_on_commit_callbacks
):
    from funding import tasks

    declare(company_a, project_manager)
    workshop = funding_schedule(company_a, module, project_manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sefex.workshop_mark_held(
            workshop=workshop, actor=project_manager, now=workshop.starts_at + timedelta(hours=5)
        )
    record = AidRecord.objects.get(workshop=workshop)
    assert not record.certificate_pdf
    assert callbacks  # the publish waits for the commit ...
    # ... and the promise is a row of the same transaction.
    assert Intent.objects.filter(name="funding.certificate_issue", args=[record.pk]).exists()
    assert tasks.certificate_issue.apply(args=[record.pk]).get() is True
    stored = bytes(AidRecord.objects.get(pk=record.pk).certificate_pdf)
    assert stored.startswith(b"%PDF")
    # Run twice (a redelivered task): the same document.
    tasks.certificate_issue.apply(args=[record.pk])
    assert bytes(AidRecord.objects.get(pk=record.pk).certificate_pdf) == stored
    assert tasks.certificate_issue.apply(args=[999999]).get() is False
    assert not Intent.objects.filter(name="funding.certificate_issue").exists()


def test_a_certificate_promised_while_the_broker_is_away_is_rendered_once_by_beat(
    module, project_manager, company_a, django_capture_on_commit_callbacks, broker
):
    declare(company_a, project_manager)
    workshop = funding_schedule(company_a, module, project_manager)
    with broker_away(celery_app), django_capture_on_commit_callbacks(execute=True):
        sefex.workshop_mark_held(
            workshop=workshop, actor=project_manager, now=workshop.starts_at + timedelta(hours=5)
        )
    record = AidRecord.objects.get(workshop=workshop)
    assert [name for name, *_ in broker.take()] == []  # nothing reached the broker
    assert not record.certificate_pdf

    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_due(now=timezone.now() + timedelta(minutes=3))
    assert broker.run_named("funding.") == ["funding.certificate_issue"]
    assert bytes(AidRecord.objects.get(pk=record.pk).certificate_pdf).startswith(b"%PDF")
    assert not Intent.objects.filter(name="funding.certificate_issue").exists()


def test_certificate_is_signed_by_the_agency_as_configured_not_a_fixed_place(record):
    from members.identity_services import identity_save
    from members.models import Agency, Cluster

    agency = Agency.objects.get(pk=1)
    agency.name = agency.sender_name = "Agentur Süd GmbH"
    agency.address = "Marktplatz 1, 71634 Ludwigsburg"
    agency.city = "Ludwigsburg"
    identity_save(instance=agency)
    # A cluster's own sender does not sign what the agency grants.
    cluster = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    cluster.sender_name = "Kunststoffcluster Heilbronn-Franken"
    identity_save(instance=cluster)
    text = pdf_text(funding.certificate_issue(record=record))
    issued = timezone.localdate(record.created_at).strftime("%d.%m.%Y")
    assert f"Ludwigsburg, {issued}" in text
    assert f"Heilbronn, {issued}" not in text
    assert "Agentur Süd GmbH · Marktplatz 1, 71634 Ludwigsburg" in text
    assert "Kunststoffcluster" not in text
