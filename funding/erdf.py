"""The ERDF report of one funded operation (reads only; four queries whatever the rows).

Every enterprise the operation supported counts, once per operation (Reg. 2021/1060 Annex I
and Reg. 1301/2013 Annex I: an enterprise is counted once per indicator whatever the number of
measures): SEFEX workshops held (with or without a de-minimis record) of the project's programme
and, where the managing authority lets attendance count, attendance at the project's forums.
A period's report lists the enterprises first supported in that period, each with its size
class at the date of that first support. One enterprise is one register number or VAT id (two
directory rows with the same identifier are one enterprise).

Indicators of the programme period: 2014-2020 CO01 (enterprises receiving support) and CO04
(receiving non-financial support); 2021-2027 RCO01 (by micro, small, medium, large) and RCO04.
All the measures here are non-financial (advice, workshops, network events), yet each indicator
is computed from its own set of measures, so a financial measure added later counts only in
CO01/RCO01.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Registration
from members.models import Company, SmeClass, SmeFigures
from sefex.models import Workshop

from .models import ErdfProject

HELD_STATES = (Workshop.State.HELD, Workshop.State.DOCUMENTED, Workshop.State.CLOSED)
SIZE_KEYS = [SmeClass.MICRO, SmeClass.SMALL, SmeClass.MEDIUM, SmeClass.LARGE]
WORKSHOP, FORUM = "workshop", "forum"
NON_FINANCIAL = {WORKSHOP, FORUM}
INDICATORS = {
    ErdfProject.Period.P2014: ("CO01", "CO04"),
    ErdfProject.Period.P2021: ("RCO01", "RCO04"),
}


@dataclass(frozen=True)
class Measure:
    company_id: int
    day: date
    kind: str  # WORKSHOP or FORUM
    label: str


@dataclass
class Enterprise:
    key: str
    name: str
    register_number: str
    vat_id: str
    measures: list = field(default_factory=list)
    size_class: str = ""
    size_source: str = ""

    @property
    def first_support(self) -> date:
        return self.measures[0].day

    @property
    def non_financial(self) -> bool:
        return any(m.kind in NON_FINANCIAL for m in self.measures)


def _measures(project: ErdfProject) -> list[Measure]:
    measures = []
    if project.programme_id:
        for row in Workshop.objects.filter(
            programme_id=project.programme_id, state__in=HELD_STATES, held_on__isnull=False
        ).values("company_id", "held_on", "module__name"):
            label = _("Workshop: %(module)s") % {"module": row["module__name"]}
            measures.append(Measure(row["company_id"], row["held_on"], WORKSHOP, str(label)))
    if project.forums_count:
        for row in Registration.objects.filter(
            forum__erdf_projects=project, state=Registration.State.ATTENDED
        ).values("company_id", "forum__starts_at", "forum__title"):
            label = _("Forum: %(title)s") % {"title": row["forum__title"]}
            day = timezone.localdate(row["forum__starts_at"])
            measures.append(Measure(row["company_id"], day, FORUM, str(label)))
    return sorted(measures, key=lambda m: (m.day, m.kind, m.label))


def _key(company: dict) -> str:
    """One enterprise per register number or VAT id; else per directory row."""
    register = " ".join(company["register_number"].upper().split())
    if register:
        return f"register:{register}"
    if company["vat_id"]:
        return f"vat:{company['vat_id'].upper()}"
    return f"company:{company['pk']}"


def class_at(years: dict[int, str], on: date) -> tuple[str, int | None]:
    """The class of the last fiscal year closed before the day, else the earliest recorded
    year; with the year it came from."""
    before = [y for y in years if y < on.year]
    year = max(before) if before else (min(years) if years else None)
    return (years[year], year) if year is not None else ("", None)


def report(project: ErdfProject, start: date, end: date) -> dict:
    measures = _measures(project)
    ids = {m.company_id for m in measures}
    companies = {
        c["pk"]: c
        for c in Company.objects.filter(pk__in=ids).values(
            "pk", "legal_name", "register_number", "vat_id"
        )
    }
    enterprises: dict[str, Enterprise] = {}
    for measure in measures:  # oldest first: the first measure is the first support
        company = companies[measure.company_id]
        key = _key(company)
        enterprise = enterprises.setdefault(
            key,
            Enterprise(key, company["legal_name"], company["register_number"], company["vat_id"]),
        )
        enterprise.measures.append(measure)
    supported = [e for e in enterprises.values() if start <= e.first_support <= end]
    first_companies = {e.measures[0].company_id for e in supported}
    years: dict[int, dict[int, str]] = defaultdict(dict)
    for company_id, year, cls in SmeFigures.objects.filter(
        Q(company_id__in=first_companies)
    ).values_list("company_id", "fiscal_year", "sme_class"):
        years[company_id][year] = cls
    for enterprise in supported:
        cls, year = class_at(years[enterprise.measures[0].company_id], enterprise.first_support)
        enterprise.size_class = cls
        enterprise.size_source = (
            str(_("SME figures of %(year)s") % {"year": year}) if year else str(_("no figures"))
        )
    supported.sort(key=lambda e: (e.name.casefold(), e.key))
    total_code, non_financial_code = INDICATORS[project.period]
    by_class = {key.value: 0 for key in SIZE_KEYS}
    unknown = 0
    for enterprise in supported:
        if enterprise.size_class in by_class:
            by_class[enterprise.size_class] += 1
        else:
            unknown += 1
    labels = dict(SmeClass.choices)
    rows = [(total_code, _("Enterprises supported"), len(supported))]
    rows += [(total_code, labels[k], by_class[k]) for k in by_class]
    rows.append((total_code, _("size class not known"), unknown))
    rows.append(
        (
            non_financial_code,
            _("Enterprises receiving non-financial support"),
            sum(1 for e in supported if e.non_financial),
        )
    )
    return {
        "project": project,
        "start": start,
        "end": end,
        "enterprises": supported,
        "indicators": rows,
        "size_labels": labels,
    }


def project_of_forum(forum) -> ErdfProject | None:
    """The funded project a forum is part of (for its emblem and statement)."""
    return ErdfProject.objects.filter(forums=forum).order_by("pk").first()


def project_of_programme(programme_id: int | None) -> ErdfProject | None:
    """The funded project whose SEFEX programme this is."""
    if programme_id is None:
        return None
    return ErdfProject.objects.filter(programme_id=programme_id).order_by("pk").first()
