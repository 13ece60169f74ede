"""Who may reach which company data.

Staff roles (cluster and project management) reach every company; a company user only
their own. Anything else answers 404, so a foreign id looks like one that does not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role, is_staff_role

from .models import Company, Contact, SmeFigures, SmeHolding

STAFF_READ = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
STAFF_WRITE = (Role.CLUSTER_MANAGER,)


def company_scope(user):
    """The companies this user may reach (an empty queryset for none)."""
    if is_staff_role(user):
        return Company.objects.all()
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return Company.objects.filter(pk=user.company_id)
    return Company.objects.none()


def contact_scope(user):
    if is_staff_role(user):
        return Contact.objects.all()
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return Contact.objects.filter(company_id=user.company_id)
    return Contact.objects.none()


def company_get_for_user_or_404(user, pk) -> Company:
    return get_object_or_404(company_scope(user), pk=pk)


def contact_get_for_user_or_404(user, pk) -> Contact:
    return get_object_or_404(contact_scope(user).select_related("company"), pk=pk)


def sme_figures_get_for_user_or_404(user, pk) -> SmeFigures:
    return get_object_or_404(
        SmeFigures.objects.select_related("company").filter(company__in=company_scope(user)),
        pk=pk,
    )


def sme_holding_get_for_user_or_404(user, pk) -> SmeHolding:
    return get_object_or_404(
        SmeHolding.objects.select_related("figures__company").filter(
            figures__company__in=company_scope(user)
        ),
        pk=pk,
    )


def require_role(user, *roles: Role) -> None:
    """After the object was found for this user: a reachable object, wrong role -> 403."""
    if not has_role(user, *roles):
        raise PermissionDenied


def own_company_or_404(user) -> Company:
    """The company user's own company (portal pages)."""
    if not (has_role(user, Role.COMPANY_USER) and user.company_id):
        raise Http404
    return user.company
