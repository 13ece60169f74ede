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
from bench.harness import Result, median

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

    from forums.models import Forum
    from forums.tokens import make_registration_token
    from members.models import Contact

    sizes = _sizes(ctx)
    contacts = list(
        Contact.objects.filter(company__legal_name__startswith=f"{PREFIX} ").order_by("pk")
    )
    assert len(contacts) == sizes["clients"], len(contacts)

    real_rates, bare_rates, p99s, errors, overbooked, registered = [], [], [], 0, 0, 0
    for number in range(ctx.rounds):
        bare = Forum.objects.get(title=TITLE.format(side="bare", round=number))
        posts = [rush.Post(f"/bench/register/{bare.pk}/{c.pk}") for c in contacts]
        bare_rush = rush.rush(ctx, bare.pk, posts, sizes["concurrency"])
        bare_rates.append(bare_rush.rate)
        errors += bare_rush.errors

        forum = Forum.objects.get(title=TITLE.format(side="real", round=number))
        paths = [
            reverse("forums:token", args=[make_registration_token(contact=c, forum=forum)])
            for c in contacts
        ]
        cookie, token = _csrf(ctx, paths[0])
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "action": "register"})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        real = rush.rush(
            ctx, forum.pk, [rush.Post(p, headers, body) for p in paths], sizes["concurrency"]
        )
        real_rates.append(real.rate)
        p99s.append(real.p99_ms)
        errors += real.errors
        overbooked += rush.overbooked(forum) + rush.overbooked(bare)
        registered += forum.registrations.count()

    return Result(
        name=NAME,
        req_s=median(real_rates),
        p99_ms=max(p99s),
        baseline="bare-lock-count-insert",
        baseline_req_s=median(bare_rates),
        extra={
            "clients": sizes["clients"],
            "seats": sizes["seats"],
            "registered": registered // ctx.rounds,
            "overbooked": overbooked,
            "errors": errors,
        },
    )
