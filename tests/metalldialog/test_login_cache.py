"""The login of each request comes from the cache (core.login_cache): whatever changes a login
takes effect at its next request, as when it was read from the database."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.login_cache import login_cache_key
from core.roles import Role
from logins.services import login_deactivate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "privacy:notice"  # any page; the layout shows who is logged in


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    assert user.email in client.get(reverse(PAGE)).content.decode()
    assert cache.get(login_cache_key(user.pk)) is not None, "the login was not cached"
    return client


def _logged_in(client, user) -> bool:
    return user.email in client.get(reverse(PAGE)).content.decode()


def test_a_password_changed_in_one_session_logs_the_others_out(company_user_a):
    here, elsewhere = Client(), _session(company_user_a)
    login = {"login": company_user_a.email, "password": PASSWORD}
    assert here.post(reverse("account_login"), login).status_code == 302
    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "ein-neues-Passwort-42",
            "password2": "ein-neues-Passwort-42",
        },
    )
    assert response.status_code == 302
    assert _logged_in(here, company_user_a)
    assert not _logged_in(elsewhere, company_user_a)


def test_a_password_set_by_anyone_logs_every_session_out(company_user_a):
    client = _session(company_user_a)
    company_user_a.set_password("ganz-anders-und-neu-7")
    company_user_a.save()
    assert not _logged_in(client, company_user_a)


def test_a_deactivated_login_is_logged_out_at_its_next_request(company_user_a, cluster_manager):
    client = _session(company_user_a)
    login_deactivate(actor=cluster_manager, login=company_user_a)
    assert not _logged_in(client, company_user_a)


def test_a_deleted_login_is_logged_out(company_user_a):
    client = _session(company_user_a)
    company_user_a.groups.clear()
    type(company_user_a).objects.filter(pk=company_user_a.pk).delete()
    assert not _logged_in(client, company_user_a)


def test_a_role_given_shows_at_the_next_request(client, company_user_a):
    from django.contrib.auth.models import Group

    client = _session(company_user_a)
    staff_list = reverse("forums:staff_list")
    assert client.get(staff_list).status_code == 403
    company_user_a.groups.add(Group.objects.get(name=Role.CLUSTER_MANAGER.value))
    assert client.get(staff_list).status_code == 200


def test_the_layout_follows_the_language(client, company_user_a):
    client = _session(company_user_a)
    german = client.get(reverse(PAGE)).content.decode()
    english = client.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for de, en in [("Abmelden", "Log out"), ("Zum Inhalt springen", "Skip to content")]:
        assert de in german and en not in german
        assert en in english and de not in english


def test_the_cache_holds_no_password_hash(client, company_user_a):
    _session(company_user_a)
    row = cache.get(login_cache_key(company_user_a.pk))
    assert "password" not in row.__dict__
    assert row.get_session_auth_hash() == company_user_a.get_session_auth_hash()
    # A request that needs the password reads it from the database.
    assert row.check_password(PASSWORD)
