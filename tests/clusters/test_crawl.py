"""The outsider crawl between the two demo cluster managers (as tests/metalldialog/
test_outsiders.py does between two companies): every page the metal cluster's manager reaches
by her links, and the plastics cluster's manager does not, that is a forum or cockpit page or
shows the metal cluster's forums or registrations answers 404 to the plastics manager, and the
other way round; so neither opens the other cluster's registrations, invitations or cockpit
figures. Shared master data (companies, contacts) answers both, showing each manager only
their own cluster's forums and registrations."""

import re

import pytest
from django.db import transaction
from django.test import Client

from forums.models import Registration
from members.models import User
from metalldialog import demo
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

METAL, PLASTICS = demo.DEMO_LOGINS[0][1], demo.DEMO_LOGINS[4][1]
# What marks a cluster's content on a page: its forums' titles (the demo names them so).
TITLE = {METAL: "Metall-Forum:", PLASTICS: "Kunststoff-Forum:"}
REGISTRATION_LINK = re.compile(r"/forums/manage/(?:registrations|checkin)/(\d+)/")
# Kinds of page that belong to one cluster whatever they show.
CLUSTER_PAGES = re.compile(r"^/(forums|cockpit)/")
# Shared master data: a company's and a contact's pages answer both managers; the second test
# checks that each sees only their cluster's forums and registrations there.
SHARED = re.compile(r"^/(members|privacy/contacts)/")
# Agency-wide on purpose: a person's data export (GDPR Art. 15: all the agency holds), the
# ERDF evidence of a funded project (reported by the agency per project, across clusters)
# and the members' calendar of announced forums (public on the cluster pages anyway); the mail
# templates page shows made-up samples (forums.mail_samples), with a metal forum's title.
AGENCY_WIDE = re.compile(
    r"^/(privacy/contacts/\d+/export|funding/erdf/|forums/calendar\.ics|mail/templates/|mail/texts/)"
)
# Pages of one cluster's forums the crawl must reach on each side.
KINDS = ("/registrations/", "/invitations/", "/checkin/", "/edit/")


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _reached(client) -> dict[str, str]:
    return {
        url: response.content.decode(errors="replace")
        for url, response in crawl(client, per_shape=4, max_pages=300)
        if response.status_code == 200
    }


def _registration_ids(slug: str) -> set[int]:
    return set(Registration.objects.filter(forum__cluster__slug=slug).values_list("pk", flat=True))


def _shows_cluster(html: str, owner: str, registrations: set[int]) -> bool:
    linked = {int(pk) for pk in REGISTRATION_LINK.findall(html)}
    return TITLE[owner] in html or bool(linked & registrations)


@pytest.fixture(scope="module")
def demo_crawl(django_db_setup, django_db_blocker):
    """Seeds once and crawls as both managers (the crawl is the slow part); the answers of
    the other manager are asked for within the same transaction, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.seed()
        clients = {email: _client(email) for email in (METAL, PLASTICS)}
        reached = {email: _reached(client) for email, client in clients.items()}
        registrations = {
            METAL: _registration_ids("metall"),
            PLASTICS: _registration_ids("kunststoff"),
        }
        answers = {}
        for owner, other in ((METAL, PLASTICS), (PLASTICS, METAL)):
            for url in sorted(set(reached[owner]) - set(reached[other])):
                html = reached[owner][url]
                if SHARED.match(url) or AGENCY_WIDE.match(url):
                    continue
                if CLUSTER_PAGES.match(url) or _shows_cluster(html, owner, registrations[owner]):
                    answers[owner, url] = clients[other].get(url).status_code
        transaction.set_rollback(True)
    return reached, answers, registrations


def test_pages_of_one_cluster_answer_404_to_the_other_clusters_manager(demo_crawl):
    reached, answers, _ = demo_crawl
    for owner in (METAL, PLASTICS):
        asked = [url for (who, url) in answers if who == owner]
        for kind in KINDS:
            assert any(kind in url for url in asked), (owner, kind, asked[:20])
    leaks = sorted((owner, url, code) for (owner, url), code in answers.items() if code != 404)
    assert not leaks, f"pages of one cluster answer the other cluster's manager with: {leaks}"


def test_no_page_a_manager_reaches_shows_the_other_clusters_forums(demo_crawl):
    """Pages both reach (a company in both clusters, the directory, the start page) show each
    manager only their own cluster's forums and registrations."""
    reached, _, registrations = demo_crawl
    for manager, other in ((METAL, PLASTICS), (PLASTICS, METAL)):
        shown = sorted(
            url
            for url, html in reached[manager].items()
            if not AGENCY_WIDE.match(url) and _shows_cluster(html, other, registrations[other])
        )
        assert not shown, (manager, shown[:20])
        assert any(TITLE[manager] in html for html in reached[manager].values())
