"""The invitation page's counts and recipients, kept in the cache and still exact.

Computing them reads every contact with its reasons (some 50 ms of database and Python at
5,000 contacts). The cache key holds a fingerprint of every row they are computed from: per
table, the number of rows and a sum of hashes of each row version's place and creating
transaction (PostgreSQL's ctid and xmin). An insert, update or delete gives a row version a
new place, so the fingerprint changes with any change of the data, committed or within the
reader's own transaction, and a cached figure is never read for data it was not computed
from. Of the outbox and the registrations only the forum's own rows count, so a send to
another forum leaves this forum's figures cached. Without PostgreSQL (`make run` on SQLite),
or with a legal basis check that does not name the models it reads, nothing is cached.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from members.models import Company, Contact, Relationship
from outbox.models import Batch, BatchRecipient, Mail, Suppression

from .audience import KINDS, legal_basis_checks
from .models import Forum, Registration

T = TypeVar("T")

# Long enough to serve a staff session; the key, not the timeout, keeps the figures exact.
TIMEOUT = 15 * 60

# The tables of every contact's reasons and of the staff's filter, read whole.
MEMBER_MODELS = (
    Contact,
    Company,
    Relationship,
    Company.sectors.through,
    Contact.topics.through,
    Suppression,
)


# Per table: its row count and the sum of its row versions' hashes. Only table names from
# the models are put into the text; values go as parameters.
ROWS_HASH = (
    "(SELECT count(*) || '.' || "
    "coalesce(sum(hashtidextended(ctid, xmin::text::bigint)), 0) FROM {table} {where})"
)

# The forum's rows of the outbox (its mails and sends of both kinds), and their recipients.
RELATED_TO_FORUM = (
    "WHERE content_type_id = %(type)s AND object_id = %(forum)s AND kind IN %(kinds)s"
)
IN_FORUM_BATCHES = (
    "WHERE batch_id IN (SELECT id FROM outbox_batch "
    "WHERE content_type_id = %(type)s AND object_id = %(forum)s AND kind IN %(kinds)s)"
)


def _rows_hash(model, where: str = "") -> str:
    return ROWS_HASH.format(table=connection.ops.quote_name(model._meta.db_table), where=where)


def _models_read() -> list | None:
    """The member and legal basis tables, or None if a check does not say what it reads."""
    models = list(MEMBER_MODELS)
    for check in legal_basis_checks():
        depends_on = getattr(check, "depends_on", None)
        if depends_on is None:
            return None
        models += [m for m in depends_on if m not in models]
    return models


def fingerprint(forum: Forum) -> str | None:
    """The state of everything the forum's audience is computed from (None: not cacheable).

    One query, read once per forum object: a page asks for it for each cached part."""
    if "audience_fingerprint" in forum.__dict__:
        return forum.__dict__["audience_fingerprint"]
    models = _models_read()
    state = None
    if connection.vendor == "postgresql" and models is not None:
        related = RELATED_TO_FORUM
        parts = [_rows_hash(model) for model in models] + [
            _rows_hash(Forum, "WHERE id = %(forum)s"),
            _rows_hash(Registration, "WHERE forum_id = %(forum)s"),
            _rows_hash(Mail, related),
            _rows_hash(Batch, related),
            _rows_hash(BatchRecipient, IN_FORUM_BATCHES),
        ]
        params = {
            "type": ContentType.objects.get_for_model(Forum).pk,
            "forum": forum.pk,
            "kinds": tuple(KINDS),
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT concat_ws(':', " + ", ".join(parts) + ")", params)
            state = cursor.fetchone()[0]
    forum.__dict__["audience_fingerprint"] = state
    return state


def cached(forum: Forum, kind: str, query: str, part: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same forum, kind, filter `query`, day (the
    relationships in force) and data."""
    state = fingerprint(forum)
    if state is None:
        return compute()
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256("|".join([kind, query, day, state, part]).encode()).hexdigest()
    key = f"forums:audience:{forum.pk}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
