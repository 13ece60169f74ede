"""ERDF figures of a period (the report of the funding pages): each enterprise counted once with
its size class at the date of its first support. The per-operation report is funding.erdf."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from forums.models import Forum, Registration
from members.models import SmeClass, SmeFigures

from .models import (
    AidRecord,
)

SIZE_KEYS = [SmeClass.MICRO, SmeClass.SMALL, SmeClass.MEDIUM, SmeClass.LARGE]
SIZE_LABELS = dict(SmeClass.choices)


def class_at(years: dict[int, str], on: date) -> str:
    """Same rule as members.selectors.sme_class_at, on figures read in bulk: the class of the
    last fiscal year closed before the day, else the earliest recorded year, else ""."""
    before = [y for y in years if y < on.year]
    if before:
        return years[max(before)]
    return years[min(years)] if years else ""


def erdf_report(start: date, end: date) -> dict:
    """ERDF figures for a period; each enterprise counted once with its size class at the date
    of its first support in the period. Four queries."""
    # Support is the workshop held (its aid was granted at the booking, maybe earlier).
    records = list(
        AidRecord.objects.filter(held_on__gte=start, held_on__lte=end, superseded=False)
        .order_by("held_on", "pk")
        .values(
            "pk",
            "number",
            "company_id",
            "company_name",
            "company_identifier",
            "grant_date",
            "held_on",
            "hours",
            "participants",
            "value",
            "workshop_id",
            "module_name",
        )
    )
    first: dict[int, dict] = {}
    for record in records:
        first.setdefault(record["company_id"], record)
    years: dict[int, dict[int, str]] = defaultdict(dict)
    for company_id, year, cls in SmeFigures.objects.filter(company_id__in=list(first)).values_list(
        "company_id", "fiscal_year", "sme_class"
    ):
        years[company_id][year] = cls
    enterprises = []
    for company_id, record in first.items():
        enterprises.append(
            {
                "company_id": company_id,
                "name": record["company_name"],
                "identifier": record["company_identifier"],
                "first_support": record["held_on"],
                "size_class": class_at(years[company_id], record["held_on"]),
                "size_label": SIZE_LABELS.get(class_at(years[company_id], record["held_on"]), ""),
                "workshops": [r for r in records if r["company_id"] == company_id],
            }
        )
    enterprises.sort(key=lambda e: e["name"])
    by_class = {key.value: 0 for key in SIZE_KEYS}
    unknown = 0
    for enterprise in enterprises:
        if enterprise["size_class"] in by_class:
            by_class[enterprise["size_class"]] += 1
        else:
            unknown += 1
    forums = list(
        Forum.objects.filter(
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .annotate(
            attended=Count(
                "registrations", filter=Q(registrations__state=Registration.State.ATTENDED)
            )
        )
        .filter(attended__gt=0)
        .order_by("starts_at")
        .values("pk", "title", "starts_at", "attended")
    )
    return {
        "start": start,
        "end": end,
        "records": records,
        "enterprises": enterprises,
        "supported": len(enterprises),
        "by_class": by_class,
        "unknown_class": unknown,
        "workshops": len(records),
        "hours": sum((r["hours"] for r in records), Decimal(0)),
        "workshop_participants": sum(r["participants"] for r in records),
        "aid_value": sum((r["value"] for r in records), Decimal(0)),
        "forums": forums,
        "forum_participants": sum(f["attended"] for f in forums),
    }


# Figures a report row can drill into, with the kind of evidence each shows.
FIGURES = {
    "supported": "enterprises",
    "micro": "enterprises",
    "small": "enterprises",
    "medium": "enterprises",
    "large": "enterprises",
    "unknown": "enterprises",
    "workshops": "workshops",
    "hours": "workshops",
    "workshop_participants": "workshops",
    "forum_participants": "forums",
}


def erdf_evidence(report: dict, figure: str) -> list:
    kind = FIGURES[figure]
    if kind == "workshops":
        return report["records"]
    if kind == "forums":
        return report["forums"]
    if figure == "supported":
        return report["enterprises"]
    if figure == "unknown":
        return [e for e in report["enterprises"] if e["size_class"] not in report["by_class"]]
    return [e for e in report["enterprises"] if e["size_class"] == figure]
