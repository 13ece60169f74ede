"""Writes of the outbox: queue a mail once, send it once, retry, cancel, opt out.

Nothing else saves a Mail. See /work/helpers/outbox-api.md for the contract.
"""

import contextlib
import logging
import smtplib
from datetime import datetime, timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from members.models import Contact

from . import delivery, intents, marker
from .models import Batch, BatchRecipient, Mail, Suppression
from .rendering import Rendered, attachments_decode, attachments_encode, render_mail

log = logging.getLogger(__name__)

State = Mail.State


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: base, 2×base, 4×base, … capped at an hour."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


# --- Queueing --------------------------------------------------------------------


def _related_key(related: models.Model) -> tuple[ContentType, int]:
    if related is None or related.pk is None:
        raise ValueError("A mail needs a saved related object.")
    return ContentType.objects.get_for_model(related, for_concrete_model=False), related.pk


def _suppression_reason(email: str, contact: Contact | None) -> str:
    """Why an advertising mail may not go to this recipient, or "" if it may."""
    opted_out = getattr(contact, "opted_out_at", None) if contact is not None else None
    if opted_out:
        return _("The contact opted out of invitations on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(opted_out), "SHORT_DATETIME_FORMAT")
        }
    entry = Suppression.objects.filter(email__iexact=email).first()
    if entry:
        return _("The address is on the suppression list since %(date)s (%(reason)s).") % {
            "date": formats.date_format(
                timezone.localtime(entry.created_at), "SHORT_DATETIME_FORMAT"
            ),
            "reason": entry.get_reason_display(),
        }
    return ""


def _suppressed_among(emails: set[str]) -> set[str]:
    """Which of these (lower-case) addresses are suppressed, in one query."""
    if not emails:
        return set()
    return set(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )


def mail_build(
    *,
    kind: str,
    related: models.Model,
    recipient_email: str,
    contact: Contact | None = None,
    language: str = "de",
    template: str = "",
    context: dict | None = None,
    attachments=(),
    due_at: datetime | None = None,
    key_suffix: str = "",
    marketing: bool = False,
    batch: Batch | None = None,
    scope: models.Model | None = None,
    rendered: Rendered | None = None,
) -> Mail:
    """Renders a mail into an unsaved row (for bulk inserts); `mail_queue` saves one.

    Bulk senders may pass `rendered` (from rendering.MailMerge) instead of rendering here.
    """
    email = (recipient_email or "").strip().lower()
    if not email:
        raise ValidationError(_("The recipient has no e-mail address."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            _("%(email)s is not a valid e-mail address.") % {"email": email}
        ) from exc
    content_type, object_id = _related_key(related)
    scope = scope or getattr(related, "outbox_scope", None) or related
    scope_type, scope_id = _related_key(scope)
    if rendered is None:
        rendered = render_mail(
            template=template,
            context=context or {},
            language=language,
            recipient_email=email,
            contact_id=contact.pk if contact else None,
        )
    return Mail(
        kind=kind,
        key=key_suffix,
        content_type=content_type,
        object_id=object_id,
        scope_type=scope_type,
        scope_id=scope_id,
        recipient_email=email,
        contact=contact,
        language=language,
        subject=rendered.subject[:300],
        text_body=rendered.text,
        html_body=rendered.html,
        attachments=attachments_encode(attachments),
        marketing=marketing,
        due_at=due_at or timezone.now(),
        batch=batch,
    )


def mail_queue(
    *,
    kind: str,
    related: models.Model,
    recipient_email: str,
    contact: Contact | None = None,
    language: str = "de",
    template: str,
    context: dict | None = None,
    attachments=(),
    due_at: datetime | None = None,
    key_suffix: str = "",
    marketing: bool = False,
    batch: Batch | None = None,
    scope: models.Model | None = None,
) -> Mail | None:
    """Queues one mail.

    Returns the new row, or None when this (kind, related, recipient, key) exists
    already: queueing the same mail twice is a no-op. An advertising mail to an
    address that opted out is stored as SUPPRESSED, with the reason, and not sent.
    The send task leaves when the caller's transaction commits, if the mail is due;
    later mails are sent by beat's "send what is due".
    """
    mail = mail_build(
        kind=kind,
        related=related,
        recipient_email=recipient_email,
        contact=contact,
        language=language,
        template=template,
        context=context,
        attachments=attachments,
        due_at=due_at,
        key_suffix=key_suffix,
        marketing=marketing,
        batch=batch,
        scope=scope,
    )
    with transaction.atomic():
        if _exists(mail):
            return None
        if mail.marketing:
            reason = _suppression_reason(mail.recipient_email, mail.contact)
            if reason:
                mail.state, mail.last_error = State.SUPPRESSED, reason
        due_now = mail.state == State.QUEUED and mail.due_at <= timezone.now()
        if due_now:
            mail.enqueued_at = timezone.now()
        try:
            with transaction.atomic():
                mail.save()
        except IntegrityError:
            return None  # a concurrent caller queued the same mail a moment earlier
        if due_now:
            _enqueue([mail.pk])
    return mail


def mail_queue_many(*, mails: list[Mail]) -> list[int]:
    """Inserts rows built with `mail_build`; rows that exist already are skipped.

    Returns the ids of the rows among them that are due, queued and not yet handed
    to a task; the caller sends them (`mail_send_many`, in the same worker: one
    SMTP connection) or leaves them to beat. Suppression is applied per row.
    """
    if not mails:
        return []
    suppressed = _suppressed_among({m.recipient_email for m in mails if m.marketing})
    now = timezone.now()
    for mail in mails:
        if not mail.marketing:
            continue
        if mail.recipient_email in suppressed or getattr(mail.contact, "opted_out_at", None):
            mail.state = State.SUPPRESSED
            mail.last_error = _suppression_reason(mail.recipient_email, mail.contact)
    created = Mail.objects.bulk_create(mails, ignore_conflicts=True)
    del created  # ignore_conflicts gives no ids on PostgreSQL; find the rows again
    # One condition per (kind, object, key) with the recipients in a list: a bulk send
    # about one forum becomes one short query instead of one OR-branch per mail.
    groups: dict[tuple, list[str]] = {}
    for mail in mails:
        group = (mail.kind, mail.content_type_id, mail.object_id, mail.key)
        groups.setdefault(group, []).append(mail.recipient_email)
    keys = Q()
    for (kind, content_type_id, object_id, key), emails in groups.items():
        keys |= Q(
            kind=kind,
            content_type_id=content_type_id,
            object_id=object_id,
            key=key,
            recipient_email__in=emails,
        )
    # Rows of an earlier send keep their own state; only fresh, untouched rows return.
    return list(
        Mail.objects.filter(
            keys, state=State.QUEUED, attempts=0, enqueued_at__isnull=True, due_at__lte=now
        ).values_list("pk", flat=True)
    )


def _exists(mail: Mail) -> bool:
    return (
        Mail.objects.filter(
            kind=mail.kind,
            content_type_id=mail.content_type_id,
            object_id=mail.object_id,
            recipient_email=mail.recipient_email,
            key=mail.key,
        )
        .exclude(state=State.CANCELLED)
        .exists()
    )


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_mails

    chunk = _setting("OUTBOX_CHUNK_SIZE", 50)
    for start in range(0, len(ids), chunk):
        send_mails.delay_on_commit(ids[start : start + chunk])


@transaction.atomic
def mail_cancel_pending(*, related: models.Model, kind: str | None = None) -> int:
    """Cancels the not-yet-sent mails about `related` (e.g. to re-plan reminders).

    Cancelled rows no longer count for the unique key, so the same mail can be
    queued again with a new due time. Returns how many were cancelled.
    """
    content_type, object_id = _related_key(related)
    pending = Mail.objects.filter(
        content_type=content_type, object_id=object_id, state=State.QUEUED
    )
    if kind is not None:
        pending = pending.filter(kind=kind)
    return pending.update(state=State.CANCELLED)


@transaction.atomic
def mail_retry(*, mail: Mail) -> Mail:
    """Staff retry of a failed mail: back to the queue with fresh attempts, sent at once."""
    locked = Mail.objects.select_for_update().get(pk=mail.pk)
    if locked.state != State.FAILED:
        raise ValidationError(_("Only a failed mail can be sent again."))
    locked.state = State.QUEUED
    locked.attempts = 0
    locked.due_at = locked.enqueued_at = timezone.now()
    locked.save(update_fields=["state", "attempts", "due_at", "enqueued_at"])
    _enqueue([locked.pk])
    return locked


# --- Sending ---------------------------------------------------------------------


def _claim(ids: list[int]) -> list[Mail]:
    """Takes the due, queued rows among `ids` for this worker; others skip them."""
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
        suppressed = _suppressed_among({m.recipient_email for m in marketing})
        stopped = {
            mail.pk: _suppression_reason(mail.recipient_email, mail.contact)
            for mail in marketing
            if mail.recipient_email in suppressed or getattr(mail.contact, "opted_out_at", None)
        }
        for pk, reason in stopped.items():
            Mail.objects.filter(pk=pk).update(state=State.SUPPRESSED, last_error=reason)
        claimed = [m for m in mails if m.pk not in stopped]
        Mail.objects.filter(pk__in=[m.pk for m in claimed]).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for mail in claimed:
        mail.attempts += 1
    return claimed


def _attachment_part(filename: str, content: bytes, mimetype: str) -> MIMEBase:
    """The MIME part Django would build for this attachment (attach() decodes text)."""
    scratch = EmailMultiAlternatives()
    scratch.attach(filename, content, mimetype)
    return scratch._create_attachment(*scratch.attachments[0])


def mail_message(mail: Mail, *, parts: dict | None = None) -> EmailMultiAlternatives:
    """The mail as Django message, exactly as the outbox sends it. `parts` keeps attachment
    parts across the mails of one run: a bulk send attaches the same calendar entry to
    thousands of mails, and building its MIME part is a good share of the cost of a mail."""
    parts = {} if parts is None else parts
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    headers = {
        # Stable across retries, so a receiving system can tell a repeat.
        "Message-ID": f"<outbox-{mail.pk}@{domain}>",
        "Reply-To": settings.SENDER_CONTACT_EMAIL,
    }
    if mail.marketing:
        from .rendering import opt_out_url

        url = opt_out_url(email=mail.recipient_email, contact_id=mail.contact_id)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient_email],
        headers=headers,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for stored in mail.attachments:
        key = (stored["filename"], stored["mimetype"], stored["content"])
        if key not in parts:
            [(filename, content, mimetype)] = attachments_decode([stored])
            parts[key] = _attachment_part(filename, content, mimetype)
        message.attach(parts[key])
    return message


def _mark_sent_by_id(mail_id: int) -> None:
    """Other databases (SQLite in `make run`): a plain update before the final dot."""
    Mail.objects.filter(pk=mail_id, state=State.SENDING).update(
        state=State.SENT, sent_at=timezone.now(), last_error=""
    )


def _record_failure(mail: Mail, error: str, *, permanent: bool = False) -> str:
    """Back to the queue with a back-off, or FAILED after the last attempt."""
    if permanent or mail.attempts >= max_attempts():
        state, due = State.FAILED, mail.due_at
    else:
        state, due = State.QUEUED, timezone.now() + retry_delay(mail.attempts)
    Mail.objects.filter(pk=mail.pk, state__in=[State.SENDING, State.SENT]).update(
        state=state, due_at=due, last_error=error[:2000], sent_at=None, enqueued_at=None
    )
    return state


class _BuiltAhead:
    """Builds the mails of one run, each while the server takes in the one before: a send
    waits for the server four times a mail, and building is most of the rest of its time."""

    def __init__(self, mails: list[Mail]):
        self.mails, self.built = mails, {}
        self.parts: dict = {}  # attachment parts, shared by the mails of the run

    def build(self, index: int) -> None:
        if index >= len(self.mails) or index in self.built:
            return
        try:
            self.built[index] = delivery.prepare(mail_message(self.mails[index], parts=self.parts))
        except Exception as exc:  # noqa: BLE001 - raised again for its own mail by take()
            self.built[index] = exc

    def take(self, index: int) -> delivery.Prepared:
        self.build(index)
        built = self.built.pop(index)
        if isinstance(built, Exception):
            raise built
        return built


def mail_send_many(*, mail_ids: list[int]) -> dict[str, int]:
    """Sends the given mails that are due and queued, over one SMTP connection.

    Safe to run twice and concurrently: a row is claimed by one worker only.
    Returns counts by outcome.
    """
    mails = _claim(list(mail_ids))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not mails:
        return counts
    connection = get_connection()
    broken = None
    # Inside a caller's transaction (tests, mostly) a second connection would not see
    # the claimed rows; mark them on this one then.
    if marker.available() and not db_connection.in_atomic_block:
        sent_marker = marker.SentMarker(fast_commit=_setting("OUTBOX_ASYNC_COMMIT", True))
        record = sent_marker.write
    else:
        sent_marker, record = None, _mark_sent_by_id
    ahead = _BuiltAhead(mails)
    try:
        for index, mail in enumerate(mails):
            if broken is not None:
                # The server is gone: the rest waits for the next attempt.
                outcome = _record_failure(mail, broken)
                counts["failed" if outcome == State.FAILED else "retry"] += 1
                continue
            try:
                delivery.deliver(
                    connection,
                    ahead.take(index),
                    lambda pk=mail.pk: record(pk),
                    while_waiting=lambda after=index + 1: ahead.build(after),
                )
            except (delivery.PermanentError, ValueError) as exc:
                # Refused for good, or a message that cannot be built (a bad address).
                _record_failure(mail, f"{type(exc).__name__}: {exc}", permanent=True)
                counts["failed"] += 1
            except (smtplib.SMTPException, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox: mail %s not sent: %s", mail.pk, error)
                outcome = _record_failure(mail, error)
                counts["failed" if outcome == State.FAILED else "retry"] += 1
                if not isinstance(exc, smtplib.SMTPResponseException):
                    broken = error
            else:
                counts["sent"] += 1
    finally:
        if sent_marker is not None:
            sent_marker.close()
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return counts


def mail_send(*, mail_id: int) -> str:
    """Sends one mail if it is due and queued; returns its state afterwards."""
    mail_send_many(mail_ids=[mail_id])
    return Mail.objects.values_list("state", flat=True).get(pk=mail_id)


def mail_queue_due(*, now: datetime | None = None) -> int:
    """Beat, every minute: hands due mails to workers and rescues stuck ones.

    A row "sending" for longer than OUTBOX_STUCK_AFTER belongs to a worker that
    died mid-send; the server never got its final "." (see delivery), so it goes
    back to the queue. A queued row whose task was asked for long ago (lost with a
    dead worker's prefetch) is asked for again. Returns how many were queued.
    """
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=_setting("OUTBOX_STUCK_AFTER_SECONDS", 600))
    with transaction.atomic():
        stuck = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(state=State.SENDING, claimed_at__lt=stuck_before)
            .values_list("pk", "attempts")
        )
        for pk, attempts in stuck:
            failed = attempts >= max_attempts()
            Mail.objects.filter(pk=pk, state=State.SENDING).update(
                state=State.FAILED if failed else State.QUEUED,
                enqueued_at=None,
                last_error=_("The worker stopped while sending this mail."),
            )
    with transaction.atomic():
        _redispatch_stale_batches(now)
    intents.redispatch_stale(now)
    requeue_before = now - timedelta(seconds=_setting("OUTBOX_REQUEUE_AFTER_SECONDS", 600))
    limit = _setting("OUTBOX_DUE_LIMIT", 20000)
    with transaction.atomic():
        ids = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(state=State.QUEUED, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Mail.objects.filter(pk__in=ids).update(enqueued_at=now)
            _enqueue(ids)
    return len(ids)


# --- Bulk sends (fan-out) --------------------------------------------------------


def batch_start(
    *,
    kind: str,
    related: models.Model,
    contact_ids: list[int],
    builder: str,
    created_by=None,
    chunk_size: int | None = None,
) -> Batch:
    """Starts a bulk send of `kind` about `related` to the given contacts.

    `builder` names a function "module.function"(batch, contacts) -> list[Mail] (built
    with `mail_build(..., batch=batch)`). Workers call it for chunks of contacts that
    have no mail of this kind about `related` yet, insert the rows and send them over
    one SMTP connection per chunk; the chunk tasks leave when the caller commits.
    """
    content_type, object_id = _related_key(related)
    contact_ids = list(contact_ids)
    batch = Batch.objects.create(
        kind=kind,
        content_type=content_type,
        object_id=object_id,
        created_by=created_by,
        planned=len(contact_ids),
        builder=builder,
        chunk_size=chunk_size or _setting("OUTBOX_BATCH_CHUNK_SIZE", 200),
        dispatched_at=timezone.now(),
    )
    BatchRecipient.objects.bulk_create(
        (
            BatchRecipient(batch=batch, position=position, contact_id=contact_id)
            for position, contact_id in enumerate(contact_ids)
        ),
        batch_size=2000,
    )
    transaction.on_commit(lambda: _dispatch(batch))
    return batch


def _dispatch(batch: Batch) -> None:
    from .tasks import batch_chunk

    for start in range(0, batch.planned, batch.chunk_size):
        batch_chunk.delay(batch.pk, start, start + batch.chunk_size)


def batch_chunk_send(*, batch_id: int, start: int, end: int) -> dict[str, int]:
    """Builds, inserts and sends one chunk of a bulk send; safe to run twice.

    Contacts that already have this mail (from this or an earlier run) are skipped,
    so a chunk re-dispatched after a crash only fills the gaps.
    """
    batch = Batch.objects.filter(pk=batch_id).first()
    if batch is None:
        return {"sent": 0, "retry": 0, "failed": 0}
    ids = list(
        batch.recipients.filter(position__gte=start, position__lt=end).values_list(
            "contact_id", flat=True
        )
    )
    done = set(
        Mail.objects.filter(
            kind=batch.kind,
            content_type_id=batch.content_type_id,
            object_id=batch.object_id,
            contact_id__in=ids,
        )
        .exclude(state=State.CANCELLED)
        .values_list("contact_id", flat=True)
    )
    todo = [pk for pk in ids if pk not in done]
    fresh: list[int] = []
    if todo:
        contacts = Contact.objects.filter(pk__in=todo).select_related("company")
        builder = import_string(batch.builder)
        fresh = mail_queue_many(mails=builder(batch, list(contacts)))
    # Rows inserted by a run that died before sending them are due as well.
    unsent = list(
        Mail.objects.filter(
            batch=batch, contact_id__in=ids, state=State.QUEUED, enqueued_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return mail_send_many(mail_ids=sorted(set(fresh) | set(unsent)))


def _redispatch_stale_batches(now: datetime) -> int:
    """Beat: a bulk send with contacts still lacking their mail, quiet for a while, goes again."""
    stale_before = now - timedelta(seconds=_setting("OUTBOX_REQUEUE_AFTER_SECONDS", 600))
    candidates = (
        Batch.objects.filter(
            dispatched_at__lt=stale_before,
            created_at__gte=now - timedelta(days=2),
        )
        .exclude(builder="")
        .annotate(rows=models.Count("mails"))
        .filter(rows__lt=F("planned"))
    )
    count = 0
    for batch in candidates:
        Batch.objects.filter(pk=batch.pk).update(dispatched_at=now)
        transaction.on_commit(lambda b=batch: _dispatch(b))
        count += 1
    return count


# --- Opt-out -----------------------------------------------------------------------


@transaction.atomic
def suppression_add(
    *, email: str, reason: str = Suppression.Reason.OPT_OUT, contact: Contact | None = None
) -> Suppression:
    """Stops advertising mail to an address at once; transactional mail still goes.

    Marks the contact as opted out and stops its queued advertising mails, which
    keep the reason for staff to see.
    """
    email = email.strip().lower()
    entry = Suppression.objects.filter(email__iexact=email).first()
    if entry is None:
        entry = Suppression.objects.create(email=email, reason=reason)
    if contact is not None and hasattr(Contact, "opted_out_at") and not contact.opted_out_at:
        Contact.objects.filter(pk=contact.pk).update(opted_out_at=timezone.now())
        contact.refresh_from_db(fields=["opted_out_at"])
    pending = Mail.objects.filter(marketing=True, state=State.QUEUED).filter(
        Q(recipient_email=email) | (Q(contact=contact) if contact is not None else Q(pk__in=[]))
    )
    pending.update(state=State.SUPPRESSED, last_error=_suppression_reason(email, contact))
    return entry
