"""registration-rush: 500 people register at once for 100 seats (2 per company) through the
real personal registration link (token check, CSRF, rules, seat lock, waiting list, audit,
mail task on commit), against a bare view that only locks, counts and inserts.

Each round gets a fresh forum for each side; rounds alternate (bare, real, bare, real, ...),
and the line reports the medians. It carries overbooked= (seats above capacity plus companies
above their cap, on both sides) and errors= (answers other than the expected redirect / 201,
exceptions, and people without a registration afterwards).
"""

import re
import urllib.parse
import urllib.request

from bench import rush
from bench.harness import Result

NAME = "registration-rush"
SLUG, PREFIX = "bench-rush", "Rush"
TITLE = "Bench rush {side} {round}"


def _sizes(ctx) -> dict:
    return {
        "clients": ctx.size(500, 20),
        "seats": ctx.size(100, 6),
        "per_company": 2,
        "concurrency": ctx.size(32, 4),
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def setup(ctx) -> None:
    sizes = _sizes(ctx)
    cluster, _companies = rush.people(SLUG, PREFIX, sizes["clients"])
    rush.forums(cluster, TITLE, ctx.rounds, seats=sizes["seats"], per_company=sizes["per_company"])


def _csrf(ctx, path) -> tuple[str, str]:
    """One GET of a registration page: the CSRF cookie and form token every client reuses."""
    with _opener.open(ctx.base_url + path, timeout=60) as response:  # noqa: S310 - loopback
        cookie = next(
            c.split(";", 1)[0]
            for c in response.headers.get_all("Set-Cookie")
            if c.startswith("csrftoken=")
        )
        body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


def run(ctx) -> Result:
    from django.urls import reverse

    from forums.tokens import make_registration_token
    from members.models import Contact

    sizes = _sizes(ctx)
    contacts = list(
        Contact.objects.filter(company__legal_name__startswith=f"{PREFIX} ").order_by("pk")
    )
    assert len(contacts) == sizes["clients"], len(contacts)

    def link_posts(forum) -> list[rush.Post]:
        paths = [
            reverse("forums:token", args=[make_registration_token(contact=c, forum=forum)])
            for c in contacts
        ]
        cookie, token = _csrf(ctx, paths[0])
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "action": "register"})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return [rush.Post(p, headers, body) for p in paths]

    return rush.compare(ctx, NAME, TITLE, contacts, sizes, link_posts)
