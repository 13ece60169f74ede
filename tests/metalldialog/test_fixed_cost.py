"""What every logged-in request costs before its own work: the session from Redis, the roles
from the cache (dropped when a login's groups change), the navigation rendered once per kind
of login; and the production settings that keep it so."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role, roles_cache_key, roles_of

from .production import ROOT, readme_production_env

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The login as the next request loads it (nothing remembered on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_logged_in_page_reads_nothing_from_the_database_before_its_own_work(
    client, company_user_a
):
    client.force_login(company_user_a)
    url = reverse("privacy:notice")
    client.get(url)  # the login and its roles go into the cache
    assert cache.get(roles_cache_key(company_user_a.pk)) == [Role.COMPANY_USER.value]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert company_user_a.email in response.content.decode()
    # The session comes from Redis, the login and its roles from the cache: the only queries
    # are the notice's own.
    sql = [q["sql"] for q in captured.captured_queries]
    assert sql and all('FROM "privacy_privacynotice"' in q for q in sql), sql


def test_a_change_of_groups_drops_the_cached_roles(cluster_manager, company_user_a):
    assert roles_of(_fresh(company_user_a)) == {Role.COMPANY_USER.value}
    project = Group.objects.get(name=Role.PROJECT_MANAGER.value)

    company_user_a.groups.add(project)
    assert roles_of(_fresh(company_user_a)) == {Role.COMPANY_USER.value, project.name}

    company_user_a.groups.remove(project)
    assert roles_of(_fresh(company_user_a)) == {Role.COMPANY_USER.value}

    # From the group's side, for everyone in it (the manager in that one group only).
    cluster_manager.groups.remove(Group.objects.get(name=Role.AGENCY_WIDE.value))
    roles_of(_fresh(cluster_manager))
    managers = Group.objects.get(name=Role.CLUSTER_MANAGER.value)
    managers.user_set.clear()
    assert roles_of(_fresh(cluster_manager)) == frozenset()
    managers.user_set.add(cluster_manager)
    assert roles_of(_fresh(cluster_manager)) == {Role.CLUSTER_MANAGER.value}

    company_user_a.groups.clear()
    assert roles_of(_fresh(company_user_a)) == frozenset()


def test_a_renamed_or_deleted_group_drops_the_cached_roles(company_user_a):
    group = Group.objects.create(name="Vorläufig")
    company_user_a.groups.add(group)
    assert "Vorläufig" in roles_of(_fresh(company_user_a))
    group.name = "Umbenannt"
    group.save()
    assert "Umbenannt" in roles_of(_fresh(company_user_a))
    group.delete()
    assert roles_of(_fresh(company_user_a)) == {Role.COMPANY_USER.value}


def test_a_role_taken_away_closes_the_pages_at_the_next_request(client, cluster_manager):
    client.force_login(cluster_manager)
    url = reverse("forums:staff_list")
    assert client.get(url).status_code == 200
    cluster_manager.groups.clear()
    assert client.get(url).status_code == 403


def test_each_kind_of_login_gets_its_own_navigation(client, cluster_manager, company_user_a):
    client.force_login(cluster_manager)
    staff_page = client.get(reverse("privacy:notice")).content.decode()
    client.force_login(company_user_a)
    company_page = client.get(reverse("privacy:notice")).content.decode()
    english = client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    cockpit = reverse("cockpit:dashboard")
    portal = reverse("members:portal")
    assert cockpit in staff_page and portal not in staff_page
    assert portal in company_page and cockpit not in company_page
    assert "Unser Unternehmen" in company_page and "Our company" in english


def test_production_settings_keep_sessions_in_redis_and_templates_compiled():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("EMAIL_URL", None)
    env |= readme_production_env() | {"DJANGO_SETTINGS_MODULE": "metalldialog.settings.base"}
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings; from django.template import engines\n"
        "loaders = engines['django'].engine.template_loaders\n"
        "print(json.dumps({'session': settings.SESSION_ENGINE,"
        " 'cache': settings.CACHES['default']['BACKEND'],"
        " 'backends': settings.AUTHENTICATION_BACKENDS,"
        " 'static': settings.STORAGES['staticfiles']['BACKEND'],"
        " 'loaders': [type(l).__module__ + '.' + type(l).__name__ for l in loaders]}))"
    )
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    assert found["cache"] == "metalldialog.cache.RedisCache"
    assert found["loaders"] == ["django.template.loaders.cached.Loader"]
    # The lock-out first; the logins from the cache; static URLs worked out once.
    assert found["backends"] == [
        "axes.backends.AxesStandaloneBackend",
        "core.auth_backends.CachedModelBackend",
        "core.auth_backends.CachedAllauthBackend",
    ]
    assert found["static"] == "core.static_storage.RememberedUrlManifestStorage"


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_kept_navigation_is_what_the_template_renders(
    rf, cluster_manager, project_manager, company_user_a, agency_admin, language
):
    from django.template import Context, Template
    from django.template.loader import render_to_string
    from django.utils import translation

    from metalldialog.templatetags.navigation import navigation_flags

    tag = Template("{% load navigation %}{% navigation %}")
    with translation.override(language):
        for user in (cluster_manager, project_manager, company_user_a, agency_admin) * 2:
            expected = render_to_string("includes/nav_items.html", navigation_flags(_fresh(user)))
            assert tag.render(Context({"user": _fresh(user)})) == expected


def test_the_footer_keeps_the_agencys_identity_in_memory_and_a_saved_change_shows_at_once(
    client, company_user_a
):
    from members.identity import AGENCY, cache_key
    from members.models import Agency

    client.force_login(company_user_a)
    url = reverse("privacy:notice")
    agency = Agency.objects.get(pk=1)
    assert agency.address in client.get(url).content.decode()

    # Changed without a signal and gone from the cache: this process's pages keep the
    # identity they read (for a few seconds), so the footer costs no cache round trip.
    Agency.objects.filter(pk=1).update(address="Unbemerkt 1, 70000 Stuttgart")
    cache.delete(cache_key(AGENCY))
    assert "Unbemerkt 1" not in client.get(url).content.decode()

    # Saved as the identity page saves it: the next page shows the new address.
    agency.refresh_from_db()
    agency.address = "Marktplatz 1, 71634 Ludwigsburg"
    agency.save()
    assert "Marktplatz 1, 71634 Ludwigsburg" in client.get(url).content.decode()


def test_an_invariant_part_of_the_layout_cannot_hold_a_block():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="block"):
        Template(
            "{% load navigation %}{% invariant %}{% block x %}{% endblock %}{% endinvariant %}"
        )
