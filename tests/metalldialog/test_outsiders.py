"""What only one company's user reaches by its links answers 404 to another company's user.

Both demo company logins crawl their pages (tests.crawl); every page that one reached and the
other did not (their workshops, certificates, contacts, …) is then asked for by the other.
What both reach of another company is only what that company chose to publish: its
competence profile in the directory, and its people on a forum's attendee list if they agreed.
"""

import re

import pytest
from django.test import Client

from atlas.models import Profile
from forums.models import Registration
from members.models import User
from metalldialog import demo
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

# A forum's page and calendar entry are open to every member company (one reaches a past
# forum through its own registrations, the other does not see it listed any more).
SHARED = re.compile(r"^/forums/\d+/(metallforum\.ics)?$")


def _reached(client) -> set[str]:
    return {
        url
        for url, response in crawl(client)
        if response.status_code == 200 and not SHARED.match(url)
    }


def test_pages_of_one_company_answer_404_to_the_other():
    demo.seed()
    clients = {}
    for _, email in demo.DEMO_LOGINS[2:4]:  # the two company users
        clients[email] = Client()
        clients[email].force_login(User.objects.get(email=email))
    (a, client_a), (b, client_b) = clients.items()
    reached_a, reached_b = _reached(client_a), _reached(client_b)
    own = {a: sorted(reached_a - reached_b), b: sorted(reached_b - reached_a)}
    assert len(own[a]) > 5 and len(own[b]) > 5, own
    answers = [
        (owner, url, other.get(url).status_code)
        for owner, other in ((a, client_b), (b, client_a))
        for url in own[owner]
    ]
    leaks = [answer for answer in answers if answer[2] != 404]
    assert not leaks, f"pages of one company answer the other with: {leaks}"
    # Demo company B keeps its competence profile unpublished: only B reaches it.
    b_company = User.objects.get(email=b).company_id
    b_profile = f"/atlas/{Profile.objects.get(company_id=b_company).pk}/"
    assert b_profile in own[b]


PROFILE = re.compile(r"^/atlas/(\d+)/")


def test_what_both_reach_of_other_companies_is_what_they_published():
    """Every directory page a company user reached belongs to its own company or to a
    published profile; an attendee list shows only people who agreed."""
    demo.seed()
    lists_seen = 0  # company A holds seats at the forums ahead, B none (so B sees no list)
    for _, email in demo.DEMO_LOGINS[2:4]:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        profile_ids, unlisted = set(), []
        hidden = list(
            Registration.objects.filter(listed_since__isnull=True)
            .exclude(company_id=user.company_id)
            .select_related("contact", "company")
        )
        for url, response in crawl(client):
            match = PROFILE.match(url)
            if match and response.status_code == 200:
                profile_ids.add(int(match.group(1)))
            if (
                url.startswith("/forums/")
                and response.status_code == 200
                and "attendees" in (response.context or {})
            ):
                page = response.content.decode()
                lists_seen += bool(response.context["attendees"])
                unlisted += [
                    r.contact.full_name
                    for r in hidden
                    if r.forum_id == response.context["forum"].pk
                    and f"<td>{r.contact.full_name}</td><td>{r.company.legal_name}</td>" in page
                ]
        assert profile_ids, "the crawl reached no profile of the directory"
        foreign_unpublished = Profile.objects.filter(pk__in=profile_ids, published=False).exclude(
            company_id=user.company_id
        )
        assert not foreign_unpublished.exists()
        assert not unlisted, f"{email} sees people who did not agree: {unlisted}"
    assert lists_seen, "the crawl reached no attendee list"
