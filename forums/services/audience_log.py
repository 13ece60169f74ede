"""Pruning the log of writes to the member tables (migration forums 0004) that the invitation
page's cache reads as their version (forums.audience_cache.LOG_COUNT): without it the log
grows with every write and counting it slows down with the years."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

# Any age would keep the version exact, even none: a prune deletes only rows it sees and
# adds their number to the counter in the same transaction, so every snapshot (a reader's
# statement in flight included) sees the same sum before and after. The last hour stays only
# so that the log still shows what wrote recently, when a cached figure is looked into.
KEEP = timedelta(hours=1)

# The counter's row lock queues a second prune behind the first; its DELETE then takes a new
# snapshot (READ COMMITTED) and counts only what it deletes itself. Writers insert into the
# log and never touch the counter, so they do not wait; readers never wait.
LOCK = "SELECT pruned FROM forums_audience_pruned FOR UPDATE"
PRUNE = (
    "WITH gone AS (DELETE FROM forums_audience_change WHERE changed_at < %s RETURNING 1) "
    "UPDATE forums_audience_pruned SET pruned = pruned + (SELECT count(*) FROM gone) "
    "RETURNING (SELECT count(*) FROM gone)"
)

# Counting reads every page of the table, empty ones too. After a small delete autovacuum may
# skip the index pass and leave the emptied pages at the table's end in place; this cuts them
# off (it waits for no writer), so the log shrinks to the pages of its last day.
VACUUM = "VACUUM (INDEX_CLEANUP ON) forums_audience_change"


def audience_log_prune(*, older_than: timedelta = KEEP) -> int:
    """Deletes the log rows older than `older_than` and counts them as pruned, in one
    transaction, then (outside a transaction) vacuums the log; returns how many were pruned.
    Safe to run twice, and concurrently."""
    if connection.vendor != "postgresql":
        return 0  # `make run` on SQLite has no log
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK)
        cursor.execute(PRUNE, [timezone.now() - older_than])
        pruned = cursor.fetchone()[0]
    if pruned and not connection.in_atomic_block:  # VACUUM cannot run in a transaction
        with connection.cursor() as cursor:
            cursor.execute(VACUUM)
    return pruned
