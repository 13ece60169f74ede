"""The login lock-out counts per (e-mail, IP address), with a much higher ceiling per address.

Attempts come from explicit addresses (REMOTE_ADDR, or X-Forwarded-For behind a proxy), as
they would through the web server.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def _login(email, password, ip=HOME, **headers):
    """One login attempt from a fresh browser at `ip`; the answer's status code."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, **headers
    )
    if response.status_code == 302:
        assert "_auth_user_id" in client.session
    return response.status_code


def test_failures_for_made_up_addresses_never_lock_a_real_account(company_user_a, settings):
    for index in range(settings.AXES_FAILURE_LIMIT * 2):
        assert _login(f"nobody{index}@example.org", "wrong") == 200
    assert _login(company_user_a.email, PASSWORD) == 302
    # Every failure is stored with the address it named.
    named = set(AccessAttempt.objects.values_list("username", flat=True))
    assert named == {f"nobody{index}@example.org" for index in range(10)}


def test_five_failures_lock_that_account_only_and_only_from_that_address(
    company_user_a, company_user_b, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(company_user_a.email, "wrong") == 200
    # One spelling, one counter: the fifth failure in capitals counts too.
    assert _login(company_user_a.email.upper(), "wrong") == 429

    assert _login(company_user_a.email, PASSWORD) == 429
    assert _login(company_user_b.email, PASSWORD) == 302
    assert _login(company_user_a.email, PASSWORD, ip=ELSEWHERE) == 302


def test_the_address_ceiling_stops_password_spraying(company_user_a, company_user_b, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for index in range(11):
        _login(f"target{index}@example.org", "Sommer2026!")
    # A successful login from the same address does not reset the ceiling.
    assert _login(company_user_b.email, PASSWORD) == 302
    assert _login("target11@example.org", "Sommer2026!") == 429
    assert _login(company_user_a.email, PASSWORD) == 429
    assert _login(company_user_a.email, PASSWORD, ip=ELSEWHERE) == 302


def test_the_ceiling_is_far_above_the_account_limit(settings):
    assert settings.LOGIN_IP_FAILURE_LIMIT >= 10 * settings.AXES_FAILURE_LIMIT


def test_behind_a_proxy_each_visitor_counts_for_himself(company_user_a, settings):
    """With the proxy depth configured, the address is the one the proxy saw (the last entry
    of X-Forwarded-For), not the proxy's own; a forged first entry changes nothing."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "192.0.2.10"
    attacker = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{7}, {HOME}"}
    for index in range(settings.AXES_FAILURE_LIMIT):
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{index}, {HOME}"}
        _login(company_user_a.email, "wrong", ip=proxy, **forged)
    assert _login(company_user_a.email, PASSWORD, ip=proxy, **attacker) == 429
    colleague = {"HTTP_X_FORWARDED_FOR": ELSEWHERE}
    assert _login(company_user_a.email, PASSWORD, ip=proxy, **colleague) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
