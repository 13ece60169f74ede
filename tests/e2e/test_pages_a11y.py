"""Accessibility: axe-core (from npm) finds no serious or critical violation on the most used
pages, each opened in chromium by the persona who uses it, nor on the first page of every
other view the demo logins reach by their links (some 50 views).

The demo data is loaded once and every page checked in the module's fixture (one login per
persona); the database is emptied again before the tests run. Each of the most used pages is
its own test so the output names it; the other views are one test that names each failing one.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from members.models import User
from metalldialog import demo
from tests.crawl import crawl

from . import pages
from .conftest import login, new_context

# Data the live server reads must be committed: transactional database access.
pytestmark = pytest.mark.django_db(transaction=True)

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}


def _check_page(page, url: str) -> list[dict]:
    """Opens `url`, runs axe on it, returns the violations.

    `goto` waits for the load event, by which the deferred scripts (htmx, the charts) have run.
    """
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    assert page.url.endswith(url), f"{url} ended on {page.url}"
    # Evaluated, not added as a <script> element: the Content-Security-Policy allows no
    # inline script, and a checker's script must not count as the page's.
    page.evaluate(AXE_JS.read_text())
    return page.evaluate("axe.run(document).then(r => r.violations)")


def _persona_page(browser, live_server, user):
    """A page in a fresh context of its own, logged in as `user` (None: a visitor)."""
    context = new_context(browser, live_server)
    page = context.new_page()
    if user is not None:
        login(page, live_server, user, pages.PASSWORD)
    return page


def _one_page_per_view(users) -> list[tuple[str, str]]:
    """(persona, url): the first page of every view each persona reaches by its links
    (tests.crawl), beyond the ten most used; HTML pages only."""
    found, views = [], set()
    for email, user in users.items():
        client = Client()
        client.force_login(user)
        for url, response in crawl(client):
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            view = resolve(urlsplit(url).path).view_name
            if view not in views:
                views.add(view)
                found.append((email, url))
    return found


@pytest.fixture(scope="module")
def axe_violations(
    django_db_setup, django_db_blocker, browser, live_server
) -> dict[str, list[dict]]:
    """axe's violations by page id; one browser context (one login) per persona."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make test` (or `npm ci`) once"
    results = {}
    with django_db_blocker.unblock():
        cache.clear()  # the cockpit caches its figures: none from an earlier run
        try:
            data = pages.seed()
            logins = [email for _, email in demo.DEMO_LOGINS]  # every page's persona among them
            users = {u.email: u for u in User.objects.filter(email__in=logins)}
            contexts = {}
            try:
                for entry in pages.PAGES:
                    if entry.persona not in contexts:
                        contexts[entry.persona] = _persona_page(
                            browser, live_server, users.get(entry.persona)
                        )
                    results[entry.id] = _check_page(contexts[entry.persona], entry.url(data))
                for persona, url in _one_page_per_view(users):
                    if persona not in contexts:
                        contexts[persona] = _persona_page(browser, live_server, users[persona])
                    results[f"{resolve(urlsplit(url).path).view_name} ({persona}): {url}"] = (
                        _check_page(contexts[persona], url)
                    )
            finally:
                for page in contexts.values():
                    page.context.close()
        finally:
            # The data was committed for the live server; no later test may find it.
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
    return results


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = "; ".join(targets[:5]) + (f"; … {len(targets) - 5} more" if len(targets) > 5 else "")
    return (
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"      {violation['helpUrl']}\n      on: {shown}"
    )


@pytest.mark.parametrize("page_id", pages.PAGE_IDS)
def test_page_has_no_serious_accessibility_violation(axe_violations, page_id):
    failing = [v for v in axe_violations[page_id] if v.get("impact") in FAILING_IMPACTS]
    assert not failing, f"{page_id}: {len(failing)} serious/critical axe violation(s)\n" + (
        "\n".join(_describe(v) for v in failing)
    )


def test_every_view_a_persona_reaches_has_no_serious_violation(axe_violations):
    """Beyond the ten pages: the first page of every view the demo logins reach by links."""
    views = [key for key in axe_violations if key not in pages.PAGE_IDS]
    assert len(views) > 30, f"only {len(views)} views reached: {views}"
    failing = {
        key: [v for v in violations if v.get("impact") in FAILING_IMPACTS]
        for key, violations in axe_violations.items()
        if key in views
    }
    failing = {key: found for key, found in failing.items() if found}
    assert not failing, f"{len(failing)} of {len(views)} views:\n" + "\n".join(
        f"{key}\n" + "\n".join(_describe(v) for v in found) for key, found in failing.items()
    )
