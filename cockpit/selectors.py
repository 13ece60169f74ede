"""Read queries of the cockpit: every figure is an SQL aggregation over the other apps' tables.

Each function runs a fixed number of queries, whatever the number of rows, and returns plain
values (codes, numbers, dates), so the figures can be cached and labelled when rendered.
``cluster`` (a members.Cluster or None for all) narrows every figure to the companies that
currently stand in a relationship with that cluster, and forums to that cluster's forums.
"""

from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone

from forums.invitations import INVITATION
from forums.models import Forum, Registration
from members.models import Cluster, Company, Relationship, Sector
from members.selectors import current_relationship_q, relationship_exists
from outbox.models import Mail
from sefex.models import ActionItem, Programme, Workshop
from sefex.selectors import overdue_q

HELD_WORKSHOP_STATES = [Workshop.State.HELD, Workshop.State.DOCUMENTED, Workshop.State.CLOSED]
# Registered = answered the invitation with a registration that was not withdrawn.
REGISTERED_STATES = [
    Registration.State.PENDING,
    Registration.State.CONFIRMED,
    Registration.State.WAITLISTED,
    Registration.State.ATTENDED,
    Registration.State.NO_SHOW,
]
LIST_LIMIT = 10
FUNNEL_FORUMS = 12
TREND_MONTHS = 24


def clusters() -> list[dict]:
    return list(Cluster.objects.order_by("name").values("pk", "slug", "name"))


def cluster_pk(cluster) -> int | None:
    """Callers pass a Cluster, a row dict of ``clusters()`` or None (all clusters)."""
    if cluster is None:
        return None
    return cluster["pk"] if isinstance(cluster, dict) else cluster.pk


def _companies(cluster: Cluster | None):
    """Companies in scope: a current relationship (to the cluster, if one is chosen)."""
    return Company.objects.filter(relationship_exists("pk", cluster=cluster_pk(cluster)))


def _cluster_filter(cluster: Cluster | None, company_ref: str) -> Q:
    if cluster is None:
        return Q()
    return Q(relationship_exists(company_ref, cluster=cluster_pk(cluster)))


def _companies_within(within: Q | None, company_ref: str) -> Q:
    """Rows of companies in a current relationship with one of the clusters `within` names
    (a filter on Relationship's `cluster`, see members.clusters); every row without it."""
    if within is None:
        return Q()
    return Q(
        Exists(
            Relationship.objects.filter(
                within, current_relationship_q(), company_id=OuterRef(company_ref)
            )
        )
    )


# --- companies ----------------------------------------------------------------------------


def relationships_by_cluster(cluster: Cluster | None, today: date) -> list[dict]:
    """Per cluster and kind, how many companies stand in a current relationship (one query)."""
    rows = Relationship.objects.filter(current_relationship_q(today))
    if cluster is not None:
        rows = rows.filter(cluster_id=cluster_pk(cluster))
    return list(
        rows.values("cluster__name", "kind")
        .annotate(companies=Count("company", distinct=True))
        .order_by("cluster__name", "kind")
    )


def companies_by_sector(cluster: Cluster | None) -> list[dict]:
    """Companies in scope per sector; a company with two sectors counts in both (two queries)."""
    in_scope = _companies(cluster).filter(pk=OuterRef("company_id"))
    links = Company.sectors.through.objects.filter(Exists(in_scope))
    counts = dict(
        links.values("sector_id").annotate(n=Count("company_id")).values_list("sector_id", "n")
    )
    # Every sector is listed, also those without companies.
    return [
        {"name": name, "companies": counts.get(pk, 0)}
        for pk, name in Sector.objects.order_by("number").values_list("pk", "name")
    ]


def companies_by_size(cluster: Cluster | None) -> list[dict]:
    """Companies in scope per SME class ("" = no figures recorded) (one query)."""
    return list(
        _companies(cluster)
        .values("sme_class")
        .annotate(companies=Count("pk"))
        .order_by("sme_class")
    )


def member_trend(cluster: Cluster | None, today: date) -> list[dict]:
    """Members joining and leaving per month over the last two years (two queries)."""
    months_back = today.year * 12 + today.month - 1 - (TREND_MONTHS - 1)
    since = date(months_back // 12, months_back % 12 + 1, 1)
    members = Relationship.objects.filter(kind=Relationship.Kind.MEMBER)
    if cluster is not None:
        members = members.filter(cluster_id=cluster_pk(cluster))
    joins = dict(
        members.filter(valid_from__gte=since, valid_from__lte=today)
        .annotate(month=TruncMonth("valid_from"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    leaves = dict(
        members.filter(valid_to__gte=since, valid_to__lte=today)
        .annotate(month=TruncMonth("valid_to"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    months = []
    month = since
    while month <= today:  # at most TREND_MONTHS steps: the calendar, not the rows
        months.append(
            {"month": month, "joins": joins.get(month, 0), "leaves": leaves.get(month, 0)}
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# --- forums ---------------------------------------------------------------------------------


def _forums(cluster: Cluster | None):
    forums = Forum.objects.all()
    if cluster is not None:
        forums = forums.filter(cluster_id=cluster_pk(cluster))
    return forums


def upcoming_forums(cluster: Cluster | None, now, within: Q | None = None) -> list[dict]:
    """Published forums not yet ended, with seats taken, pending and waiting (one query);
    `within` narrows them to a cluster manager's clusters."""
    rows = (
        _forums(cluster)
        .filter(within or Q(), state=Forum.State.PUBLISHED, ends_at__gt=now)
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__state__in=Registration.SEAT_STATES)
            ),
            pending=Count(
                "registrations", filter=Q(registrations__state=Registration.State.PENDING)
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__state=Registration.State.WAITLISTED)
            ),
        )
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "title",
            "starts_at",
            "capacity",
            "seats_taken",
            "pending",
            "waitlisted",
            "cluster__name",
        )[:LIST_LIMIT]
    )
    for row in rows:
        row["fill_percent"] = (
            round(100 * row["seats_taken"] / row["capacity"]) if row["capacity"] else 0
        )
    return list(rows)


def sent_invitations():
    """Invitation mails that went out; one per contact and forum (the outbox's unique key)."""
    return Mail.objects.filter(
        kind=INVITATION,
        state=Mail.State.SENT,
        content_type__app_label="forums",
        content_type__model="forum",
        contact__isnull=False,
    )


def _answered(states) -> Exists:
    return Exists(
        Registration.objects.filter(
            forum_id=OuterRef("object_id"), contact_id=OuterRef("contact_id"), state__in=states
        )
    )


def _count(queryset, group: str) -> Subquery:
    return Coalesce(Subquery(queryset.values(group).annotate(n=Count("pk")).values("n")[:1]), 0)


def funnel_by_forum(cluster: Cluster | None, now) -> list[dict]:
    """The latest forums that sent invitations: invited -> registered -> attended (one query)."""
    mails = sent_invitations().filter(object_id=OuterRef("pk"))
    forums = (
        _forums(cluster)
        .filter(Exists(sent_invitations().filter(object_id=OuterRef("pk"))))
        .exclude(state=Forum.State.CANCELLED)
        .annotate(
            invited=_count(mails, "object_id"),
            registered=_count(mails.filter(_answered(REGISTERED_STATES)), "object_id"),
            attended=_count(mails.filter(_answered([Registration.State.ATTENDED])), "object_id"),
        )
        .order_by("-starts_at", "-pk")
        .values("pk", "title", "starts_at", "invited", "registered", "attended")[:FUNNEL_FORUMS]
    )
    return list(forums)


def funnel_by_sector(cluster: Cluster | None, forum_ids: list[int]) -> list[dict]:
    """The same funnel over those forums, per sector of the invited person's company.

    A company in two sectors counts in both; people of companies without a sector are left out.
    """
    rows = (
        sent_invitations()
        .filter(object_id__in=forum_ids, contact__company__sectors__isnull=False)
        .values("contact__company__sectors__number", "contact__company__sectors__name")
        .annotate(
            invited=Count("pk"),
            registered=Count("pk", filter=Q(_answered(REGISTERED_STATES))),
            attended=Count("pk", filter=Q(_answered([Registration.State.ATTENDED]))),
        )
        .order_by("contact__company__sectors__number")
    )
    return [
        {
            "name": row["contact__company__sectors__name"],
            "invited": row["invited"],
            "registered": row["registered"],
            "attended": row["attended"],
        }
        for row in rows
    ]


# --- SEFEX ---------------------------------------------------------------------------------


def workshops_of(cluster: Cluster | None):
    return Workshop.objects.filter(_cluster_filter(cluster, "company_id"))


def workshops_by_state(cluster: Cluster | None) -> list[dict]:
    """Workshops and their planned hours per state (one query)."""
    return list(
        workshops_of(cluster)
        .values("state")
        .annotate(workshops=Count("pk"), hours=Sum("duration_hours"))
        .order_by("state")
    )


def workshops_by_quarter(cluster: Cluster | None) -> list[dict]:
    """Held workshops per quarter of ``held_on`` against the active programmes' plan.

    The plan spreads each programme's planned workshops evenly over the quarters of its
    funding period (two queries; the plan is per programme, not per cluster).
    """
    held = dict(
        workshops_of(cluster)
        .filter(state__in=HELD_WORKSHOP_STATES, held_on__isnull=False)
        .annotate(quarter=TruncQuarter("held_on"))
        .values("quarter")
        .annotate(n=Count("pk"))
        .values_list("quarter", "n")
    )
    plan: dict[date, float] = {}
    for start, end, planned in Programme.objects.filter(is_active=True).values_list(
        "funding_start", "funding_end", "planned_workshops"
    ):
        quarters = _quarters(start, end)
        for quarter in quarters:
            plan[quarter] = plan.get(quarter, 0) + planned / len(quarters)
    rows = []
    held_total = planned_total = 0.0
    for quarter in sorted(set(held) | set(plan)):
        held_total += held.get(quarter, 0)
        planned_total += plan.get(quarter, 0)
        rows.append(
            {
                "quarter": quarter,
                "label": f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}",
                "held": held.get(quarter, 0),
                "planned": round(plan.get(quarter, 0), 1),
                "held_cumulative": int(held_total),
                "planned_cumulative": round(planned_total, 1),
            }
        )
    return rows


def _quarters(start: date, end: date) -> list[date]:
    first = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    quarters = []
    while first <= end:  # a funding period spans a few dozen quarters at most
        quarters.append(first)
        month = first.month + 3
        first = date(first.year + (month > 12), (month - 1) % 12 + 1, 1)
    return quarters


def overdue_action_items(cluster: Cluster | None, today: date, *, limit: int = LIST_LIMIT) -> dict:
    """Overdue action items someone can still act on (see sefex.selectors.overdue_q): the
    oldest few with owner and company, and how many in all (one query)."""
    rows = list(
        ActionItem.objects.filter(
            _cluster_filter(cluster, "workshop__company_id"), overdue_q(today)
        )
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")
        .values(
            "pk",
            "title",
            "due_on",
            "workshop_id",
            "workshop__company__legal_name",
            "total",
            owner_first_name=F("owner__first_name"),
            owner_last_name=F("owner__last_name"),
        )[:limit]
    )
    for row in rows:
        row["owner_name"] = " ".join(
            part for part in (row["owner_first_name"], row["owner_last_name"]) if part
        )
    return {"rows": rows, "total": rows[0]["total"] if rows else 0}


def failed_mails(cluster: Cluster | None, within: Q | None = None) -> dict:
    """Mails that could not be delivered: the latest few and how many in all (one query);
    `within` narrows them to the companies of a cluster manager's clusters."""
    rows = list(
        Mail.objects.filter(
            _cluster_filter(cluster, "contact__company_id"),
            _companies_within(within, "contact__company_id"),
            state=Mail.State.FAILED,
        )
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "kind",
            "recipient_email",
            "subject",
            "attempts",
            "last_error",
            "created_at",
            "total",
        )[:LIST_LIMIT]
    )
    return {"rows": rows, "total": rows[0]["total"] if rows else 0}


def sefex_figures(cluster: Cluster | None, today: date) -> dict:
    """The SEFEX part (project managers see only this): four queries."""
    by_state = workshops_by_state(cluster)
    # Consulting hours held: summed over the few aggregated rows, not over workshops.
    held_hours = sum(row["hours"] for row in by_state if row["state"] in HELD_WORKSHOP_STATES)
    return {
        "workshops_by_state": by_state,
        "workshops_by_quarter": workshops_by_quarter(cluster),
        "overdue": overdue_action_items(cluster, today),
        "held_hours": held_hours or 0,
    }


def dashboard(cluster: Cluster | None = None, *, now=None) -> dict:
    """Every figure of the cluster manager's start page (fourteen queries, whatever the size)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_forum = funnel_by_forum(cluster, now)
    return {
        "relationships": relationships_by_cluster(cluster, today),
        "sectors": companies_by_sector(cluster),
        "sizes": companies_by_size(cluster),
        "trend": member_trend(cluster, today),
        "upcoming": upcoming_forums(cluster, now),
        "funnel_forums": by_forum,
        "funnel_sectors": funnel_by_sector(cluster, [row["pk"] for row in by_forum]),
        "failed_mails": failed_mails(cluster),
        **sefex_figures(cluster, today),
    }
