"""The dashboard's figures against counts made in Python from the rows the test created."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cockpit import selectors
from forums.models import Registration
from members.identity import page_memo_forget

SEATS = {"confirmed", "attended"}


def in_cluster(world, cluster):
    """Companies with a current relationship to the cluster (None: to any)."""
    return {
        r.company_id
        for r in world.relationships
        if r.valid_to is None and (cluster is None or r.cluster_id == cluster.pk)
    }


def expected_funnel(world, forum_ids, key):
    """Invited -> registered -> attended, by ``key(mail)``, counted from the rows."""
    regs = {(r.forum_id, r.contact_id): r.state for r in world.registrations}
    counts = {}
    for mail in world.invitations:
        if mail.object_id not in forum_ids:
            continue
        for k in key(mail):
            row = counts.setdefault(k, [0, 0, 0])
            state = regs.get((mail.object_id, mail.contact_id))
            row[0] += 1
            row[1] += state is not None and state != "cancelled"
            row[2] += state == "attended"
    return counts


@pytest.mark.parametrize("cluster_slug", [None, "metall"])
def test_figures_match_the_rows(world_factory, cluster_slug):
    world = world_factory(12)
    cluster = {None: None, "metall": world.metall}[cluster_slug]
    figures = selectors.dashboard(cluster)
    scope = in_cluster(world, cluster)
    companies = [c for c in world.companies if c.pk in scope]

    relationships = Counter(
        (r.cluster_id, r.kind)
        for r in world.relationships
        if r.valid_to is None and (cluster is None or r.cluster_id == cluster.pk)
    )
    names = {world.metall.pk: world.metall.name, world.plastics.pk: world.plastics.name}
    assert {
        (row["cluster__name"], row["kind"]): row["companies"] for row in figures["relationships"]
    } == {(names[c], k): n for (c, k), n in relationships.items()}

    assert {row["sme_class"]: row["companies"] for row in figures["sizes"]} == Counter(
        c.sme_class for c in companies
    )
    by_sector = Counter(s.name for c in companies for s in world.sectors_of[c.pk])
    assert {row["name"]: row["companies"] for row in figures["sectors"] if row["companies"]} == (
        by_sector
    )
    assert len(figures["sectors"]) == 15  # every sector listed, also empty ones

    # Upcoming forums: seats, pending and waiting list per forum.
    forums = [
        f
        for f in world.forums
        if f.state == "published" and (cluster is None or f.cluster_id == cluster.pk)
    ]
    assert [row["pk"] for row in figures["upcoming"]] == sorted(
        (f.pk for f in forums), key=lambda pk: (next(f.starts_at for f in forums if f.pk == pk), pk)
    )
    for row in figures["upcoming"]:
        states = Counter(r.state for r in world.registrations if r.forum_id == row["pk"])
        assert row["seats_taken"] == states["confirmed"] + states["attended"]
        assert row["pending"] == states["pending"]
        assert row["waitlisted"] == states["waitlisted"]
        assert row["seats_taken"] > 0 and row["waitlisted"] > 0  # the data tests something

    # The funnel per forum and per sector.
    forum_ids = {row["pk"] for row in figures["funnel_forums"]}
    expected_forums = {f.pk for f in world.forums if cluster is None or f.cluster_id == cluster.pk}
    assert forum_ids == expected_forums
    per_forum = expected_funnel(world, forum_ids, lambda m: [m.object_id])
    assert {
        row["pk"]: [row["invited"], row["registered"], row["attended"]]
        for row in figures["funnel_forums"]
    } == per_forum
    assert any(0 < a < r < i for i, r, a in per_forum.values())  # a real funnel
    sectors_by_contact = {c.pk: world.sectors_of[c.company_id] for c in world.contacts}
    per_sector = expected_funnel(
        world, forum_ids, lambda m: [s.name for s in sectors_by_contact[m.contact_id]]
    )
    assert {
        row["name"]: [row["invited"], row["registered"], row["attended"]]
        for row in figures["funnel_sectors"]
    } == per_sector

    # SEFEX: workshops by state, held per quarter, hours, overdue action items.
    workshops = [w for w in world.workshops if w.company_id in scope or cluster is None]
    assert {row["state"]: row["workshops"] for row in figures["workshops_by_state"]} == Counter(
        w.state for w in workshops
    )
    held = [w for w in workshops if w.state in ("held", "documented", "closed")]
    quarters = Counter(date(w.held_on.year, (w.held_on.month - 1) // 3 * 3 + 1, 1) for w in held)
    assert {
        q["quarter"]: q["held"] for q in figures["workshops_by_quarter"] if q["held"]
    } == quarters
    assert figures["workshops_by_quarter"][-1]["planned_cumulative"] == pytest.approx(24)
    assert figures["held_hours"] == 4 * len(held)
    # Overdue and actionable: open, past due, in minutes released to the company.
    ids = {w.pk for w in workshops if w.state in ("documented", "closed")}
    overdue = [
        a
        for a in world.action_items
        if a.workshop_id in ids and a.state == "open" and a.due_on < world.today
    ]
    assert figures["overdue"]["total"] == len(overdue) > 0
    assert [r["pk"] for r in figures["overdue"]["rows"]] == [
        a.pk for a in sorted(overdue, key=lambda a: (a.due_on, a.pk))
    ][: selectors.LIST_LIMIT]

    # Failed mails (their contact's company in scope).
    failed = [m for m in world.mails if m.state == "failed" and m.contact.company_id in scope]
    assert figures["failed_mails"]["total"] == len(failed) > 0

    # Members joining and leaving per month over two years.
    since = figures["trend"][0]["month"]
    members = [
        r
        for r in world.relationships
        if r.kind == "member" and (cluster is None or r.cluster_id == cluster.pk)
    ]
    joins = Counter(
        r.valid_from.replace(day=1) for r in members if since <= r.valid_from <= world.today
    )
    leaves = Counter(
        r.valid_to.replace(day=1)
        for r in members
        if r.valid_to and since <= r.valid_to <= world.today
    )
    assert {row["month"]: row["joins"] for row in figures["trend"] if row["joins"]} == joins
    assert {row["month"]: row["leaves"] for row in figures["trend"] if row["leaves"]} == leaves
    assert sum(leaves.values()) > 0
    assert len(figures["trend"]) == selectors.TREND_MONTHS


def _dashboard_queries(client) -> int:
    cache.clear()
    page_memo_forget()  # the footer's identity, kept by the process: read afresh too
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/cockpit/?cluster=metall")
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_fixed_and_small(world_factory, cm_client):
    world_factory(4)
    small = _dashboard_queries(cm_client)
    build_more = world_factory  # a second, larger load on top of the first
    build_more(12)
    large = _dashboard_queries(cm_client)
    assert small == large <= 20


def test_page_shows_the_figures_and_caches_them(world_factory, cm_client):
    world = world_factory(6)
    response = cm_client.get("/cockpit/")
    html = response.content.decode()
    assert response.status_code == 200
    for table in (
        "table-relationships",
        "table-sizes",
        "table-sectors",
        "table-trend",
        "table-upcoming",
        "table-funnel",
        "table-funnel-sectors",
        "table-workshops-quarter",
        "table-workshops-state",
    ):
        assert f'id="{table}"' in html
    assert 'id="cockpit-charts"' in html and "chart.umd.min.js" in html
    for forum in world.forums:
        assert forum.title in html
    # Cached: the next view reads the figures from Redis, not from the tables.
    with CaptureQueriesContext(connection) as cached:
        assert cm_client.get("/cockpit/").status_code == 200
    with CaptureQueriesContext(connection) as fresh:
        assert cm_client.get("/cockpit/?refresh=1").status_code == 200
    assert len(cached) < len(fresh)


def test_cluster_filter_narrows_the_forums(world_factory, cm_client):
    world = world_factory(4)
    html = cm_client.get("/cockpit/?cluster=kunststoff").content.decode()
    for forum in world.forums:
        assert (forum.title in html) == (forum.cluster_id == world.plastics.pk)


def test_unknown_cluster_shows_all_with_a_message(world_factory, cm_client):
    world = world_factory(3)
    response = cm_client.get("/cockpit/?cluster=gibtsnicht")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["cluster"] is None
    html = response.content.decode()
    assert 'role="alert"' in html
    assert all(f.title in html for f in world.forums)


def test_registration_state_change_shows_after_refresh(world_factory, cm_client):
    world = world_factory(3)
    forum = next(f for f in world.forums if f.state == "published")
    # The generated mix depends on ids, which vary with test order: make sure someone waits.
    someone = Registration.objects.filter(forum=forum).order_by("pk").first()
    Registration.objects.filter(pk=someone.pk).update(state="waitlisted", waitlist_position=99)
    before = next(
        r
        for r in selectors.upcoming_forums(None, forum.starts_at - timedelta(days=1))
        if r["pk"] == forum.pk
    )
    Registration.objects.filter(forum=forum, state="waitlisted").update(
        state="cancelled", waitlist_position=None
    )
    after = next(
        r
        for r in selectors.upcoming_forums(None, forum.starts_at - timedelta(days=1))
        if r["pk"] == forum.pk
    )
    assert before["waitlisted"] > 0 and after["waitlisted"] == 0
