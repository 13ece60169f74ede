"""Who sees which mails: cluster management all, SEFEX project management the SEFEX mails."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role

from .models import Batch, Mail

STAFF_ROLES = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
SEFEX = Q(scope_type__app_label="sefex") | Q(content_type__app_label="sefex")


def mails_visible_to(user) -> QuerySet[Mail]:
    if has_role(user, Role.CLUSTER_MANAGER):
        return Mail.objects.all()
    if has_role(user, Role.PROJECT_MANAGER):
        return Mail.objects.filter(SEFEX)
    return Mail.objects.none()


def mail_get_for_user_or_404(user, pk: int) -> Mail:
    return get_object_or_404(mails_visible_to(user), pk=pk)


def batch_get_for_user_or_404(user, pk: int) -> Batch:
    if has_role(user, Role.CLUSTER_MANAGER):
        return get_object_or_404(Batch, pk=pk)
    if has_role(user, Role.PROJECT_MANAGER):
        return get_object_or_404(Batch, pk=pk, content_type__app_label="sefex")
    return get_object_or_404(Batch.objects.none(), pk=pk)
