"""home: the start page for a logged-in cluster manager, against a constant view.

`floor_ratio_hello=` is the fixed cost alone: an empty page in the app's layout for the same
user (`/bench/floor`: session, user, roles, context processors, navigation) against the same
constant view, in alternation with it. The staff's part of the start page is kept rendered in
the cache until something it lists changes (metalldialog.start_cache), so most requests serve
it from there; `fresh_ms=` is the median time of requests rendering it afresh.
"""

import statistics
import time

from bench.harness import Context, Result

NAME = "home"
EMAIL = "bench-cm@example.org"


def setup(ctx: Context) -> None:
    from metalldialog.demo import seed

    seed()  # two clusters, 260 companies, contacts: what the page summarises
    from core.roles import Role
    from members.grants import agency_wide_grant
    from members.services import user_create

    manager = user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")
    agency_wide_grant(login=manager)  # every cluster


def run(ctx: Context) -> Result:
    cookie = ctx.session_cookie(EMAIL)
    status, body = ctx.get("/", cookie=cookie)
    assert status == 200 and EMAIL in body, "the start page did not answer for the logged-in user"
    from metalldialog.start_cache import forget

    fresh = []
    for _ in range(ctx.size(5, 1)):
        forget()
        started = time.perf_counter()
        status, _body = ctx.get("/", cookie=cookie)
        fresh.append((time.perf_counter() - started) * 1000)
        assert status == 200
    result = ctx.compare(NAME, "/", cookie=cookie, baseline="hello", baseline_path="/bench/hello")
    result.extra["fresh_ms"] = round(statistics.median(fresh))
    floor = ctx.compare(
        "floor", "/bench/floor", cookie=cookie, baseline="hello", baseline_path="/bench/hello"
    )
    result.extra["floor_ratio_hello"] = round(floor.ratio, 2)
    result.extra["errors"] += floor.extra["errors"]
    return result
