"""Writes of the outbox: queue a mail once, send it once, retry, cancel, opt out.

Nothing else saves a Mail.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from members.identity import Identity, identity_for
from members.models import Contact

from . import intents
from .models import Batch, BatchRecipient, Mail, Suppression
from .rendering import Rendered, attachments_encode, render_mail
from .sending import (  # noqa: F401 - mail_send and retry_delay are part of this module's API
    mail_send,
    mail_send_many,
    max_attempts,
    retry_delay,
    rows_of_dead_workers_requeue,
    setting,
)
from .suppression import suppressed_among, suppression_reason

log = logging.getLogger(__name__)

State = Mail.State


# --- Queueing --------------------------------------------------------------------


def _related_key(related: models.Model) -> tuple[ContentType, int]:
    if related is None or related.pk is None:
        raise ValueError("A mail needs a saved related object.")
    return ContentType.objects.get_for_model(related, for_concrete_model=False), related.pk


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
    identity: Identity | None = None,
) -> Mail:
    """Renders a mail into an unsaved row (for bulk inserts); `mail_queue` saves one.

    Bulk senders may pass `rendered` (from rendering.MailMerge) instead of rendering here.
    The mail is signed by `identity`; without one, by the cluster of its scope (a forum's
    mails by the forum's cluster), else by the agency.
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
    if identity is None:
        identity = identity_for(getattr(scope, "cluster_id", None))
    if rendered is None:
        rendered = render_mail(
            template=template,
            context=context or {},
            language=language,
            recipient_email=email,
            contact_id=contact.pk if contact else None,
            identity=identity,
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
        from_email=identity.from_header,
        reply_to=identity.reply_address,
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
    template: str = "",
    context: dict | None = None,
    attachments=(),
    due_at: datetime | None = None,
    key_suffix: str = "",
    marketing: bool = False,
    batch: Batch | None = None,
    scope: models.Model | None = None,
    rendered: Rendered | None = None,
    identity: Identity | None = None,
) -> Mail | None:
    """Queues one mail (rendered from `template` and `context`, or given as `rendered`).

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
        rendered=rendered,
        identity=identity,
    )
    with transaction.atomic():
        if _exists(mail):
            return None
        if mail.marketing:
            reason = suppression_reason(mail.recipient_email, mail.contact)
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
    suppressed = suppressed_among({m.recipient_email for m in mails if m.marketing})
    now = timezone.now()
    for mail in mails:
        if not mail.marketing:
            continue
        if mail.recipient_email in suppressed or getattr(mail.contact, "opted_out_at", None):
            mail.state = State.SUPPRESSED
            mail.last_error = suppression_reason(mail.recipient_email, mail.contact)
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

    chunk = setting("OUTBOX_CHUNK_SIZE", 50)
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


def mail_queue_due(*, now: datetime | None = None) -> int:
    """Beat, every minute: hands due mails to workers and rescues stuck ones.

    Rows "sending" whose claim a dead worker stopped keeping alive go back to the queue
    (see sending), bulk sends that stopped making progress are dispatched again, and a
    queued row whose task was asked for a while ago (lost with a dead worker's prefetch) is
    asked for again. Returns how many were queued.
    """
    now = now or timezone.now()
    rows_of_dead_workers_requeue(now)
    with transaction.atomic():
        _redispatch_stale_batches(now)
    intents.redispatch_stale(now)
    requeue_before = now - timedelta(seconds=setting("OUTBOX_REQUEUE_AFTER_SECONDS", 60))
    limit = setting("OUTBOX_DUE_LIMIT", 20000)
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
        chunk_size=chunk_size or setting("OUTBOX_BATCH_CHUNK_SIZE", 200),
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
    Batch.objects.filter(pk=batch_id).update(progressed_at=timezone.now())
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
    """Beat: a bulk send with contacts still lacking their mail and no progress for a while
    (its chunks died with a worker) goes again; chunks only fill the gaps."""
    stale_before = now - timedelta(seconds=setting("OUTBOX_BATCH_STALE_SECONDS", 60))
    candidates = (
        Batch.objects.filter(
            dispatched_at__lt=stale_before,
            created_at__gte=now - timedelta(days=2),
        )
        .filter(Q(progressed_at__isnull=True) | Q(progressed_at__lt=stale_before))
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
    pending.update(state=State.SUPPRESSED, last_error=suppression_reason(email, contact))
    return entry
