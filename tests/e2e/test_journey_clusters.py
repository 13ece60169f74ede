"""The plastics cluster's manager in a real browser: the forum list and the cockpit show her
cluster's forums and figures, not the metal cluster's; another cluster's forum answers 404.
Screenshots at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from forums.models import Registration
from members.grants import cluster_grants_set
from members.models import Cluster
from members.services import user_create
from tests.conftest import PASSWORD
from tests.forums.conftest import add_company, build_forum

from .conftest import Screens, login, nav_click

WIDTHS = (1280, 390)


@pytest.fixture
def two_clusters(db):
    metall = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})[0]
    kunststoff = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    forums = {}
    for cluster, title, company in (
        (metall, "Metall-Forum Schweißtechnik", "Beta Metallbau GmbH"),
        (kunststoff, "Kunststoff-Forum Spritzguss", "Gamma Kunststofftechnik GmbH"),
    ):
        forums[cluster.slug] = build_forum(cluster, title=title)
        owner = add_company(cluster, company, contacts=2)
        for contact in owner.contacts.order_by("pk"):
            Registration.objects.create(
                forum=forums[cluster.slug],
                contact=contact,
                company=owner,
                state=Registration.State.CONFIRMED,
                source=Registration.Source.STAFF,
            )
    manager = user_create(
        email="kunststoff@example.org",
        role=Role.CLUSTER_MANAGER,
        password=PASSWORD,
        first_name="Karla",
        last_name="Kunststoff",
    )
    cluster_grants_set(login=manager, clusters=[kunststoff])
    return manager, forums


def test_plastics_manager_sees_her_cluster_only(page, live_server, two_clusters):
    manager, forums = two_clusters
    shots = Screens(page, "clusters")
    login(page, live_server, manager)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        if width > 1000:
            nav_click(page, "Foren")
        else:  # the navigation is folded away on a phone
            page.goto("/forums/manage/")
        expect(page.get_by_role("link", name="Kunststoff-Forum Spritzguss")).to_be_visible()
        expect(page.get_by_text("Metall-Forum Schweißtechnik")).to_have_count(0)
        shots.take(f"forum list {width}")
        if width > 1000:
            nav_click(page, "Cockpit")
        else:
            page.goto("/cockpit/")
        expect(page.get_by_role("combobox", name="Cluster")).to_have_value("kunststoff")
        expect(page.get_by_text("Metall-Forum Schweißtechnik")).to_have_count(0)
        shots.take(f"cockpit {width}")
    response = page.goto(f"/forums/manage/{forums['metall'].pk}/registrations/")
    assert response.status == 404
