"""Company logins: created for a contact, deactivated, reactivated, a set-password link sent;
who may do it; every grant and removal in the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from logins import services
from logins.mails import PASSWORD_LINK_KIND
from members.audit import LoginAction
from members.models import Contact, User
from outbox.models import Mail
from tests.conftest import PASSWORD


@pytest.fixture
def anna(company_a):
    contact = company_a.contacts.get(first_name="Anna")
    contact.email = "anna@alpha.example"
    contact.save()
    return contact


def _events(login):
    return list(
        AuditEvent.objects.filter(object_id=str(login.pk))
        .order_by("pk")
        .values_list("action", "actor__email")
    )


def test_a_login_for_a_contact_uses_its_address_has_no_password_and_mails_a_link(
    cluster_manager, anna
):
    login = services.login_create(actor=cluster_manager, contact=anna)
    assert (login.email, login.contact, login.company) == (anna.email, anna, anna.company)
    assert login.is_active and not login.has_usable_password() and not login.is_staff
    assert sorted(login.groups.values_list("name", flat=True)) == ["Unternehmensnutzer"]
    mail = Mail.objects.get(kind=PASSWORD_LINK_KIND)
    assert (mail.recipient_email, mail.contact) == (anna.email, anna)
    assert "/logins/set-password/" in mail.text_body
    assert _events(login) == [
        (LoginAction.CREATED, cluster_manager.email),
        (LoginAction.PASSWORD_LINK_SENT, cluster_manager.email),
    ]
    created = AuditEvent.objects.get(action=LoginAction.CREATED, object_id=str(login.pk))
    assert created.after["email"] == anna.email
    assert created.after["company"] == str(anna.company)


def test_no_login_without_an_address_twice_or_with_a_taken_address(
    cluster_manager, company_a, company_b, anna
):
    nobody = company_a.contacts.create(first_name="Nora", last_name="Ohne")
    with pytest.raises(ValidationError, match="keine E-Mail-Adresse"):
        services.login_create(actor=cluster_manager, contact=nobody)
    services.login_create(actor=cluster_manager, contact=anna)
    with pytest.raises(ValidationError):
        services.login_create(actor=cluster_manager, contact=anna)
    namesake = company_b.contacts.create(first_name="A", last_name="B", email="ANNA@alpha.example")
    with pytest.raises(ValidationError, match="bereits ein Konto"):
        services.login_create(actor=cluster_manager, contact=namesake)
    assert User.objects.filter(company__isnull=False).count() == 1
    assert Mail.objects.count() == 1
    assert AuditEvent.objects.filter(action=LoginAction.CREATED, actor=cluster_manager).count() == 1


def test_deactivate_and_reactivate_are_recorded_and_idempotent(cluster_manager, company_user_a):
    services.login_deactivate(actor=cluster_manager, login=company_user_a)
    services.login_deactivate(actor=cluster_manager, login=company_user_a)
    company_user_a.refresh_from_db()
    assert not company_user_a.is_active
    with pytest.raises(ValidationError, match="deaktiviert"):
        services.login_password_link_send(actor=cluster_manager, login=company_user_a)
    services.login_reactivate(actor=cluster_manager, login=company_user_a)
    company_user_a.refresh_from_db()
    assert company_user_a.is_active
    events = AuditEvent.objects.filter(object_id=str(company_user_a.pk)).order_by("pk")
    assert [(e.action, e.before, e.after) for e in events][-2:] == [
        (LoginAction.DEACTIVATED, {"is_active": True}, {"is_active": False}),
        (LoginAction.REACTIVATED, {"is_active": False}, {"is_active": True}),
    ]


def test_a_deactivated_login_is_logged_out_and_cannot_log_in(
    client, cluster_manager, company_user_a
):
    client.post("/accounts/login/", {"login": company_user_a.email, "password": PASSWORD})
    assert client.get("/").context["user"] == company_user_a
    services.login_deactivate(actor=cluster_manager, login=company_user_a)
    assert not client.get("/").context["user"].is_authenticated
    client.post("/accounts/login/", {"login": company_user_a.email, "password": PASSWORD})
    assert not client.get("/").context["user"].is_authenticated


@pytest.mark.parametrize("who", ["project_manager", "company_user_a", "company_user_b"])
def test_only_the_cluster_management_manages_company_logins(request, who, anna, company_user_a):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.login_create(actor=actor, contact=anna)
    for write in (services.login_deactivate, services.login_password_link_send):
        with pytest.raises(PermissionDenied):
            write(actor=actor, login=company_user_a)
    company_user_a.refresh_from_db()
    assert company_user_a.is_active and not hasattr(Contact.objects.get(pk=anna.pk), "login")
    assert not Mail.objects.exists()


def test_staff_logins_are_the_agency_administrators(cluster_manager, project_manager, agency_admin):
    with pytest.raises(PermissionDenied):
        services.login_deactivate(actor=cluster_manager, login=project_manager)
    project_manager.refresh_from_db()
    assert project_manager.is_active
    services.login_deactivate(actor=agency_admin, login=project_manager)
    project_manager.refresh_from_db()
    assert not project_manager.is_active
