"""Read queries of the funding app: the single undertaking, the aid in its windows, the ledger,
the register and the ERDF figures. Each runs a fixed number of queries, whatever the rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from members.models import Company
from sefex.models import Workshop

from . import rules
from .erdf_period import (  # noqa: F401 - the ERDF period report is read through selectors
    FIGURES,
    SIZE_KEYS,
    SIZE_LABELS,
    class_at,
    erdf_evidence,
    erdf_report,
)
from .models import (
    AidRecord,
    AidScheme,
    ControlLink,
    Declaration,
    DeclarationConfirmation,
    PriorAid,
    Regulation,
)


def regulation_rules() -> list[rules.Rule]:
    return [
        rules.Rule(r.code, r.ceiling, r.window, r.valid_from, r.valid_until)
        for r in Regulation.objects.order_by("-valid_from")
    ]


def regulation_at(day: date) -> Regulation | None:
    return (
        Regulation.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


def links_active_on(day: date):
    """The control links in force on a day (begun, not yet ended)."""
    return ControlLink.objects.filter(valid_from__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def all_groups(company_ids=(), *, on: date | None = None) -> dict[int, frozenset]:
    """Every single undertaking on a day, today by default (one query over the control
    links)."""
    links = links_active_on(on or timezone.localdate()).values_list(
        "controlling_id", "controlled_id"
    )
    return rules.groups(company_ids, links)


def group_of(company_id: int, *, on: date | None = None) -> frozenset:
    return all_groups([company_id], on=on)[company_id]


def scheme_for(programme_id: int) -> AidScheme | None:
    return AidScheme.objects.filter(programme_id=programme_id, is_active=True).first()


def current_declaration(
    company_id: int, *, for_day: date, valid_days: int, today: date | None = None
) -> Declaration | None:
    """The company's latest declaration, if it was made at most `valid_days` before the workshop
    day and is not dated in the future."""
    today = today or timezone.localdate()
    return (
        Declaration.objects.filter(
            company_id=company_id,
            declared_on__lte=today,
            declared_on__gte=for_day - timedelta(days=valid_days),
        )
        .order_by("-declared_on", "-pk")
        .first()
    )


def _with_flags(queryset):
    return queryset.annotate(
        confirmed=Exists(DeclarationConfirmation.objects.filter(declaration_id=OuterRef("pk")))
    ).order_by("company_id", "declared_on", "pk")


def _states_of(declarations) -> dict[int, str]:
    """{declaration id: state} for declarations ordered by company, then oldest first."""
    by_company: dict[int, list] = defaultdict(list)
    for declaration in declarations:
        by_company[declaration.company_id].append(declaration)
    states = {}
    for rows in by_company.values():
        flags = [(d.needs_confirmation, d.confirmed) for d in rows]
        states.update(zip((d.pk for d in rows), rules.declaration_states(flags), strict=True))
    return states


def declaration_states(company_id: int) -> dict[int, str]:
    """The state of each of a company's declarations (rules.IN_FORCE, PENDING, SUPERSEDED)."""
    return _states_of(_with_flags(Declaration.objects.filter(company_id=company_id)))


def declaration_in_force(company_id: int) -> Declaration | None:
    states = declaration_states(company_id)
    in_force = [pk for pk, state in states.items() if state == rules.IN_FORCE]
    return Declaration.objects.get(pk=in_force[0]) if in_force else None


def declared_aid(declaration: Declaration) -> list[rules.DeclaredAid]:
    return [
        rules.DeclaredAid(a.grantor, a.granted_on, a.amount)
        for a in declaration.prior_aid.order_by("granted_on", "pk")
    ]


def counted_declarations(company_ids) -> list[int]:
    """The declarations whose prior aid the ceiling counts: per company the one in force and
    any newer one waiting for confirmation. One query."""
    declarations = _with_flags(
        Declaration.objects.filter(company_id__in=list(company_ids)).only(
            "pk", "company_id", "needs_confirmation"
        )
    )
    return [
        pk
        for pk, state in _states_of(declarations).items()
        if state in (rules.IN_FORCE, rules.PENDING)
    ]


def pending_declarations() -> list[Declaration]:
    """Declarations waiting for a project manager's confirmation, oldest first (two queries)."""
    waiting = Declaration.objects.filter(
        needs_confirmation=True, confirmation__isnull=True
    ).values_list("company_id", flat=True)
    declarations = list(
        _with_flags(Declaration.objects.filter(company_id__in=waiting)).select_related("company")
    )
    states = _states_of(declarations)
    return sorted(
        (d for d in declarations if states[d.pk] == rules.PENDING),
        key=lambda d: (d.created_at, d.pk),
    )


@dataclass
class GrantRow:
    """One amount counted against the ceiling, with where it comes from (for the pages)."""

    company_id: int
    day: date
    amount: Decimal
    kind: str  # "record", "planned" or "declared"
    label: str
    workshop_id: int | None = None


def grant_rows(company_ids, *, exclude_workshop_id: int | None = None) -> list[GrantRow]:
    """Aid of these companies: our records, our booked but not yet held workshops (planned at
    their value) and the prior aid each company declared (the declaration in force and any
    newer one waiting for confirmation, the same aid once). Four queries."""
    ids = list(company_ids)
    records = AidRecord.objects.filter(company_id__in=ids, superseded=False, waived_on__isnull=True)
    if exclude_workshop_id:
        records = records.exclude(workshop_id=exclude_workshop_id)
    rows = [
        GrantRow(
            r["company_id"], r["grant_date"], r["value"], "record", r["number"], r["workshop_id"]
        )
        for r in records.values("company_id", "grant_date", "value", "number", "workshop_id")
    ]
    # Booked before their programme granted aid (no record yet): counted at their day.
    planned = Workshop.objects.filter(
        company_id__in=ids,
        state=Workshop.State.SCHEDULED,
        programme__aid_scheme__is_active=True,
        aid_records__isnull=True,
    )
    if exclude_workshop_id:
        planned = planned.exclude(pk=exclude_workshop_id)
    for w in planned.values(
        "pk",
        "company_id",
        "starts_at",
        "duration_hours",
        "programme__hourly_value",
        "programme__company_contribution_per_hour",
    ):
        rows.append(
            GrantRow(
                w["company_id"],
                timezone.localdate(w["starts_at"]),
                rules.aid_value(
                    w["duration_hours"],
                    w["programme__hourly_value"],
                    w["programme__company_contribution_per_hour"],
                ),
                "planned",
                "",
                w["pk"],
            )
        )
    declared = defaultdict(list)
    for aid in (
        PriorAid.objects.filter(declaration__in=counted_declarations(ids))
        .order_by("declaration__declared_on", "declaration_id", "granted_on", "pk")
        .values("declaration__company_id", "granted_on", "amount", "grantor")
    ):
        declared[aid["declaration__company_id"]].append(
            rules.DeclaredAid(aid["grantor"], aid["granted_on"], aid["amount"])
        )
    for company_id, aid in declared.items():
        rows += [
            GrantRow(company_id, a.granted_on, a.amount, "declared", a.grantor)
            for a in rules.counted_aid(aid)
        ]
    return rows


def as_grants(rows) -> list[rules.Grant]:
    return [rules.Grant(r.day, r.amount) for r in rows]


@dataclass
class GroupStatus:
    company_ids: frozenset
    companies: list = field(default_factory=list)
    assessment: rules.Assessment | None = None
    rows: list = field(default_factory=list)


def group_status(company_id: int, *, today: date | None = None) -> GroupStatus:
    """The single undertaking of a company and where it stands today (planned aid included)."""
    today = today or timezone.localdate()
    ids = group_of(company_id)
    rows = grant_rows(ids)
    status = GroupStatus(ids, list(Company.objects.filter(pk__in=ids).order_by("legal_name")))
    status.rows = sorted(rows, key=lambda r: (r.day, r.company_id))
    status.assessment = rules.assess(
        rules.Grant(today, Decimal(0)), as_grants(rows), regulation_rules()
    )
    return status


def headroom(
    company_id: int,
    *,
    today: date | None = None,
    new_value: Decimal = Decimal(0),
    exclude_workshop_id: int | None = None,
) -> rules.Assessment:
    """The single undertaking's de-minimis aid in today's three-year window (planned workshops
    included), against the ceiling, with `new_value` added as granted today.

    Sums only, nothing per company: this is what a company user may see of its group. Six
    queries (links, records, planned workshops, declarations, prior aid, regulations).
    """
    today = today or timezone.localdate()
    rows = grant_rows(group_of(company_id), exclude_workshop_id=exclude_workshop_id)
    return rules.assess(rules.Grant(today, new_value), as_grants(rows), regulation_rules())


@dataclass(frozen=True)
class WorkshopAid:
    """A workshop under review: its aid value and the group's room before and after it."""

    offer: "AidOffer"
    before: rules.Assessment
    after: rules.Assessment
    declaration: Declaration | None


def workshop_aid(workshop: Workshop, *, today: date | None = None) -> WorkshopAid | None:
    """For the project manager judging a request: None if the programme grants no de-minimis
    aid. Eight queries."""
    today = today or timezone.localdate()
    scheme = scheme_for(workshop.programme_id)
    if scheme is None:
        return None
    offer = AidOffer.of(workshop.programme, workshop.duration_hours, scheme)
    grants = as_grants(grant_rows(group_of(workshop.company_id), exclude_workshop_id=workshop.pk))
    regulations = regulation_rules()
    return WorkshopAid(
        offer,
        rules.assess(rules.Grant(today, Decimal(0)), grants, regulations),
        rules.assess(rules.Grant(today, offer.value), grants, regulations),
        current_declaration(
            workshop.company_id, for_day=today, valid_days=scheme.declaration_valid_days
        ),
    )


@dataclass(frozen=True)
class AidOffer:
    """What one workshop of a programme is worth as de-minimis aid, and how that is computed."""

    programme_name: str
    hours: Decimal
    hourly_value: Decimal
    contribution_per_hour: Decimal
    value: Decimal
    declaration_valid_days: int

    @classmethod
    def of(cls, programme, hours: Decimal, scheme: AidScheme) -> "AidOffer":
        return cls(
            programme.name,
            hours,
            programme.hourly_value,
            programme.company_contribution_per_hour,
            rules.aid_value(hours, programme.hourly_value, programme.company_contribution_per_hour),
            scheme.declaration_valid_days,
        )


def aid_offers() -> list[AidOffer]:
    """Per active programme that grants de-minimis aid: a workshop of its usual length (one
    query)."""
    return [
        AidOffer.of(scheme.programme, scheme.programme.default_duration_hours, scheme)
        for scheme in AidScheme.objects.filter(is_active=True, programme__is_active=True)
        .select_related("programme")
        .order_by("programme__name")
    ]


def company_aid_outlook(company_id: int, *, today: date | None = None) -> dict:
    """What a company sees before it requests a workshop: the aid value of a workshop per
    programme, its single undertaking's room (sums only) and whether its declaration is
    current. Eight queries."""
    today = today or timezone.localdate()
    offers = aid_offers()
    declaration = None
    if offers:
        declaration = current_declaration(
            company_id,
            for_day=today,
            valid_days=max(o.declaration_valid_days for o in offers),
            today=today,
        )
    return {
        "offers": offers,
        "headroom": headroom(company_id, today=today),
        "declaration": declaration,
    }


def ledger(*, today: date | None = None) -> list[GroupStatus]:
    """Every single undertaking with aid, a declaration or a control link, and its status.

    A fixed number of queries: links, records, planned workshops, declarations, prior aid,
    companies, regulations.
    """
    today = today or timezone.localdate()
    involved = (
        set(AidRecord.objects.values_list("company_id", flat=True))
        | set(Declaration.objects.values_list("company_id", flat=True))
        | set(
            Workshop.objects.filter(
                state=Workshop.State.SCHEDULED, programme__aid_scheme__is_active=True
            ).values_list("company_id", flat=True)
        )
    )
    groups = all_groups(involved)
    every = set(groups)
    rows_by_company = defaultdict(list)
    for row in grant_rows(every):
        rows_by_company[row.company_id].append(row)
    names = dict(Company.objects.filter(pk__in=every).values_list("pk", "legal_name"))
    regs = regulation_rules()
    result, seen = [], set()
    for company_id in sorted(every, key=lambda pk: names.get(pk, "")):
        group = groups[company_id]
        if group in seen:
            continue
        seen.add(group)
        rows = [r for pk in group for r in rows_by_company[pk]]
        status = GroupStatus(group, sorted((names[pk], pk) for pk in group if pk in names))
        status.assessment = rules.assess(rules.Grant(today, Decimal(0)), as_grants(rows), regs)
        status.rows = rows
        result.append(status)
    return result


def company_records(company_id: int):
    """Every record of the company, waived and superseded ones included (they are evidence)."""
    return AidRecord.objects.filter(company_id=company_id).select_related("regulation", "corrects")


def company_declarations(company_id: int) -> list[Declaration]:
    """Every declaration of the company, newest first, superseded ones included; each with its
    `state`, and for one waiting for confirmation the aid it `left_out` of the one in force."""
    declarations = list(
        _with_flags(Declaration.objects.filter(company_id=company_id))
        .select_related("recorded_by", "confirmation__confirmed_by")
        .prefetch_related("prior_aid")
    )
    states = _states_of(declarations)
    in_force = next((d for d in declarations if states[d.pk] == rules.IN_FORCE), None)
    for declaration in declarations:
        declaration.state = states[declaration.pk]
        declaration.left_out = []
        if declaration.state == rules.PENDING and in_force is not None:
            declaration.left_out = rules.left_out(
                _aid_of(in_force), _aid_of(declaration), declaration.declared_on
            )
    declarations.reverse()
    return declarations


def _aid_of(declaration: Declaration) -> list[rules.DeclaredAid]:
    """From the prefetched rows (no query)."""
    return [
        rules.DeclaredAid(a.grantor, a.granted_on, a.amount) for a in declaration.prior_aid.all()
    ]


def company_links(company_ids):
    """The control links of these companies, ended ones included (current first)."""
    return (
        ControlLink.objects.filter(
            Q(controlling_id__in=company_ids) | Q(controlled_id__in=company_ids)
        )
        .select_related("controlling", "controlled", "ended_by")
        .order_by(F("ended_on").desc(nulls_first=True), "-valid_from", "pk")
    )


def booking_date(workshop_id: int) -> date | None:
    """The day the workshop was first booked (saved as scheduled), from its history."""
    first = (
        Workshop.history.filter(id=workshop_id, state=Workshop.State.SCHEDULED)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def register_rows(start: date, end: date):
    """The central register's fields for every aid granted in the period (grant date order):
    neither waived nor replaced by a correction."""
    return (
        AidRecord.objects.filter(
            grant_date__gte=start, grant_date__lte=end, superseded=False, waived_on__isnull=True
        )
        .select_related("regulation")
        .order_by("grant_date", "number")
    )
