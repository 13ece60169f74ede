"""registration-rush: 500 people register at once for 100 seats (2 per company) through the
real personal registration link (token check, CSRF, rules, seat lock, waiting list, audit,
mail task on commit), against a bare view that only locks, counts and inserts.

Each round gets a fresh forum for each side; rounds alternate (bare, real, bare, real).
The line carries overbooked= (seats above capacity plus companies above their cap, on the
real side) and errors= (answers other than the expected redirect / 201, and exceptions).
"""

import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta

from bench.harness import Result, parse_wrk

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


LUA = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local body = %(body)s
local n = #paths
-- wrk may call request() once before the run to probe it: that first call is a constant page
local sent, answered = -1, 0
request = function()
  sent = sent + 1
  if sent < 1 or sent > n then
    -- the rush is out; connections that ask again get a constant page until wrk stops
    return wrk.format("GET", "/bench/hello")
  end
  return wrk.format("POST", paths[sent], headers, body)
end
response = function(status, hdrs, text)
  -- the constant page answers 200; a registration answers 302 (real) or 201 (bare)
  if status ~= 200 then answered = answered + 1 end
  if answered >= n then wrk.thread:stop() end
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rush(ctx, forum_id: int, paths: list[str], headers: dict, body: str):
    """All registrations through wrk (keep-alive, CONCURRENCY connections, one request per
    person). wrk runs for a fixed time, so the rush is timed here: from start until the
    forum holds every registration. Returns registrations per second, p99 ms, failed answers.
    """
    import tempfile

    from forums.models import Registration

    script = LUA % {
        "paths": ",".join(_lua_string(p) for p in paths),
        "headers": ",".join(f"[{_lua_string(k)}]={_lua_string(v)}" for k, v in headers.items()),
        "body": _lua_string(body) if body else "nil",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{CONCURRENCY}", "-d120s", "--latency", "--timeout", "30s"]
    command += ["-s", handle.name, ctx.base_url + "/"]
    try:
        started = time.perf_counter()
        wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = started + 110
        while time.perf_counter() < deadline:
            if Registration.objects.filter(forum_id=forum_id).count() >= len(paths):
                break
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        time.sleep(0.5)  # let the last answers arrive
        wrk.send_signal(signal.SIGINT)
        output = wrk.communicate(timeout=30)[0]
    finally:
        os.unlink(handle.name)
    load = parse_wrk(output)
    return len(paths) / elapsed, load.p99_ms, load.errors


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
        paths = [f"/bench/register/{bare.pk}/{c.pk}" for c in contacts]
        rate, _, failed = _rush(ctx, bare.pk, paths, {}, "")
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
        rate, p99, failed = _rush(ctx, forum.pk, paths, headers, body)
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
