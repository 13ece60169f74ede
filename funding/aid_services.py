"""The de-minimis aid of a SEFEX workshop, from the booking to the certificate (see rules.py:
aid is granted at the binding booking).

SEFEX calls these through its hooks (registered in apps.py), inside its own transactions:
- `booking_check` before a booking, a move or other hours are written: no current declaration
  (first booking) or a value over the ceiling at the grant date refuses it and nothing is
  written. Companies of one single undertaking may book at the same time through different
  rows, so the check takes a transaction-scoped advisory lock on the group (PostgreSQL), and
  the second booking sees the first one's value.
- `aid_grant` once the booking is written: the aid record, dated at the booking; other hours
  later change its value (a certificate already issued is corrected, never rewritten).
- `aid_waive` when a booked workshop is cancelled: the aid is waived, the record stays.
- `aid_record_create` when the workshop is held: the certificate number, then the certificate.
"""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from members import wz
from members.models import Company
from outbox.intents import durable_on_commit
from sefex.models import Workshop

from . import rules, selectors
from .audit import AidAction
from .formatting import eur
from .models import AidRecord, NumberSequence
from .services import FundingError

ADVISORY_NAMESPACE = 7207  # first key of pg_advisory_xact_lock(int, int): "funding groups"
AID_FIELDS = ["number", "grant_date", "hours", "value", "held_on", "waived_on", "waiver_reason"]


def lock_group(group) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, min(group)])


def workshop_value(workshop: Workshop) -> Decimal:
    programme = workshop.programme
    return rules.aid_value(
        workshop.duration_hours, programme.hourly_value, programme.company_contribution_per_hour
    )


def current_record(workshop_id: int, *, lock: bool = False) -> AidRecord | None:
    records = AidRecord.objects.filter(workshop_id=workshop_id, superseded=False)
    if lock:
        records = records.select_for_update()
    return records.first()


def booking_check(*, workshop: Workshop, starts_at, ends_at, actor, today: date | None = None):
    """Refuses a booking without a current declaration or above the de-minimis ceiling at the
    grant date: today for a new booking, the booking's date for a move or other hours."""
    scheme = selectors.scheme_for(workshop.programme_id)
    if scheme is None:
        return  # this programme grants no de-minimis aid
    today = today or timezone.localdate()
    record = current_record(workshop.pk)
    granted = record is not None and record.waived_on is None
    day = record.grant_date if granted else today
    if not granted and (
        selectors.current_declaration(
            workshop.company_id, for_day=day, valid_days=scheme.declaration_valid_days, today=today
        )
        is None
    ):
        raise FundingError(
            _(
                "%(company)s has no current de-minimis declaration. Please record the "
                "declaration before booking the workshop."
            )
            % {"company": workshop.company},
            code="no_declaration",
        )
    if selectors.regulation_at(day) is None:
        # Fail closed: without a regulation there is no ceiling to check against.
        raise FundingError(
            _("No de-minimis regulation applies on %(day)s. Please ask the cluster management.")
            % {"day": day.strftime("%d.%m.%Y")},
            code="no_regulation",
        )
    group = selectors.group_of(workshop.company_id, on=day)
    lock_group(group)
    value = workshop_value(workshop)
    rows = selectors.grant_rows(group, exclude_workshop_id=workshop.pk)
    result = rules.assess(
        rules.Grant(day, value), selectors.as_grants(rows), selectors.regulation_rules()
    )
    if result.exceeds:
        raise FundingError(
            _(
                "This workshop (aid value %(value)s) would raise the de-minimis aid of the "
                "single undertaking to %(total)s in the period ending %(day)s, above the "
                "ceiling of %(ceiling)s (Regulation %(regulation)s). The booking was refused."
            )
            % {
                "value": eur(value),
                "total": eur(result.total),
                "day": result.day.strftime("%d.%m.%Y"),
                "ceiling": eur(result.ceiling),
                "regulation": result.rule.code,
            },
            code="ceiling",
        )


def next_number(year: int) -> str:
    NumberSequence.objects.bulk_create([NumberSequence(year=year)], ignore_conflicts=True)
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"DM-{year}-{sequence.last:04d}"


def company_snapshot(company: Company) -> dict:
    """The beneficiary as the certificate and the register state it: the company's WZ 2025 /
    NACE Rev. 2.1 class (never a sector's range; empty while the company has no code)."""
    address = ", ".join(
        p for p in (company.street, " ".join(p for p in (company.postcode, company.city) if p)) if p
    )
    return {
        "company_name": company.legal_name,
        "company_address": address,
        "company_identifier": company.register_number or company.vat_id,
        "nace_code": wz.class_of(company.wz2025),
        "wz2008_code": wz.class_of(company.wz2008),
    }


def _amounts(workshop: Workshop) -> dict:
    programme = workshop.programme
    hours = Decimal(workshop.duration_hours)
    contribution = (hours * programme.company_contribution_per_hour).quantize(rules.CENT)
    return {
        "hours": hours,
        "hourly_value": programme.hourly_value,
        "contribution": min(contribution, hours * programme.hourly_value),
        "value": workshop_value(workshop),
    }


def _record_new(workshop: Workshop, *, grant_date: date, actor, **extra) -> AidRecord | None:
    scheme = selectors.scheme_for(workshop.programme_id)
    regulation = selectors.regulation_at(grant_date)
    if scheme is None or regulation is None:
        return None
    record = AidRecord.objects.create(
        workshop=workshop,
        company=workshop.company,
        regulation=regulation,
        grant_date=grant_date,
        grantor=scheme.grantor,
        instrument=scheme.instrument,
        module_name=workshop.module.name,
        **_amounts(workshop),
        **company_snapshot(workshop.company),
        **extra,
    )
    audit.record(
        actor=actor,
        action=AidAction.GRANTED,
        obj=record,
        after=audit.values(record, AID_FIELDS),
    )
    return record


def _correct(record: AidRecord, *, actor, reason: str, **changes) -> AidRecord:
    """A new record with a new number that refers to the old one, which is superseded; the old
    certificate stays as it was issued."""
    AidRecord.objects.filter(pk=record.pk).update(superseded=True)
    old_pk = record.pk
    fields = {
        f.name: getattr(record, f.name)
        for f in AidRecord._meta.concrete_fields
        if f.name not in ("id", "created_at", "certificate_pdf", "certificate_sha256")
    }
    fields.update(changes, corrects_id=old_pk, superseded=False)
    fields.pop("corrects", None)
    if fields.get("held_on"):
        fields["number"] = next_number(timezone.localdate().year)
    corrected = AidRecord.objects.create(**fields)
    audit.record(
        actor=actor,
        action=AidAction.CORRECTED,
        obj=corrected,
        before=audit.values(record, AID_FIELDS),
        after=audit.values(corrected, AID_FIELDS),
        reason=reason,
    )
    if corrected.number:
        _promise_certificate(corrected.pk)
    return corrected


@transaction.atomic
def aid_grant(*, workshop: Workshop, actor=None, today: date | None = None) -> AidRecord | None:
    """The aid of a binding booking (the booking check ran before): a new record dated today,
    or, for a workshop already granted, the value of its new hours. Safe to call twice."""
    record = current_record(workshop.pk, lock=True)
    if record is None or record.waived_on is not None:
        if selectors.scheme_for(workshop.programme_id) is None:
            return None
        return _record_new(workshop, grant_date=today or timezone.localdate(), actor=actor)
    amounts = _amounts(workshop)
    if all(getattr(record, name) == value for name, value in amounts.items()):
        return record
    if record.certificate_pdf:
        return _correct(record, actor=actor, reason=_("Consulting hours changed"), **amounts)
    before = audit.values(record, AID_FIELDS)
    for name, value in amounts.items():
        setattr(record, name, value)
    record.save(update_fields=list(amounts))
    audit.record(
        actor=actor,
        action=AidAction.CHANGED,
        obj=record,
        before=before,
        after=audit.values(record, AID_FIELDS),
    )
    return record


@transaction.atomic
def aid_waive(*, workshop: Workshop, actor=None, reason: str = "") -> AidRecord | None:
    """A booked workshop that does not take place: the aid is waived, the record stays."""
    record = current_record(workshop.pk, lock=True)
    if record is None or record.waived_on is not None or record.held_on is not None:
        return record
    before = audit.values(record, AID_FIELDS)
    record.waived_on = timezone.localdate()
    record.waiver_reason = (reason or _("The workshop did not take place."))[:300]
    record.save(update_fields=["waived_on", "waiver_reason"])
    audit.record(
        actor=actor,
        action=AidAction.WAIVED,
        obj=record,
        before=before,
        after=audit.values(record, AID_FIELDS),
        reason=record.waiver_reason,
    )
    return record


@transaction.atomic
def aid_record_create(*, workshop: Workshop, actor=None) -> AidRecord | None:
    """The workshop was held: its aid record gets the certificate number and the certificate is
    queued, with the grant date of the booking. Safe to call twice. A workshop held without a
    record (booked before its programme granted aid) gets one dated at its booking."""
    if workshop.held_on is None:
        return None
    record = current_record(workshop.pk, lock=True)
    if record is None or record.waived_on is not None:
        booked = selectors.booking_date(workshop.pk)
        if booked is None or booked > workshop.held_on:
            booked = workshop.held_on  # no booking in the history before it was held
        record = _record_new(workshop, grant_date=booked, actor=actor)
        if record is None:
            return None
    if record.number:
        return record
    record.held_on = workshop.held_on
    record.number = next_number(workshop.held_on.year)
    record.participants = workshop.participants.count()
    record.save(update_fields=["held_on", "number", "participants"])
    _promise_certificate(record.pk)
    return record


def _promise_certificate(record_id: int) -> None:
    """The certificate is rendered by a worker after the commit; the promise is a row of the
    same transaction, so a broker outage delays it instead of losing it (outbox.intents)."""
    from .tasks import certificate_issue  # tasks import the services

    durable_on_commit(certificate_issue, record_id)


@transaction.atomic
def aid_record_participants_refresh(*, workshop_id: int) -> None:
    """Keeps the participant count in step while the project manager edits the participants.
    (Erasing a person removes no count: deletions send no m2m signal, see apps.py.)"""
    count = Workshop.participants.through.objects.filter(workshop_id=workshop_id).count()
    AidRecord.objects.filter(workshop_id=workshop_id, superseded=False).update(participants=count)
