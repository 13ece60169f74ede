"""The invitation page and its counts, kept in the cache and still exact.

Computing the counts reads every contact with its reasons (some 50 ms of database and Python
at 5,000 contacts). The cache key holds a fingerprint of every row they are computed from. For
the large member tables: the number of statements that wrote to them, which a trigger logs
(one row each; the log's rows plus those pruned from it, so the number grows with each commit
and pruning leaves it as it was). For the others:
per table, the number of rows and a sum of hashes of each row version's place and creating
transaction (PostgreSQL's ctid and xmin); an insert, update or delete gives a row version a
new place. So the fingerprint changes with any change of the data, committed or within the
reader's own transaction, and a cached figure is never read for data it was not computed
from. Of the outbox and the registrations only the forum's own rows count, so a send to
another forum leaves this forum's figures cached. Without PostgreSQL (`make run` on SQLite),
or with a legal basis check that does not name the models it reads, nothing is cached.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from members.models import Agency, Cluster, Company, Contact, Relationship, Sector, Topic, User
from outbox.audience import legal_basis_keepers
from outbox.models import Batch, Mail, MailText, Suppression

from .audience import KINDS
from .models import Forum, Registration

T = TypeVar("T")

# Long enough to serve a staff session; the key, not the timeout, keeps the figures exact.
TIMEOUT = 15 * 60

# The member tables of every contact's reasons and of the staff's filter (with its choices):
# large, read whole, and changed by people, so a trigger logs every statement that writes to
# them (migration forums 0004) and the number of rows ever logged is their version.
LOGGED_MODELS = (
    Contact,
    Company,
    Relationship,
    Cluster,
    Sector,
    Topic,
    Company.sectors.through,
    Contact.topics.through,
)
# The rows still in the log plus those pruned (forums.services.audience_log_prune), read in one
# statement: one snapshot, in which a prune's deletions and its addition to the counter are
# both seen or both not (one transaction). A prune deletes only rows of commits it sees, so in
# any snapshot the sum is the number of log rows of the commits it sees (and of the reader's
# own writes): pruning never moves it, each commit of a write raises it, it never goes back.
# Not max(id): ids are taken at insert, a late commit with a smaller id would not move it.
LOG_COUNT = (
    "(SELECT (count(*) + (SELECT pruned FROM forums_audience_pruned))::text "
    "FROM forums_audience_change)"
)
# Other tables read whole, hashed row by row.
# Mail texts and the agency's identity: the page's preview is made with them.
HASHED_MODELS = (Suppression, MailText, Agency)


# Per table: its row count and the sum of its row versions' hashes. Only table names from
# the models are put into the text; values go as parameters ($1 forum content type, $2 the
# forum, $3 the invitation kinds).
ROWS_HASH = (
    "(SELECT count(*) || '.' || "
    "coalesce(sum(hashtidextended(ctid, xmin::text::bigint)), 0) FROM {table} {where})"
)
FORUM_BATCH_CREATORS = (
    "SELECT created_by_id FROM outbox_batch "
    "WHERE content_type_id = $1 AND object_id = $2 AND kind = ANY($3)"
)
# A send's recipient rows are written with it and never changed (a contact's deletion takes
# its rows along and changes the contacts' part): their number is enough.
RECIPIENTS_COUNT = (
    "(SELECT count(*)::text FROM outbox_batchrecipient WHERE batch_id IN ("
    "SELECT id FROM outbox_batch "
    "WHERE content_type_id = $1 AND object_id = $2 AND kind = ANY($3)))"
)


def _rows_hash(model, where: str = "") -> str:
    return ROWS_HASH.format(table=connection.ops.quote_name(model._meta.db_table), where=where)


def _models_read() -> list | None:
    """The hashed tables, or None if a legal basis check does not say what it reads."""
    models = list(HASHED_MODELS)
    for check in legal_basis_keepers():
        depends_on = getattr(check, "depends_on", None)
        if depends_on is None:
            return None
        models += [m for m in depends_on if m not in models and m not in LOGGED_MODELS]
    return models


def _statement(models: list) -> str:
    related = "WHERE content_type_id = $1 AND object_id = $2 AND kind = ANY($3)"
    parts = (
        [LOG_COUNT]
        + [_rows_hash(model) for model in models]
        + [
            _rows_hash(Forum, "WHERE id = $2"),
            _rows_hash(Registration, "WHERE forum_id = $2"),
            _rows_hash(Mail, related),
            _rows_hash(Batch, related),
            # Who started a send is shown with it.
            _rows_hash(User, f"WHERE id IN ({FORUM_BATCH_CREATORS})"),
            RECIPIENTS_COUNT,
        ]
    )
    return "SELECT concat_ws(':', " + ", ".join(parts) + ")"


def _execute_prepared(statement: str, params: list):
    """Runs `statement` as a prepared statement of this database session: planning its
    dozen subqueries took as long as running them."""
    name = "audience_" + hashlib.sha256(statement.encode()).hexdigest()[:16]
    # The names prepared, kept on this thread's connection object (not on the shared proxy
    # `connection`) with the session they belong to: a new session prepares again.
    wrapper = connections[DEFAULT_DB_ALIAS]
    wrapper.ensure_connection()
    prepared = wrapper.__dict__.get("audience_prepared")
    if prepared is None or prepared[0] is not wrapper.connection:
        prepared = wrapper.__dict__["audience_prepared"] = (wrapper.connection, set())
    with wrapper.cursor() as cursor:
        if name not in prepared[1]:
            cursor.execute(f"PREPARE {name}(bigint, bigint, text[]) AS {statement}")
            prepared[1].add(name)
        cursor.execute(f"EXECUTE {name}(%s, %s, %s)", params)  # noqa: S608 - a fixed name
        return cursor.fetchone()[0]


def fingerprint(forum_id: int) -> str | None:
    """The state of everything the forum's audience and page are computed from, in one query
    (None: not cacheable)."""
    models = _models_read()
    if connection.vendor != "postgresql" or models is None:
        return None
    params = [ContentType.objects.get_for_model(Forum).pk, forum_id, list(KINDS)]
    return _execute_prepared(_statement(models), params)


# The code and templates the cached parts are made with: a deployment that changes them
# starts with new keys instead of serving pages of the old ones.
SOURCES = (
    "forums/audience.py",
    "outbox/audience.py",
    "outbox/mailtexts",
    "members/identity.py",
    "forums/audience_cache.py",
    "forums/invitations.py",
    "forums/mails.py",
    "forums/mail_samples.py",
    "forums/views_invitations.py",
    "templates/forums/invitations",
    "templates/forums/staff/_header.html",
    "templates/outbox/_batch_progress.html",
    "templates/members/_pagination.html",
    "templates/emails",
    "templates/outbox/mailtexts",
)


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = settings.BASE_DIR / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _key(forum_id: int, state: str, *parts: str) -> str:
    # The day: which relationships are in force.
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256("|".join([code_version(), day, state, *parts]).encode()).hexdigest()
    return f"forums:audience:{forum_id}:{digest}"


def cached(forum: Forum, kind: str, query: str, part: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same forum, kind, filter `query`, day and
    data. The fingerprint is read once per forum object."""
    if "audience_fingerprint" not in forum.__dict__:
        forum.__dict__["audience_fingerprint"] = fingerprint(forum.pk)
    state = forum.__dict__["audience_fingerprint"]
    if state is None:
        return compute()
    key = _key(forum.pk, state, kind, query, part)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


@dataclass(frozen=True)
class Kept(Generic[T]):
    """What `cached_until` keeps: the value, whether it may be kept at all (say, not with a
    CSRF token of one session in it), and the moment it changes by itself (a deadline)."""

    value: T
    shareable: bool = True
    until: datetime | None = None


def cached_until(forum_id: int, part: str, compute: Callable[[], Kept[T]]) -> T:
    """A page part of a forum from the cache while its rows and time allow, else computed."""
    state = fingerprint(forum_id)
    if state is None:
        return compute().value
    key = _key(forum_id, state, part)
    kept = cache.get(key)
    if kept is None or (kept.until is not None and timezone.now() >= kept.until):
        kept = compute()
        if kept.shareable:
            cache.set(key, kept, TIMEOUT)
    return kept.value
