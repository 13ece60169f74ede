"""The public pages: what anyone sees without a login, and what stays hidden."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forums import services as forum_services
from forums.models import AgendaItem, Forum
from members.models import Cluster
from tests.forums.conftest import build_forum

pytestmark = pytest.mark.django_db
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _forum_url(forum) -> str:
    return reverse("public:forum", args=[forum.cluster.slug, forum.pk])


def _event(page: str) -> dict:
    found = LD_JSON.findall(page)
    assert len(found) == 1
    return json.loads(found[0])


def test_the_anonymous_start_page_leads_to_each_clusters_forums(cluster, open_forum):
    other = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    plastics = build_forum(other, title="Kunststoff-Forum Recycling")
    draft = build_forum(cluster, title="Entwurf Geheim", state=Forum.State.DRAFT, published_at=None)
    client = Client()
    home = client.get("/").content.decode()
    assert reverse("public:overview") in home
    overview = client.get(reverse("public:overview")).content.decode()
    assert open_forum.title in overview and plastics.title in overview
    assert _forum_url(open_forum) in overview
    assert draft.title not in overview
    listing = client.get(reverse("public:cluster", args=["kunststoff"])).content.decode()
    assert plastics.title in listing and open_forum.title not in listing
    # The feeds are linked from the list.
    assert reverse("api:public-feed", args=["kunststoff"]) in listing
    assert reverse("api:public-forums", args=["kunststoff"]) in listing


def test_a_draft_is_nowhere(cluster):
    draft = build_forum(cluster, title="Entwurf Geheim", state=Forum.State.DRAFT, published_at=None)
    client = Client()
    assert client.get(_forum_url(draft)).status_code == 404
    register = reverse("public:register", args=[cluster.slug, draft.pk])
    assert client.get(register).status_code == 404
    assert (
        draft.title
        not in client.get(reverse("public:cluster", args=[cluster.slug])).content.decode()
    )
    assert _forum_url(draft) not in client.get("/sitemap.xml").content.decode()


def test_an_unknown_cluster_or_a_forum_of_another_cluster_is_404(cluster, open_forum):
    other = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    client = Client()
    assert client.get(reverse("public:cluster", args=["nirgends"])).status_code == 404
    assert client.get(reverse("public:forum", args=[other.slug, open_forum.pk])).status_code == 404


def test_a_cancelled_forum_says_so_and_offers_no_registration(cluster, cluster_manager):
    forum = build_forum(cluster, title="Abgesagtes Forum", audience="open")
    forum_services.forum_cancel(forum=forum, actor=cluster_manager, reason="Referent erkrankt.")
    page = Client().get(_forum_url(forum)).content.decode()
    assert "abgesagt" in page.lower()
    assert reverse("public:register", args=[cluster.slug, forum.pk]) not in page
    assert _event(page)["eventStatus"] == "https://schema.org/EventCancelled"
    listing = Client().get(reverse("public:cluster", args=[cluster.slug])).content.decode()
    assert "Abgesagt" in listing


def test_the_forum_page_shows_agenda_host_address_audience_and_imprint(cluster, make_company):
    host = make_company("Alpha Präzisionstechnik GmbH")
    forum = build_forum(cluster, audience="members", host_company=host, description="Ein Tag.")
    AgendaItem.objects.create(forum=forum, starts_at="14:00", title="Werksführung", speaker="A. B.")
    page = Client().get(_forum_url(forum)).content.decode()
    assert "Werksführung" in page and "A. B." in page
    assert "Alpha Präzisionstechnik GmbH" in page
    assert "https://www.openstreetmap.org/search?query=" in page
    assert "Hafenstra%C3%9Fe%201" in page  # the address in the map link
    assert "<iframe" not in page  # no embedded map
    assert "Nur Mitglieder" in page
    assert "Impressum" in page and reverse("privacy:notice") in page
    assert "Plätze frei" in page


def test_event_json_ld_carries_what_search_engines_read(cluster, open_forum):
    page = Client().get(_forum_url(open_forum)).content.decode()
    event = _event(page)
    url = "http://testserver" + _forum_url(open_forum)
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == open_forum.title
    assert event["startDate"] == timezone.localtime(open_forum.starts_at).isoformat()
    assert event["endDate"] == timezone.localtime(open_forum.ends_at).isoformat()
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "DE",
        "streetAddress": "Hafenstraße 1",
        "postalCode": "74076",
        "addressLocality": "Heilbronn",
    }
    assert event["organizer"]["name"]
    assert event["offers"]["availability"] == "https://schema.org/InStock"
    assert event["url"] == url
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert f'<meta property="og:title" content="{open_forum.title}">' in page


def test_json_ld_cannot_close_its_script_element(cluster):
    forum = build_forum(cluster, title="</script><script>alert(1)</script> & Co")
    page = Client().get(_forum_url(forum)).content.decode()
    assert _event(page)["name"] == "</script><script>alert(1)</script> & Co"
    assert "<script>alert(1)" not in page


def test_a_full_forum_shows_the_waiting_list(cluster, make_company):
    forum = build_forum(cluster, capacity=1, audience="network")
    company = make_company("Beta GmbH")
    forum_services.registration_create(forum=forum, contact=company.contacts.first())
    page = Client().get(_forum_url(forum)).content.decode()
    assert "Warteliste" in page
    assert _event(page)["offers"]["availability"] == "https://schema.org/LimitedAvailability"


def test_english_pages(cluster, open_forum):
    client = Client()
    response = client.get(
        reverse("public:language", args=["en"]) + "?next=" + _forum_url(open_forum)
    )
    assert response.status_code == 302 and response["Location"] == _forum_url(open_forum)
    page = client.get(_forum_url(open_forum)).content.decode()
    assert '<html lang="en">' in page and "Who may register" in page
    german = Client().get(_forum_url(open_forum)).content.decode()
    assert '<html lang="de">' in german and "Wer sich anmelden kann" in german


def test_the_language_link_goes_nowhere_else(cluster):
    response = Client().get(reverse("public:language", args=["en"]) + "?next=https://evil.example/")
    assert response["Location"] == reverse("public:overview")
    assert Client().get(reverse("public:language", args=["xx"])).status_code == 404


def test_sitemap_lists_announced_forums_and_the_lists(cluster, open_forum):
    ended = build_forum(
        cluster,
        title="Vergangen",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30) + timedelta(hours=2),
        state=Forum.State.HELD,
    )
    body = Client().get("/sitemap.xml").content.decode()
    assert "http://testserver" + _forum_url(open_forum) in body
    assert "http://testserver" + _forum_url(ended) in body  # a held forum's page stays
    assert "http://testserver" + reverse("public:cluster", args=[cluster.slug]) in body


def test_the_embeddable_list_may_be_framed_by_the_clusters_origins(cluster, open_forum, settings):
    settings.PUBLIC_EMBED_ORIGINS = {cluster.slug: ["https://www.wfg.example"]}
    settings.EMBED_FRAME_ANCESTORS = ["https://fallback.example"]
    url = reverse("public:embed", args=[cluster.slug])
    response = Client().get(url)
    assert "frame-ancestors https://www.wfg.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert open_forum.title in response.content.decode()
    assert 'target="_blank"' in response.content.decode()
    # From the cache too.
    again = Client().get(url)
    assert "frame-ancestors https://www.wfg.example" in again["Content-Security-Policy"]
    # Another cluster falls back to the setting; every other page still refuses frames.
    other = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    policy = Client().get(reverse("public:embed", args=[other.slug]))["Content-Security-Policy"]
    assert "frame-ancestors https://fallback.example" in policy
    forum_page = Client().get(_forum_url(open_forum))
    assert "frame-ancestors 'none'" in forum_page["Content-Security-Policy"]
    assert forum_page["X-Frame-Options"] == "DENY"
