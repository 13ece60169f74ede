"""Who sees which mails: cluster management those of their clusters (and every mail not about
one cluster's object), SEFEX project management the SEFEX mails."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role
from members.clusters import sees_every_cluster

from .models import Batch, Mail

STAFF_ROLES = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
SEFEX = Q(scope_type__app_label="sefex") | Q(content_type__app_label="sefex")

# Objects that belong to one cluster (a forum): the app that owns them declares how to find
# those of a login's clusters (forums.apps), so the outbox need not import it. Their mails
# and batches show a cluster manager only those of their clusters.
_cluster_bound: dict[type, Callable] = {}


def register_cluster_bound(model, ids_for_user: Callable) -> None:
    """`ids_for_user(user)`: a queryset of the pks of `model` in the user's clusters."""
    _cluster_bound[model] = ids_for_user


def in_managed_clusters(user, type_field: str, id_field: str) -> Q:
    if sees_every_cluster(user):
        return Q()
    condition = Q()
    for model, ids_for_user in _cluster_bound.items():
        content_type = ContentType.objects.get_for_model(model)  # cached after the first
        condition &= ~Q(**{f"{type_field}_id": content_type.pk}) | Q(
            **{f"{id_field}__in": ids_for_user(user)}
        )
    return condition


def mails_visible_to(user) -> QuerySet[Mail]:
    if has_role(user, Role.CLUSTER_MANAGER):
        return Mail.objects.filter(in_managed_clusters(user, "scope_type", "scope_id"))
    if has_role(user, Role.PROJECT_MANAGER):
        return Mail.objects.filter(SEFEX)
    return Mail.objects.none()


def mail_get_for_user_or_404(user, pk: int) -> Mail:
    return get_object_or_404(mails_visible_to(user), pk=pk)


def batch_get_for_user_or_404(user, pk: int) -> Batch:
    if has_role(user, Role.CLUSTER_MANAGER):
        return get_object_or_404(
            Batch.objects.filter(in_managed_clusters(user, "content_type", "object_id")), pk=pk
        )
    if has_role(user, Role.PROJECT_MANAGER):
        return get_object_or_404(Batch, pk=pk, content_type__app_label="sefex")
    return get_object_or_404(Batch.objects.none(), pk=pk)
