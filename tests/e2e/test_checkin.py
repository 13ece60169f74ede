"""Check-in at the door in a real browser: the search narrows the list as one types and a tap
marks a person present, each answered by htmx without reloading the page."""

import pytest
from playwright.sync_api import expect

from forums.models import Registration
from members.models import Cluster
from members.services import user_create
from metalldialog.roles import Role
from tests.conftest import PASSWORD
from tests.forums.conftest import add_company, build_forum

from .conftest import Screens, login


@pytest.fixture
def door(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    forum = build_forum(cluster, title="Metall-Forum an der Tür")
    for name in ("Alpha Türen GmbH", "Beta Türen GmbH"):
        company = add_company(cluster, name, contacts=2)
        for contact in company.contacts.order_by("pk"):
            Registration.objects.create(
                forum=forum,
                contact=contact,
                company=company,
                state=Registration.State.CONFIRMED,
                source=Registration.Source.STAFF,
            )
    manager = user_create(email="door@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    return forum, manager


def test_checkin_searches_and_marks_present_without_reloading(page, live_server, door):
    forum, manager = door
    shots = Screens(page, "checkin")
    login(page, live_server, manager)
    page.goto(f"/forums/manage/{forum.pk}/checkin/")
    rows = page.locator("#checkin-rows > li")
    expect(rows).to_have_count(4)
    # A marker on the page itself: it is gone if the page reloads.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")

    page.get_by_role("searchbox").fill("Beta")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Beta Türen GmbH")
    shots.take("search")

    first = rows.first
    first.get_by_role("button", name="Einchecken").click()
    expect(first.get_by_role("button", name="Check-in zurücknehmen")).to_be_visible()
    shots.take("present")
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    attended = Registration.objects.filter(forum=forum, state=Registration.State.ATTENDED)
    assert [r.company.legal_name for r in attended] == ["Beta Türen GmbH"]
