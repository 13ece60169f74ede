"""Writes on company logins: one transaction each, keyword-only, every grant and removal in
the audit trail. `actor` is the person acting (checked against logins.permissions) or None for
the system."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role
from members.audit import LoginAction
from members.models import Company, Contact, User
from members.services import user_create

from . import mails
from .audit import CompanyAdminAction
from .models import CompanyAdministrator
from .permissions import is_login_manager, may_manage_login, may_manage_logins_of


class LoginError(ValidationError):
    """A refusal; the message is for the person who tried."""


def _check(actor, login: User) -> None:
    if not may_manage_login(actor, login):
        raise PermissionDenied


def _locked(login: User) -> User:
    return (
        User.objects.select_for_update(of=("self",))
        .select_related("company", "contact")
        .get(pk=login.pk)
    )


@transaction.atomic
def login_create(*, actor, contact: Contact, send_link: bool = True) -> User:
    """A login for a contact of a company, with the contact's address; without a password,
    which the person sets through the link mailed to them (unless `send_link` is False)."""
    contact = Contact.objects.select_for_update().select_related("company").get(pk=contact.pk)
    if not may_manage_logins_of(actor, contact.company):
        raise PermissionDenied
    if not contact.email:
        raise LoginError(
            _("%(name)s has no e-mail address. Please add one to the contact first.")
            % {"name": contact.full_name}
        )
    login = user_create(email=contact.email, role=Role.COMPANY_USER, contact=contact, actor=actor)
    if send_link:
        login_password_link_send(actor=actor, login=login)
    return login


def _inviter(actor) -> str:
    """The colleague who invited, named in the mail; empty for the cluster management."""
    if actor is None or is_login_manager(actor) or not actor.company_id:
        return ""
    return actor.contact.full_name if actor.contact_id else actor.email


def _lock_company(company_id: int) -> None:
    """Changes to a company's administrators take turns, so "the last one" stays true."""
    Company.objects.select_for_update().filter(pk=company_id).first()


def _is_last_admin(login: User) -> bool:
    return not (
        CompanyAdministrator.objects.filter(
            login__company_id=login.company_id, login__is_active=True
        )
        .exclude(login=login)
        .exists()
    )


def _refuse_self_removal(actor, login: User) -> None:
    """A company's last administrator cannot remove itself (the cluster management can)."""
    if (
        actor is not None
        and actor.pk == login.pk
        and CompanyAdministrator.objects.filter(login=login).exists()
        and _is_last_admin(login)
    ):
        raise LoginError(
            _(
                "You are the company's last administrator. Please make a colleague "
                "administrator first."
            )
        )


def _set_active(*, actor, login: User, active: bool, action: LoginAction) -> User:
    if login.company_id:
        _lock_company(login.company_id)
    login = _locked(login)
    _check(actor, login)
    if not active:
        _refuse_self_removal(actor, login)
    if login.is_active != active:
        login.is_active = active
        login.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action=action,
            obj=login,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return login


@transaction.atomic
def login_deactivate(*, actor, login: User) -> User:
    """The person can no longer log in; a session they have ends with their next request."""
    return _set_active(actor=actor, login=login, active=False, action=LoginAction.DEACTIVATED)


@transaction.atomic
def login_reactivate(*, actor, login: User) -> User:
    return _set_active(actor=actor, login=login, active=True, action=LoginAction.REACTIVATED)


@transaction.atomic
def login_password_link_send(*, actor, login: User) -> None:
    """Mails the person a link to set their password (a new mail on every call)."""
    login = _locked(login)
    _check(actor, login)
    if not login.is_active:
        raise LoginError(_("The login is deactivated. Please reactivate it first."))
    mails.password_link_queue(login, inviter=_inviter(actor))
    audit.record(
        actor=actor,
        action=LoginAction.PASSWORD_LINK_SENT,
        obj=login,
        after={"email": login.email},
    )


@transaction.atomic
def login_admin_grant(*, actor, login: User) -> User:
    """Makes an active company login an administrator of its company's logins."""
    if login.company_id:
        _lock_company(login.company_id)
    login = _locked(login)
    _check(actor, login)
    if not login.is_company_login or not login.is_active:
        raise LoginError(_("Only an active login of the company can become its administrator."))
    _admin, created = CompanyAdministrator.objects.get_or_create(
        login=login, defaults={"granted_by": actor}
    )
    if created:
        audit.record(
            actor=actor,
            action=CompanyAdminAction.GRANTED,
            obj=login,
            before={"company_administrator": False},
            after={"company_administrator": True},
        )
    return login


@transaction.atomic
def login_admin_revoke(*, actor, login: User) -> User:
    """Takes the administrator rights away; the company's last administrator cannot give up
    its own (the cluster management may take them)."""
    if login.company_id:
        _lock_company(login.company_id)
    login = _locked(login)
    _check(actor, login)
    _refuse_self_removal(actor, login)
    deleted, _rows = CompanyAdministrator.objects.filter(login=login).delete()
    if deleted:
        audit.record(
            actor=actor,
            action=CompanyAdminAction.REVOKED,
            obj=login,
            before={"company_administrator": True},
            after={"company_administrator": False},
        )
    return login


@transaction.atomic
def login_password_set(*, login: User, password: str) -> User:
    """The person sets their own password through the link (validated by the form)."""
    login = _locked(login)
    login.set_password(password)
    login.save(update_fields=["password"])
    audit.record(actor=login, action=LoginAction.PASSWORD_SET, obj=login)
    return login
