"""registration-rush: 500 people register at once for 100 seats (2 per company) through the
real personal registration link (token check, CSRF, rules, seat lock, waiting list, audit,
mail task on commit), against a bare view that only locks, counts and inserts.

Each round gets a fresh forum for each side; rounds alternate (bare, real, bare, real).
The line carries overbooked= (seats above capacity plus companies above their cap, on the
real side) and errors= (answers other than the expected redirect / 201, and exceptions).
"""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bench.harness import Result

NAME = "registration-rush"
CLIENTS = 500
SEATS = 100
PER_COMPANY = 2
CONCURRENCY = 32
ROUNDS = 2
TITLE = "Bench rush {side} {round}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def setup(ctx) -> None:
    from django.utils import timezone

    from forums.models import Forum
    from members.models import Cluster, Company, Contact, Relationship

    cluster, _ = Cluster.objects.get_or_create(slug="bench-rush", defaults={"name": "Bench"})
    companies = Company.objects.bulk_create(
        Company(legal_name=f"Rush {i:03d} GmbH", city="Heilbronn") for i in range(CLIENTS // 2)
    )
    Relationship.objects.bulk_create(
        Relationship(company=c, cluster=cluster, kind="member", valid_from="2020-01-01")
        for c in companies
    )
    Contact.objects.bulk_create(
        Contact(company=c, first_name=f"P{n}", last_name=c.legal_name, email=f"p{n}@r{c.pk}.ex")
        for c in companies
        for n in range(2)
    )
    start = timezone.now() + timedelta(days=30)
    for side in ("real", "bare"):
        for number in range(ROUNDS):
            Forum.objects.create(
                cluster=cluster,
                title=TITLE.format(side=side, round=number),
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=SEATS,
                seats_per_company=PER_COMPANY,
                state=Forum.State.PUBLISHED,
                published_at=timezone.now(),
            )


def _csrf(ctx, path) -> tuple[str, str]:
    """One GET of a registration page: the CSRF cookie and form token every client reuses."""
    with _opener.open(ctx.base_url + path, timeout=10) as response:  # noqa: S310 - loopback
        cookie = next(
            c.split(";", 1)[0]
            for c in response.headers.get_all("Set-Cookie")
            if c.startswith("csrftoken=")
        )
        body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


def _post(url: str, data: bytes, headers: dict, expected: int) -> tuple[bool, float]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with _opener.open(request, timeout=30) as response:  # noqa: S310 - loopback
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status == expected, time.perf_counter() - started


def _rush(jobs) -> tuple[float, float, int]:
    """Sends all posts with CONCURRENCY clients at once; req/s, p99 ms, failures."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        outcomes = list(pool.map(lambda job: _post(*job), jobs))
    elapsed = time.perf_counter() - started
    durations = sorted(d for _, d in outcomes)
    p99 = durations[int(len(durations) * 0.99) - 1] * 1000
    return len(jobs) / elapsed, p99, sum(1 for ok, _ in outcomes if not ok)


def _overbooked(forum) -> int:
    from forums.models import Registration

    seats = list(
        forum.registrations.filter(state__in=Registration.SEAT_STATES).values_list(
            "company_id", flat=True
        )
    )
    over_cap = sum(max(n - forum.seats_per_company, 0) for n in Counter(seats).values())
    return max(len(seats) - forum.capacity, 0) + over_cap


def run(ctx) -> Result:
    from django.urls import reverse

    from forums.models import Forum
    from forums.tokens import make_registration_token
    from members.models import Contact

    contacts = list(Contact.objects.filter(company__legal_name__startswith="Rush ").order_by("pk"))
    assert len(contacts) == CLIENTS
    real_forums = [Forum.objects.get(title=TITLE.format(side="real", round=n)) for n in range(2)]
    bare_forums = [Forum.objects.get(title=TITLE.format(side="bare", round=n)) for n in range(2)]

    real_rates, bare_rates, p99s, errors, overbooked, registered = [], [], [], 0, 0, 0
    for number in range(ROUNDS):
        bare = bare_forums[number]
        jobs = [
            (f"{ctx.base_url}/bench/register/{bare.pk}/{c.pk}", b"", {}, 201) for c in contacts
        ]
        rate, _, failed = _rush(jobs)
        bare_rates.append(rate)
        errors += failed

        forum = real_forums[number]
        paths = [
            reverse("forums:token", args=[make_registration_token(contact=c, forum=forum)])
            for c in contacts
        ]
        cookie, token = _csrf(ctx, paths[0])
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "action": "register"})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        jobs = [(ctx.base_url + path, body.encode(), headers, 302) for path in paths]
        rate, p99, failed = _rush(jobs)
        real_rates.append(rate)
        p99s.append(p99)
        errors += failed
        overbooked += _overbooked(forum) + _overbooked(bare)
        registered += forum.registrations.count()

    return Result(
        name=NAME,
        req_s=sum(real_rates) / ROUNDS,
        p99_ms=max(p99s),
        baseline="bare-lock-count-insert",
        baseline_req_s=sum(bare_rates) / ROUNDS,
        extra={
            "clients": CLIENTS,
            "seats": SEATS,
            "registered": registered // ROUNDS,
            "overbooked": overbooked,
            "errors": errors,
        },
    )
