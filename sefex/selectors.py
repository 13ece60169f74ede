"""Read queries of the SEFEX app; list pages use these so their query count stays fixed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Min, Prefetch, Q, Sum
from django.utils import timezone

from . import workdays
from .models import (
    ActionItem,
    AvailabilityException,
    AvailabilityRule,
    MaturityAssessment,
    Programme,
    ProposedSlot,
    Workshop,
)

BERLIN = ZoneInfo("Europe/Berlin")
State = Workshop.State
MINUTES_STATES = Workshop.MINUTES_STATES


def request_queue():
    """Requests and workshops waiting for the company's choice, oldest first."""
    return (
        Workshop.objects.filter(state__in=Workshop.OPEN_STATES)
        .select_related("company", "module", "requested_by", "project_manager")
        .prefetch_related(Prefetch("slots", queryset=ProposedSlot.objects.order_by("starts_at")))
        .order_by("created_at")
    )


def workshops(*, state: str = "", company=None):
    queryset = Workshop.objects.select_related("company", "module", "project_manager")
    if state:
        queryset = queryset.filter(state=state)
    if company is not None:
        queryset = queryset.filter(company=company)
    return queryset.order_by("-starts_at", "-created_at")


def workshop_detail(pk: int):
    return (
        Workshop.objects.filter(pk=pk)
        .select_related(
            "company", "module", "programme", "project_manager", "requested_by", "assessment"
        )
        .prefetch_related(
            "participants",
            "consultants",
            Prefetch("slots", queryset=ProposedSlot.objects.order_by("starts_at")),
            "findings__module",
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
            "attachments",
        )
    )


def company_workshops(company):
    """A company's workshops with module and assessment (portal and company page)."""
    return (
        Workshop.objects.filter(company=company)
        .select_related("module", "project_manager", "assessment")
        .prefetch_related(Prefetch("slots", queryset=ProposedSlot.objects.order_by("starts_at")))
        .order_by("-starts_at", "-created_at")
    )


def company_history(workshop: Workshop, *, limit: int = 20):
    """The company's other workshops, newest first: what the project manager weighs when judging
    a request."""
    return (
        Workshop.objects.filter(company_id=workshop.company_id)
        .exclude(pk=workshop.pk)
        .select_related("module", "programme")
        .order_by("-starts_at", "-created_at")[:limit]
    )


def company_action_items(company):
    """Action items from the minutes the company can see (documented or closed workshops)."""
    return (
        ActionItem.objects.filter(workshop__company=company, workshop__state__in=MINUTES_STATES)
        .select_related("owner", "workshop__module")
        .order_by("state", "due_on", "pk")
    )


# --- what to act on (start page, cockpit) -------------------------------------------------


def overdue_q(today: date) -> Q:
    """Open action items past their due date that someone can still act on: agreed in minutes
    the company has (released), in a programme that is still running. Items of a programme
    that ended years ago are history, not work."""
    return Q(
        state=ActionItem.State.OPEN,
        due_on__lt=today,
        workshop__state__in=MINUTES_STATES,
        workshop__programme__is_active=True,
    )


# What waits for the project management, by workshop state.
MANAGER_QUEUE_STATES = (State.REQUESTED, State.SLOTS_PROPOSED, State.HELD)


def manager_queue() -> dict[str, list[Workshop]]:
    """Requests to answer, proposals the company has not answered yet and held workshops whose
    minutes are not released, oldest first (one query)."""
    queue = {state: [] for state in MANAGER_QUEUE_STATES}
    for workshop in (
        Workshop.objects.filter(state__in=MANAGER_QUEUE_STATES)
        .select_related("company", "module")
        .annotate(first_slot=Min("slots__starts_at"), last_slot=Max("slots__starts_at"))
        .order_by("held_on", "created_at", "pk")
    ):
        queue[workshop.state].append(workshop)
    return queue


def company_next_workshops(company, *, now: datetime | None = None, limit: int = 5):
    """The company's workshops still ahead: booked ones, proposals to choose from, requests
    waiting for dates; the soonest first (one query)."""
    now = now or timezone.now()
    return list(
        Workshop.objects.filter(company=company)
        .filter(Q(state=State.SCHEDULED, starts_at__gte=now) | Q(state__in=Workshop.OPEN_STATES))
        .select_related("module")
        .annotate(first_slot=Min("slots__starts_at"))
        .order_by(F("starts_at").asc(nulls_last=True), "created_at")[:limit]
    )


def company_open_action_items(company, *, limit: int = 10):
    """Open items from the company's released minutes, the first due first (one query)."""
    return list(
        company_action_items(company)
        .filter(state=ActionItem.State.OPEN)
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )


# --- the maturity chart ------------------------------------------------------------------


@dataclass
class ChartSeries:
    key: str
    label: str
    color: str
    points: str  # SVG polyline points
    dots: list


COLORS = ["#0d47a1", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828"]
CHART_W, CHART_H, PAD = 520, 220, 36


def maturity_chart(company, *, released_only: bool) -> dict | None:
    """Scores of the company's assessed workshops in date order, laid out as an inline SVG.

    `released_only`: only workshops whose minutes are released (what the company may see).
    """
    queryset = MaturityAssessment.objects.filter(workshop__company=company).exclude(
        workshop__state=State.CANCELLED
    )
    if released_only:
        queryset = queryset.filter(workshop__state__in=MINUTES_STATES)
    assessments = list(
        queryset.select_related("workshop__module").order_by("workshop__starts_at", "pk")
    )
    if not assessments:
        return None
    n = len(assessments)
    step = (CHART_W - 2 * PAD) / max(n - 1, 1)

    def x(i):
        return round(PAD + (i * step if n > 1 else (CHART_W - 2 * PAD) / 2), 1)

    def y(score):
        return round(CHART_H - PAD - (score - 1) * (CHART_H - 2 * PAD) / 4, 1)

    series = []
    for index, name in enumerate(MaturityAssessment.DIMENSIONS):
        label = MaturityAssessment._meta.get_field(name).verbose_name
        dots = [(x(i), y(getattr(a, name)), getattr(a, name)) for i, a in enumerate(assessments)]
        series.append(
            ChartSeries(
                name, label, COLORS[index], " ".join(f"{px},{py}" for px, py, _ in dots), dots
            )
        )
    columns = [
        {
            "x": x(i),
            "label": timezone.localtime(a.workshop.starts_at).strftime("%m/%Y")
            if a.workshop.starts_at
            else "",
            "module": a.workshop.module.name,
        }
        for i, a in enumerate(assessments)
    ]
    grid = [{"y": y(score), "score": score} for score in range(1, 6)]
    latest = assessments[-1]
    return {
        "width": CHART_W,
        "height": CHART_H,
        "pad": PAD,
        "series": series,
        "columns": columns,
        "grid": grid,
        "assessments": assessments,
        "latest": latest,
        "latest_scores": [(s.label, getattr(latest, s.key)) for s in series],
    }


# --- calendar ----------------------------------------------------------------------------


def calendar_range(view: str, day: date) -> tuple[date, date]:
    """Monday..Sunday of the week, or the full weeks covering the month."""
    if view == "month":
        first = day.replace(day=1)
        start = first - timedelta(days=first.weekday())
        next_month = (first + timedelta(days=32)).replace(day=1)
        last = next_month - timedelta(days=1)
        end = last + timedelta(days=6 - last.weekday())
        return start, end
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _aware(day: date, at: time = time.min) -> datetime:
    return datetime.combine(day, at, tzinfo=BERLIN)


def calendar_days(*, start: date, end: date, manager=None) -> list[dict]:
    """Each day with its workshops, proposed slots and absences: three queries in all."""
    low, high = _aware(start), _aware(end + timedelta(days=1))
    booked = Workshop.objects.filter(
        state__in=Workshop.BOOKED_STATES, starts_at__lt=high, ends_at__gt=low
    ).select_related("company", "module", "project_manager")
    slots = ProposedSlot.objects.filter(
        starts_at__lt=high, ends_at__gt=low, workshop__state=State.SLOTS_PROPOSED
    ).select_related("workshop__company", "workshop__module", "workshop__project_manager")
    absences = AvailabilityException.objects.filter(date__gte=start, date__lte=end)
    if manager is not None:
        booked = booked.filter(project_manager=manager)
        slots = slots.filter(workshop__project_manager=manager)
        absences = absences.filter(project_manager=manager)
    by_day = defaultdict(lambda: {"workshops": [], "slots": [], "absences": []})
    for workshop in booked.order_by("starts_at"):
        by_day[timezone.localdate(workshop.starts_at)]["workshops"].append(workshop)
    for slot in slots.order_by("starts_at"):
        by_day[timezone.localdate(slot.starts_at)]["slots"].append(slot)
    for absence in absences.select_related("project_manager"):
        by_day[absence.date]["absences"].append(absence)
    days = []
    today = timezone.localdate()
    current = start
    while current <= end:
        days.append({"date": current, "today": current == today, **by_day[current]})
        current += timedelta(days=1)
    return days


def free_slots(
    *,
    manager,
    start: date,
    days: int,
    duration_hours: Decimal,
    now: datetime | None = None,
    limit: int = 30,
) -> list[datetime]:
    """Starts within the manager's weekly availability, minus exceptions and booked workshops,
    on workdays only (no weekends, public holidays or customary days off, see workdays).

    Slots start at the beginning of each availability window and then every full duration.
    """
    now = now or timezone.now()
    end = start + timedelta(days=days)
    minutes = int(Decimal(duration_hours) * 60)
    rules = list(
        AvailabilityRule.objects.filter(project_manager=manager, valid_from__lte=end).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start)
        )
    )
    absences = defaultdict(list)
    for absence in AvailabilityException.objects.filter(
        project_manager=manager, date__gte=start, date__lte=end
    ):
        absences[absence.date].append(absence)
    busy = list(
        Workshop.objects.filter(
            project_manager=manager,
            state__in=Workshop.BOOKED_STATES,
            starts_at__lt=_aware(end + timedelta(days=1)),
            ends_at__gt=_aware(start),
        ).values_list("starts_at", "ends_at")
    )
    result = []
    day = start
    while day <= end and len(result) < limit:
        if not workdays.is_workday(day):
            day += timedelta(days=1)
            continue
        for rule in rules:
            if rule.weekday != day.weekday() or rule.valid_from > day:
                continue
            if rule.valid_until and rule.valid_until < day:
                continue
            slot_start = _aware(day, rule.start_time)
            window_end = _aware(day, rule.end_time)
            while slot_start + timedelta(minutes=minutes) <= window_end:
                slot_end = slot_start + timedelta(minutes=minutes)
                if slot_start > now and not _blocked(slot_start, slot_end, absences[day], busy):
                    result.append(slot_start)
                slot_start = slot_end
        day += timedelta(days=1)
    return sorted(result)[:limit]


PROPOSAL_DAYS = 28


@dataclass(frozen=True)
class ProposalWindow:
    """The days in which free times are offered for a request: the company's wished period
    (from tomorrow on at the earliest), else the next four weeks."""

    start: date
    end: date
    wished: bool  # the company gave a period and some of it lies ahead


def proposal_window(workshop: Workshop, *, today: date | None = None) -> ProposalWindow:
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    wished_from, wished_until = workshop.preferred_from, workshop.preferred_until
    if wished_from or wished_until:
        start = max(wished_from or tomorrow, tomorrow)
        end = wished_until or start + timedelta(days=PROPOSAL_DAYS)
        if end >= start:
            return ProposalWindow(start, end, True)
    return ProposalWindow(tomorrow, tomorrow + timedelta(days=PROPOSAL_DAYS), False)


def free_slots_for(workshop: Workshop, *, manager, today: date | None = None) -> list[datetime]:
    """The manager's free times for this workshop's length inside its proposal window."""
    window = proposal_window(workshop, today=today)
    return free_slots(
        manager=manager,
        start=window.start,
        days=(window.end - window.start).days,
        duration_hours=workshop.duration_hours,
    )


def _blocked(slot_start, slot_end, absences, busy) -> bool:
    for absence in absences:
        if absence.start_time is None:
            return True
        if _aware(absence.date, absence.start_time) < slot_end and slot_start < _aware(
            absence.date, absence.end_time
        ):
            return True
    return any(s < slot_end and slot_start < e for s, e in busy)


# --- programme figures -------------------------------------------------------------------


def programme_figures():
    """Per programme: planned, booked/held workshops and consulting hours (one query)."""
    held = [State.HELD, State.DOCUMENTED, State.CLOSED]
    return Programme.objects.annotate(
        open_count=Count("workshops", filter=Q(workshops__state__in=Workshop.OPEN_STATES)),
        scheduled_count=Count("workshops", filter=Q(workshops__state=State.SCHEDULED)),
        held_count=Count("workshops", filter=Q(workshops__state__in=held)),
        held_hours=Sum("workshops__duration_hours", filter=Q(workshops__state__in=held)),
    ).order_by("-funding_start")
