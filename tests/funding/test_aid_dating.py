"""De-minimis aid is granted at the binding booking (Reg. 2023/2831 Art. 3(3)): the record is
made and dated then, the ceiling is checked at that date (and again when the hours change), a
workshop that does not take place is a waiver, and the certificate comes when the workshop is
held, with the booking's date. Issued certificates are never rewritten."""

import hashlib
import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from funding import selectors
from funding import services as funding
from funding.audit import AidAction
from funding.models import AidRecord
from sefex import services as sefex
from sefex.models import Workshop

from .conftest import declare, future, schedule
from .test_certificate import pdf_text

TODAY = timezone.localdate


def _mark_held(workshop, manager):
    return sefex.workshop_mark_held(
        workshop=workshop, actor=manager, now=workshop.starts_at + timedelta(hours=5)
    )


def test_the_booking_grants_the_aid_with_its_value_and_date(
    client, module, project_manager, company_a
):
    declare(company_a, project_manager)
    workshop = schedule(company_a, module, project_manager, future(30))
    record = AidRecord.objects.get(workshop=workshop)
    assert (record.grant_date, record.value, record.held_on, record.number) == (
        TODAY(),
        Decimal("400.00"),
        None,
        "",
    )
    assert AuditEvent.objects.filter(action=AidAction.GRANTED, object_id=str(record.pk)).exists()
    # It counts against the ceiling from the booking on, once (no planned duplicate).
    rows = selectors.grant_rows([company_a.pk])
    assert [(r.day, r.amount, r.kind) for r in rows] == [(TODAY(), Decimal("400.00"), "record")]
    # No certificate before the workshop is held.
    client.force_login(project_manager)
    assert client.get(reverse("funding:certificate", args=[record.pk])).status_code == 404


def test_the_ceiling_is_checked_at_the_booking_date_not_the_workshop_day(
    module, project_manager, company_a
):
    """Prior aid of 299,800 granted three years before the booking, less two days: still in
    the window ending on the booking day (300,200 > 300,000), though out of the window ending
    on the workshop day a month later. The booking is refused."""
    granted = TODAY().replace(year=TODAY().year - 3) + timedelta(days=2)
    declare(company_a, project_manager, prior=[(granted, "299800.00")])
    workshop = sefex.workshop_request(actor=project_manager, company=company_a, module=module)
    with pytest.raises(ValidationError) as error:
        sefex.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(30),
        )
    assert error.value.code == "ceiling"
    assert not AidRecord.objects.exists()


def test_changed_hours_are_checked_against_the_ceiling_again(module, project_manager, company_a):
    declare(company_a, project_manager, prior=[(TODAY() - timedelta(days=10), "299500.00")])
    workshop = schedule(company_a, module, project_manager, future())  # 400: 299,900
    with pytest.raises(ValidationError):  # 6 h = 600: 300,100
        sefex.workshop_update(workshop=workshop, actor=project_manager, duration_hours=Decimal(6))
    record = AidRecord.objects.get(workshop=workshop)
    assert record.value == Decimal("400.00")
    workshop.refresh_from_db()
    sefex.workshop_update(workshop=workshop, actor=project_manager, duration_hours=Decimal(5))
    record.refresh_from_db()
    assert (record.value, record.hours, record.grant_date) == (Decimal("500.00"), 5, TODAY())
    assert AuditEvent.objects.filter(action=AidAction.CHANGED, object_id=str(record.pk)).exists()


def test_a_cancelled_workshop_is_a_waiver_never_deleted(module, project_manager, company_a):
    declare(company_a, project_manager)
    workshop = schedule(company_a, module, project_manager, future())
    sefex.workshop_cancel(workshop=workshop, actor=project_manager, reason="Krankheit")
    record = AidRecord.objects.get(workshop=workshop)
    assert (record.waived_on, record.waiver_reason) == (TODAY(), "Krankheit")
    assert not record.counts
    assert selectors.grant_rows([company_a.pk]) == []  # a waived aid counts no more
    assert AuditEvent.objects.filter(action=AidAction.WAIVED, object_id=str(record.pk)).exists()
    assert list(selectors.register_rows(TODAY(), TODAY())) == []


def test_the_certificate_is_issued_when_held_with_the_grant_date_of_the_booking(
    module, project_manager, company_a
):
    declare(company_a, project_manager)
    workshop = _mark_held(schedule(company_a, module, project_manager, future(10)), project_manager)
    record = AidRecord.objects.get(workshop=workshop)
    assert record.grant_date == TODAY() and record.held_on == workshop.held_on
    assert record.number == f"DM-{workshop.held_on.year}-0001"
    text = pdf_text(funding.certificate_issue(record=record))
    assert f"Tag der Gewährung (verbindliche {TODAY():%d.%m.%Y} Buchung)" in text  # two columns
    assert f"durchgeführt am {workshop.held_on:%d.%m.%Y}" in text


def test_an_issued_certificate_is_corrected_under_a_new_number(module, project_manager, company_a):
    declare(company_a, project_manager)
    workshop = _mark_held(schedule(company_a, module, project_manager, future(3)), project_manager)
    old = AidRecord.objects.get(workshop=workshop)
    issued = funding.certificate_issue(record=old)
    sefex.workshop_update(workshop=workshop, actor=project_manager, duration_hours=Decimal(3))
    old.refresh_from_db()
    assert old.superseded and bytes(old.certificate_pdf) == issued
    assert old.certificate_sha256 == hashlib.sha256(issued).hexdigest()
    assert old.value == Decimal("400.00")
    new = AidRecord.objects.get(workshop=workshop, superseded=False)
    assert new.corrects == old and new.number not in ("", old.number)
    assert (new.value, new.grant_date) == (Decimal("300.00"), old.grant_date)
    text = pdf_text(funding.certificate_issue(record=new))
    assert f"ersetzt die Bescheinigung Nr. {old.number}" in text and "300,00 EUR" in text
    # Only the correction counts against the ceiling.
    assert [r.amount for r in selectors.grant_rows([company_a.pk])] == [Decimal("300.00")]


def test_migration_dates_existing_records_at_the_booking_from_the_history(
    module, project_manager, company_a
):
    """Records made when the workshop was held move to the booking date of the workshop's
    history; one with an issued certificate keeps it and gets a numbered correction; a booked
    workshop without a record gets one dated at its booking."""
    migration = importlib.import_module("funding.migrations.0006_aid_dated_at_booking")
    declare(company_a, project_manager)
    plain = _mark_held(schedule(company_a, module, project_manager, future(2)), project_manager)
    issued = _mark_held(schedule(company_a, module, project_manager, future(4)), project_manager)
    booked = schedule(company_a, module, project_manager, future(6))
    # The state before: records dated on the day held, none for the booked workshop.
    certificate = funding.certificate_issue(record=AidRecord.objects.get(workshop=issued))
    for workshop in (plain, issued):
        AidRecord.objects.filter(workshop=workshop).update(
            grant_date=workshop.held_on, held_on=None
        )
    # Before the migration a booked workshop had no record; the retention guard (rightly) refuses
    # to delete one through the ORM, so the old state is written in SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AidRecord._meta.db_table} WHERE workshop_id = %s",  # noqa: S608
            [booked.pk],
        )
    old = AidRecord.objects.get(workshop=issued)
    booking_day = TODAY() - timedelta(days=20)
    for workshop in (plain, issued, booked):
        Workshop.history.filter(id=workshop.pk).update(
            history_date=timezone.now() - timedelta(days=20)
        )

    migration.date_records_at_booking(apps, None)

    record = AidRecord.objects.get(workshop=plain)
    assert (record.grant_date, record.held_on) == (booking_day, plain.held_on)
    old.refresh_from_db()
    assert old.superseded and old.grant_date == issued.held_on
    assert bytes(old.certificate_pdf) == certificate
    corrected = AidRecord.objects.get(workshop=issued, superseded=False)
    assert corrected.corrects == old and corrected.grant_date == booking_day
    assert corrected.number and corrected.number != old.number
    new = AidRecord.objects.get(workshop=booked)
    assert (new.grant_date, new.value, new.number) == (booking_day, Decimal("400.00"), "")
