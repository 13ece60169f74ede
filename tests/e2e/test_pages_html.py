"""Valid HTML: the Nu HTML checker (vnu.jar, from npm) finds no error on the ten most used pages.

The pages are rendered with the Django test client, logged in as the persona who uses them,
and checked in one run of the checker (the JVM takes seconds to start); each page is its own
test so the output names it.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from members.models import User
from metalldialog import demo
from tests.crawl import crawl

from . import pages

# The pages are rendered once, in the module's fixture; the mark makes pytest-django set up
# the test database for it.
pytestmark = pytest.mark.django_db

ERRORS = ("error", "non-document-error")  # the checker's message types that fail a page
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _render_all() -> dict[str, str]:
    """Every page's HTML, by page id, on the demo data (rolled back afterwards)."""
    html = {}
    with transaction.atomic():
        cache.clear()  # the cockpit caches its figures: none from an earlier run
        data = pages.seed()
        for page in pages.PAGES:
            client = Client()
            if page.persona:
                client.force_login(User.objects.get(email=page.persona))
            url = page.url(data)
            response = client.get(url)
            assert response.status_code == 200, (page.id, url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), (page.id, url)
            html[page.id] = response.content.decode()
        transaction.set_rollback(True)
    cache.clear()
    return html


def _vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (Debian: apt-get install default-jre-headless)"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test` (or `npm ci`) once"
    result = subprocess.run(  # noqa: S603 - fixed command, our own temp files
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stderr)["messages"]


@pytest.fixture(scope="module")
def vnu_messages(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, list[dict]]:
    """The checker's messages by page id, from one run over all pages."""
    with django_db_blocker.unblock():
        html = _render_all()
    folder = tmp_path_factory.mktemp("pages")
    for page_id, text in html.items():
        (folder / f"{page_id}.html").write_text(text, encoding="utf-8")
    by_page = {page_id: [] for page_id in html}
    for message in _vnu(sorted(folder.iterdir())):
        # "url" is the file's URL (file:/tmp/.../cockpit.html); a message about no file
        # (the checker failing) is reported for every page.
        name = message.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
        targets = [name] if name in by_page else list(by_page)
        for page_id in targets:
            by_page[page_id].append(message)
    return by_page


def _describe(message: dict) -> str:
    where = f"line {message.get('lastLine', '?')}:{message.get('lastColumn', '?')}"
    extract = message.get("extract", "").strip().replace("\n", " ")
    return f"  {where}: {message.get('message')}\n      {extract}"


@pytest.mark.parametrize("page_id", pages.PAGE_IDS)
def test_page_is_valid_html(vnu_messages, page_id):
    errors = [m for m in vnu_messages[page_id] if m.get("type") in ERRORS]
    assert not errors, f"{page_id}: {len(errors)} HTML error(s)\n" + "\n".join(
        _describe(m) for m in errors
    )


def test_every_page_a_persona_reaches_is_valid_html(django_db_blocker, tmp_path_factory):
    """Beyond the most used pages: every page each demo login reaches by its links (tests.crawl,
    some 480 pages), in one run of the checker."""
    folder = tmp_path_factory.mktemp("crawled")
    where: dict[str, tuple[str, str]] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        pages.seed()
        for _, email in demo.DEMO_LOGINS:
            client = Client()
            client.force_login(User.objects.get(email=email))
            for url, response in crawl(client):
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    name = f"page{len(where):04d}.html"
                    (folder / name).write_bytes(response.content)
                    where[name] = (email, url)
        transaction.set_rollback(True)
    cache.clear()
    assert len(where) > 100, f"the crawl reached only {len(where)} pages"
    errors = [m for m in _vnu(sorted(folder.iterdir())) if m.get("type") in ERRORS]
    assert not errors, f"{len(errors)} HTML error(s) in {len(where)} pages\n" + "\n".join(
        f"{where.get(m.get('url', '').rsplit('/', 1)[-1])}\n{_describe(m)}" for m in errors[:30]
    )
