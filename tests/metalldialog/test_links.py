"""Every link a persona is shown leads to a page that answers: no 500, no 403, no dead link.

On the demo data, each demo login follows the links of its pages breadth-first from the start
page (the admin and static files aside; at most three query strings per path, so paging and
sorting do not crowd out the rest).
"""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from members.models import User
from metalldialog import demo

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"]*)"')
SKIPPED = ("/static/", "/media/", "/admin/", "/accounts/logout")
MAX_PAGES = 250
VARIANTS_PER_PATH = 3


def _links(html: str):
    for href in LINK.findall(html):
        url = urldefrag(href.replace("&amp;", "&"))[0]
        if not urlsplit(url).path.startswith(SKIPPED):
            yield url


@pytest.mark.parametrize("email", [login for _, login in demo.DEMO_LOGINS])
def test_every_link_shown_answers(email):
    demo.seed()
    client = Client()
    client.force_login(User.objects.get(email=email))
    seen: set[str] = set()
    queue, variants, broken = deque(["/"]), Counter(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            broken.append((url, response.status_code, response.get("Location", "")))
        elif response["Content-Type"].startswith("text/html"):
            for link in _links(response.content.decode()):
                variants[urlsplit(link).path] += 1
                if variants[urlsplit(link).path] <= VARIANTS_PER_PATH:
                    queue.append(link)
    assert len(seen) > 20, f"{email} reached only {sorted(seen)}"
    assert not broken, f"{email}: {len(broken)} of {len(seen)} links do not answer 200: {broken}"
