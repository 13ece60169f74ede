"""Funding evidence is kept as long as the law says, whatever deletes: de-minimis records and
certificates ten fiscal years from the grant, ERDF evidence five years from the end of the year
of the last payment to the project. After that a yearly list waits for a person to confirm."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import translation

from core.models import AuditEvent
from funding import regulations
from funding import services as funding
from funding.models import AidRecord, Declaration, ErdfProject, PriorAid, Regulation
from operations.models import RetentionReview
from operations.retention import RetentionProtected, deletion_check
from operations.review import retention_review_confirm, retention_review_create
from operations.tasks import retention_review
from privacy.erasure import contact_erase
from sefex.models import Workshop
from tests.funding.conftest import declare, future, held

from .data import funded_programme

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def aid(company_a, project_manager):
    regulations.ensure(Regulation)
    declare(company_a, project_manager)
    module = funded_programme().modules.get()
    workshop = held(
        company_a, module, project_manager, future(), participants=company_a.contacts.all()
    )
    record = AidRecord.objects.get(workshop=workshop)
    funding.certificate_issue(record=record)
    record.refresh_from_db()
    return record


def erdf_project(programme_id, name="EFRE-Projekt", **fields) -> ErdfProject:
    return ErdfProject.objects.create(
        name=name, period=ErdfProject.Period.P2021, programme_id=programme_id, **fields
    )


def _end_of_tenth_year(record) -> date:
    return date(record.grant_date.year + 10, 12, 31)


@contextmanager
def refused(exception=ProtectedError, **kwargs):
    """The refusal, in its own transaction as a caller's (it rolls back what was begun)."""
    with pytest.raises(exception, **kwargs) as caught, transaction.atomic():
        yield caught


def _on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN), tick=False
    )


def _everything(record):
    return (
        AidRecord.objects.filter(pk=record.pk).values().get(),
        list(Declaration.objects.values_list("pk", flat=True)),
        PriorAid.objects.count(),
        Workshop.objects.filter(pk=record.workshop_id).exists(),
    )


def test_staff_code_and_cascades_cannot_delete_a_record_or_certificate_in_its_ten_years(
    aid, company_a
):
    kept = _everything(aid)
    with translation.override("de"), refused(RetentionProtected) as caught:
        AidRecord.objects.filter(pk=aid.pk).delete()
    message = str(caught.value.args[0])
    assert f"bis {_end_of_tenth_year(aid):%d.%m.%Y}" in message
    assert "zehn Geschäftsjahre" in message and "2023/2831" in message
    with refused():
        aid.delete()
    with refused():
        Declaration.objects.filter(company=company_a).delete()  # the queryset skips .delete()
    with refused():
        company_a.delete()
    with refused():
        Workshop.objects.filter(pk=aid.workshop_id).delete()
    # The certificate is neither removed nor replaced.
    aid.certificate_pdf, aid.certificate_sha256 = None, ""
    with refused():
        aid.save()
    # Erasing the people (privacy) leaves every record as it was.
    for contact in company_a.contacts.all():
        contact_erase(contact=contact, actor=None, reason="Widerspruch")
    assert _everything(aid) == kept


def test_the_last_day_of_the_tenth_year_still_keeps_the_record(aid):
    with _on(_end_of_tenth_year(aid)), refused(RetentionProtected):
        AidRecord.objects.filter(pk=aid.pk).delete()


def test_erdf_evidence_is_kept_until_five_years_after_the_last_payment(aid):
    keeping = erdf_project(Workshop.objects.get(pk=aid.workshop_id).programme_id)
    after_deminimis = _end_of_tenth_year(aid) + timedelta(days=1)
    with _on(after_deminimis), translation.override("de"):
        # No last payment entered yet: kept, naming the ERDF rule.
        with refused(RetentionProtected, match="2021/1060"):
            AidRecord.objects.filter(pk=aid.pk).delete()
        # The held workshop itself is ERDF evidence (its aid record protects it as well).
        with pytest.raises(RetentionProtected, match="letzten Zahlung"):
            deletion_check(Workshop.objects.get(pk=aid.workshop_id))
        keeping.last_payment_on = date(after_deminimis.year, 3, 1)
        keeping.save()
        with refused(RetentionProtected, match=f"31.12.{after_deminimis.year + 5}"):
            AidRecord.objects.filter(pk=aid.pk).delete()


def test_a_yearly_list_waits_for_a_person_and_deletes_only_then(aid, agency_admin):
    erdf_project(
        Workshop.objects.get(pk=aid.workshop_id).programme_id,
        last_payment_on=date(aid.grant_date.year + 1, 6, 30),
    )
    with _on(_end_of_tenth_year(aid) - timedelta(days=300)):
        assert retention_review() == 0  # nothing is due yet

    next_year = date(aid.grant_date.year + 11, 1, 2)
    with _on(next_year):
        assert retention_review() == 3  # the aid record, its workshop, the declaration
        review = RetentionReview.objects.get(year=next_year.year)
        listed = {item.content_type.model for item in review.items.all()}
        assert listed == {"aidrecord", "workshop", "declaration"}
        assert AidRecord.objects.filter(pk=aid.pk).exists()  # listed, not deleted
        assert retention_review_create().items.count() == review.items.count()  # once each

        deleted = retention_review_confirm(review=review, actor=agency_admin)
    assert deleted == review.items.count()
    assert not AidRecord.objects.filter(pk=aid.pk).exists()
    assert not Workshop.objects.filter(pk=aid.workshop_id).exists()
    assert not Declaration.objects.exists() and not PriorAid.objects.exists()
    review.refresh_from_db()
    assert review.confirmed_by == agency_admin
    trail = AuditEvent.objects.filter(action="retention.deleted")
    assert trail.count() == deleted
    assert {event.actor_id for event in trail} == {agency_admin.pk}
