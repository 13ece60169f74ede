"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's
live server (PostgreSQL, Redis, a real SMTP sink).

Fixtures for every module in this folder:
- `browser`: one headless chromium for the whole folder (package scope).
- `page`: a fresh browser context per test (German, Europe/Berlin, downloads accepted) whose
  base URL is the live server, so `page.goto("/forums/")` works.
- Every context made here (`new_context()`) reports what chromium blocked under the
  Content-Security-Policy; any such violation fails the running test.
- `new_page()`: another page in its own context, for a second person in the same test.
- `login(page, live_server, user)`: logs in through the real login page (staff type the code
  of their authenticator app).
- `nav_click(page, name)`: follows an entry of the main navigation, opening its menu first.
- `screens`: `screens.take("step")` saves var/e2e/<journey>/NN-step.png.
- `site_visits`: every page of the demo checked once in chromium (visits.py), shared by the
  page checks (accessibility, layout).

Every test here is marked `e2e` and runs in the plain `pytest` of `make test`.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import PASSWORD
from tests.totp import totp_code

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Long enough for a loaded 2-core machine, short enough that a broken page fails fast.
TIMEOUT_MS = 15_000

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def _playwright():
    # Playwright's sync API keeps an asyncio loop running in this thread while it lives, and
    # Django refuses ORM calls from a thread with a running loop. The test code here is plain
    # synchronous code (the loop only serves Playwright), so the check is lifted for the
    # lifetime of this folder's browser and restored afterwards: the package scope makes sure
    # Playwright is stopped before the tests of the next folder run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-tools` installs Debian's chromium")
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# What chromium reported as blocked by the Content-Security-Policy, in every context made by
# new_context() since the running test began (pages and their frames).
_CSP_VIOLATIONS: list[str] = []


def _record_csp_violation(message) -> None:
    if "Content Security Policy" in message.text:
        location = message.location or {}
        _CSP_VIOLATIONS.append(f"{location.get('url', '?')}: {message.text}")


def new_context(browser, live_server, **options):
    """A browser context as the tests use it: German, Berlin time, the live server as base
    URL; every violation of the Content-Security-Policy in it fails the running test."""
    context = browser.new_context(
        **{
            "base_url": live_server.url,
            "locale": "de-DE",
            "timezone_id": "Europe/Berlin",
            "accept_downloads": True,
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", _record_csp_violation)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violation():
    """Fails the test if chromium blocked anything under the Content-Security-Policy."""
    _CSP_VIOLATIONS.clear()
    yield
    seen = list(_CSP_VIOLATIONS)
    _CSP_VIOLATIONS.clear()
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)


@pytest.fixture
def page(browser, live_server) -> Page:
    """A fresh context (no cookies) per test, German and in Berlin time."""
    context = new_context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """`new_page()`: one more page in its own context (another person at another computer),
    set up like `page`; closed after the test."""
    contexts = []

    def make() -> Page:
        contexts.append(new_context(browser, live_server))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def site_visits(django_db_setup, django_db_blocker, browser, live_server):
    """The walk through the demo of visits.py, done once for the page checks that share it."""
    from .visits import walk  # visits imports this module (login, TIMEOUT_MS)

    with django_db_blocker.unblock():
        return walk(browser, live_server)


@pytest.fixture(scope="package", autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


# The last authenticator code typed per login: allauth takes each code once, so a second
# login of the same person within the period types the code of the next period (accepted,
# one period of clock drift either way).
_CODES_TYPED: dict[str, str] = {}


def submit_login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fills and sends the login form the page shows (e.g. after a redirect to the login);
    staff then type the code of their authenticator app (the fixture secret)."""
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if re.search(r"/accounts/2fa/authenticate/", page.url):
        code = totp_code()
        if _CODES_TYPED.get(email) == code:
            code = totp_code(steps_ahead=1)
        _CODES_TYPED[email] = code
        second = page.locator("form").filter(has=page.locator("input[name=code]"))
        second.locator("input[name=code]").fill(code)
        second.locator("button[type=submit]:not([form])").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.get_by_text(email, exact=True).first).to_be_visible()


def login(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Logs `user` in through the real login page and waits until the login has taken."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_login(page, user.email, password)


def nav_click(page: Page, name: str) -> None:
    """Follows the main navigation's link `name`; a grouped entry sits in a menu, opened first."""
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        in_menu = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        nav.locator(".dropdown").filter(has=in_menu).get_by_role("button").click()
    link.click()


class Screens:
    """Numbered screenshots of one journey under var/e2e/<journey>/."""

    def __init__(self, page: Page, journey: str):
        self.page = page
        self.folder = SCREENSHOTS / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def path(self, step: str) -> Path:
        """The next numbered file name, for a picture made otherwise (e.g. a PDF's page)."""
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        return self.folder / f"{self.count:02d}-{slug}.png"

    def take(self, step: str, page: Page | None = None) -> Path:
        path = self.path(step)
        (page or self.page).screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screens(page, request):
    """`screens.take("step")`; the journey is the test's name without `test_`."""
    return Screens(page, request.node.name.removeprefix("test_"))
