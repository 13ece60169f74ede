"""Writes of the cluster grants: which clusters a staff login manages (members.clusters)."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role

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


@transaction.atomic
def agency_wide_grant(*, login: User, actor=None) -> None:
    """Lets a staff login see every cluster (the group Role.AGENCY_WIDE), recorded in the
    audit trail; the roles cache drops the login's entry (metalldialog.signals)."""
    if login.company_id is not None:
        raise ValidationError(_("Only staff logins manage clusters."))
    group = Group.objects.get(name=Role.AGENCY_WIDE.value)
    if login.groups.filter(pk=group.pk).exists():
        return
    login.groups.add(group)
    audit.record(
        actor=actor,
        action=LoginAction.CLUSTERS_GRANTED,
        obj=login,
        after={"clusters": [str(Role.AGENCY_WIDE.label)]},
    )
