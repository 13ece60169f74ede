"""Two clusters of one agency in a real browser: each cluster's public forum page wears its
colour, sender and imprint; a cluster manager changes a cluster's sender on the identity page
by its labels. Screenshots at 1280 and 390 px under var/e2e/identity_pages/."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from members.grants import cluster_grants_set
from members.models import Cluster
from members.services import user_create
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (1280, 390)

CLUSTERS = {
    "metall": {
        "name": "MetallDIALOG",
        "short_name": "MetallDIALOG",
        "colour": "#0d47a1",
        "sender_name": "MetallDIALOG – WFG Raum Heilbronn",
        "sender_email": "metalldialog@wfg.example",
        "imprint": "Clustermanagement **MetallDIALOG** · HRB 111",
    },
    "kunststoff": {
        "name": "Kunststoffcluster",
        "short_name": "Kunststoff",
        "colour": "#1b5e20",
        "sender_name": "Kunststoffcluster Heilbronn-Franken",
        "sender_email": "kunststoff@wfg.example",
        "imprint": "Clustermanagement **Kunststoff** · HRB 222",
    },
}


@pytest.fixture
def clusters(db):
    made = {}
    for slug, fields in CLUSTERS.items():
        cluster, _ = Cluster.objects.update_or_create(slug=slug, defaults=fields)
        build_forum(cluster, title=f"Forum {fields['short_name']}: Kreislaufwirtschaft")
        made[slug] = cluster
    return made


def _shoot(page, screens, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screens.take(f"{name}-{width}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_each_clusters_forum_page_and_the_identity_page(page, live_server, clusters, screens):
    for slug, cluster in clusters.items():
        forum = cluster.forums.get()
        page.goto(f"{live_server.url}/events/{slug}/{forum.pk}/")
        header = page.get_by_role("navigation", name="Hauptnavigation")
        expect(header.get_by_role("link", name=CLUSTERS[slug]["short_name"])).to_be_visible()
        imprint = page.get_by_role("region", name="Impressum")
        expect(imprint).to_contain_text(CLUSTERS[slug]["sender_email"])
        expect(imprint).to_contain_text(f"HRB {'111' if slug == 'metall' else '222'}")
        _shoot(page, screens, f"public-forum-{slug}")

    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    cluster_grants_set(login=manager, clusters=clusters.values())
    login(page, live_server, manager)
    page.goto(f"{live_server.url}/members/identity/")
    page.get_by_role("link", name="Bearbeiten Kunststoffcluster").click()
    page.get_by_label("Absenderadresse").fill("team-kunststoff@wfg.example")
    page.get_by_label("Antwortadresse").fill("antwort@wfg.example")
    _shoot(page, screens, "identity-edit")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("gespeichert")
    expect(page.get_by_role("table")).to_contain_text("team-kunststoff@wfg.example")
    _shoot(page, screens, "identity-list")

    page.goto(f"{live_server.url}/members/identity/kunststoff/")
    page.get_by_label("Farbe").evaluate("(input) => { input.type = 'text'; }")
    page.get_by_label("Farbe").fill("grün")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert").first).to_contain_text("#rrggbb")
    _shoot(page, screens, "identity-edit-error")
    assert Cluster.objects.get(slug="kunststoff").colour == "#1b5e20"
