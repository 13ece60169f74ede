"""Sending: claim due rows, hand each mail to Django's mail backend, mark it sent.

One backend connection per run (a chunk of mails), through `get_connection()`, so SMTP and any
other backend (django-anymail's ESPs, the console backend of `make run`) work alike. A mail is
marked sent right after the backend accepted it. The promise that follows: **no mail is ever
lost; a worker killed between the backend's acceptance and the mark sends that one mail again**
(with the same Message-ID, so a receiving system can tell the repeat).

A run keeps its claims alive (a heartbeat every OUTBOX_HEARTBEAT_SECONDS while it works); beat
gives the rows of a dead worker back to the queue once their claim is older than
OUTBOX_CLAIM_SECONDS, so an interrupted send resumes within about a minute.
"""

import contextlib
import logging
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .messages import mail_message
from .models import Batch, Mail
from .suppression import suppressed_among, suppression_reason, undeliverable_reason

log = logging.getLogger(__name__)

State = Mail.State


def setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return setting("OUTBOX_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: base, 2×base, 4×base, … capped at an hour."""
    base = setting("OUTBOX_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def claim_expiry() -> timedelta:
    return timedelta(seconds=setting("OUTBOX_CLAIM_SECONDS", 60))


def _claim(ids: list[int]) -> list[Mail]:
    """Takes the due, queued rows among `ids` for this run; other runs skip them."""
    now = timezone.now()
    with transaction.atomic():
        mails = list(
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, state=State.QUEUED, due_at__lte=now)
            .select_related("contact")
            .order_by("pk")
        )
        if not mails:
            return []
        marketing = [m for m in mails if m.marketing]
        suppressed = suppressed_among({m.recipient_email for m in marketing})
        stopped = {
            mail.pk: suppression_reason(mail.recipient_email, mail.contact)
            for mail in marketing
            if mail.recipient_email in suppressed or getattr(mail.contact, "opted_out_at", None)
        }
        for mail in mails:  # an address that bounced for good gets nothing, not even a reply
            reason = undeliverable_reason(mail.recipient_email, mail.contact)
            if reason:
                stopped.setdefault(mail.pk, reason)
        for pk, reason in stopped.items():
            Mail.objects.filter(pk=pk).update(state=State.SUPPRESSED, last_error=reason)
        claimed = [m for m in mails if m.pk not in stopped]
        Mail.objects.filter(pk__in=[m.pk for m in claimed]).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for mail in claimed:
        mail.attempts += 1
    return claimed


def _mark_sent(mail: Mail) -> None:
    Mail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        state=State.SENT, sent_at=timezone.now(), last_error=""
    )


def _record_failure(mail: Mail, error: str, *, permanent: bool = False) -> str:
    """Back to the queue with a back-off, or FAILED after the last attempt."""
    if permanent or mail.attempts >= max_attempts():
        state, due = State.FAILED, mail.due_at
    else:
        state, due = State.QUEUED, timezone.now() + retry_delay(mail.attempts)
    Mail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        state=state, due_at=due, last_error=error[:2000], sent_at=None, enqueued_at=None
    )
    return state


def _is_permanent(exc: Exception) -> bool:
    """Refused for good: a message that cannot be built (a bad address) or a 5xx answer."""
    if isinstance(exc, ValueError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def _leaves_connection_usable(exc: Exception) -> bool:
    """The server answered (and smtplib reset the transaction): the next mail may go."""
    return isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused) or (
        not isinstance(exc, OSError)
    )


class _Heartbeat:
    """Keeps this run's claims (and its bulk sends) fresh while it works, so beat can tell a
    slow run from a dead one."""

    def __init__(self, mails: list[Mail]):
        self.pending = {mail.pk for mail in mails}
        self.batches = {mail.batch_id for mail in mails if mail.batch_id}
        self.interval = setting("OUTBOX_HEARTBEAT_SECONDS", 15)
        self.last = time.monotonic()

    def done(self, mail: Mail) -> None:
        self.pending.discard(mail.pk)
        if time.monotonic() - self.last >= self.interval:
            self.beat()

    def beat(self) -> None:
        now = timezone.now()
        Mail.objects.filter(pk__in=self.pending, state=State.SENDING).update(claimed_at=now)
        Batch.objects.filter(pk__in=self.batches).update(progressed_at=now)
        self.last = time.monotonic()


@contextlib.contextmanager
def _marks_committed_quickly():
    """On PostgreSQL, the marks of this run commit without waiting for the disk: only a crash
    of the database server itself could forget the last few, and those mails would go again."""
    quick = (
        db_connection.vendor == "postgresql"
        and not db_connection.in_atomic_block
        and setting("OUTBOX_ASYNC_COMMIT", True)
    )
    if quick:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if quick:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def mail_send_many(*, mail_ids: list[int]) -> dict[str, int]:
    """Sends the given mails that are due and queued, over one backend connection.

    Safe to run twice and concurrently: a row is claimed by one run only.
    Returns counts by outcome.
    """
    mails = _claim(list(mail_ids))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not mails:
        return counts
    heartbeat = _Heartbeat(mails)
    parts: dict = {}  # attachment parts, shared by the mails of the run
    connection = get_connection()
    broken = None
    with _marks_committed_quickly():
        try:
            # Opened here, the connection serves the whole run (send_messages() would
            # otherwise open and close one per mail).
            connection.open()
        except Exception as exc:  # noqa: BLE001 - the server is away: every mail waits
            broken = f"{type(exc).__name__}: {exc}"
        try:
            for mail in mails:
                outcome = (
                    _record_failure(mail, broken)
                    if broken is not None  # the server is gone: the rest waits
                    else _send_one(connection, mail, parts)
                )
                if isinstance(outcome, Exception):
                    broken = f"{type(outcome).__name__}: {outcome}"
                    outcome = _record_failure(mail, broken)
                counts[{State.SENT: "sent", State.FAILED: "failed"}.get(outcome, "retry")] += 1
                heartbeat.done(mail)
        finally:
            with contextlib.suppress(Exception):
                connection.close()
    return counts


def _send_one(connection, mail: Mail, parts: dict) -> str | Exception:
    """The mail's state afterwards, or the exception that broke the connection."""
    try:
        message = mail_message(mail, parts)
        accepted = connection.send_messages([message])
    except Exception as exc:  # noqa: BLE001 - any backend's error is recorded on the mail
        error = f"{type(exc).__name__}: {exc}"
        log.warning("outbox: mail %s not sent: %s", mail.pk, error)
        if _leaves_connection_usable(exc):
            return _record_failure(mail, error, permanent=_is_permanent(exc))
        return exc
    if not accepted:
        return _record_failure(mail, _("The mail backend did not accept the mail."))
    _mark_sent(mail)
    return State.SENT


def mail_send(*, mail_id: int) -> str:
    """Sends one mail if it is due and queued; returns its state afterwards."""
    mail_send_many(mail_ids=[mail_id])
    return Mail.objects.values_list("state", flat=True).get(pk=mail_id)


def rows_of_dead_workers_requeue(now: datetime) -> int:
    """Beat: rows "sending" whose claim was not kept alive belong to a worker that died; they
    go back to the queue (or fail after the last attempt). Returns how many."""
    with transaction.atomic():
        stuck = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(state=State.SENDING, claimed_at__lt=now - claim_expiry())
            .values_list("pk", "attempts")
        )
        for pk, attempts in stuck:
            Mail.objects.filter(pk=pk, state=State.SENDING).update(
                state=State.FAILED if attempts >= max_attempts() else State.QUEUED,
                enqueued_at=None,
                last_error=_("The worker stopped while sending this mail."),
            )
    return len(stuck)
