"""Read queries of the public pages: only what anyone may see (never a draft)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forums.models import AgendaItem, Forum, Registration
from members.models import Cluster, Topic

SEAT_STATES = list(Registration.SEAT_STATES)
# Announced forums: published once (a draft that was called off never was public).
ANNOUNCED = Q(
    state__in=[Forum.State.PUBLISHED, Forum.State.CANCELLED, Forum.State.HELD],
    published_at__isnull=False,
)


def _with_seats(queryset: QuerySet[Forum]) -> QuerySet[Forum]:
    return queryset.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_STATES))
    )


def cluster_get_or_404(slug: str) -> Cluster:
    return get_object_or_404(Cluster, slug=slug)


def clusters_with_forums() -> list[Cluster]:
    """Every cluster with its upcoming announced forums (one query for each of the two)."""
    clusters = list(Cluster.objects.order_by("name"))
    by_cluster: dict[int, list[Forum]] = {c.pk: [] for c in clusters}
    for forum in forums_upcoming():
        by_cluster[forum.cluster_id].append(forum)
    for cluster in clusters:
        cluster.upcoming = by_cluster[cluster.pk]
    return clusters


def forums_upcoming(cluster: Cluster | None = None) -> QuerySet[Forum]:
    """Announced forums that have not ended, soonest first; cancelled ones say so."""
    queryset = Forum.objects.filter(ANNOUNCED, ends_at__gt=timezone.now())
    if cluster is not None:
        queryset = queryset.filter(cluster=cluster)
    return (
        _with_seats(queryset)
        .select_related("host_company", "cluster")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("starts_at", "pk")
    )


def forum_get_or_404(cluster: Cluster, pk: int) -> Forum:
    queryset = (
        _with_seats(Forum.objects.filter(ANNOUNCED, cluster=cluster))
        .select_related("host_company", "cluster")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("starts_at", "pk")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def forums_for_sitemap() -> QuerySet[Forum]:
    return (
        Forum.objects.filter(ANNOUNCED)
        .select_related("cluster")
        .only("pk", "updated_at", "cluster__slug")
        .order_by("pk")
    )


def seats_left(forum: Forum) -> int:
    return max(forum.capacity - forum.seats_taken, 0)
