"""Writes of circulars: write and change a draft with its PDFs, send a test to oneself, send
now or at a chosen time, cancel a scheduled send. One transaction each, in the audit trail.

A send computes the audience from the stored filter at that moment and hands it to the
outbox as a bulk send (outbox.services.batch_start). A scheduled circular waits as a row
(state "scheduled", a time); beat's `circulars.send_due` sends it when it is due, so
cancelling is a change of that row and nothing waits in a broker.
"""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from outbox.catalogue import Recipient
from outbox.models import Mail
from outbox.services import batch_start

from . import audience
from .attachments import check_uploads, clean_filename
from .audit import CircularAction
from .mails import KIND, TEST
from .models import Circular, CircularAttachment

FIELDS = ("cluster", "subject", "body")
LANGUAGES = ("de", "en")


def _store_uploads(circular: Circular, uploads) -> None:
    """Saves the files and their rows; if a row cannot be written, no file stays behind."""
    written = []
    try:
        for upload in uploads:
            attachment = CircularAttachment(
                circular=circular, filename=clean_filename(upload.name), size=upload.size
            )
            attachment.file.save(attachment.filename, upload, save=False)
            written.append(attachment.file)
            attachment.save()
    except Exception:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def _require_draft(circular: Circular) -> Circular:
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if not locked.is_editable:
        raise ValidationError(_("Only a draft circular can be changed."))
    return locked


@transaction.atomic(durable=True)
def circular_create(*, cluster, subject: str, body: str, uploads=(), actor) -> Circular:
    uploads = list(uploads)
    check_uploads(uploads=uploads, kept_sizes=[])
    circular = Circular.objects.create(
        cluster=cluster, subject=subject, body=body, created_by=actor
    )
    _store_uploads(circular, uploads)
    audit.record(
        actor=actor,
        action=CircularAction.CREATED,
        obj=circular,
        after=audit.values(circular, FIELDS) | {"attachments": len(uploads)},
    )
    return circular


@transaction.atomic(durable=True)
def circular_update(
    *, circular: Circular, cluster, subject: str, body: str, uploads=(), remove_ids=(), actor
) -> Circular:
    """Changes a draft; `remove_ids` are attachments to drop, `uploads` new PDFs."""
    circular = _require_draft(circular)
    uploads = list(uploads)
    removed = list(circular.attachments.filter(pk__in=list(remove_ids)))
    kept = circular.attachments.exclude(pk__in=[a.pk for a in removed])
    check_uploads(uploads=uploads, kept_sizes=list(kept.values_list("size", flat=True)))
    before = audit.values(circular, FIELDS)
    circular.cluster, circular.subject, circular.body = cluster, subject, body
    circular.save(update_fields=["cluster", "subject", "body", "updated_at"])
    for attachment in removed:
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    _store_uploads(circular, uploads)
    before, after = audit.changes(before, audit.values(circular, FIELDS))
    audit.record(
        actor=actor,
        action=CircularAction.CHANGED,
        obj=circular,
        before=before,
        after=after | {"attachments_added": len(uploads), "attachments_removed": len(removed)},
    )
    return circular


@transaction.atomic(durable=True)
def circular_test_send(*, circular: Circular, actor, language: str = "de") -> Mail:
    """Sends the circular to the person asking (with its PDFs, in `language`), marked as a
    test."""
    if not getattr(actor, "email", ""):
        raise ValidationError(_("Your login has no e-mail address for the test."))
    circular = Circular.objects.select_related("cluster").get(pk=circular.pk)
    language = language if language in LANGUAGES else "de"
    recipient = Recipient(actor.email, actor.get_full_name() or actor.email, language)
    # Each test is its own mail (the unique key would make a second test a no-op).
    mail = TEST.queue_one(circular, recipient, key=uuid.uuid4().hex[:16])
    audit.record(actor=actor, action=CircularAction.TEST_SENT, obj=circular)
    return mail


def _audience_ids(circular: Circular, data: QueryDict) -> list[int]:
    contact_filter, queryset = audience.matching_contacts(data)
    if contact_filter.is_bound and not contact_filter.is_valid():
        raise ValidationError(_("Please correct the audience filter."))
    return list(audience.recipients(circular, queryset).order_by("pk").values_list("pk", flat=True))


def _start(circular: Circular, ids: list[int], actor) -> Circular:
    circular.batch = batch_start(
        kind=KIND,
        related=circular,
        contact_ids=ids,
        builder="circulars.mails.circular_mails",
        created_by=actor,
    )
    circular.state = Circular.State.SENT
    circular.sent_at = timezone.now()
    circular.recipients_planned = len(ids)
    circular.save(
        update_fields=[
            "audience_query",
            "batch",
            "state",
            "sent_at",
            "recipients_planned",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action=CircularAction.SENT,
        obj=circular,
        after={"recipients": len(ids), "audience": circular.audience_query},
    )
    return circular


@transaction.atomic(durable=True)
def circular_send(
    *,
    circular: Circular,
    data: QueryDict,
    actor,
    expected: int | None = None,
    send_at: datetime | None = None,
    now: datetime | None = None,
) -> Circular:
    """Sends the circular to the audience the filter `data` selects, now or at `send_at`.

    The audience is computed here, not taken from the browser; if `expected` (the count the
    cluster manager saw) no longer holds, nothing happens. A scheduled send keeps the filter
    and computes the audience again when it is due.
    """
    now = now or timezone.now()
    circular = _require_draft(circular)
    if send_at is not None and send_at <= now:
        raise ValidationError(_("The time to send must be in the future."))
    query = data.copy()
    query.pop("page", None)
    circular.audience_query = query.urlencode()
    ids = _audience_ids(circular, data)
    if not ids:
        raise ValidationError(_("Nobody in this audience can receive the circular."))
    if expected is not None and expected != len(ids):
        raise ValidationError(
            _(
                "The audience has changed since the preview (now %(n)d). "
                "Please check and send again."
            )
            % {"n": len(ids)}
        )
    if send_at is None:
        return _start(circular, ids, actor)
    circular.state = Circular.State.SCHEDULED
    circular.scheduled_at = send_at
    circular.recipients_planned = len(ids)
    circular.save(
        update_fields=[
            "audience_query",
            "state",
            "scheduled_at",
            "recipients_planned",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action=CircularAction.SCHEDULED,
        obj=circular,
        after={"scheduled_at": send_at, "audience": circular.audience_query},
    )
    return circular


@transaction.atomic(durable=True)
def circular_cancel(*, circular: Circular, actor) -> Circular:
    """Takes a scheduled circular back to draft; once it is sent, it cannot be cancelled."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.state != Circular.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled circular can be cancelled; this one is not."))
    before = {"scheduled_at": circular.scheduled_at}
    circular.state = Circular.State.DRAFT
    circular.scheduled_at = None
    circular.save(update_fields=["state", "scheduled_at", "updated_at"])
    audit.record(actor=actor, action=CircularAction.CANCELLED, obj=circular, before=before)
    return circular


def circulars_send_due(*, now: datetime | None = None) -> int:
    """Beat, every minute: sends the scheduled circulars that are due. Returns how many.

    Each in its own transaction, claimed with skip_locked: two beats never send one twice,
    and a cancel that holds the row wins or waits.
    """
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            circular = (
                Circular.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cluster", "created_by")
                .filter(state=Circular.State.SCHEDULED, scheduled_at__lte=now)
                .order_by("scheduled_at", "pk")
                .first()
            )
            if circular is None:
                return sent
            try:
                ids = _audience_ids(circular, audience.filter_data(circular))
            except ValidationError:
                ids = []  # a filter that no longer holds (a sector deleted): nobody
            if ids:
                _start(circular, ids, circular.created_by)
            else:
                # Everybody opted out meanwhile: nothing to send, and it says so.
                circular.state = Circular.State.SENT
                circular.sent_at = now
                circular.recipients_planned = 0
                circular.save(update_fields=["state", "sent_at", "recipients_planned"])
            sent += 1
