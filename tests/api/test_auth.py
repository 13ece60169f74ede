"""Tokens: stored hashed, shown once, revocable; the token acts with its user's role."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import services
from api.models import ApiToken

from ..conftest import PASSWORD
from .conftest import client_for


@pytest.mark.django_db
def test_token_is_stored_only_as_hash(company_user_a, anon):
    token, secret = services.api_token_create(name="CRM", user=company_user_a)
    assert len(secret) >= 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(v) for v in stored.values()}
    anon.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert anon.get("/api/companies/").status_code == 200
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert anon.get("/api/companies/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_missing_wrong_and_revoked_tokens_get_401(company_user_a, anon):
    assert anon.get("/api/companies/").status_code == 401
    anon.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = anon.get("/api/companies/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    token, secret = services.api_token_create(name="CRM", user=company_user_a)
    anon.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert anon.get("/api/companies/").status_code == 200
    services.api_token_revoke(token=token)
    services.api_token_revoke(token=token)  # twice changes nothing
    assert anon.get("/api/companies/").status_code == 401


@pytest.mark.django_db
def test_token_of_deactivated_user_stops_working(company_user_a, anon):
    _token, secret = services.api_token_create(name="CRM", user=company_user_a)
    company_user_a.is_active = False
    company_user_a.save()
    anon.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert anon.get("/api/companies/").status_code == 401


@pytest.mark.django_db
def test_token_needs_a_name_and_a_user_with_role(company_user_a, django_user_model):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.api_token_create(name="  ", user=company_user_a)
    nobody = django_user_model.objects.create_user(email="nobody@example.org", password=PASSWORD)
    with pytest.raises(ValidationError):
        services.api_token_create(name="x", user=nobody)
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_session_login_works_for_the_browsable_api(client, company_user_a):
    client.force_login(company_user_a)
    response = client.get("/api/companies/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Alpha" in response.content


@pytest.mark.django_db
def test_staff_make_token_in_admin_and_see_secret_once(client, cluster_manager, company_user_a):
    client.force_login(cluster_manager)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "Website", "user": company_user_a.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m.rsplit(" ", 1)[1] for m in shown if token.prefix in m)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == cluster_manager
    # Not on the change page afterwards: only prefix and hash are kept.
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret.encode() not in page.content
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_role_cannot_borrow_another_staff_logins_rights_through_a_token(
    client, cluster_manager, project_manager, agency_admin, company_user_a
):
    """A token acts as its user: a cluster manager's token acting as the project manager would
    be a way up. Tokens for company logins and for oneself stay possible."""
    client.force_login(cluster_manager)
    page = client.post(
        reverse("admin:api_apitoken_add"), {"name": "Borrowed", "user": project_manager.pk}
    )
    assert page.status_code == 200 and "Administration der Agentur" in page.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError):
        services.api_token_create(name="x", user=project_manager, actor=cluster_manager)
    # The user picker does not even offer staff logins to a role.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "api", "model_name": "apitoken", "field_name": "user", "term": "example"},
    ).json()["results"]
    assert {r["text"] for r in found} == {str(company_user_a)}
    services.api_token_create(name="Website", user=company_user_a, actor=cluster_manager)
    services.api_token_create(name="Mine", user=cluster_manager, actor=cluster_manager)
    services.api_token_create(name="Ops", user=project_manager, actor=agency_admin)
    assert ApiToken.objects.count() == 3


@pytest.mark.django_db
def test_company_user_cannot_reach_token_admin(client, company_user_a):
    client.force_login(company_user_a)
    response = client.get(reverse("admin:api_apitoken_changelist"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_user_without_role_gets_403(django_user_model):
    from api.keys import hash_secret
    from api.models import ApiToken as Token

    nobody = django_user_model.objects.create_user(email="nobody@example.org", password=PASSWORD)
    Token.objects.create(name="x", user=nobody, prefix="abcdefgh", key_hash=hash_secret("s" * 40))
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "s" * 40)
    assert client.get("/api/companies/").status_code == 403


def test_client_helper_is_token_based(db, cluster_manager):
    client = client_for(cluster_manager)
    assert client.get("/api/clusters/").status_code == 200


@pytest.mark.django_db
def test_a_token_reads_its_login_from_the_login_cache_and_a_deactivated_login_fails(
    company_user_a, anon
):
    _token, secret = services.api_token_create(name="CRM", user=company_user_a)
    anon.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert anon.get("/api/companies/").status_code == 200  # caches the login
    with CaptureQueriesContext(connection) as queries:
        assert anon.get("/api/companies/").status_code == 200
    # neither a query of the login nor a join to it
    assert not [q for q in queries.captured_queries if '"members_user"' in q["sql"]]

    company_user_a.is_active = False
    company_user_a.save()  # drops the cached login
    assert anon.get("/api/companies/").status_code == 401
