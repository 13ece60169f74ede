"""Records "sent" so that a killed worker leaves the least doubt (PostgreSQL).

A mail must be marked sent exactly when the SMTP server takes it, at its final ".".
Waiting for the database's answer before writing the dot leaves a window of one
database round trip in which a killed worker has marked a mail it never finished
(PostgreSQL completes a statement it has received even if the client dies). So the
marker writes its UPDATE on a connection of its own in asynchronous mode, the caller
writes the dot right after it, and only then do we wait for the database's answer:
once both are in the kernel they reach their servers even if the process dies, and
the window shrinks to the microseconds between two system calls.
"""

import select

import psycopg2
import psycopg2.extensions
import psycopg2.extras
from django.db import connection as db_connection
from django.utils import timezone

from .models import Mail

_SQL = (
    f"UPDATE {Mail._meta.db_table} SET state = %s, sent_at = %s, last_error = '' "  # noqa: S608 - table name from the model
    "WHERE id = %s AND state = %s"
)


def available() -> bool:
    return db_connection.vendor == "postgresql" and db_connection.Database is psycopg2


class SentMarker:
    def __init__(self, *, fast_commit: bool = True):
        params = dict(db_connection.get_connection_params())
        params.pop("cursor_factory", None)
        self.conn = psycopg2.connect(**params, async_=1)
        psycopg2.extras.wait_select(self.conn)
        self.cursor = self.conn.cursor()
        if fast_commit:
            # Visible at once; only a crash of PostgreSQL itself could lose the last marks.
            self._run("SET synchronous_commit TO off")

    def _run(self, sql, params=None):
        self.cursor.execute(sql, params)
        psycopg2.extras.wait_select(self.conn)

    def write(self, mail_id: int):
        """Writes the UPDATE to the socket and returns without waiting for the answer."""
        self.cursor.execute(_SQL, [Mail.State.SENT, timezone.now(), mail_id, Mail.State.SENDING])
        fd = self.conn.fileno()
        # Make sure the whole statement is in the kernel before the caller writes the dot.
        while self.conn.poll() == psycopg2.extensions.POLL_WRITE:
            select.select([], [fd], [])
        return self.confirm

    def confirm(self) -> int:
        psycopg2.extras.wait_select(self.conn)
        return self.cursor.rowcount

    def close(self) -> None:
        self.conn.close()
