"""The app as production runs it: gunicorn with the README's production environment (debug
off, secure cookies, HSTS and the HTTPS redirect, CSRF with its Origin/Referer checks over
HTTPS, the Content-Security-Policy), on the test database, driven by a real HTTP client
with a cookie jar (requests) the way a browser sends forms.

Adapted to this machine: the host is localhost; gunicorn terminates TLS itself with a
certificate made for the test, so no proxy is in front (DJANGO_BEHIND_PROXY and the proxy
depth stay off; everything else is the README's block). Cookies stay secure: the client
speaks HTTPS.
"""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from aiosmtpd.controller import Controller
from django.conf import global_settings, settings
from django.db import connection

from core.roles import Role
from members.grants import agency_wide_grant
from members.models import Cluster, Company, Contact
from members.services import user_create
from outbox.models import Mail
from privacy import consent as consent_services
from privacy.models import Consent
from publicpages.models import PublicRequest
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum
from tests.html import forms
from tests.totp import totp_code

from .production import ROOT, readme_production_env

pytestmark = pytest.mark.django_db(transaction=True)
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_TIMEOUT = 90  # seconds; gunicorn on a loaded 2-core machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed for the test's TLS certificate"
    subprocess.run(  # noqa: S603 - fixed command
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class _Accept:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        return "250 OK"


@pytest.fixture(scope="module")
def mail_server():
    """An SMTP server for the production EMAIL_URL (without one the app refuses to start)."""
    controller = Controller(_Accept(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port
    controller.stop()


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker, production_collectstatic, certificate,
               mail_server):  # fmt: skip
    """gunicorn as the Dockerfile starts it, on HTTPS; yields its base URL and certificate."""
    var_dir, collected = production_collectstatic
    assert collected.returncode == 0, collected.stderr
    cert, key = certificate
    port = _free_port()
    base = f"https://localhost:{port}"
    with django_db_blocker.unblock():
        db = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(var_dir),
        **readme_production_env(),
        "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": base,
        "SITE_URL": base,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{mail_server}",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    for no_proxy_here in ("DJANGO_BEHIND_PROXY", "AXES_PROXY_COUNT"):
        env.pop(no_proxy_here, None)
    server = subprocess.Popen(  # noqa: S603 - fixed command
        [
            GUNICORN, "metalldialog.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--certfile", str(cert), "--keyfile", str(key),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                if requests.get(f"{base}/healthz", verify=cert, timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still booting
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer in time"
            time.sleep(0.5)
        yield {"base": base, "cert": str(cert)}
    finally:
        server.terminate()
        server.wait(timeout=30)


class Browser:
    """requests with a cookie jar, sending forms as a browser does (Origin and Referer)."""

    def __init__(self, production):
        self.base = production["base"]
        self.cert = production["cert"]  # given per request: REQUESTS_CA_BUNDLE would win
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        url = urljoin(self.base, path)
        return self.session.get(url, allow_redirects=True, timeout=30, verify=self.cert)

    def submit(self, page: requests.Response, fill: dict, *, field: str | None = None,
               with_token: bool = True) -> requests.Response:  # fmt: skip
        """Posts the page's form (the one with `field`, else the first after the header's
        language switch) with its hidden fields and `fill`."""
        found = [f for f in forms(page.text) if f["method"] == "post"]
        found = [f for f in found if field in f["fields"]] if field else found[1:]
        form = found[0]
        data = {name: value for name, (kind, value) in form["fields"].items() if kind == "hidden"}
        if not with_token:
            data.pop("csrfmiddlewaretoken", None)
        data.update(fill)
        return self.session.post(
            urljoin(page.url, form["action"] or page.url),
            data=data,
            headers={"Origin": self.base, "Referer": page.url},
            allow_redirects=False,
            timeout=30,
            verify=self.cert,
        )

    def login(self, email: str, password: str = PASSWORD) -> requests.Response:
        page = self.get("/accounts/login/")
        return self.submit(page, {"login": email, "password": password}, field="password")

    def logged_in(self) -> bool:
        return self.get("/").text.count('action="/accounts/logout/"') == 1


def test_double_opt_in_is_confirmed_and_withdrawn_in_production(production, settings):
    settings.SITE_URL = production["base"]  # the mail is written here, as the app writes it
    company = Company.objects.create(legal_name="Delta Partner GmbH", city="Neckarsulm")
    contact = Contact.objects.create(
        company=company, first_name="Dora", last_name="Delta", email="dora@delta.example"
    )
    consent_services.consent_request(contact=contact, form="test")
    link = re.search(r"https://\S+/privacy/consent/\S+/", Mail.objects.get().text_body).group(0)
    assert link.startswith(production["base"])

    dora = Browser(production)
    page = dora.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page.headers["Cache-Control"]
    assert "Strict-Transport-Security" in page.headers
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert dora.session.cookies.get("csrftoken")
    assert all(cookie.secure for cookie in dora.session.cookies)

    refused = dora.submit(page, {}, with_token=False)
    assert refused.status_code == 403
    assert Consent.objects.get().state == Consent.State.REQUESTED

    done = dora.submit(page, {})
    assert done.status_code == 200, done.text[:500]
    assert "Ihre Einwilligung ist gespeichert" in done.text
    consent = Consent.objects.get()
    assert consent.state == Consent.State.CONFIRMED
    assert consent.confirmed_ip == "127.0.0.1"

    withdraw = dora.get(re.search(r'href="(https://[^"]+/privacy/withdraw/[^"]+)"', done.text)[1])
    assert withdraw.status_code == 200
    assert dora.submit(withdraw, {}).status_code == 200
    assert Consent.objects.get().state == Consent.State.WITHDRAWN


@pytest.fixture
def production_hashers(settings):
    """Passwords hashed as production checks them (the test settings use a fast MD5)."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def test_failures_for_other_addresses_never_lock_a_real_account_in_production(
    production, production_hashers
):
    anna = user_create(
        email="anna@alpha.example",
        role=Role.COMPANY_USER,
        company=Company.objects.create(legal_name="Alpha GmbH"),
        password=PASSWORD,
    )
    bruno = user_create(
        email="bruno@beta.example",
        role=Role.COMPANY_USER,
        company=Company.objects.create(legal_name="Beta GmbH"),
        password=PASSWORD,
    )
    attacker = Browser(production)
    for index in range(10):
        assert attacker.login(f"erfunden{index}@example.org", "falsch").status_code == 200
    visitor = Browser(production)
    assert visitor.login(anna.email).status_code == 302
    assert visitor.logged_in()

    for _ in range(5):
        attacker.login(anna.email, "falsch")
    locked = Browser(production)
    response = locked.login(anna.email)
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.text
    other = Browser(production)
    assert other.login(bruno.email).status_code == 302


def test_staff_log_in_with_the_second_factor_in_production(production, production_hashers):
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # the cockpit needs a cluster to show
    browser = Browser(production)
    response = browser.login(manager.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    assert not browser.logged_in()
    second = browser.get("/accounts/2fa/authenticate/")
    assert browser.submit(second, {"code": totp_code()}, field="code").status_code == 302
    assert browser.logged_in()
    assert browser.get("/cockpit/").status_code == 200


def _href(page: requests.Response, pattern: str) -> str:
    found = re.findall(rf'href="({pattern})"', page.text)
    assert found, f"no link matching {pattern} on {page.url}"
    return found[0]


def test_a_visitor_reaches_a_published_forum_by_links_in_production(production):
    """From / to the forum page by links alone; its Event JSON-LD parses; a draft is
    nowhere; the registration form (uncached, with its own token) works after cached pages."""
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    forum = build_forum(cluster, title="Metall-Forum Öffentlich", audience="open")
    draft = build_forum(cluster, title="Entwurf Geheim", state="draft", published_at=None)

    visitor = Browser(production)
    home = visitor.get("/")
    overview = visitor.get(_href(home, "/events/"))
    assert overview.status_code == 200 and forum.title in overview.text
    listing = visitor.get(_href(overview, "/events/metall/"))
    page = visitor.get(_href(listing, rf"/events/metall/{forum.pk}/"))
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("public")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.S)
    assert len(blocks) == 1
    event = json.loads(blocks[0])
    assert event["@type"] == "Event" and event["name"] == forum.title
    assert event["url"] == f"{production['base']}/events/metall/{forum.pk}/"
    assert event["location"]["address"]["addressLocality"] == "Heilbronn"

    for text in (overview.text, listing.text, visitor.get("/sitemap.xml").text):
        assert draft.title not in text and f"/events/metall/{draft.pk}/" not in text
    assert visitor.get(f"/events/metall/{draft.pk}/").status_code == 404

    # A second visitor opens the same (cached) page, then the form, and registers.
    second = Browser(production)
    again = second.get(page.url)
    assert again.text == page.text
    form_page = second.get(_href(again, rf"/events/metall/{forum.pk}/register/"))
    sent = second.submit(
        form_page,
        {
            "first_name": "Nora",
            "last_name": "Neu",
            "company": "Neu Metallbau GmbH",
            "email": "nora@neu.example",
            "privacy": "on",
        },
        field="email",
    )
    assert sent.status_code == 302, sent.text[:500]
    assert PublicRequest.objects.filter(contact__email="nora@neu.example").exists()
