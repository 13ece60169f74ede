"""The company logins page and the set-password page, the way a browser uses them: each page's
own form posted with the CSRF cookie it set (enforced), the link taken from the mail that reached
the SMTP sink."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from members.audit import LoginAction
from members.models import User
from outbox.models import Mail
from outbox.tasks import send_mails
from tests.html import forms


def _post_form(browser, page_url, action):
    """Posts the form of the page whose action is `action`, with its CSRF token."""
    page = browser.get(page_url)
    assert page.status_code == 200
    form = next(f for f in forms(page.content.decode()) if f["action"] == action)
    data = {name: value for name, (_kind, value) in form["fields"].items()}
    return browser.post(action, data)


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_from_contact_to_login_under_enforced_csrf(cluster_manager, company_a, smtp_sink):
    anna = company_a.contacts.get(first_name="Anna")
    anna.email = "anna@alpha.example"
    anna.save()
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(cluster_manager)
    page_url = reverse("logins:company", args=[company_a.pk])
    response = _post_form(staff, page_url, reverse("logins:create", args=[anna.pk]))
    assert response.status_code == 302
    login = User.objects.get(contact=anna)
    assert "anna@alpha.example" in staff.get(page_url).content.decode()

    send_mails.apply(args=[list(Mail.objects.values_list("pk", flat=True))])
    (message,) = smtp_sink.messages
    assert message["To"] == "anna@alpha.example"
    link = re.search(r"https?://\S+/logins/set-password/\S+/", _text(message)).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    person = Client(enforce_csrf_checks=True)
    opened = person.get("/" + path)
    assert opened.status_code == 302  # the token moves into the session
    form_url = opened["Location"]
    page = person.get(form_url)
    assert page.status_code == 200 and "anna@alpha.example" in page.content.decode()
    form = next(
        f
        for f in forms(page.content.decode())
        if f["method"] == "post" and "new_password1" in f["fields"]
    )
    data = {name: value for name, (_kind, value) in form["fields"].items()}
    data.update(new_password1="Neckar-Ufer-2026!", new_password2="Neckar-Ufer-2026!")
    assert person.post(form_url, data)["Location"] == reverse("account_login")
    login.refresh_from_db()
    assert login.check_password("Neckar-Ufer-2026!")
    event = AuditEvent.objects.filter(action=LoginAction.PASSWORD_SET).get()
    assert event.actor == login

    # The link worked once.
    again = Client().get("/" + path, follow=True)
    assert "nicht mehr gültig" in again.content.decode()
    # And the person logs in through the login page with the password just set.
    assert (
        Client()
        .post(reverse("account_login"), {"login": login.email, "password": "Neckar-Ufer-2026!"})
        .status_code
        == 302
    )


def test_deactivate_reactivate_and_resend_from_the_page(client, cluster_manager, company_user_a):
    client.force_login(cluster_manager)
    page_url = reverse("logins:company", args=[company_user_a.company_id])
    for name, active in (("deactivate", False), ("reactivate", True)):
        response = _post_form(client, page_url, reverse(f"logins:{name}", args=[company_user_a.pk]))
        assert response.status_code == 302
        company_user_a.refresh_from_db()
        assert company_user_a.is_active is active
    _post_form(client, page_url, reverse("logins:send_link", args=[company_user_a.pk]))
    _post_form(client, page_url, reverse("logins:send_link", args=[company_user_a.pk]))
    assert Mail.objects.filter(recipient_email=company_user_a.email).count() == 2
    assert list(
        AuditEvent.objects.filter(object_id=str(company_user_a.pk), actor=cluster_manager)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        LoginAction.DEACTIVATED,
        LoginAction.REACTIVATED,
        LoginAction.PASSWORD_LINK_SENT,
        LoginAction.PASSWORD_LINK_SENT,
    ]


@pytest.mark.parametrize(
    ("who", "own", "foreign"),
    [
        (None, 302, 302),
        ("project_manager", 403, 403),
        ("company_user_a", 403, 404),
        ("cluster_manager", 200, 200),
    ],
)
def test_who_reaches_the_page(client, request, who, own, foreign, company_a, company_b):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("logins:company", args=[company_a.pk])).status_code == own
    assert client.get(reverse("logins:company", args=[company_b.pk])).status_code == foreign


def test_company_users_cannot_post_the_actions(client, company_user_a, company_user_b):
    client.force_login(company_user_a)
    assert client.post(reverse("logins:deactivate", args=[company_user_a.pk])).status_code == 403
    assert client.post(reverse("logins:deactivate", args=[company_user_b.pk])).status_code == 404
    contact = company_user_b.contact
    assert client.post(reverse("logins:create", args=[contact.pk])).status_code == 404
    assert User.objects.filter(is_active=True).count() == 2


def test_staff_logins_are_not_reached_from_the_page(client, cluster_manager, project_manager):
    client.force_login(cluster_manager)
    for name in ("deactivate", "send_link"):
        assert client.post(reverse(f"logins:{name}", args=[project_manager.pk])).status_code == 404
    project_manager.refresh_from_db()
    assert project_manager.is_active


def test_a_deactivated_persons_link_does_not_set_a_password(
    client, cluster_manager, company_user_a
):
    from logins.mails import password_link
    from logins.services import login_deactivate

    link = password_link(company_user_a)
    login_deactivate(actor=cluster_manager, login=company_user_a)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, follow=True)
    assert "nicht mehr gültig" in page.content.decode()


@pytest.mark.parametrize("contacts", [3, 12])
def test_page_queries_do_not_grow(
    client, cluster_manager, company_a, contacts, django_assert_num_queries
):
    from core.roles import Role
    from members.services import user_create

    for number in range(contacts):
        person = company_a.contacts.create(
            first_name=f"P{number}", last_name="Alpha", email=f"p{number}@alpha.example"
        )
        if number % 2:
            user_create(email=person.email, role=Role.COMPANY_USER, contact=person)
    client.force_login(cluster_manager)
    url = reverse("logins:company", args=[company_a.pk])
    client.get(url)
    # company, contacts with their logins (session, login and roles from the cache)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
