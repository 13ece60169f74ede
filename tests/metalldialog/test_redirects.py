"""Every parameter that names where to go next leads only to this site.

The places: the forum registration's cancel button (`next`), the login (`next`, allauth), the
language switch (`next`, Django). `/\\evil.example` is what browsers read as
`//evil.example`."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from forums import services
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum, cluster  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ELSEWHERE = [
    "/\\evil.example",
    "/\\/evil.example/",
    "//evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
]


def _stays_here(location: str) -> bool:
    """As a browser reads the Location: backslashes are slashes, tabs are dropped."""
    read = location.replace("\\", "/").replace("\t", "")
    parts = urlsplit(read)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")


@pytest.mark.parametrize("target", ELSEWHERE)
def test_cancel_a_registration_never_leads_away(client, company_user_a, cluster, target):  # noqa: F811
    forum = build_forum(cluster)
    registration = services.registration_create(
        forum=forum, contact=company_user_a.company.contacts.first()
    )
    client.force_login(company_user_a)
    response = client.post(
        reverse("forums:registration_cancel", args=[registration.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert _stays_here(response.url), response.url
    assert response.url == reverse("forums:my_registrations")


def test_cancel_still_returns_to_the_page_it_came_from(client, company_user_a, cluster):  # noqa: F811
    forum = build_forum(cluster)
    registration = services.registration_create(
        forum=forum, contact=company_user_a.company.contacts.first()
    )
    client.force_login(company_user_a)
    back = reverse("forums:detail", args=[forum.pk])
    response = client.post(
        reverse("forums:registration_cancel", args=[registration.pk]), {"next": back}
    )
    assert response.url == back


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_never_leads_away(client, company_user_a, target):
    response = client.post(
        reverse("account_login"),
        {"login": company_user_a.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert _stays_here(response.url), response.url


@pytest.mark.parametrize("target", ELSEWHERE)
def test_language_switch_never_leads_away(client, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert _stays_here(response.url), response.url
