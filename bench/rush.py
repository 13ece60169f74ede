"""A registration rush through wrk: every person sends one request at once, many in flight.

Shared by the measures that register people (the personal link and the API); not a measure.
wrk runs for a fixed time, so the rush is timed here: from the start until the forum holds
every registration.
"""

import os
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from bench.harness import Result, median, parse_wrk

LUA = """
local requests = {%(requests)s}
local n = #requests
-- wrk may call request() once before the run to probe it: that first call is a constant page
local sent, answered = -1, 0
request = function()
  sent = sent + 1
  if sent < 1 or sent > n then
    -- the rush is out; connections that ask again get a constant page until wrk stops
    return wrk.format("GET", "/bench/hello")
  end
  local r = requests[sent]
  return wrk.format("POST", r[1], r[2], r[3])
end
response = function(status, hdrs, text)
  -- the constant page answers 200; a registration answers 302, 201 (or an error)
  if status ~= 200 then answered = answered + 1 end
  if answered >= n then wrk.thread:stop() end
end
"""


@dataclass
class Post:
    path: str
    headers: dict = field(default_factory=dict)
    body: str = ""


@dataclass
class Rush:
    rate: float  # registrations per second
    p99_ms: float
    errors: int  # answers other than 2xx/3xx, and socket errors


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_request(post: Post) -> str:
    headers = ",".join(f"[{_lua_string(k)}]={_lua_string(v)}" for k, v in post.headers.items())
    body = _lua_string(post.body) if post.body else "nil"
    return f"{{{_lua_string(post.path)},{{{headers}}},{body}}}"


def rush(ctx, forum_id: int, posts: list[Post], concurrency: int) -> Rush:
    """All posts through wrk (keep-alive, `concurrency` connections, one request a person)."""
    from forums.models import Registration

    script = LUA % {"requests": ",".join(_lua_request(p) for p in posts)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{concurrency}", "-d120s", "--latency", "--timeout", "30s"]
    command += ["-s", handle.name, ctx.base_url + "/"]
    try:
        started = time.perf_counter()
        wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = started + 110
        while time.perf_counter() < deadline:
            if Registration.objects.filter(forum_id=forum_id).count() >= len(posts):
                break
            if wrk.poll() is not None:
                break  # wrk gave up (or every answer came back without a registration)
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        time.sleep(0.5)  # let the last answers arrive
        if wrk.poll() is None:
            wrk.send_signal(signal.SIGINT)
        output = wrk.communicate(timeout=30)[0]
    finally:
        os.unlink(handle.name)
    load = parse_wrk(output)
    missing = len(posts) - Registration.objects.filter(forum_id=forum_id).count()
    if load.errors or missing:
        # What kind of errors: refused answers (non-2xx), client time-outs, lost connections.
        said = re.findall(r"^\s*(?:Socket errors:.*|Non-2xx or 3xx responses:.*)$", output, re.M)
        print(f"bench: ... rush on forum {forum_id}: missing={missing} {' '.join(said)}")
    return Rush(rate=len(posts) / elapsed, p99_ms=load.p99_ms, errors=load.errors + missing)


def compare(ctx, name: str, title: str, contacts, sizes: dict, real_posts) -> Result:
    """Rounds in alternation: the bare view's rush on the round's bare forum, then the real
    one's on its real forum (`real_posts(forum)`: one Post a person); the medians of both,
    with overbooked= (both sides) and errors= (answers other than 2xx/3xx, people without a
    registration afterwards)."""
    from forums.models import Forum

    real_rates, bare_rates, p99s, errors, overbooked_seats, registered = [], [], [], 0, 0, 0
    for number in range(ctx.rounds):
        bare = Forum.objects.get(title=title.format(side="bare", round=number))
        posts = [Post(f"/bench/register/{bare.pk}/{c.pk}") for c in contacts]
        bare_rush = rush(ctx, bare.pk, posts, sizes["concurrency"])
        bare_rates.append(bare_rush.rate)
        errors += bare_rush.errors

        forum = Forum.objects.get(title=title.format(side="real", round=number))
        real = rush(ctx, forum.pk, real_posts(forum), sizes["concurrency"])
        real_rates.append(real.rate)
        p99s.append(real.p99_ms)
        errors += real.errors
        overbooked_seats += overbooked(forum) + overbooked(bare)
        registered += forum.registrations.count()

    return Result(
        name=name,
        req_s=median(real_rates),
        p99_ms=max(p99s),
        baseline="bare-lock-count-insert",
        baseline_req_s=median(bare_rates),
        extra={
            "clients": sizes["clients"],
            "seats": sizes["seats"],
            "registered": registered // ctx.rounds,
            "overbooked": overbooked_seats,
            "errors": errors,
        },
    )


def overbooked(forum) -> int:
    """Seats above capacity plus seats above the per-company cap."""
    from forums.models import Registration

    seats = list(
        forum.registrations.filter(state__in=Registration.SEAT_STATES).values_list(
            "company_id", flat=True
        )
    )
    over_cap = sum(max(n - forum.seats_per_company, 0) for n in Counter(seats).values())
    return max(len(seats) - forum.capacity, 0) + over_cap


def people(slug: str, prefix: str, clients: int):
    """A cluster of member companies with two contacts each: `clients` people in all."""
    from members.models import Cluster, Company, Contact, Relationship

    cluster, _ = Cluster.objects.get_or_create(slug=slug, defaults={"name": f"Bench {slug}"})
    companies = Company.objects.bulk_create(
        Company(legal_name=f"{prefix} {i:03d} GmbH", city="Heilbronn") for i in range(clients // 2)
    )
    Relationship.objects.bulk_create(
        Relationship(company=c, cluster=cluster, kind="member", valid_from="2020-01-01")
        for c in companies
    )
    Contact.objects.bulk_create(
        Contact(
            company=c, first_name=f"P{n}", last_name=c.legal_name, email=f"p{n}@{slug}{c.pk}.ex"
        )
        for c in companies
        for n in range(2)
    )
    return cluster, companies


def forums(cluster, title: str, count: int, *, seats: int, per_company: int) -> None:
    """Published forums open for registration, `title` formatted with side and round."""
    from django.utils import timezone

    from forums.models import Forum

    start = timezone.now() + timedelta(days=30)
    for side in ("real", "bare"):
        for number in range(count):
            Forum.objects.create(
                cluster=cluster,
                title=title.format(side=side, round=number),
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=seats,
                seats_per_company=per_company,
                state=Forum.State.PUBLISHED,
                published_at=timezone.now(),
            )
