"""The annual report: the figures a cluster label assessment asks for, for one calendar year.

Every figure is an SQL aggregation (about a dozen queries, whatever the size). "Members" are
companies with a member relationship in force on the day in question (31 December for the
year's state, 1 January for its start). Size class and region are today's values of the
company (the directory keeps no history of them in a form cheap to aggregate).
"""

from datetime import date

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from forums.models import Feedback as ForumFeedback
from forums.models import Forum, Registration
from members.models import Company, Relationship
from members.selectors import current_relationship_q
from sefex.models import Feedback as WorkshopFeedback

from .selectors import HELD_WORKSHOP_STATES, cluster_pk, workshops_of


def _relationships_on(day: date, cluster):
    rows = Relationship.objects.filter(current_relationship_q(day))
    if cluster is not None:
        rows = rows.filter(cluster_id=cluster_pk(cluster))
    return rows


def _members_on(day: date, cluster):
    return Company.objects.filter(
        Exists(_relationships_on(day, cluster).filter(company_id=OuterRef("pk"), kind="member"))
    )


def annual_report(year: int, cluster=None) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    members_end = _members_on(end, cluster)

    by_kind = list(
        _relationships_on(end, cluster)
        .values("kind")
        .annotate(companies=Count("company", distinct=True))
        .order_by("kind")
    )
    by_size = list(
        members_end.values("sme_class").annotate(companies=Count("pk")).order_by("sme_class")
    )
    by_region = list(
        members_end.annotate(region=Substr("postcode", 1, 2))
        .values("region")
        .annotate(companies=Count("pk"))
        .order_by("region")
    )
    member_rows = Relationship.objects.filter(kind=Relationship.Kind.MEMBER)
    if cluster is not None:
        member_rows = member_rows.filter(cluster_id=cluster_pk(cluster))
    movement = member_rows.aggregate(
        joined=Count("company", distinct=True, filter=Q(valid_from__range=(start, end))),
        left=Count("company", distinct=True, filter=Q(valid_to__range=(start, end))),
    )
    at_start = _members_on(start, cluster).count()
    at_end = members_end.count()

    forums = Forum.objects.filter(state=Forum.State.HELD, starts_at__year=year)
    if cluster is not None:
        forums = forums.filter(cluster_id=cluster_pk(cluster))
    attended = Registration.objects.filter(forum__in=forums, state=Registration.State.ATTENDED)
    forum_figures = attended.aggregate(
        participants=Count("pk"), companies=Count("company", distinct=True)
    )
    forum_figures["forums"] = forums.count()
    members_attending = members_end.filter(
        Exists(attended.filter(company_id=OuterRef("pk")))
    ).count()

    forum_feedback = ForumFeedback.objects.filter(registration__forum__in=forums).aggregate(
        average=Avg("rating"), answers=Count("pk")
    )
    held = workshops_of(cluster).filter(state__in=HELD_WORKSHOP_STATES, held_on__year=year)
    workshop_figures = held.aggregate(
        workshops=Count("pk"),
        hours=Sum("duration_hours"),
        companies=Count("company", distinct=True),
    )
    workshop_feedback = WorkshopFeedback.objects.filter(workshop__in=held).aggregate(
        average=Avg("rating"), answers=Count("pk")
    )
    return {
        "year": year,
        "members_by_kind": by_kind,
        "members_by_size": by_size,
        "members_by_region": by_region,
        "members_at_start": at_start,
        "members_at_end": at_end,
        "joined": movement["joined"],
        "left": movement["left"],
        "churn_percent": round(100 * movement["left"] / at_start, 1) if at_start else None,
        "growth_percent": round(100 * (at_end - at_start) / at_start, 1) if at_start else None,
        "forums": forum_figures["forums"],
        "participants": forum_figures["participants"],
        "companies_attending": forum_figures["companies"],
        "members_attending": members_attending,
        "members_attending_percent": (
            round(100 * members_attending / at_end, 1) if at_end else None
        ),
        "forum_rating": forum_feedback["average"],
        "forum_ratings": forum_feedback["answers"],
        "workshops": workshop_figures["workshops"],
        "workshop_companies": workshop_figures["companies"],
        "consulting_hours": workshop_figures["hours"] or 0,
        "workshop_rating": workshop_feedback["average"],
        "workshop_ratings": workshop_feedback["answers"],
    }
