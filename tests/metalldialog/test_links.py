"""Every link a persona is shown leads to a page that answers: no 500, no 403, no dead link.

On the demo data, each demo login follows the links of its pages breadth-first from the start
page (tests.crawl: the admin and static files aside, at most three query strings per path).
"""

import pytest
from django.test import Client

from members.models import User
from metalldialog import demo
from tests.crawl import crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("email", [login for _, login in demo.DEMO_LOGINS])
def test_every_link_shown_answers(email):
    demo.seed()
    client = Client()
    client.force_login(User.objects.get(email=email))
    answers = list(crawl(client))
    broken = [
        (url, response.status_code, response.get("Location", ""))
        for url, response in answers
        if response.status_code != 200
    ]
    assert len(answers) > 20, f"{email} reached only {[url for url, _ in answers]}"
    assert not broken, f"{email}: {len(broken)} of {len(answers)} links do not answer 200: {broken}"
