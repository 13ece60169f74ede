"""What only one company's user reaches by its links answers 404 to another company's user.

Both demo company logins crawl their pages (tests.crawl); every page that one reached and the
other did not (their workshops, certificates, contacts, …) is then asked for by the other.
"""

import re

import pytest
from django.test import Client

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
