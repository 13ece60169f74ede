"""The one audit trail: who did what to which object, when, with the values before and after.

Rows are written by `core.audit.record` inside the transaction of the write they describe and
never changed afterwards (erasure aside, which anonymises a person's name in them).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .actions import action_choices


class AuditEvent(models.Model):
    at = models.DateTimeField(_("When"), default=timezone.now, db_index=True)
    # Empty for the system (demo data, management commands, tasks).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Who"),
    )
    action = models.CharField(
        pgettext_lazy("audit", "Action"), max_length=64, choices=action_choices
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Object type"),
    )
    object_id = models.CharField(_("Object id"), max_length=64, blank=True)
    # Kept when the object is deleted later: the trail still says what it was.
    object_repr = models.CharField(_("Object"), max_length=200, blank=True)
    before = models.JSONField(_("Before"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("After"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("Reason"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("Audit event")
        verbose_name_plural = _("Audit trail")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["action", "-at"], name="core_audit_action_idx"),
            models.Index(fields=["actor", "-at"], name="core_audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
