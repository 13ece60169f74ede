"""No form and no query string answers bad input with a server error.

Each demo login crawls its pages (tests.crawl) and sends every kind of POST form it finds
(one per action path) with junk in every field: empty, very long, negative, an impossible
date, a NUL character, a huge number, markup. Hidden fields keep their values for the empty
round, so the form's own object is addressed.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client

from members.models import User
from metalldialog import demo
from tests.crawl import crawl
from tests.html import forms

pytestmark = pytest.mark.django_db

JUNK = ["", "x" * 5000, "-1", "2026-13-45", "ä\x00", "99999999999999999999", "<script>"]
NOT_FORMS = ("/accounts/logout", "/i18n/")


@pytest.mark.parametrize("email", [login for _, login in demo.DEMO_LOGINS])
def test_no_form_answers_junk_with_a_server_error(email):
    demo.seed()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    sent, errors = set(), []
    for url, response in crawl(client, max_pages=150, per_shape=2):
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for form in forms(response.content.decode()):
            action = form["action"] or url
            kind = re.sub(r"\d+", "N", action.split("?")[0])
            if form["method"] != "post" or action.startswith(NOT_FORMS) or kind in sent:
                continue
            sent.add(kind)
            for junk in JUNK:
                data = {
                    name: value if kind_ == "hidden" and junk == "" else junk
                    for name, (kind_, value) in form["fields"].items()
                    if name != "csrfmiddlewaretoken"
                }
                answer = client.post(action, data)
                if answer.status_code >= 500:
                    errors.append((action, junk[:20], answer.status_code))
    print(sorted(sent))
    assert len(sent) > 5, f"{email} found only these forms: {sorted(sent)}"
    assert not errors, f"{email}: server errors on bad input: {errors}"


# Query parameters the list and calendar pages read, sent to every page.
PARAMS = ["q", "state", "topic", "page", "date", "view", "format", "sort", "cluster", "year"]
PARAMS += ["kind", "language", "audience", "mine", "sector", "relationship", "postcode"]


@pytest.mark.parametrize("email", [login for _, login in demo.DEMO_LOGINS])
def test_no_page_answers_a_mangled_query_with_a_server_error(email):
    """Every path each demo login reaches, with its own and the usual query parameters set
    to junk (NUL character, very long, negative, an impossible date)."""
    demo.seed()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    paths, errors = set(), []
    for url, response in crawl(client, max_pages=150, per_shape=2):
        path = urlsplit(url).path
        if response.status_code != 200 or path in paths:
            continue
        paths.add(path)
        for junk in ("a\x00", "x" * 3000, "-1", "2026-13-45"):
            own = {name: junk for name, _ in parse_qsl(urlsplit(url).query)}
            query = urlencode(own | dict.fromkeys(PARAMS, junk))
            if client.get(f"{path}?{query}").status_code >= 500:
                errors.append((path, junk[:10]))
    assert len(paths) > 20, f"{email} reached only {sorted(paths)}"
    assert not errors, f"{email}: server errors on a mangled query: {errors}"
