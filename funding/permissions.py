"""Who may see funding data: cluster and project management see all of it; a company user sees
only their own company's certificates. Anything else answers 404 (or 403 for a staff page)."""

from django.shortcuts import get_object_or_404

from core.roles import Role, has_role, is_staff_role

from .models import AidRecord, ControlLink, Declaration

STAFF = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)


def aid_record_scope(user):
    if is_staff_role(user):
        return AidRecord.objects.all()
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return AidRecord.objects.filter(company_id=user.company_id)
    return AidRecord.objects.none()


def aid_record_get_for_user_or_404(user, pk) -> AidRecord:
    return get_object_or_404(aid_record_scope(user).select_related("regulation"), pk=pk)


def control_link_get_for_user_or_404(user, pk) -> ControlLink:
    scope = ControlLink.objects.all() if is_staff_role(user) else ControlLink.objects.none()
    return get_object_or_404(scope, pk=pk)


def declaration_get_for_user_or_404(user, pk) -> Declaration:
    scope = Declaration.objects.all() if is_staff_role(user) else Declaration.objects.none()
    return get_object_or_404(scope.select_related("company"), pk=pk)
