"""Shared master data, separate cluster histories: a company in both clusters shows each
cluster's manager the relationships, registrations and activities of their cluster; the
cockpit's figures, sleeping members and the API keep to the manager's clusters."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from crm import services as crm_services
from crm.models import Activity
from members.clusters import granted_cluster_ids, in_managed_clusters
from members.grants import cluster_grants_set
from members.models import ClusterGrant
from members.services import user_create
from tests.clusters.conftest import client_of
from tests.conftest import company_login

pytestmark = pytest.mark.django_db


def _log(actor, company, cluster, topic):
    return crm_services.activity_log(
        actor=actor,
        company=company,
        cluster=cluster,
        kind=Activity.Kind.CALL,
        happened_on=timezone.localdate(),
        topic=topic,
    )


def test_company_page_shows_each_manager_their_clusters_history(
    metal_manager,
    plastics_manager,
    agency_wide,
    both_clusters,
    metal_forum,
    plastics_forum,
    metall,
    kunststoff,
):
    _log(metal_manager, both_clusters, metall, "Anruf wegen Schweißroboter")
    _log(plastics_manager, both_clusters, kunststoff, "Anruf wegen Rezyklaten")
    url = reverse("members:company", args=[both_clusters.pk])
    metal = client_of(metal_manager).get(url)
    plastics = client_of(plastics_manager).get(url)
    both = client_of(agency_wide).get(url)
    assert [r.cluster for r in metal.context["relationships"]] == [metall]
    assert [r.cluster for r in plastics.context["relationships"]] == [kunststoff]
    assert len(both.context["relationships"]) == 2
    metal_html, plastics_html = metal.content.decode(), plastics.content.decode()
    assert "Schweißroboter" in metal_html and "Rezyklaten" not in metal_html
    assert "Rezyklaten" in plastics_html and "Schweißroboter" not in plastics_html
    assert metal_forum.title in metal_html and plastics_forum.title not in metal_html
    assert plastics_forum.title in plastics_html and metal_forum.title not in plastics_html
    both_html = both.content.decode()
    assert "Schweißroboter" in both_html and "Rezyklaten" in both_html


def test_activity_belongs_to_one_of_the_managers_clusters(
    metal_manager, both_clusters, kunststoff, metall
):
    with pytest.raises(PermissionDenied):
        _log(metal_manager, both_clusters, kunststoff, "fremd")
    with pytest.raises(ValidationError):
        _log(metal_manager, both_clusters, None, "ohne Cluster")
    assert _log(metal_manager, both_clusters, metall, "eigen").cluster == metall
    page = client_of(metal_manager).get(reverse("crm:activity_create", args=[both_clusters.pk]))
    assert list(page.context["form"].fields["cluster"].queryset) == [metall]


def test_relationship_form_offers_the_own_clusters(metal_manager, both_clusters, metall):
    url = reverse("members:relationship_create", args=[both_clusters.pk])
    form = client_of(metal_manager).get(url).context["form"]
    assert list(form.fields["cluster"].queryset) == [metall]


def test_cockpit_keeps_to_the_managers_cluster(
    metal_manager, plastics_manager, agency_wide, metal_forum, plastics_forum
):
    for name in ("cockpit:dashboard", "cockpit:sleeping", "cockpit:annual_report"):
        url = reverse(name)
        plastics = client_of(plastics_manager)
        assert plastics.get(url + "?cluster=metall").status_code == 404, name
        assert client_of(metal_manager).get(url + "?cluster=kunststoff").status_code == 404
        page = plastics.get(url)
        assert page.status_code == 200
        assert page.context["cluster"]["slug"] == "kunststoff"
        choices = [value for value, _ in page.context["form"].fields["cluster"].choices]
        assert choices == ["kunststoff"], name
        wide = client_of(agency_wide).get(url)
        assert wide.context["cluster"] is None  # all clusters
    dashboard = client_of(plastics_manager).get(reverse("cockpit:dashboard")).content.decode()
    assert plastics_forum.title in dashboard and metal_forum.title not in dashboard
    assert (
        client_of(plastics_manager).get(reverse("cockpit:sefex") + "?cluster=metall").status_code
        == 404
    )


def test_start_page_lists_the_own_clusters_forums(
    metal_manager, plastics_manager, metal_forum, plastics_forum
):
    page = client_of(plastics_manager).get("/").content.decode()
    assert plastics_forum.title in page and metal_forum.title not in page
    page = client_of(metal_manager).get("/").content.decode()
    assert metal_forum.title in page and plastics_forum.title not in page


def test_sleeping_members_are_the_clusters_members(
    metal_manager, plastics_manager, both_clusters, metal_only, plastics_only
):
    metal = client_of(metal_manager).get(reverse("cockpit:sleeping")).context["rows"]
    plastics = client_of(plastics_manager).get(reverse("cockpit:sleeping")).context["rows"]
    metal_names = {row["legal_name"] for row in metal}
    plastics_names = {row["legal_name"] for row in plastics}
    assert metal_only.legal_name in metal_names and plastics_only.legal_name not in metal_names
    assert plastics_only.legal_name in plastics_names
    assert metal_only.legal_name not in plastics_names


def test_api_lists_and_finds_the_own_clusters_registrations(
    metal_manager, plastics_manager, metal_forum, plastics_forum, both_clusters
):
    api = client_of(plastics_manager)
    rows = api.get("/api/registrations/").json()
    rows = rows.get("results", rows)
    assert {row["forum"] for row in rows} == {plastics_forum.pk}
    foreign = metal_forum.registrations.first()
    assert api.get(f"/api/registrations/{foreign.pk}/").status_code == 404
    assert api.post(f"/api/registrations/{foreign.pk}/cancel/").status_code == 404
    assert api.get(f"/api/forums/{metal_forum.pk}/").status_code == 404
    answer = api.get(f"/api/registrations/?forum={metal_forum.pk}")
    assert answer.status_code == 400
    company = api.get(f"/api/companies/{both_clusters.pk}/").json()
    assert [r["cluster"] for r in company["relationships"]] == [plastics_forum.cluster_id]
    # A company's own login sees its relationships to both clusters.
    own = company_login(both_clusters, "chefin@alpha.example", "Chefin", "Alpha")
    mine = client_of(own).get(f"/api/companies/{both_clusters.pk}/").json()
    assert len(mine["relationships"]) == 2


def test_grants_are_cached_and_dropped_on_change(metal_manager, kunststoff, metall):
    assert granted_cluster_ids(metal_manager) == {metall.pk}
    cluster_grants_set(login=metal_manager, clusters=[metall, kunststoff])
    metal_manager.refresh_from_db()  # a new request: a fresh user object
    fresh = type(metal_manager).objects.get(pk=metal_manager.pk)
    assert granted_cluster_ids(fresh) == {metall.pk, kunststoff.pk}
    ClusterGrant.objects.filter(login=fresh, cluster=kunststoff).delete()
    again = type(metal_manager).objects.get(pk=metal_manager.pk)
    assert granted_cluster_ids(again) == {metall.pk}


def test_company_logins_manage_no_cluster(company_user_a, metall):
    with pytest.raises(ValidationError):
        cluster_grants_set(login=company_user_a, clusters=[metall])
    assert in_managed_clusters(company_user_a) is not None


def test_migration_grants_every_cluster_to_existing_managers(metall, kunststoff, project_manager):
    manager = user_create(
        email="alt@example.org", role=Role.CLUSTER_MANAGER, password="x-pass-12345"
    )
    migration = importlib.import_module("members.migrations.0013_cluster_grants")
    migration.grant_every_cluster_to_every_manager(django_apps, None)
    assert set(manager.cluster_grants.values_list("cluster__slug", flat=True)) == {
        "metall",
        "kunststoff",
    }
    assert not project_manager.cluster_grants.exists()


def test_only_the_agency_administrator_grants_clusters_in_the_admin(
    metal_manager, agency_admin, kunststoff
):
    url = reverse("admin:members_user_change", args=[metal_manager.pk])
    assert client_of(metal_manager).get(url).status_code in (302, 403)  # never the form
    page = client_of(agency_admin).get(url)
    assert page.status_code == 200
    assert "cluster_grants-TOTAL_FORMS" in page.content.decode()
    group = metal_manager.groups.get()
    assert not group.permissions.filter(codename__endswith="_clustergrant").exists()


def test_company_page_queries_do_not_grow_with_the_clusters_history(
    plastics_manager, both_clusters, kunststoff, metall, django_assert_max_num_queries
):
    from forums import services as forum_services
    from tests.factories import ContactFactory, ForumFactory

    client = client_of(plastics_manager)
    url = reverse("members:company", args=[both_clusters.pk])
    client.get(url)  # roles and grants cached, as after the login
    _log(plastics_manager, both_clusters, kunststoff, "Erster Anruf")
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for number in range(4):
        forum = ForumFactory(cluster=kunststoff, title=f"Kunststoff-Forum {number}")
        person = ContactFactory(company=both_clusters)
        forum_services.registration_create(forum=forum, contact=person)
        _log(plastics_manager, both_clusters, kunststoff, f"Anruf {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Kunststoff-Forum ") >= 4


def test_the_agency_administrator_grants_a_cluster_in_the_admin(
    metal_manager, agency_admin, kunststoff, metall, plastics_forum
):
    from tests.html import submission

    url = reverse("admin:members_user_change", args=[metal_manager.pk])
    admin = client_of(agency_admin)
    forum_page = reverse("forums:staff_registrations", args=[plastics_forum.pk])
    assert client_of(metal_manager).get(forum_page).status_code == 404
    data = submission(admin.get(url).content.decode(), "user_form")
    data |= {
        "cluster_grants-TOTAL_FORMS": "2",
        "cluster_grants-1-cluster": str(kunststoff.pk),
        "cluster_grants-1-login": str(metal_manager.pk),
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(metal_manager.cluster_grants.values_list("cluster__slug", flat=True)) == {
        "metall",
        "kunststoff",
    }
    # The grants cache was dropped: the manager's next request sees the new cluster.
    assert client_of(metal_manager).get(forum_page).status_code == 200
