"""A login does not change its own e-mail address (it names the person and receives the
login codes); allauth's page for it answers with where to ask instead."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_address_page_explains_and_changes_nothing(client, company_user_a):
    client.force_login(company_user_a)
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ihre Anmeldeadresse" in text
    assert "wird daher hier nicht geändert" in text
    assert 'name="email"' not in text
    for data in (
        {"action_add": "", "email": "attacker@evil.example"},
        {"action_primary": "", "email": "attacker@evil.example"},
    ):
        client.post(reverse("account_email"), data)
    company_user_a.refresh_from_db()
    assert company_user_a.email == "user@alpha.example"
    assert not EmailAddress.objects.filter(email="attacker@evil.example").exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
