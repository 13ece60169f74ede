"""Demo data of the funding app: aid schemes for the SEFEX programmes, declarations before each
company's first workshop, control links taken from the members' linked holdings, and an aid
record for every held workshop. Idempotent: a second run finds everything and adds nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from members.identity import identity_for
from members.models import SmeHolding
from sefex.models import Programme, Workshop

from . import aid_services
from .models import AidRecord, AidScheme, ControlLink, Declaration, PriorAid

DEMO_LINKS_SINCE = date(2014, 1, 1)

HELD_STATES = (Workshop.State.HELD, Workshop.State.DOCUMENTED, Workshop.State.CLOSED)


@transaction.atomic
def seed_funding() -> dict:
    today = timezone.localdate()
    for programme in Programme.objects.all():
        AidScheme.objects.get_or_create(
            programme=programme, defaults={"grantor": identity_for().name}
        )
    for holding in SmeHolding.objects.filter(
        kind=SmeHolding.Kind.LINKED, other_company__isnull=False
    ).select_related("figures"):
        owner, other = holding.figures.company_id, holding.other_company_id
        pair = (owner, other) if holding.direction == SmeHolding.Direction.HOLDS else (other, owner)
        if not ControlLink.objects.filter(controlling_id__in=pair, controlled_id__in=pair).exists():
            ControlLink.objects.create(
                controlling_id=pair[0],
                controlled_id=pair[1],
                note="aus den KMU-Angaben",
                valid_from=DEMO_LINKS_SINCE,  # before every demo workshop
            )
    # A declaration before each company's first workshop, written directly: it describes the past.
    firsts = (
        Workshop.objects.filter(starts_at__isnull=False)
        .values("company_id")
        .annotate(first=Min("starts_at"))
    )
    declarations = 0
    for index, row in enumerate(firsts.order_by("company_id")):
        if Declaration.objects.filter(company_id=row["company_id"]).exists():
            continue
        first_day = timezone.localdate(row["first"])
        declared_on = min(first_day - timedelta(days=14), today)
        declaration = Declaration.objects.create(
            company_id=row["company_id"],
            declared_on=declared_on,
            signatory="Geschäftsführung",
            on_behalf=index % 2 == 1,
        )
        declarations += 1
        if index % 3 == 0:
            PriorAid.objects.create(
                declaration=declaration,
                grantor="L-Bank Baden-Württemberg",
                granted_on=declared_on - timedelta(days=200),
                amount=Decimal("12500.00"),
                legal_basis="Verordnung (EU) 2023/2831"
                if declared_on.year >= 2024
                else "Verordnung (EU) Nr. 1407/2013",
            )
    # Scheduled workshops ahead need a current declaration too.
    for company_id in (
        Workshop.objects.filter(state=Workshop.State.SCHEDULED)
        .values_list("company_id", flat=True)
        .distinct()
    ):
        if not Declaration.objects.filter(
            company_id=company_id, declared_on__gte=today - timedelta(days=300)
        ).exists():
            declared_on = today - timedelta(days=10)
            renewed = Declaration.objects.create(
                company_id=company_id, declared_on=declared_on, on_behalf=True
            )
            # It lists again the aid of the earlier one that still counts (nothing to confirm).
            PriorAid.objects.bulk_create(
                PriorAid(
                    declaration=renewed,
                    grantor=aid.grantor,
                    granted_on=aid.granted_on,
                    amount=aid.amount,
                    legal_basis=aid.legal_basis,
                )
                for aid in PriorAid.objects.filter(
                    declaration__company_id=company_id,
                    granted_on__gt=declared_on - timedelta(days=3 * 365),
                ).exclude(declaration=renewed)
            )
            declarations += 1
    before = AidRecord.objects.count()
    for workshop in (
        Workshop.objects.filter(state__in=HELD_STATES, held_on__isnull=False)
        .select_related("programme", "company", "module")
        .order_by("held_on", "pk")
    ):
        aid_services.aid_record_create(workshop=workshop)
    created = AidRecord.objects.count() - before
    return {
        "created": bool(created or declarations),
        "records": created,
        "declarations": declarations,
    }
