"""A company's own administrator manages its colleagues' logins from the portal: invites
them from the company's contacts (a set-password mail naming the colleague who invited),
deactivates and reactivates them; reaches no other company (404); the cluster management sees
every change in the audit trail and can override; the company's last administrator cannot
remove itself, not even with two requests at once. Every POST under enforced CSRF."""

import re
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from logins import services
from logins.models import CompanyAdministrator
from logins.services import LoginError
from members.models import Contact, User
from outbox.models import Mail
from outbox.tasks import send_mails
from tests.conftest import company_login
from tests.html import forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(company_user_a):
    services.login_admin_grant(actor=None, login=company_user_a)
    return User.objects.get(pk=company_user_a.pk)


@pytest.fixture
def colleague(company_a):
    return Contact.objects.create(
        company=company_a, first_name="Cem", last_name="Kollege", email="cem@alpha.example"
    )


def _browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def _form(browser, page_url, action) -> dict:
    page = browser.get(page_url)
    assert page.status_code == 200
    form = next(f for f in forms(page.content.decode()) if f["action"] == action)
    return {name: value for name, (_kind, value) in form["fields"].items()}


def _post(browser, page_url, action, *, token=True):
    data = _form(browser, page_url, action)
    if not token:
        data.pop("csrfmiddlewaretoken")
    return browser.post(action, data)


def test_admin_invites_a_colleague_who_gets_the_mail(admin_a, colleague, company_a, smtp_sink):
    browser = _browser(admin_a)
    home = browser.get("/").content.decode()
    page_url = reverse("logins:company", args=[company_a.pk])
    assert page_url in home  # the start page leads there
    create = reverse("logins:create", args=[colleague.pk])
    assert _post(browser, page_url, create, token=False).status_code == 403
    assert not User.objects.filter(contact=colleague).exists()
    assert _post(browser, page_url, create).status_code == 302
    login = User.objects.get(contact=colleague)
    assert login.company == company_a and not login.has_usable_password()
    send_mails.apply(args=[list(Mail.objects.values_list("pk", flat=True))])
    (message,) = smtp_sink.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "cem@alpha.example"
    assert "Uwe Alpha-Nutzer aus Ihrem Unternehmen hat Sie" in text
    assert re.search(r"/logins/set-password/\S+/", text)
    event = AuditEvent.objects.get(action="login.created", object_id=str(login.pk))
    assert event.actor_id == admin_a.pk


def test_admin_deactivates_and_reactivates(admin_a, colleague, company_a):
    login = services.login_create(actor=admin_a, contact=colleague, send_link=False)
    browser = _browser(admin_a)
    page_url = reverse("logins:company", args=[company_a.pk])
    deactivate = reverse("logins:deactivate", args=[login.pk])
    assert _post(browser, page_url, deactivate, token=False).status_code == 403
    assert User.objects.get(pk=login.pk).is_active
    assert _post(browser, page_url, deactivate).status_code == 302
    assert not User.objects.get(pk=login.pk).is_active
    reactivate = reverse("logins:reactivate", args=[login.pk])
    assert _post(browser, page_url, reactivate).status_code == 302
    assert User.objects.get(pk=login.pk).is_active
    grant = reverse("logins:admin_grant", args=[login.pk])
    assert _post(browser, page_url, grant, token=False).status_code == 403
    assert _post(browser, page_url, grant).status_code == 302
    assert CompanyAdministrator.objects.filter(login=login).exists()
    actions = list(
        AuditEvent.objects.filter(object_id=str(login.pk), actor=admin_a)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "login.created",
        "login.deactivated",
        "login.reactivated",
        "login.admin_granted",
    ]


def test_other_company_answers_404(admin_a, company_b, client):
    bruno = company_b.contacts.get()
    bruno.email = "bruno@beta.example"
    bruno.save()
    login_b = company_login(company_b, "b-user@beta.example", "Bruno", "Beta")
    browser = _browser(admin_a)
    assert browser.get(reverse("logins:company", args=[company_b.pk])).status_code == 404
    for name, pk in (
        ("logins:create", bruno.pk),
        ("logins:deactivate", login_b.pk),
        ("logins:reactivate", login_b.pk),
        ("logins:send_link", login_b.pk),
        ("logins:admin_grant", login_b.pk),
        ("logins:admin_revoke", login_b.pk),
    ):
        client.force_login(admin_a)
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    assert User.objects.get(pk=login_b.pk).is_active
    assert not CompanyAdministrator.objects.filter(login=login_b).exists()
    with pytest.raises(PermissionDenied):
        services.login_deactivate(actor=admin_a, login=login_b)


def test_a_colleague_without_the_flag_manages_nothing(admin_a, colleague, company_a, client):
    plain = company_login(company_a, "plain@alpha.example", "Paula", "Plain")
    client.force_login(plain)
    assert client.get(reverse("logins:company", args=[company_a.pk])).status_code == 403
    assert client.post(reverse("logins:create", args=[colleague.pk])).status_code == 403
    assert client.post(reverse("logins:admin_revoke", args=[admin_a.pk])).status_code == 403
    assert reverse("logins:company", args=[company_a.pk]) not in client.get("/").content.decode()
    assert CompanyAdministrator.objects.filter(login=admin_a).exists()


def test_the_last_administrator_cannot_remove_itself(admin_a, company_a, cluster_manager):
    browser = _browser(admin_a)
    page_url = reverse("logins:company", args=[company_a.pk])
    for name in ("logins:admin_revoke", "logins:deactivate"):
        response = _post(browser, page_url, reverse(name, args=[admin_a.pk]))
        assert response.status_code == 302
        assert "letzte Administrator" in browser.get(page_url).content.decode()
    assert CompanyAdministrator.objects.filter(login=admin_a).exists()
    assert User.objects.get(pk=admin_a.pk).is_active
    assert not AuditEvent.objects.filter(action__in=["login.admin_revoked", "login.deactivated"])
    # With a second administrator it may go; the cluster management may override anyway.
    second = company_login(company_a, "zweite@alpha.example", "Zora", "Zweite")
    services.login_admin_grant(actor=admin_a, login=second)
    response = _post(browser, page_url, reverse("logins:admin_revoke", args=[admin_a.pk]))
    assert response["Location"] == "/"  # no longer theirs to see
    assert browser.get(page_url).status_code == 403
    services.login_admin_revoke(actor=cluster_manager, login=second)
    assert not CompanyAdministrator.objects.exists()
    event = AuditEvent.objects.filter(action="login.admin_revoked").latest("pk")
    assert event.actor == cluster_manager


def test_cluster_manager_sees_and_overrides(admin_a, colleague, company_a, cluster_manager):
    login = services.login_create(actor=admin_a, contact=colleague, send_link=False)
    services.login_deactivate(actor=admin_a, login=login)
    staff = _browser(cluster_manager)
    page_url = reverse("logins:company", args=[company_a.pk])
    page = staff.get(page_url).content.decode()
    assert "Administrator" in page and "cem@alpha.example" in page
    assert _post(staff, page_url, reverse("logins:reactivate", args=[login.pk])).status_code == 302
    assert User.objects.get(pk=login.pk).is_active
    trail = staff.get(reverse("core:audit")).content.decode()
    assert "Zugang deaktiviert" in trail and "Zugang wieder aktiviert" in trail


@pytest.mark.django_db(transaction=True)
def test_two_administrators_giving_up_at_once_leave_one(company_a):
    first = company_login(company_a, "erste@alpha.example", "Erna", "Erste")
    second = company_login(company_a, "zweite@alpha.example", "Zora", "Zweite")
    for login in (first, second):
        services.login_admin_grant(actor=None, login=login)
    barrier, outcomes = threading.Barrier(2), []

    def give_up(login):
        try:
            barrier.wait()
            services.login_admin_revoke(actor=login, login=login)
            outcomes.append("revoked")
        except LoginError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=give_up, args=(login,)) for login in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "revoked"]
    assert CompanyAdministrator.objects.count() == 1
