"""The Content-Security-Policy every page sends, and the one exception mechanism for framing.

What chromium makes of it (admin, API docs, cockpit charts, mail previews) is in
tests/e2e/test_csp_pages.py; every browser test fails on a violation (tests/e2e/conftest.py).
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/privacy/", "/api/docs/"])
def test_every_page_sends_the_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.urls("tests.metalldialog.embed_urls")
def test_an_embeddable_page_may_be_framed_by_the_configured_sites(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://www.alpha.example", "https://www.beta.example"]
    response = client.get("/embed/forums/")
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["https://www.alpha.example", "https://www.beta.example"]
    assert policy["script-src"] == ["'self'"]
    assert "X-Frame-Options" not in response
    # Every other page still refuses to be framed.
    assert _policy(client.get(reverse("account_login")))["frame-ancestors"] == ["'none'"]


# JSON data (also schema.org's JSON-LD) is not run by the browser: the policy does not apply.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_no_template_carries_inline_script():
    """Scripts live in static files; JSON data in <script type="application/json"> (or
    "application/ld+json") is fine."""
    found = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or HANDLER.search(text) or "javascript:" in text:
            found.append(str(template.relative_to(ROOT)))
    assert found == []
