"""List endpoints cost the same number of queries at 3 and at 30 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.models import Registration
from members.models import Company, Contact, Relationship, Sector, Topic
from sefex.models import Workshop

from ..forums.conftest import build_forum

pytestmark = pytest.mark.django_db

LISTS = ["companies", "contacts", "forums", "registrations", "workshops"]


def _grow(world, cluster, n: int):
    """n more companies, each with a contact (sector, topic), a registration, a workshop; and
    n more forums."""
    sector, topic = Sector.objects.first(), Topic.objects.first()
    for i in range(n):
        company = Company.objects.create(legal_name=f"Zuwachs {i:03d} GmbH")
        company.sectors.add(sector)
        Relationship.objects.create(
            company=company, cluster=cluster, kind="member", valid_from="2021-01-01"
        )
        contact = Contact.objects.create(company=company, first_name="Z", last_name=f"Z{i}")
        contact.topics.add(topic)
        build_forum(cluster, title=f"Forum {i}").topics.add(topic)
        Registration.objects.create(
            forum=world["forum"],
            contact=contact,
            company=company,
            state=Registration.State.WAITLISTED,
            waitlist_position=i + 1,
            source=Registration.Source.STAFF,
        )
        w = world["workshop"]
        starts = w.starts_at + timezone.timedelta(days=i + 1)
        Workshop.objects.create(
            programme=w.programme,
            company=company,
            module=w.module,
            project_manager=w.project_manager,
            state=Workshop.State.SCHEDULED,
            starts_at=starts,
            ends_at=starts + timezone.timedelta(hours=2),
        )


def _count(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/{path}/")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow_with_rows(world, cluster, cm_api, path):
    cm_api.get("/api/clusters/")  # the token's first use records last_used_at once
    _count(cm_api, path)  # the filter lists (clusters, sectors, topics) are cached after it
    small, rows_small = _count(cm_api, path)
    _grow(world, cluster, 27)
    large, rows_large = _count(cm_api, path)
    assert rows_large >= rows_small + 27
    print(path, "queries:", small, "at", rows_small, "and", large, "at", rows_large, "rows")
    assert small == large, (small, large)
    assert large <= 12
