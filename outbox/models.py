"""The outbox: every mail is a row first, then a task sends it once.

A row is unique per (kind, related object, recipient, key); a second queueing of
the same mail finds the row and does nothing. Cancelled rows step out of that
uniqueness so a re-planned reminder can take their place.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Batch(models.Model):
    """A bulk send (e.g. the invitations to one forum), for its progress and audit."""

    kind = models.CharField(_("Kind"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    planned = models.PositiveIntegerField(_("planned"), default=0)
    # The fan-out: the recipients (BatchRecipient rows) and the function ("module.name") that
    # builds their mails. Workers render chunks of them; beat re-dispatches chunks lost with a
    # dead worker.
    builder = models.CharField(max_length=200, blank=True)
    chunk_size = models.PositiveIntegerField(default=200)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Kept fresh by the runs sending its chunks: beat tells a slow send from a dead one.
    progressed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Mail batch")
        verbose_name_plural = _("Mail batches")

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class BatchRecipient(models.Model):
    """A contact a bulk send took on, at its place in the send.

    Rows rather than a list inside the batch, so "is this contact part of a send about this
    forum" is a join that pages can count with, whatever the size of the send.
    """

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="recipients")
    # 0, 1, 2, ...: chunks are ranges of positions, which stay put when a contact is deleted.
    position = models.PositiveIntegerField()
    contact = models.ForeignKey(
        "members.Contact", on_delete=models.CASCADE, related_name="+", verbose_name=_("Contact")
    )

    class Meta:
        ordering = ["batch", "position"]
        verbose_name = _("Recipient of a batch")
        verbose_name_plural = _("Recipients of a batch")
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="outbox_batch_position"),
            models.UniqueConstraint(fields=["batch", "contact"], name="outbox_batch_contact"),
        ]

    def __str__(self):
        return f"{self.batch} #{self.position}"


class Mail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("not sent (opted out)")
        CANCELLED = "cancelled", _("withdrawn")

    kind = models.CharField(_("Kind"), max_length=60, db_index=True)
    # Distinguishes mails of one kind to the same recipient about the same object,
    # e.g. the reminders "7d" and "1d" of one registration.
    key = models.CharField(_("Key"), max_length=100, blank=True, default="")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    related = GenericForeignKey("content_type", "object_id")
    # What staff filter by: the forum or workshop the mail belongs to (a reminder is
    # about a registration, but belongs to its forum). Defaults to the related object.
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    # Stored lower-case, so the unique key holds regardless of spelling.
    recipient_email = models.EmailField(_("Recipient"), max_length=254)
    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("Contact"),
    )
    language = models.CharField(_("Language"), max_length=8, default="de")
    # Who sends, fixed when the mail is queued (a cluster's or the agency's identity), so a
    # queued mail keeps its sender whatever changes later. Empty: DEFAULT_FROM_EMAIL.
    from_email = models.CharField(_("Sender"), max_length=320, blank=True)
    reply_to = models.EmailField(_("Reply-to address"), max_length=254, blank=True)
    subject = models.CharField(_("Subject"), max_length=300)
    text_body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: small files such as an .ics.
    attachments = models.JSONField(_("Attachments"), default=list, blank=True)
    marketing = models.BooleanField(
        _("advertising"),
        default=False,
        help_text=_("Invitations and the like; not sent to addresses that opted out."),
    )
    state = models.CharField(
        _("State"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    # When a task was last asked to send it; beat re-queues rows whose task got lost.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    batch = models.ForeignKey(
        Batch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("Batch"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Mail")
        verbose_name_plural = _("Mails")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient_email", "key"],
                condition=~models.Q(state="cancelled"),
                name="outbox_mail_once_per_recipient",
            ),
        ]
        indexes = [
            # "Send what is due" and the stuck-row sweep read these.
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="queued"),
                name="outbox_mail_due",
            ),
            models.Index(fields=["content_type", "object_id", "kind"], name="outbox_mail_related"),
            models.Index(fields=["scope_type", "scope_id"], name="outbox_mail_scope"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_email}"

    @property
    def state_badge(self) -> str:
        """Bootstrap colour of the state on staff pages."""
        return {
            self.State.QUEUED: "secondary",
            self.State.SENDING: "info",
            self.State.SENT: "success",
            self.State.FAILED: "danger",
            self.State.SUPPRESSED: "warning",
        }.get(self.state, "light")


class Suppression(models.Model):
    """An address that receives no more advertising mail (opt-out, bounce)."""

    class Reason(models.TextChoices):
        OPT_OUT = "opt_out", _("opted out")
        BOUNCE = "bounce", _("bounced")
        MANUAL = "manual", _("entered by staff")

    email = models.EmailField(_("E-mail"), max_length=254)
    reason = models.CharField(_("Reason"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Suppressed address")
        verbose_name_plural = _("Suppressed addresses")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="outbox_suppression_email_ci"),
        ]

    def __str__(self):
        return self.email


class Intent(models.Model):
    """A task a committed transaction promised: written in that transaction, removed by the
    task in the transaction that does its work. Beat sends again what is left (outbox.intents)."""

    name = models.CharField(_("Task"), max_length=200)
    args = models.JSONField(_("Arguments"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("sent to a worker"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=1)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("Pending task")
        verbose_name_plural = _("Pending tasks")
        indexes = [models.Index(fields=["name", "dispatched_at"], name="outbox_intent_name_idx")]

    def __str__(self):
        return f"{self.name}{tuple(self.args)}"


class MailText(models.Model):
    """One version of a mail text edited by staff (outbox.mailtexts), per template, language
    and cluster.

    Every save adds a row; the newest row of a (template, language, cluster) is that cluster's
    text. Without a cluster the row is the agency-wide text: it signs mails that belong to no
    cluster and is what a cluster without a text of its own inherits. A row with `is_default`
    is a reset: the cluster inherits again (the agency-wide row: the shipped template applies
    again), and the history stays. Mails already queued keep the text they were rendered with.
    """

    template = models.CharField(_("Template"), max_length=120)  # "emails/forums_invitation"
    language = models.CharField(_("Language"), max_length=8, choices=settings.LANGUAGES)
    cluster = models.ForeignKey(
        "members.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cluster"),
        help_text=_("Empty: the agency-wide text."),
    )
    subject = models.CharField(_("Subject"), max_length=300, blank=True)
    text = models.TextField(_("Text"), blank=True)
    body_markdown = models.TextField(_("HTML body (Markdown)"), blank=True)
    is_default = models.BooleanField(_("reset to the default"), default=False)
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("Mail text")
        verbose_name_plural = _("Mail texts")
        indexes = [
            models.Index(
                fields=["template", "language", "cluster", "-id"], name="outbox_mailtext_current"
            )
        ]

    def __str__(self):
        where = f", cluster {self.cluster_id}" if self.cluster_id else ""
        return f"{self.template} ({self.language}{where}) #{self.pk}"


class Bounce(models.Model):
    """A report that a mail did not arrive or was not wanted: a delivery status notification
    read from the bounce mailbox, or an ESP's webhook event (outbox.bounces)."""

    class Kind(models.TextChoices):
        HARD = "hard", _("hard bounce")
        SOFT = "soft", _("soft bounce")
        COMPLAINT = "complaint", _("spam complaint")
        UNSUBSCRIBE = "unsubscribe", _("unsubscribed at the mail provider")

    email = models.EmailField(_("E-mail"), max_length=254)
    kind = models.CharField(_("Kind"), max_length=12, choices=Kind.choices)
    mail = models.ForeignKey(
        Mail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bounces",
        verbose_name=_("Mail"),
    )
    reason = models.CharField(_("Reason"), max_length=300, blank=True)
    source = models.CharField(_("Source"), max_length=40)
    # The report's own id (and recipient): a report read or posted twice counts once.
    report_key = models.CharField(max_length=300, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Bounce")
        verbose_name_plural = _("Bounces")
        indexes = [models.Index(fields=["email", "received_at"], name="outbox_bounce_email")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.email}"
