"""Login by password and by e-mailed code, throttling, roles."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role, has_role
from members.models import User
from members.services import user_create
from tests.conftest import PASSWORD
from tests.totp import totp_code


def _text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_login_by_code_end_to_end_through_smtp(client, cluster_manager, smtp_sink):
    response = client.post(reverse("account_request_login_code"), {"email": cluster_manager.email})
    assert response.status_code == 302
    assert len(smtp_sink.messages) == 1
    mail = smtp_sink.messages[0]
    assert mail["To"] == cluster_manager.email
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", _text_of(mail), re.MULTILINE).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    # Staff then type the code of their authenticator app (the second factor).
    assert response.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get(reverse("home")).context["user"] == cluster_manager


def test_login_by_code_rejects_a_wrong_code(client, cluster_manager, smtp_sink):
    client.post(reverse("account_request_login_code"), {"email": cluster_manager.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_password_login(client, company_user_a):
    response = client.post(
        reverse("account_login"), {"login": company_user_a.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == company_user_a


def test_failed_logins_are_throttled_by_axes(client, company_user_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": company_user_a.email, "password": "wrong"})
    # Even the right password is refused now, with the German lockout page.
    response = client.post(
        reverse("account_login"), {"login": company_user_a.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_roles_are_groups(cluster_manager, project_manager, company_user_a):
    assert has_role(cluster_manager, Role.CLUSTER_MANAGER)
    assert not has_role(cluster_manager, Role.COMPANY_USER)
    assert has_role(project_manager, Role.PROJECT_MANAGER)
    assert has_role(company_user_a, Role.COMPANY_USER)
    assert list(company_user_a.groups.values_list("name", flat=True)) == ["Unternehmensnutzer"]


def test_cluster_manager_group_may_change_companies(cluster_manager, project_manager):
    assert cluster_manager.has_perm("members.change_company")
    assert project_manager.has_perm("members.view_company")
    assert not project_manager.has_perm("members.change_company")


@pytest.mark.django_db
def test_company_user_needs_exactly_one_company(company_a):
    with pytest.raises(ValidationError):
        user_create(email="x@example.org", role=Role.COMPANY_USER)
    with pytest.raises(ValidationError):
        user_create(email="y@example.org", role=Role.CLUSTER_MANAGER, company=company_a)
    assert not User.objects.filter(email__in=["x@example.org", "y@example.org"]).exists()


def test_emails_are_unique_regardless_of_case(cluster_manager):
    with pytest.raises(ValidationError, match="bereits ein Konto"):
        user_create(email="CM@example.org", role=Role.PROJECT_MANAGER)
