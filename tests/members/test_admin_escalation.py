"""No staff role can raise its own or anyone's rights in the admin: every path is refused for the
cluster and the project management, and the agency administrator (superuser) can still take it.

The requests go to the real admin URLs with a logged-in persona, as in production."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from core.actions import AdminAction
from core.models import AuditEvent
from core.roles import Role
from members.models import User
from members.services import user_create
from tests.conftest import PASSWORD
from tests.html import submission

STAFF_ROLES = ["cluster_manager", "project_manager"]


@pytest.fixture
def other_staff(db):
    return user_create(email="other@example.org", role=Role.PROJECT_MANAGER, password=PASSWORD)


def _change_url(user):
    return reverse("admin:members_user_change", args=[user.pk])


def _escalating_post(user, *, make_role=Role.CLUSTER_MANAGER):
    """Everything a change form could raise: superuser, staff, a role group, a permission."""
    return {
        "email": user.email,
        "first_name": "Eve",
        "last_name": "Escalate",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=make_role.value).pk],
        "user_permissions": [Permission.objects.get(codename="change_user").pk],
        "date_joined_0": "01.01.2024",
        "date_joined_1": "10:00:00",
    }


def _rights(user) -> tuple:
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        list(user.user_permissions.all()),
        user.first_name,
    )


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_cannot_raise_rights_through_the_user_change_form(
    client, request, role, agency_admin, other_staff, company_user_a
):
    me = request.getfixturevalue(role)
    client.force_login(me)
    for target in (me, other_staff, agency_admin, company_user_a):
        before = _rights(target)
        response = client.post(_change_url(target), _escalating_post(target))
        assert response.status_code == 403, (role, target.email)
        assert _rights(target) == before
    # "Save as new" is the add view in disguise.
    response = client.post(_change_url(me), {**_escalating_post(me), "_saveasnew": "1"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AdminAction.CHANGED).exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_cannot_set_any_password(
    client, request, role, agency_admin, other_staff, company_user_a
):
    me = request.getfixturevalue(role)
    client.force_login(me)
    for target in (me, other_staff, agency_admin, company_user_a):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        before = _rights(target)
        assert client.get(url).status_code == 403
        response = client.post(
            url,
            {
                "password1": "a-new-password-for-x1",
                "password2": "a-new-password-for-x1",
                "usable_password": "true",
            },
        )
        assert response.status_code == 403
        assert _rights(target) == before


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_cannot_add_logins_in_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:members_user_add")
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "email": "sneaky@example.org",
            "password1": "a-new-password-for-x1",
            "password2": "a-new-password-for-x1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="sneaky@example.org").exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_cannot_touch_groups_and_their_permissions(client, request, role):
    me = request.getfixturevalue(role)
    client.force_login(me)
    group = Group.objects.get(name=Role.PROJECT_MANAGER.value)
    permissions_before = set(group.permissions.all())
    every = list(Permission.objects.values_list("pk", flat=True))
    change = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(change).status_code == 403
    assert client.post(change, {"name": group.name, "permissions": every}).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    add = reverse("admin:auth_group_add")
    assert client.post(add, {"name": "Allmacht", "permissions": every}).status_code == 403
    assert set(group.permissions.all()) == permissions_before
    assert not Group.objects.filter(name="Allmacht").exists()
    assert not me.has_perm("members.change_user")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_cannot_delete_a_superuser_or_anyone(
    client, request, role, agency_admin, company_user_a
):
    client.force_login(request.getfixturevalue(role))
    for target in (agency_admin, company_user_a):
        url = reverse("admin:members_user_delete", args=[target.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": [agency_admin.pk], "post": "yes"},
    )
    assert User.objects.filter(pk__in=[agency_admin.pk, company_user_a.pk]).count() == 2


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_see_company_logins_only_and_read_only(
    client, request, role, agency_admin, company_user_a
):
    me = request.getfixturevalue(role)
    client.force_login(me)
    listing = client.get(reverse("admin:members_user_changelist"))
    assert listing.status_code == 200
    shown = {user.email for user in listing.context["cl"].result_list}
    assert shown == {company_user_a.email}
    page = client.get(_change_url(company_user_a))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    # Staff logins are not even found.
    assert client.get(_change_url(agency_admin)).status_code == 302


def test_the_agency_administrator_still_manages_staff_rights_and_the_trail_says_so(
    client, agency_admin, project_manager
):
    client.force_login(agency_admin)
    page = client.get(_change_url(project_manager)).content.decode()
    data = submission(page, "user_form")
    data["groups"] = [str(Group.objects.get(name=Role.CLUSTER_MANAGER.value).pk)]
    response = client.post(_change_url(project_manager), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(project_manager.groups.values_list("name", flat=True)) == ["Clustermanagement"]
    event = AuditEvent.objects.get(action=AdminAction.CHANGED)
    assert event.actor == agency_admin
    assert event.before == {"groups": ["SEFEX-Projektleitung"]}
    assert event.after == {"groups": ["Clustermanagement"]}

    url = reverse("admin:auth_user_password_change", args=[project_manager.pk])
    client.post(
        url,
        {
            "password1": "a-new-password-for-x1",
            "password2": "a-new-password-for-x1",
            "usable_password": "true",
        },
    )
    project_manager.refresh_from_db()
    assert project_manager.check_password("a-new-password-for-x1")
    assert AuditEvent.objects.filter(action=AdminAction.CHANGED).count() == 2

    other_admin = User.objects.create_superuser(email="admin2@example.org", password=PASSWORD)
    url = reverse("admin:members_user_delete", args=[other_admin.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=other_admin.pk).exists()
    deleted = AuditEvent.objects.get(action=AdminAction.DELETED)
    assert deleted.object_repr == "admin2@example.org"
    assert deleted.before["is_superuser"] is True


def test_under_enforced_csrf_the_admin_form_works_and_a_role_is_still_refused(
    agency_admin, cluster_manager
):
    """The browser way: GET the page, POST its own form with the cookie it set."""
    for actor, expected in ((cluster_manager, 403), (agency_admin, 302)):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(actor)
        url = _change_url(cluster_manager)
        page = browser.get(url)
        if expected == 403:
            # No form for the role to submit (its own login is not even shown to it): a
            # forged one with a valid token.
            assert page.status_code == 302
            token = browser.get(reverse("admin:index")).context["csrf_token"]
            data = {**_escalating_post(cluster_manager), "csrfmiddlewaretoken": str(token)}
        else:
            data = submission(page.content.decode(), "user_form")
            data["is_superuser"] = "on"
        assert browser.post(url, data).status_code == expected
    cluster_manager.refresh_from_db()
    assert cluster_manager.is_superuser  # set by the administrator, and only by them
