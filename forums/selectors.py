"""Read queries of the forums app. List pages use these so their query count stays fixed."""

from datetime import timedelta

from django.db.models import Avg, Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from members.clusters import in_managed_clusters
from members.models import Company, Contact, Topic

from .models import AgendaItem, Feedback, Forum, Registration

State = Registration.State
SEAT_STATES = list(Registration.SEAT_STATES)


def _with_seats(queryset: QuerySet[Forum]) -> QuerySet[Forum]:
    return queryset.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_STATES)),
        waitlisted=Count("registrations", filter=Q(registrations__state=State.WAITLISTED)),
    )


def seats_left(forum: Forum) -> int:
    taken = getattr(forum, "seats_taken", None)
    if taken is None:
        taken = forum.registrations.filter(state__in=SEAT_STATES).count()
    return max(forum.capacity - taken, 0)


def company_seats_taken(forum: Forum, company_id: int) -> int:
    """Seats the company holds at the forum (its cap is `forum.seats_per_company`)."""
    return Registration.objects.filter(
        forum=forum, company_id=company_id, state__in=SEAT_STATES
    ).count()


def topics_in_use() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True).order_by("name")


def forums_upcoming(
    *, topic: str = "", company: Company | None = None, within: Q | None = None
) -> QuerySet[Forum]:
    """Published forums that have not ended, soonest first, with seats taken and topics.

    With `company`, each forum also carries how many of its people are registered; `within`
    narrows them (a cluster manager's clusters).
    """
    queryset = Forum.objects.filter(
        within or Q(), state=Forum.State.PUBLISHED, ends_at__gt=timezone.now()
    )
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    queryset = _with_seats(queryset)
    if company is not None:
        queryset = queryset.annotate(
            company_registered=Count(
                "registrations",
                filter=Q(
                    registrations__company=company,
                    registrations__state__in=Registration.ACTIVE_STATES,
                ),
            )
        )
    return (
        queryset.select_related("host_company")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("starts_at", "pk")
    )


def forums_feed() -> QuerySet[Forum]:
    """What the subscribable calendar shows: published forums of the last 90 days and ahead."""
    since = timezone.now() - timedelta(days=90)
    return (
        Forum.objects.filter(
            state__in=[Forum.State.PUBLISHED, Forum.State.HELD, Forum.State.CANCELLED],
            published_at__isnull=False,
            ends_at__gte=since,
        )
        .select_related("host_company")
        .order_by("starts_at")
    )


def forum_detail(pk: int) -> QuerySet[Forum]:
    return (
        _with_seats(Forum.objects.filter(pk=pk))
        .select_related("host_company", "cluster")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("starts_at", "pk")),
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
        )
    )


def company_registrations_for_forum(forum: Forum, company: Company) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(forum=forum, company=company)
        .exclude(state=State.CANCELLED)
        .select_related("contact", "forum")
        .order_by("contact__last_name", "contact__first_name")
    )


def contact_active_registration(forum: Forum, contact_id: int) -> Registration | None:
    """The person's registration for the forum that is not cancelled, if any."""
    return (
        Registration.objects.filter(
            forum=forum, contact_id=contact_id, state__in=Registration.ACTIVE_STATES
        )
        .select_related("contact")
        .first()
    )


def company_contacts_not_registered(forum: Forum, company: Company) -> QuerySet[Contact]:
    registered = Registration.objects.filter(
        forum=forum, state__in=Registration.ACTIVE_STATES
    ).values("contact_id")
    return company.contacts.exclude(pk__in=registered).order_by("last_name", "first_name")


def company_registrations(company: Company) -> QuerySet[Registration]:
    """A company's registrations, newest forum first (the member's "my registrations" page)."""
    return (
        Registration.objects.filter(company=company)
        .select_related("forum", "contact")
        .order_by("-forum__starts_at", "contact__last_name", "pk")
    )


def company_forum_history(company: Company) -> QuerySet[Registration]:
    """The forums people of a company attended (company page fragment)."""
    return (
        Registration.objects.filter(company=company, state=State.ATTENDED)
        .select_related("forum", "contact")
        .order_by("-forum__starts_at", "contact__last_name")
    )


def staff_forums(user, *, state: str = "") -> QuerySet[Forum]:
    """The forums of the user's clusters with their figures per state (one query)."""
    queryset = Forum.objects.filter(in_managed_clusters(user))
    if state:
        queryset = queryset.filter(state=state)
    counts = {
        f"n_{value}": Count("registrations", filter=Q(registrations__state=value))
        for value in State.values
    }
    # The next forum first: those not over yet soonest first, then the past ones, latest first.
    now = timezone.now()
    is_past = Case(When(ends_at__gt=now, then=Value(0)), default=Value(1))
    upcoming_start = Case(When(ends_at__gt=now, then=F("starts_at")), default=None)
    return (
        queryset.annotate(**counts)
        .select_related("cluster", "host_company")
        .order_by(is_past, upcoming_start.asc(nulls_last=True), F("starts_at").desc(), "pk")
    )


STATE_ORDER = {
    State.ATTENDED: 0,
    State.CONFIRMED: 0,
    State.NO_SHOW: 1,
    State.PENDING: 2,
    State.WAITLISTED: 3,
    State.CANCELLED: 4,
}


def forum_registrations(forum: Forum, *, q: str = "") -> QuerySet[Registration]:
    """The registrations table: seat holders, pending, waiting list in its order, cancelled;
    `q` searches names and companies across all of them (the pages show one part at a time)."""
    queryset = Registration.objects.filter(forum=forum).select_related(
        "contact", "company", "registered_by"
    )
    for word in q.split():
        queryset = queryset.filter(
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(company__legal_name__icontains=word)
            | Q(company__short_name__icontains=word)
        )
    state_order = Case(
        *(When(state=state, then=Value(order)) for state, order in STATE_ORDER.items()),
        output_field=IntegerField(),
    )
    return queryset.order_by(
        state_order,
        Coalesce("waitlist_position", 0),
        Lower("contact__last_name"),
        Lower("contact__first_name"),
        "pk",
    )


def checkin_page(forum: Forum, *, q: str = "", page: int = 1, size: int = 50):
    """One part of the check-in list and whether more follow, without counting them all."""
    start = (max(page, 1) - 1) * size
    rows = list(forum_registrations(forum, q=q)[start : start + size + 1])
    return rows[:size], len(rows) > size


def checkin_counts(forum: Forum) -> dict:
    """The door's counter: checked in, of the seats taken (one query)."""
    return Registration.objects.filter(forum=forum).aggregate(
        attended=Count("pk", filter=Q(state=State.ATTENDED)),
        seats=Count("pk", filter=Q(state__in=SEAT_STATES)),
    )


def participants(forum: Forum) -> QuerySet[Registration]:
    """The participant list (PDF, export): everyone holding or having held a seat."""
    return (
        Registration.objects.filter(
            forum=forum, state__in=[State.CONFIRMED, State.ATTENDED, State.NO_SHOW]
        )
        .select_related("contact", "company")
        .order_by("company__legal_name", "contact__last_name", "contact__first_name")
    )


def forum_figures(forum: Forum) -> dict:
    """Attendance figures of one forum (two queries)."""
    counts = dict(
        Registration.objects.filter(forum=forum)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    by_state = {value: counts.get(value, 0) for value in State.values}
    companies = (
        Registration.objects.filter(forum=forum, state=State.ATTENDED)
        .values("company_id")
        .distinct()
        .count()
    )
    expected = by_state[State.ATTENDED] + by_state[State.NO_SHOW]
    return {
        "by_state": by_state,
        "seats_taken": by_state[State.CONFIRMED] + by_state[State.ATTENDED],
        "companies_attended": companies,
        "attendance_rate": round(100 * by_state[State.ATTENDED] / expected) if expected else None,
    }


def feedback_results(forum: Forum) -> dict:
    entries = (
        Feedback.objects.filter(registration__forum=forum)
        .select_related("registration__contact", "registration__company")
        .order_by("-submitted_at")
    )
    summary = entries.aggregate(average=Avg("rating"), count=Count("pk"))
    distribution = dict(
        entries.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n")
    )
    return {
        "entries": entries,
        "average": summary["average"],
        "count": summary["count"],
        "distribution": [(value, distribution.get(value, 0)) for value in range(5, 0, -1)],
    }


def forum_annual_attendance(year: int) -> QuerySet:
    """Per held forum of a year: attendees and companies (for reports above the apps)."""
    return (
        Forum.objects.filter(state=Forum.State.HELD, starts_at__year=year)
        .annotate(
            attendees=Count("registrations", filter=Q(registrations__state=State.ATTENDED)),
            companies=Count(
                "registrations__company",
                filter=Q(registrations__state=State.ATTENDED),
                distinct=True,
            ),
        )
        .values("pk", "title", "starts_at", "attendees", "companies")
        .order_by(F("starts_at"))
    )


def pending_approval_count(user) -> int:
    """Registrations of forums still ahead, in the user's clusters, that wait for the cluster
    management's approval."""
    return Registration.objects.filter(
        in_managed_clusters(user, "forum__cluster"),
        state=State.PENDING,
        forum__state=Forum.State.PUBLISHED,
        forum__ends_at__gt=timezone.now(),
    ).count()
