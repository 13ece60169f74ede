"""Two-factor login: required for staff (cluster and project managers, administrators),
optional for company users; no way around it (login by code, the admin's login form).

Codes are computed from the fixture secret as an authenticator app does (tests/totp.py).
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import User
from metalldialog.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.conftest import PASSWORD
from tests.totp import totp_code

pytestmark = pytest.mark.django_db
AUTHENTICATE = reverse("mfa_authenticate")
SETUP = reverse("mfa_activate_totp")


def _password(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def _logged_in_as(client):
    return client.get(reverse("home")).context["user"]


def test_staff_type_the_code_after_the_password(client, cluster_manager):
    response = _password(client, cluster_manager)
    assert response.status_code == 302
    assert response.url == AUTHENTICATE
    assert not _logged_in_as(client).is_authenticated

    wrong = client.post(AUTHENTICATE, {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Falscher Code" in wrong.content.decode()
    assert not _logged_in_as(client).is_authenticated

    assert client.post(AUTHENTICATE, {"code": totp_code()}).status_code == 302
    assert _logged_in_as(client) == cluster_manager


def test_a_code_works_once(client, project_manager):
    code = totp_code()
    _password(client, project_manager)
    client.post(AUTHENTICATE, {"code": code})
    assert _logged_in_as(client) == project_manager
    client.post(reverse("account_logout"))
    _password(client, project_manager)
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 200
    assert not _logged_in_as(client).is_authenticated


def test_guessing_the_code_stops_after_five_tries(client, cluster_manager):
    _password(client, cluster_manager)
    for _ in range(5):
        client.post(AUTHENTICATE, {"code": "999999" if totp_code() != "999999" else "888888"})
    refused = client.post(AUTHENTICATE, {"code": totp_code()})
    assert refused.status_code == 200
    assert "Zu viele fehlgeschlagene Versuche" in refused.content.decode()
    assert not _logged_in_as(client).is_authenticated


def test_company_users_log_in_with_the_password_alone(client, company_user_a):
    response = _password(client, company_user_a)
    assert response.status_code == 302
    assert response.url != AUTHENTICATE
    assert _logged_in_as(client) == company_user_a
    # They may set up an authenticator if they like.
    assert client.get(reverse("members:portal")).status_code == 200


def test_login_by_code_does_not_skip_the_second_factor(client, cluster_manager, smtp_sink):
    client.post(reverse("account_request_login_code"), {"email": cluster_manager.email})
    text = smtp_sink.messages[-1].get_body(preferencelist=("plain",)).get_content()
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", text.replace("\r\n", "\n"), re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert response.url == AUTHENTICATE
    assert not _logged_in_as(client).is_authenticated
    client.post(AUTHENTICATE, {"code": totp_code()})
    assert _logged_in_as(client) == cluster_manager


def test_the_admin_login_form_is_the_app_login(client, cluster_manager):
    """The admin's own form would take a password alone."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    posted = client.post(
        reverse("admin:login"), {"username": cluster_manager.email, "password": PASSWORD}
    )
    assert posted.status_code == 302
    assert not _logged_in_as(client).is_authenticated


def test_staff_cannot_remove_their_authenticator(client, cluster_manager):
    _password(client, cluster_manager)
    client.post(AUTHENTICATE, {"code": totp_code()})
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=cluster_manager, type="totp").exists()


def test_the_check_costs_no_query_per_request(client, cluster_manager):
    _password(client, cluster_manager)
    client.post(AUTHENTICATE, {"code": totp_code()})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("forums:staff_list")).status_code == 200
    assert not [q for q in queries if "mfa_authenticator" in q["sql"]]


# --- first login of staff without an authenticator app ---------------------------------------


@pytest.mark.without_totp
def test_staff_without_an_authenticator_reach_only_its_set_up(client, cluster_manager):
    assert _password(client, cluster_manager).status_code == 302
    for name in ("home", "forums:staff_list", "members:directory", "admin:index"):
        response = client.get(reverse(name))
        assert (response.status_code, response.url) == (302, SETUP), name
    page = client.get(SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zwei-Faktor-Anmeldung einrichten" in text
    assert "bleiben die übrigen Seiten geschlossen" in text
    assert "<svg" in text  # the QR code, inline (no data: image under the CSP)

    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', text).group(1)
    wrong = client.post(SETUP, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=cluster_manager).exists()

    done = client.post(SETUP, {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done.url == reverse("mfa_view_recovery_codes")
    codes = client.get(done.url)
    assert codes.status_code == 200
    assert len(re.findall(r"\b\d{8}\b", codes.content.decode())) == 10
    assert client.get(reverse("forums:staff_list")).status_code == 200

    # From now on the login asks for the code of the new app.
    client.post(reverse("account_logout"))
    assert _password(client, cluster_manager).url == AUTHENTICATE
    client.post(AUTHENTICATE, {"code": totp_code(secret, steps_ahead=1)})
    assert _logged_in_as(client) == cluster_manager


@pytest.mark.without_totp
def test_during_set_up_logging_out_still_works(client, project_manager):
    _password(client, project_manager)
    assert client.post(reverse("account_logout")).status_code == 302
    assert not _logged_in_as(client).is_authenticated


@pytest.mark.without_totp
def test_a_recovery_code_logs_in_once(client, project_manager):
    _password(client, project_manager)
    secret = re.search(
        r'id="authenticator_secret">([A-Z2-7]+)<', client.get(SETUP).content.decode()
    ).group(1)
    client.post(SETUP, {"code": totp_code(secret)})
    recovery = re.findall(
        r"\b\d{8}\b", client.get(reverse("mfa_view_recovery_codes")).content.decode()
    )
    client.post(reverse("account_logout"))
    _password(client, project_manager)
    client.post(AUTHENTICATE, {"code": recovery[0]})
    assert _logged_in_as(client) == project_manager
    client.post(reverse("account_logout"))
    _password(client, project_manager)
    client.post(AUTHENTICATE, {"code": recovery[0]})
    assert not _logged_in_as(client).is_authenticated


# --- the demo logins of `make run` ------------------------------------------------------------


@pytest.mark.without_totp
def test_demo_staff_log_in_with_the_printed_key(client, capsys):
    call_command("seed_demo")
    call_command("demo_totp")
    printed = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in printed
    staff = User.objects.get(email=DEMO_LOGINS[0][1])
    _password(client, staff, DEMO_PASSWORD)
    code = re.search(r"^(\d{6}) ", printed, re.M).group(1)
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert _logged_in_as(client) == staff
    company_user = User.objects.get(email=DEMO_LOGINS[2][1])
    assert not Authenticator.objects.filter(user=company_user).exists()
