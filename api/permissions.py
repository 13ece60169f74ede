"""Who may use the API: the same roles and scopes as the pages (members, forums, sefex
permissions are reused; this module only adapts them to DRF)."""

from rest_framework.permissions import BasePermission

from core.roles import Role, has_role
from forums.models import Registration
from forums.permissions import is_forum_staff, managed_registrations

VIEWERS = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)
# Who registers people for forums on the pages: company users (their colleagues) and the
# cluster management.
REGISTRARS = (Role.CLUSTER_MANAGER, Role.COMPANY_USER)


class HasRole(BasePermission):
    """Logged in (session or token) with one of the three roles. Anonymous -> 401, else 403."""

    roles = VIEWERS

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and has_role(
            request.user, *self.roles
        )


class IsRegistrar(HasRole):
    roles = REGISTRARS


def registration_scope(user):
    """The registrations a user sees on the pages: those of their clusters' forums for the
    cluster management, the own company's for a company user, none for anybody else."""
    if is_forum_staff(user):
        return managed_registrations(user)
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return Registration.objects.filter(company_id=user.company_id)
    return Registration.objects.none()
