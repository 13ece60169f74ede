"""Who may manage which login.

- The cluster management manages the logins of every company (company logins), and may
  override what a company's administrator did.
- A company's administrator (a company login marked so, see models.CompanyAdministrator)
  manages the logins of its own company: invites colleagues from the company's contacts,
  deactivates and reactivates them, names further administrators.
- The agency administrator (a superuser) manages every login, staff logins and roles included,
  in the admin.
- Nobody else manages logins; the system (actor None: demo data, commands) may.

A company administrator reaches only its own company: another company's ids answer 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role, is_agency_admin
from members.models import Company, Contact, User
from members.permissions import company_get_for_user_or_404

from .models import CompanyAdministrator


def is_company_admin(user) -> bool:
    """Whether `user` is an active administrator of its company's logins (read once per
    request object)."""
    if not (user.is_authenticated and user.is_active and user.company_id):
        return False
    cached = getattr(user, "_is_company_admin", None)
    if cached is None:
        cached = has_role(user, Role.COMPANY_USER) and (
            CompanyAdministrator.objects.filter(login_id=user.pk).exists()
        )
        user._is_company_admin = cached
    return cached


def is_login_manager(actor) -> bool:
    """The cluster management or the agency administrator: every company's logins."""
    return is_agency_admin(actor) or has_role(actor, Role.CLUSTER_MANAGER)


def may_manage_logins_of(actor, company: Company | None = None) -> bool:
    """Whether `actor` manages the company logins of `company` (of any company if None)."""
    if actor is None or is_login_manager(actor):
        return True
    return company is not None and actor.company_id == company.pk and is_company_admin(actor)


def may_manage_login(actor, login: User) -> bool:
    if actor is None or is_agency_admin(actor):
        return True
    return login.is_company_login and may_manage_logins_of(actor, login.company)


def company_for_logins_or_404(user, pk) -> Company:
    """A company the user reaches (else 404) whose logins they manage (else 403)."""
    company = company_get_for_user_or_404(user, pk)
    if not may_manage_logins_of(user, company):
        raise PermissionDenied
    return company


def contact_for_logins_or_404(user, pk) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("company"), pk=pk)
    company_for_logins_or_404(user, contact.company_id)
    return contact


def login_for_manager_or_404(user, pk) -> User:
    """A company login (staff logins are the agency administrator's, in the admin)."""
    login = get_object_or_404(
        User.objects.select_related("company", "contact"), pk=pk, company__isnull=False
    )
    company_for_logins_or_404(user, login.company_id)
    if not may_manage_login(user, login):
        raise PermissionDenied
    return login
