"""A circular: subject, Markdown body, its PDFs (stored once) and the audience it goes to."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _


class Circular(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENT = "sent", _("sent")

    # Whose network it goes to; per-cluster roles filter by it.
    cluster = models.ForeignKey(
        "members.Cluster",
        on_delete=models.PROTECT,
        related_name="circulars",
        verbose_name=_("Cluster"),
    )
    subject = models.CharField(_("Subject"), max_length=200)
    body = models.TextField(_("Text"), help_text=_("Markdown: **bold**, *italic*, - lists, links."))
    # The staff's filter (members.filters.ContactFilter) as a query string: the audience is
    # computed from it when the circular goes out, so opt-outs until then are honoured.
    audience_query = models.TextField(_("Audience filter"), blank=True)
    state = models.CharField(
        _("State"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("to be sent at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients_planned = models.PositiveIntegerField(_("recipients"), default=0)
    batch = models.ForeignKey(
        "outbox.Batch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    mails = GenericRelation("outbox.Mail")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Circular")
        verbose_name_plural = _("Circulars")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(scheduled_at__isnull=False),
                name="circulars_scheduled_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                condition=models.Q(state="scheduled"),
                name="circulars_due",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT


def attachment_path(instance, filename: str) -> str:
    # A random name: the stored path reveals nothing; the original name is kept in the row.
    return f"circulars/{uuid.uuid4().hex}.pdf"


class CircularAttachment(models.Model):
    """A PDF of a circular, stored once; every mail of the circular refers to it."""

    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Circular")
    )
    file = models.FileField(_("File"), upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("File name"), max_length=200)
    size = models.PositiveIntegerField(_("Size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["circular", "pk"]
        verbose_name = _("Attachment of a circular")
        verbose_name_plural = _("Attachments of circulars")

    def __str__(self):
        return self.filename
