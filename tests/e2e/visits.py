"""One walk through the demo in chromium that the page checks share (accessibility, layout).

The pages: the most used ones (pages.PAGES), then the first page of every other view each
demo login, and a visitor from the login page, reaches by its links (tests.crawl). Each is
opened by its persona, in one browser context per persona, at 1280×800 (axe-core runs there,
and the layout is measured) and then at 390×844 (the layout again). The demo data is loaded
for the walk and the database emptied again afterwards.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from members.models import User
from metalldialog import demo
from tests.crawl import crawl

from . import layout, pages
from .conftest import login, new_context

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PAGES_PER_SHAPE = 2
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class Visit:
    key: str  # the page id of pages.PAGES, else "view (persona): url"
    view: str  # the view's name, e.g. "members:company"
    persona: str | None  # e-mail of the demo login, None for a visitor
    url: str
    axe: list[dict] = field(default_factory=list)  # violations, at 1280 px
    desktop: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail), layout.py
    phone: list[tuple[str, str]] = field(default_factory=list)


def _view(url: str) -> str:
    return resolve(urlsplit(url).path).view_name


def one_page_per_view(users: dict[str, User]) -> list[tuple[str | None, str]]:
    """(persona, url): the first page of every view each persona reaches by its links, and a
    visitor from the login page; HTML pages only. Two pages of a kind (two company pages, …)
    are enough to find every link of that kind: more kinds fit the crawl's page budget."""
    found, views = [], set()
    starts = [(email, user, "/") for email, user in users.items()]
    starts.append((None, None, reverse("account_login")))
    for email, user, start in starts:
        client = Client()
        if user is not None:
            client.force_login(user)
        for url, response in crawl(client, start=start, per_shape=PAGES_PER_SHAPE):
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            if _view(url) not in views:
                views.add(_view(url))
                found.append((email, url))
    return found


def _open(page, url: str, console_errors: list[str]) -> None:
    """Opens `url`; `goto` waits for the load event, by which the deferred scripts have run."""
    console_errors.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    assert page.url.endswith(url), f"{url} ended on {page.url}"


def _walk(browser, live_server, persona: str | None, user, visits: list[Visit]) -> None:
    """Every visit of one persona, in one context: first at 1280 px, then at 390 px."""
    context = new_context(browser, live_server, viewport=DESKTOP)
    try:
        page = context.new_page()
        if user is not None:
            login(page, live_server, user, pages.PASSWORD)
        errors = layout.watch_console(page)
        for visit in visits:
            _open(page, visit.url, errors)
            visit.desktop = layout.problems(page, phone=False, console_errors=errors)
            # Evaluated, not added as a <script> element: the Content-Security-Policy allows
            # no inline script, and a checker's script must not count as the page's.
            page.evaluate(AXE_JS.read_text())
            visit.axe = page.evaluate("axe.run(document).then(r => r.violations)")
        page.set_viewport_size(PHONE)
        for visit in visits:
            _open(page, visit.url, errors)
            visit.phone = layout.problems(page, phone=True, console_errors=errors)
    finally:
        context.close()


def walk(browser, live_server) -> dict[str, Visit]:
    """Loads the demo data, checks every page, empties the database again; visits by key.
    The caller lifts pytest-django's database block (the data must be committed: the live
    server reads it)."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make test` (or `npm ci`) once"
    cache.clear()  # the cockpit caches its figures: none from an earlier run
    try:
        data = pages.seed()
        logins = [email for _, email in demo.DEMO_LOGINS]  # every page's persona among them
        users = {u.email: u for u in User.objects.filter(email__in=logins)}
        visits = [
            Visit(entry.id, _view(entry.url(data)), entry.persona, entry.url(data))
            for entry in pages.PAGES
        ]
        visits += [
            Visit(f"{_view(url)} ({persona or 'visitor'}): {url}", _view(url), persona, url)
            for persona, url in one_page_per_view(users)
        ]
        for persona in dict.fromkeys(visit.persona for visit in visits):
            mine = [visit for visit in visits if visit.persona == persona]
            _walk(browser, live_server, persona, users.get(persona), mine)
    finally:
        # The data was committed for the live server; no later test may find it.
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()
    return {visit.key: visit for visit in visits}
