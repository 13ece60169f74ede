"""De-minimis aid is granted at the binding booking (Reg. 2023/2831 Art. 3(3)), not on the day
the workshop is held. Existing records take the booking date from the workshop's history (the
first time it was saved as scheduled); a record without that history keeps its date.

A record whose certificate was already issued (stored PDF and SHA-256) is never rewritten: it is
marked superseded and a corrected record with a new number that refers to it carries the
booking date (its certificate is rendered when first asked for). Workshops booked but not yet
held get their record now, dated at their booking."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

CENT = Decimal("0.01")


def booking_dates(apps) -> dict[int, object]:
    History = apps.get_model("sefex", "HistoricalWorkshop")
    first: dict[int, object] = {}
    rows = History.objects.filter(state="scheduled").order_by("history_date")
    for workshop_id, when in rows.values_list("id", "history_date"):
        first.setdefault(workshop_id, timezone.localtime(when).date())
    return first


def regulation_at(Regulation, day):
    return (
        Regulation.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


def next_number(NumberSequence, year: int) -> str:
    sequence, _created = NumberSequence.objects.get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"DM-{year}-{sequence.last:04d}"


def date_records_at_booking(apps, schema_editor):
    AidRecord = apps.get_model("funding", "AidRecord")
    AidScheme = apps.get_model("funding", "AidScheme")
    NumberSequence = apps.get_model("funding", "NumberSequence")
    Regulation = apps.get_model("funding", "Regulation")
    Workshop = apps.get_model("sefex", "Workshop")
    booked = booking_dates(apps)
    for record in AidRecord.objects.select_related("workshop").order_by("pk"):
        record.held_on = record.workshop.held_on or record.grant_date
        record.save(update_fields=["held_on"])
        day = booked.get(record.workshop_id)
        if day is None or day == record.grant_date or day > record.held_on:
            continue
        regulation = regulation_at(Regulation, day)
        if regulation is None:
            continue  # no regulation applied on the booking day: the record stays as it was
        if not record.certificate_pdf:
            record.grant_date, record.regulation = day, regulation
            record.save(update_fields=["grant_date", "regulation"])
            continue
        old_pk = record.pk
        AidRecord.objects.filter(pk=old_pk).update(superseded=True)
        record.pk = None
        record.id = None
        record.number = next_number(NumberSequence, timezone.localdate().year)
        record.grant_date, record.regulation = day, regulation
        record.corrects_id = old_pk
        record.superseded = False
        record.certificate_pdf, record.certificate_sha256 = None, ""
        record.save(force_insert=True)
    # Booked, not yet held: the aid was granted at the booking.
    schemes = {s.programme_id: s for s in AidScheme.objects.filter(is_active=True)}
    pending = (
        Workshop.objects.filter(state="scheduled", programme_id__in=list(schemes))
        .exclude(pk__in=AidRecord.objects.values("workshop_id"))
        .select_related("programme", "module", "company")
    )
    for workshop in pending:
        day = booked.get(workshop.pk) or timezone.localdate(workshop.created_at)
        regulation = regulation_at(Regulation, day)
        if regulation is None:
            continue
        programme, company = workshop.programme, workshop.company
        hours = Decimal(workshop.duration_hours)
        gross = hours * programme.hourly_value
        contribution = min((hours * programme.company_contribution_per_hour).quantize(CENT), gross)
        sector = company.sectors.order_by("number").first()
        AidRecord.objects.create(
            workshop=workshop,
            company=company,
            regulation=regulation,
            grant_date=day,
            grantor=schemes[workshop.programme_id].grantor,
            instrument=schemes[workshop.programme_id].instrument,
            hours=hours,
            hourly_value=programme.hourly_value,
            contribution=contribution,
            value=max(gross - contribution, Decimal(0)).quantize(CENT),
            company_name=company.legal_name,
            company_address=", ".join(
                p
                for p in (company.street, " ".join(p for p in (company.postcode, company.city) if p))
                if p
            ),
            company_identifier=company.register_number or company.vat_id,
            nace_code=sector.wz2025 if sector else "",
            wz2008_code=sector.wz2008 if sector else "",
            module_name=workshop.module.name,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_aid_granted_at_booking"),
        ("sefex", "0002_no_double_booking"),
    ]

    operations = [migrations.RunPython(date_records_at_booking, migrations.RunPython.noop)]
