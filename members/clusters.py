"""Which clusters a staff login manages: one place every staff page asks.

A cluster manager acts only in the clusters granted to them (ClusterGrant); an agency-wide
login (Role.AGENCY_WIDE) and the agency administrator act in every cluster. Company master
data stays shared; what belongs to one cluster (its forums and their registrations and
invitations, its relationships, its figures) is filtered through `in_managed_clusters`.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from core.roles import ROLES_CACHE_SECONDS, Role, has_role, is_agency_admin

from .models import Cluster, ClusterGrant


def grants_cache_key(user_id: int) -> str:
    return f"clusters:{user_id}"


def sees_every_cluster(user) -> bool:
    if has_role(user, Role.AGENCY_WIDE) or is_agency_admin(user):
        return True
    # The SEFEX programme is agency-wide: its project managers read what they may read of
    # every cluster (a cluster manager among them stays bound to their grants).
    return has_role(user, Role.PROJECT_MANAGER) and not has_role(user, Role.CLUSTER_MANAGER)


def granted_cluster_ids(user) -> frozenset[int]:
    """The clusters granted to this login: from the cache, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_granted_cluster_ids", None)
    if cached is None:
        ids = cache.get(grants_cache_key(user.pk))
        if ids is None:
            ids = sorted(
                ClusterGrant.objects.filter(login_id=user.pk).values_list("cluster_id", flat=True)
            )
            cache.set(grants_cache_key(user.pk), ids, ROLES_CACHE_SECONDS)
        cached = frozenset(ids)
        user._granted_cluster_ids = cached
    return cached


def grants_forget(user_ids) -> None:
    """Drops the cached grants of these logins: at once and after the commit (as roles)."""
    keys = [grants_cache_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def in_managed_clusters(user, field: str = "cluster") -> Q:
    """A filter for rows of the user's clusters; `field` leads from the row to its cluster
    (e.g. "forum__cluster"). Every cluster for agency-wide logins, none without grants (and
    none for company users: their own scopes are by company)."""
    if sees_every_cluster(user):
        return Q()
    return Q(**{f"{field}__in": sorted(granted_cluster_ids(user))})


def within_clusters(user) -> Q | None:
    """`in_managed_clusters` for selectors that take `within`, for a cluster manager bound to
    their clusters; None (no narrowing) for everyone else: agency-wide staff, and company
    users, whose scope is their company (members.permissions)."""
    if has_role(user, Role.CLUSTER_MANAGER) and not sees_every_cluster(user):
        return in_managed_clusters(user)
    return None


def managed_clusters(user):
    """The clusters themselves (choices of a form, the cockpit's headings)."""
    return Cluster.objects.filter(in_managed_clusters(user, "pk"))


def manages_cluster(user, cluster_id) -> bool:
    return sees_every_cluster(user) or cluster_id in granted_cluster_ids(user)
