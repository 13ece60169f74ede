"""The annual report against counts made in Python from the rows; its three outputs."""

from datetime import date
from statistics import mean

import pytest
import time_machine
from django.utils import timezone

from cockpit import annual
from forums.models import Feedback

from .conftest import login


def members_on(world, day, cluster=None):
    return {
        r.company_id
        for r in world.relationships
        if r.kind == "member"
        and r.valid_from <= day
        and (r.valid_to is None or r.valid_to >= day)
        and (cluster is None or r.cluster_id == cluster.pk)
    }


# Mid-year: the builder's "last month" and "last year" fall inside the years the test reads.
MID_YEAR = time_machine.travel("2026-06-15 10:00 +0000", tick=True)


@MID_YEAR
@pytest.mark.parametrize("by_cluster", [False, True])
def test_annual_figures_match_the_rows(world_factory, by_cluster):
    world = world_factory(12)
    cluster = world.metall if by_cluster else None
    year = world.today.year
    held_forums = {
        f.pk
        for f in world.forums
        if f.state == "held"
        and timezone.localtime(f.starts_at).year == year
        and (cluster is None or f.cluster_id == cluster.pk)
    }
    attended = [
        r for r in world.registrations if r.forum_id in held_forums and r.state == "attended"
    ]
    for rating, registration in zip([5, 4, 2], attended, strict=False):
        Feedback.objects.create(registration=registration, rating=rating)

    report = annual.annual_report(year, cluster)

    start, end = (
        members_on(world, date(year, 1, 1), cluster),
        members_on(world, date(year, 12, 31), cluster),
    )
    assert report["members_at_start"] == len(start)
    assert report["members_at_end"] == len(end) > 0
    rows = [
        r
        for r in world.relationships
        if r.kind == "member" and (cluster is None or r.cluster_id == cluster.pk)
    ]
    assert report["joined"] == len({r.company_id for r in rows if r.valid_from.year == year})
    assert (
        report["left"]
        == len({r.company_id for r in rows if r.valid_to and r.valid_to.year == year})
        > 0
    )
    assert report["forums"] == len(held_forums) > 0
    assert report["participants"] == len(attended) > 0
    attending = {r.company_id for r in attended}
    assert report["companies_attending"] == len(attending)
    assert report["members_attending"] == len(attending & end)
    assert report["members_attending_percent"] == round(100 * len(attending & end) / len(end), 1)
    assert report["forum_ratings"] == min(3, len(attended))
    assert report["forum_rating"] == pytest.approx(mean([5, 4, 2][: len(attended)]))
    in_scope = {
        r.company_id
        for r in world.relationships
        if r.valid_to is None and (cluster is None or r.cluster_id == cluster.pk)
    }
    held_last_year = [
        w
        for w in world.workshops
        if w.state in ("held", "documented", "closed")
        and w.held_on.year == year - 1
        and (cluster is None or w.company_id in in_scope)
    ]
    last = annual.annual_report(year - 1, cluster)
    assert last["workshops"] == len(held_last_year) > 0
    assert last["consulting_hours"] == 4 * len(held_last_year)
    kinds = {}
    for r in world.relationships:
        in_force = r.valid_from <= date(year, 12, 31) and (
            r.valid_to is None or r.valid_to >= date(year, 12, 31)
        )
        if in_force and (cluster is None or r.cluster_id == cluster.pk):
            kinds.setdefault(r.kind, set()).add(r.company_id)
    assert {row["kind"]: row["companies"] for row in report["members_by_kind"]} == {
        k: len(v) for k, v in kinds.items()
    }


@MID_YEAR
def test_report_outputs(world_factory, cm_client):
    world = world_factory(4)
    year = world.today.year
    response = cm_client.get(f"/cockpit/report/?year={year}&cluster=metall")
    assert response.status_code == 200 and response.context["report"]["forums"] == 1
    response = cm_client.get(f"/cockpit/report/?year={year}&format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1]
    assert 2 in values  # two held forums this year, one per cluster
    response = cm_client.get(f"/cockpit/report/?year={year}&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_bad_year_gets_a_message_not_an_error(cm_client):
    response = cm_client.get("/cockpit/report/?year=abc")
    assert response.status_code == 200
    assert response.context["year_form"].errors
    assert response.context["year"] == timezone.localdate().year - 1
    assert cm_client.get("/cockpit/report/?year=1800").status_code == 200


def test_report_is_for_cluster_managers_only(client, project_manager, company_user_a):
    for user in (project_manager, company_user_a):
        for fmt in ("", "xlsx", "pdf"):
            assert login(client, user).get(f"/cockpit/report/?format={fmt}").status_code == 403
