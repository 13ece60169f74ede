"""Every URL answers as expected for anonymous, cluster manager, project manager, company user."""

import pytest
from django.urls import reverse

# url name -> expected status for (anonymous, cluster manager, project manager, company user)
MATRIX = {
    "home": (200, 200, 200, 200),
    "healthz": (200, 200, 200, 200),
    "account_login": (200, 302, 302, 302),
    "account_request_login_code": (200, 302, 302, 302),
    "account_reset_password": (200, 200, 200, 200),
    "account_signup": (200, 302, 302, 302),
    "account_change_password": (302, 200, 200, 200),
    "admin:index": (302, 200, 200, 302),
    "admin:members_company_changelist": (302, 200, 200, 302),
    "atlas:search": (302, 200, 403, 200),
    "atlas:own_profile": (302, 403, 403, 200),
    "circulars:list": (302, 200, 403, 403),
    "circulars:create": (302, 200, 403, 403),
}


@pytest.fixture
def personas(client, cluster_manager, project_manager, company_user_a):
    return {
        "anonymous": None,
        "cluster_manager": cluster_manager,
        "project_manager": project_manager,
        "company_user": company_user_a,
    }


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize(
    "persona", ["anonymous", "cluster_manager", "project_manager", "company_user"]
)
def test_url_answers_by_role(client, personas, name, persona):
    user = personas[persona]
    if user:
        client.force_login(user)
    response = client.get(reverse(name))
    index = list(personas).index(persona)
    assert response.status_code == MATRIX[name][index], (name, persona)
    if response.status_code == 302 and user is None:
        assert "login" in response["Location"]


def test_company_user_is_not_admin_staff(company_user_a):
    assert not company_user_a.is_staff


def test_project_manager_sees_no_company_admin_write(client, company_user_a):
    client.force_login(company_user_a)
    response = client.get(reverse("admin:members_company_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account_signup" not in response.content.decode()
    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": "x-long-pass-123"}
    )
    from members.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_home_shows_role_specific_content(
    client, cluster_manager, company_user_a, company_user_b, company_a, company_b
):
    client.force_login(cluster_manager)
    page = client.get(reverse("home")).content.decode()
    assert "MetallDIALOG" in page
    assert "Unternehmen je Cluster" in page

    client.force_login(company_user_a)
    page = client.get(reverse("home")).content.decode()
    assert company_a.legal_name in page
    assert "Anna Alpha" in page
    assert company_b.legal_name not in page
    assert "Bruno Beta" not in page
