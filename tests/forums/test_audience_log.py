"""Pruning the log of member table writes: the invitation page's version (rows in the log plus
rows pruned) stays as it was, so cached figures are still served, and moves with the next
write; only rows older than asked go; beat runs it daily; racing writers and readers never
see the version go back."""

import re
import threading
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import audience_cache, services
from members.models import Contact
from metalldialog.celery import app
from tests.concurrency import results_and_errors


def _scalar(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _log_version() -> int:
    """The member tables' part of the fingerprint, as the page reads it."""
    return _scalar("SELECT " + audience_cache.LOG_COUNT)


def _log_rows() -> int:
    return _scalar("SELECT count(*) FROM forums_audience_change")


def _pruned() -> int:
    return _scalar("SELECT pruned FROM forums_audience_pruned")


def _log_rows_aged(count: int, age: str) -> list[int]:
    """`count` log rows written `age` ago (a PostgreSQL interval); their ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO forums_audience_change (table_name, changed_at) "
            "SELECT 'members_contact', now() - %s::interval FROM generate_series(1, %s) "
            "RETURNING id",
            [age, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _remaining(ids: list[int]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM forums_audience_change WHERE id = ANY(%s)", [ids])
        return {row[0] for row in cursor.fetchall()}


def _a_write() -> None:
    Contact.objects.filter(pk=-1).update(first_name="x")  # a statement, logged without rows


def test_pruning_leaves_the_fingerprint_and_a_write_after_it_changes_it(forum, make_company):
    make_company("Alpha GmbH")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_audience_change SET changed_at = now() - '2 hours'::interval")
    before, version, rows, pruned = (
        audience_cache.fingerprint(forum.pk),
        _log_version(),
        _log_rows(),
        _pruned(),
    )
    assert rows > 0

    assert services.audience_log_prune() == rows
    # The log's count alone went down; with the counter the version did not move.
    assert _log_rows() == 0
    assert _pruned() == pruned + rows
    assert _log_version() == version
    assert audience_cache.fingerprint(forum.pk) == before
    assert services.audience_log_prune() == 0  # twice: nothing more
    assert audience_cache.fingerprint(forum.pk) == before

    _a_write()
    after = audience_cache.fingerprint(forum.pk)
    assert after != before
    assert _log_version() == version + 1  # above every value seen before: never a repeat
    assert services.audience_log_prune(older_than=timedelta(0)) == 1
    assert audience_cache.fingerprint(forum.pk) == after


def test_pruning_deletes_only_rows_older_than_asked(db):
    days, hours, minutes, fresh = (
        _log_rows_aged(3, age) for age in ("3 days", "2 hours", "30 minutes", "0 seconds")
    )
    everything = days + hours + minutes + fresh
    assert services.audience_log_prune() >= 6  # the default keeps the last hour
    assert _remaining(everything) == set(minutes + fresh)
    assert services.audience_log_prune(older_than=timedelta(minutes=10)) >= 3
    assert _remaining(everything) == set(fresh)


def _counts(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(?:<[^>]+>)?(\d+)<', html)}


def test_cached_figures_are_served_after_pruning_and_computed_again_after_a_write(
    client, cluster_manager, forum, make_company, django_assert_num_queries
):
    url = reverse("forums:staff_invitations", args=[forum.pk])
    client.force_login(cluster_manager)
    make_company("Alpha GmbH", contacts=3)
    first = _counts(client.get(url).content.decode())
    assert first["matching"] == 3

    assert services.audience_log_prune(older_than=timedelta(0)) > 0
    with django_assert_num_queries(2):  # the forum and the fingerprint: the rest is cached
        page = client.get(url)
    assert _counts(page.content.decode()) == first

    make_company("Beta AG", contacts=2)
    with CaptureQueriesContext(connection) as computed:
        page = client.get(url)
    assert len(computed.captured_queries) > 2
    assert _counts(page.content.decode())["matching"] == 5


def test_beat_prunes_the_log_daily_with_a_registered_task(db):
    entry = settings.CELERY_BEAT_SCHEDULE["forums-audience-log-prune"]
    app.loader.import_default_modules()
    assert entry["task"] == "forums.audience_log_prune" and entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == len(schedule.minute) == 1  # once a day
    assert schedule.day_of_week == set(range(7)) and len(schedule.day_of_month) == 31

    old, fresh = _log_rows_aged(2, "1 day"), _log_rows_aged(1, "0 seconds")
    assert app.tasks[entry["task"]].apply().get() >= 2
    assert _remaining(old + fresh) == set(fresh)


@pytest.mark.django_db(transaction=True)
def test_prunes_racing_writers_never_move_the_version_back_nor_count_a_row_twice():
    """Two prunes (everything, again and again), a writer committing statement by statement
    and a reader, each on its own connection: the reader's versions never go down, the
    counter grows by exactly what was deleted, and the version ends at one more per write."""
    old = _log_rows_aged(20_000, "2 days")
    start, rows, pruned = _log_version(), _log_rows(), _pruned()
    writes = 40
    busy, lock, done = [3], threading.Lock(), threading.Event()

    def work(role: str):
        try:
            if role == "prune":
                return sum(services.audience_log_prune(older_than=timedelta(0)) for _ in range(6))
            if role == "write":
                for _ in range(writes):
                    _a_write()
                return 0
            seen = []
            while not done.is_set():
                seen.append(_log_version())
            seen.append(_log_version())
            return seen
        finally:
            with lock:
                if role != "read":
                    busy[0] -= 1
                    if busy[0] == 0:
                        done.set()

    results, errors = results_and_errors(work, ["prune", "prune", "write", "read"])

    assert errors == []
    seen = next(result for result in results if isinstance(result, list))
    deleted = sum(result for result in results if isinstance(result, int))
    assert len(seen) > 1
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False)), "the version went back"
    assert start <= seen[0] and seen[-1] == start + writes == _log_version()
    assert deleted >= len(old)
    assert _pruned() == pruned + deleted
    assert _log_rows() == rows + writes - deleted
    assert _remaining(old) == set()


@pytest.mark.django_db(transaction=True)
def test_a_prune_outside_a_transaction_gives_the_emptied_pages_back():
    """Counting reads every page, empty ones too: the vacuum after the prune cuts them off."""
    size = "SELECT pg_relation_size('forums_audience_change')"
    services.audience_log_prune(older_than=timedelta(0))
    _log_rows_aged(20_000, "2 days")
    full = _scalar(size)
    assert full > 100 * 8192
    assert services.audience_log_prune() >= 20_000
    assert _scalar(size) < full / 10
