"""Check-in at the door in a real browser: the search narrows the list as one types, a tap
marks a person present and moves the counter, the search is empty and ready for the next
guest, and taking a check-in back asks first, each answered by htmx without reloading the
page. Controls are found by role and label and must be visible."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from forums.models import Registration
from members.grants import agency_wide_grant
from members.models import Cluster
from members.services import user_create
from tests.conftest import PASSWORD
from tests.forums.conftest import add_company, build_forum

from .conftest import Screens, login


@pytest.fixture
def door(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    # The forum began a few minutes ago: check-in is open without switching anything on.
    start = timezone.now() - timedelta(minutes=10)
    forum = build_forum(
        cluster,
        title="Metall-Forum an der Tür",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
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
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    return forum, manager


def test_checkin_searches_and_marks_present_without_reloading(page, live_server, door):
    forum, manager = door
    shots = Screens(page, "checkin")
    login(page, live_server, manager)
    page.goto(f"/forums/manage/{forum.pk}/checkin/")
    rows = page.locator("#checkin-rows > li")
    counter = page.locator("#checkin-counter")
    search = page.get_by_role("searchbox", name="Nach Name oder Unternehmen suchen")
    expect(rows).to_have_count(4)
    expect(counter).to_have_text("0 von 4 eingecheckt")
    expect(search).to_be_focused()  # ready to type at the door
    # A marker on the page itself: it is gone if the page reloads.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")

    search.fill("Beta")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Beta Türen GmbH")
    shots.take("search")

    first = rows.first
    first.get_by_role("button", name="Person0 Beta einchecken").click()
    expect(first).to_contain_text("Anwesend")
    expect(counter).to_have_text("1 von 4 eingecheckt")
    # The next guest: the search is empty and has the focus.
    expect(search).to_have_value("")
    expect(search).to_be_focused()
    # No button that a second tap could hit to undo silently.
    expect(first.get_by_role("button")).to_have_count(0)
    shots.take("present")

    # Taking it back asks in the row; "Nein" leaves it, "Ja, zurücknehmen" undoes it.
    first.get_by_role("link", name="Check-in von Person0 Beta zurücknehmen").click()
    expect(first).to_contain_text("Check-in von Person0 Beta zurücknehmen?")
    shots.take("undo-question")
    first.get_by_role("link", name="Nein", exact=True).click()
    expect(first).to_contain_text("Anwesend")
    first.get_by_role("link", name="Check-in von Person0 Beta zurücknehmen").click()
    first.get_by_role("button", name="Ja, zurücknehmen").click()
    expect(counter).to_have_text("0 von 4 eingecheckt")
    expect(first.get_by_role("button", name=re.compile("einchecken"))).to_be_visible()

    first.get_by_role("button", name="Person0 Beta einchecken").click()
    expect(counter).to_have_text("1 von 4 eingecheckt")
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    attended = Registration.objects.filter(forum=forum, state=Registration.State.ATTENDED)
    assert [r.contact.full_name for r in attended] == ["Person0 Beta"]
