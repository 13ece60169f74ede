"""Public, without login: the cluster's forums as JSON and iCal, and a person's own calendar."""

import pytest
from icalendar import Calendar

from api.models import CalendarFeed
from forums.ics import forum_uid
from forums.models import Forum
from members.models import Cluster
from sefex.ics import workshop_uid

from ..forums.conftest import build_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_cluster(db):
    return Cluster.objects.create(name="Kunststoffcluster", slug="kunststoff")


def test_published_forums_as_json_per_cluster(world, cluster, other_cluster, anon):
    elsewhere = build_forum(other_cluster, title="Kunststoff-Forum")
    response = anon.get(f"/api/public/clusters/{cluster.slug}/forums/")
    assert response.status_code == 200
    rows = response.json()
    assert [row["uid"] for row in rows] == [str(world["forum"].uid)]  # no draft, no other cluster
    row = rows[0]
    assert row["seats_left"] == 2 and row["registration_open"] is True
    assert row["url"].endswith(f"/forums/{world['forum'].pk}/")
    assert "host_company" not in row and "id" not in row
    other = anon.get(f"/api/public/clusters/{other_cluster.slug}/forums/").json()
    assert [r["uid"] for r in other] == [str(elsewhere.uid)]
    assert anon.get("/api/public/clusters/unbekannt/forums/").status_code == 404


def test_cluster_ical_feed(world, cluster, other_cluster, anon):
    build_forum(other_cluster, title="Kunststoff-Forum")
    response = anon.get(f"/api/public/clusters/{cluster.slug}/forums.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == [forum_uid(world["forum"])]
    missing = anon.get("/api/public/clusters/unbekannt/forums.ics")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"


def test_personal_feed_by_secret_address(world, a_api, anon):
    anna = world["anna"]
    response = a_api.post(f"/api/contacts/{anna.pk}/calendar-feed/")
    assert response.status_code == 201
    url = response.json()["url"]
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in CalendarFeed.objects.values_list("key_hash", flat=True).get()
    feed = anon.get(url)
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {forum_uid(world["forum"]), workshop_uid(world["workshop"])}
    assert calendar.walk("VTIMEZONE")
    # A new address replaces the old one.
    renewed = a_api.post(f"/api/contacts/{anna.pk}/calendar-feed/").json()["url"]
    assert anon.get(url).status_code == 404
    assert anon.get(renewed).status_code == 200
    assert anon.get("/api/public/calendar/erfunden.ics").status_code == 404


def test_personal_feed_leaves_out_what_the_person_is_not_in(world, company_b, b_api, anon):
    bruno = world["bruno"]
    url = b_api.post(f"/api/contacts/{bruno.pk}/calendar-feed/").json()["url"]
    calendar = Calendar.from_ical(anon.get(url).content)
    assert list(calendar.walk("VEVENT")) == []


def test_cancelled_forum_stays_in_the_feed_as_cancelled(world, a_api, anon):
    forum = world["forum"]
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.CANCELLED, sequence=1)
    url = a_api.post(f"/api/contacts/{world['anna'].pk}/calendar-feed/").json()["url"]
    events = {str(e["UID"]): e for e in Calendar.from_ical(anon.get(url).content).walk("VEVENT")}
    assert str(events[forum_uid(forum)]["STATUS"]) == "CANCELLED"
