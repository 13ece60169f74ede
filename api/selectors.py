"""Read queries of the API: the scoped querysets of each list with what their serializers need,
so a page of any size costs the same number of queries."""

from django.db.models import Count, Prefetch, Q

from forums import permissions as forum_permissions
from forums import selectors as forum_selectors
from forums.models import Forum, Registration
from members.clusters import within_clusters
from members.models import Cluster, Relationship, Topic
from members.permissions import company_scope, contact_scope
from sefex.models import Workshop
from sefex.permissions import workshop_scope

from .permissions import registration_scope

SEAT_STATES = list(Registration.SEAT_STATES)


def companies_for(user):
    return (
        company_scope(user)
        .prefetch_related(
            "sectors",
            Prefetch(
                "relationships",
                # Each cluster's relationships to its managers (the master data is shared).
                queryset=Relationship.objects.filter(within_clusters(user) or Q()).order_by(
                    "cluster_id", "-valid_from"
                ),
            ),
        )
        .order_by("legal_name", "pk")
    )


def contacts_for(user):
    return contact_scope(user).prefetch_related("topics").order_by("last_name", "first_name", "pk")


def _with_seats(queryset):
    # The same figures as the forum pages (forums.selectors), here for any list of forums.
    return queryset.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_STATES)),
        waitlisted=Count(
            "registrations", filter=Q(registrations__state=Registration.State.WAITLISTED)
        ),
    )


def forums_for(user):
    return (
        _with_seats(forum_permissions.forums_for(user))
        .select_related("host_company")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("starts_at", "pk")
    )


def registrations_for(user):
    return (
        registration_scope(user).select_related("contact").order_by("forum_id", "created_at", "pk")
    )


def workshops_for(user):
    return (
        workshop_scope(user)
        .select_related("module", "project_manager")
        .order_by("-starts_at", "-created_at", "pk")
    )


def public_forums(cluster: Cluster):
    """Announced forums of one cluster that have not ended, for the cluster's website."""
    return forum_selectors.forums_upcoming().filter(cluster=cluster)


def public_feed(cluster: Cluster):
    return forum_selectors.forums_feed().filter(cluster=cluster)


def contact_calendar(contact):
    """The forums (holding a seat) and the workshops (booked or called off) of one person."""
    forums = (
        Forum.objects.filter(
            registrations__contact=contact,
            registrations__state__in=SEAT_STATES,
            state__in=[Forum.State.PUBLISHED, Forum.State.HELD, Forum.State.CANCELLED],
        )
        .select_related("host_company")
        .distinct()
        .order_by("starts_at")
    )
    workshops = (
        Workshop.objects.filter(
            participants=contact,
            starts_at__isnull=False,
            state__in=[*Workshop.BOOKED_STATES, Workshop.State.CANCELLED],
        )
        .select_related("module", "company")
        .order_by("starts_at")
    )
    return forums, workshops
