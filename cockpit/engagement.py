"""Engagement: a company's timeline and the members who have gone quiet.

"Participation" is a forum attended or a SEFEX workshop held. A member with neither in the
last twelve months is "sleeping" and worth a call.
"""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from forums.models import Forum, Registration
from members.models import Company, Relationship
from members.selectors import current_relationship_q
from sefex.models import Workshop

from .selectors import HELD_WORKSHOP_STATES, REGISTERED_STATES, cluster_pk, sent_invitations

TIMELINE_LIMIT = 30
SLEEPING_DAYS = 365


def company_timeline(company: Company, forums_within: Q | None = None) -> list[dict]:
    """Forums attended, workshops and invitations left unanswered, newest first (three queries).

    `forums_within` narrows the forums to a cluster manager's clusters (on Forum's fields)."""
    forums = Forum.objects.filter(forums_within or Q())
    attended = (
        Registration.objects.filter(
            company=company, state=Registration.State.ATTENDED, forum__in=forums
        )
        .order_by("-forum__starts_at")
        .values("forum__title", "forum__starts_at", "contact__first_name", "contact__last_name")[
            :TIMELINE_LIMIT
        ]
    )
    workshops = (
        Workshop.objects.filter(company=company)
        .exclude(state=Workshop.State.CANCELLED)
        .order_by("-created_at")
        .values("pk", "state", "module__name", "starts_at", "created_at")[:TIMELINE_LIMIT]
    )
    unanswered = (
        sent_invitations()
        .filter(contact__company=company, object_id__in=forums.values("pk"))
        .exclude(
            Exists(
                Registration.objects.filter(
                    forum_id=OuterRef("object_id"),
                    contact_id=OuterRef("contact_id"),
                    state__in=REGISTERED_STATES + [Registration.State.CANCELLED],
                )
            )
        )
        .order_by("-sent_at", "-pk")
        .values("subject", "sent_at", "created_at", "contact__first_name", "contact__last_name")[
            :TIMELINE_LIMIT
        ]
    )
    states = dict(Workshop.State.choices)
    events = [
        {
            "kind": "forum",
            "at": row["forum__starts_at"],
            "title": row["forum__title"],
            "who": f"{row['contact__first_name']} {row['contact__last_name']}",
        }
        for row in attended
    ]
    events += [
        {
            "kind": "workshop",
            "at": row["starts_at"] or row["created_at"],
            "title": row["module__name"],
            "who": states.get(row["state"], row["state"]),
            "pk": row["pk"],
        }
        for row in workshops
    ]
    events += [
        {
            "kind": "unanswered",
            "at": row["sent_at"] or row["created_at"],
            "title": row["subject"],
            "who": f"{row['contact__first_name']} {row['contact__last_name']}",
        }
        for row in unanswered
    ]
    # Up to three short lists, merged: ordering the few rows here costs nothing.
    return sorted(events, key=lambda event: event["at"], reverse=True)[:TIMELINE_LIMIT]


def sleeping_members(cluster=None, *, today: date | None = None, within: Q | None = None):
    """Current members without a forum attended or workshop held in the last 12 months.

    One query; each row carries the last forum and the last workshop, if any. `within` (on a
    cluster field, see members.clusters) narrows to a cluster manager's clusters.
    """
    today = today or timezone.localdate()
    since = today - timedelta(days=SLEEPING_DAYS)
    members = Relationship.objects.filter(
        current_relationship_q(today), company_id=OuterRef("pk"), kind=Relationship.Kind.MEMBER
    )
    # Participation counts in the cluster looked at: its forums (and every workshop, SEFEX
    # being agency-wide).
    attended = Registration.objects.filter(state=Registration.State.ATTENDED)
    if cluster is not None:
        members = members.filter(cluster_id=cluster_pk(cluster))
        attended = attended.filter(forum__cluster_id=cluster_pk(cluster))
    if within is not None:
        members = members.filter(within)
        attended = attended.filter(forum__in=Forum.objects.filter(within))
    recent_forum = attended.filter(
        company_id=OuterRef("pk"),
        forum__starts_at__date__gte=since,
    )
    recent_workshop = Workshop.objects.filter(
        company_id=OuterRef("pk"), state__in=HELD_WORKSHOP_STATES, held_on__gte=since
    )
    return (
        Company.objects.filter(Exists(members))
        .exclude(Exists(recent_forum))
        .exclude(Exists(recent_workshop))
        .annotate(
            last_forum=Subquery(
                attended.filter(company_id=OuterRef("pk"))
                .order_by("-forum__starts_at")
                .values("forum__starts_at")[:1]
            ),
            last_workshop=Subquery(
                Workshop.objects.filter(company_id=OuterRef("pk"), state__in=HELD_WORKSHOP_STATES)
                .order_by(F("held_on").desc(nulls_last=True))
                .values("held_on")[:1]
            ),
        )
        .order_by("legal_name", "pk")
        .values("pk", "legal_name", "postcode", "city", "last_forum", "last_workshop")
    )
