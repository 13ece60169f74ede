"""Whose mail text a page shows: a cluster's (`?cluster=<id>`) or the agency-wide one (no
parameter). A cluster manager bound to clusters picks among theirs only; the agency-wide text
is edited by agency-wide logins (members.clusters.sees_every_cluster)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.clusters import managed_clusters, sees_every_cluster
from members.models import Cluster

PARAMETER = "cluster"


@dataclass(frozen=True)
class Scope:
    cluster: Cluster | None  # None: the agency-wide text
    clusters: list[Cluster]  # those the login may pick
    may_edit_agency: bool

    @property
    def cluster_id(self) -> int | None:
        return self.cluster.pk if self.cluster is not None else None

    @property
    def query(self) -> str:
        """For links and form targets that stay in this scope."""
        return f"?{PARAMETER}={self.cluster.pk}" if self.cluster is not None else ""

    @property
    def default(self) -> "Scope | None":
        """Where a login that may not see the agency-wide text lands instead: its first
        cluster (None without any)."""
        if not self.clusters:
            return None
        return Scope(self.clusters[0], self.clusters, self.may_edit_agency)


def scope_of(request) -> Scope:
    """The scope a request asks for. Another cluster's id (or a malformed one) answers 404;
    the agency-wide text without the right to it raises PermissionDenied, except that a GET
    lands on the login's first cluster (see `Scope.default`, used by the views)."""
    clusters = list(managed_clusters(request.user).order_by("name"))
    may_edit_agency = sees_every_cluster(request.user)
    raw = request.GET.get(PARAMETER, "")
    if not raw:
        return Scope(None, clusters, may_edit_agency)
    chosen = next((c for c in clusters if str(c.pk) == raw), None)
    if chosen is None:
        raise Http404
    return Scope(chosen, clusters, may_edit_agency)


def require_allowed(scope: Scope) -> None:
    if scope.cluster is None and not scope.may_edit_agency:
        raise PermissionDenied
