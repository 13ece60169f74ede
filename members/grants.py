"""Writes of the cluster grants: which clusters a staff login manages (members.clusters)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit

from .audit import LoginAction
from .clusters import grants_forget
from .models import Cluster, ClusterGrant, User


@transaction.atomic
def cluster_grants_set(*, login: User, clusters: Iterable[Cluster], actor=None) -> None:
    """Makes `clusters` exactly the clusters this staff login manages, recorded in the audit
    trail (`actor` None: the system, e.g. the demo data). Company logins manage none."""
    if login.company_id is not None:
        raise ValidationError(_("Only staff logins manage clusters."))
    wanted = {cluster.pk: cluster for cluster in clusters}
    before = set(login.cluster_grants.values_list("cluster_id", flat=True))
    if before == set(wanted):
        return
    login.cluster_grants.exclude(cluster_id__in=wanted).delete()
    ClusterGrant.objects.bulk_create(
        [ClusterGrant(login=login, cluster_id=pk) for pk in set(wanted) - before]
    )
    grants_forget([login.pk])  # bulk_create sends no post_save
    names = dict(Cluster.objects.filter(pk__in=before | set(wanted)).values_list("pk", "name"))
    audit.record(
        actor=actor,
        action=LoginAction.CLUSTERS_GRANTED,
        obj=login,
        before={"clusters": sorted(names[pk] for pk in before)},
        after={"clusters": sorted(names[pk] for pk in wanted)},
    )
