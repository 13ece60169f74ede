"""Who may manage which login.

- The cluster management manages the logins of every company (company logins).
- The agency administrator (a superuser) manages every login, staff logins and roles included,
  in the admin.
- Nobody else manages logins; the system (actor None: demo data, commands) may.

The rules sit in `may_manage_logins_of` so that further roles (a company's own administrator, a
cluster manager for some clusters only) are added here without changing the login model or the
services.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from members.models import Company, Contact, User
from members.permissions import company_get_for_user_or_404
from metalldialog.roles import Role, has_role, is_agency_admin


def may_manage_logins_of(actor, company: Company | None = None) -> bool:
    """Whether `actor` manages the company logins of `company` (of any company if None)."""
    if actor is None:
        return True
    return is_agency_admin(actor) or has_role(actor, Role.CLUSTER_MANAGER)


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
