"""The sleeping members page and the annual report run a fixed number of queries."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.identity import identity_for


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@time_machine.travel("2026-06-15 10:00 +0000", tick=True)
def test_sleeping_and_report_query_counts_do_not_grow(world_factory, cm_client):
    paths = [
        "/cockpit/sleeping/",
        "/cockpit/sleeping/?cluster=metall",
        "/cockpit/report/?year=2026",
    ]
    world_factory(3)
    identity_for()  # the footer's sender: configuration, read once and then cached
    cm_client.get(paths[0])  # the login into the cache
    small = [_count(cm_client, path) for path in paths]
    world_factory(10)
    large = [_count(cm_client, path) for path in paths]
    assert small == large
    assert max(large) <= 20
