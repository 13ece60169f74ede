"""Sleeping members and the company timeline, against the rows the test created."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from cockpit import engagement

from .conftest import login


def expected_sleeping(world, cluster=None):
    since = world.today - timedelta(days=engagement.SLEEPING_DAYS)
    members = {
        r.company_id
        for r in world.relationships
        if r.kind == "member"
        and r.valid_to is None
        and (cluster is None or r.cluster_id == cluster.pk)
    }
    forum_start = {f.pk: f.starts_at for f in world.forums}
    active = {
        r.company_id
        for r in world.registrations
        if r.state == "attended" and timezone.localtime(forum_start[r.forum_id]).date() >= since
    } | {
        w.company_id
        for w in world.workshops
        if w.state in ("held", "documented", "closed") and w.held_on >= since
    }
    return members - active


@pytest.mark.parametrize("by_cluster", [False, True])
def test_sleeping_members_match_the_rows(world_factory, by_cluster):
    world = world_factory(12)
    cluster = world.metall if by_cluster else None
    rows = list(engagement.sleeping_members(cluster))
    expected = expected_sleeping(world, cluster)
    assert {row["pk"] for row in rows} == expected
    assert expected  # somebody sleeps, and somebody does not
    assert expected != {
        r.company_id for r in world.relationships if r.kind == "member" and r.valid_to is None
    }


def test_sleeping_page_and_exports(world_factory, cm_client):
    world = world_factory(6)
    expected = expected_sleeping(world)
    names = {c.pk: c.legal_name for c in world.companies}
    html = cm_client.get("/cockpit/sleeping/").content.decode()
    assert all(names[pk] in html for pk in expected)
    response = cm_client.get("/cockpit/sleeping/?format=csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {row[0] for row in rows[1:]} == {names[pk] for pk in expected}
    response = cm_client.get("/cockpit/sleeping/?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_sleeping_is_for_cluster_managers_only(client, project_manager, company_user_a):
    for user in (project_manager, company_user_a):
        for path in ("/cockpit/sleeping/", "/cockpit/sleeping/?format=csv"):
            assert login(client, user).get(path).status_code == 403


def test_company_timeline(world_factory, cm_client, client, project_manager):
    world = world_factory(6)
    company = next(
        c
        for c in world.companies
        if any(r.company_id == c.pk and r.state == "attended" for r in world.registrations)
    )
    timeline = engagement.company_timeline(company)
    kinds = {e["kind"] for e in timeline}
    attended = [
        r for r in world.registrations if r.company_id == company.pk and r.state == "attended"
    ]
    assert sum(e["kind"] == "forum" for e in timeline) == len(attended)
    answered = {(r.forum_id, r.contact_id) for r in world.registrations}
    unanswered = [
        m
        for m in world.invitations
        if m.contact.company_id == company.pk and (m.object_id, m.contact_id) not in answered
    ]
    assert sum(e["kind"] == "unanswered" for e in timeline) == len(unanswered)
    assert sum(e["kind"] == "workshop" for e in timeline) == len(
        [w for w in world.workshops if w.company_id == company.pk and w.state != "cancelled"]
    )
    assert "forum" in kinds
    html = cm_client.get(f"/members/{company.pk}/").content.decode()
    assert 'id="engagement-timeline"' in html
    html = login(client, project_manager).get(f"/members/{company.pk}/").content.decode()
    assert 'id="engagement-timeline"' not in html
