"""allauth's pages in the app's layout: the site's navigation and styles around a narrow
column, Bootstrap fields (crispy), one "forgot your password" link, formal German."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

VISITOR_PAGES = [
    "account_login",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
]
LOGGED_IN_PAGES = ["account_logout", "account_change_password", "account_email"]
FIELD_CLASSES = ("form-control", "form-check-input", "form-select")


class _Fields(HTMLParser):
    """The attributes of every visible form field."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden",):
            self.found.append(attrs)


def _assert_in_app_layout(page: str) -> None:
    assert 'class="navbar-brand' in page and "css/app.css" in page, "not in the app's layout"
    assert "account-page" in page, "not in the narrow column of the account pages"
    parser = _Fields()
    parser.feed(page)
    for field in parser.found:
        assert any(c in (field.get("class") or "") for c in FIELD_CLASSES), field


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_pages_are_in_the_app_layout(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_in_app_layout(response.content.decode())


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_pages_of_a_logged_in_user_are_in_the_app_layout(client, cluster_manager, name):
    client.force_login(cluster_manager)
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_in_app_layout(response.content.decode())


def test_login_offers_the_password_reset_once(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert page.count("Passwort vergessen?") == 1
    assert page.count(reverse("account_reset_password")) == 1


def test_password_reset_from_the_mailed_link_to_done(client, company_user_a, smtp_sink):
    """The whole reset in the app's layout and in formal German: request, mail, the link's
    form, the new password, the confirmation; then the new password logs in."""
    response = client.get(reverse("account_reset_password"))
    assert "Sie" in response.content.decode() and " du " not in response.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": company_user_a.email})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    _assert_in_app_layout(done)
    body = smtp_sink.messages[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", body).group(0)
    response = client.get(link, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    _assert_in_app_layout(page)
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link,
        {"password1": "ein-neues-langes-passwort-7", "password2": "ein-neues-langes-passwort-7"},
    )
    assert response.status_code == 302
    _assert_in_app_layout(client.get(response["Location"]).content.decode())
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": company_user_a.email, "password": "ein-neues-langes-passwort-7"},
    )
    assert response.status_code == 302


def test_the_login_code_entry_is_in_the_app_layout(client, cluster_manager, smtp_sink):
    response = client.post(reverse("account_request_login_code"), {"email": cluster_manager.email})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    _assert_in_app_layout(page)
    assert "Sie" in page and not re.search(r"\b(du|dein|dir)\b", page)
