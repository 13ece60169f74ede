"""The actions on circulars the audit trail records (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class CircularAction(models.TextChoices):
    CREATED = "circular.created", _("Circular written")
    CHANGED = "circular.changed", _("Circular changed")
    TEST_SENT = "circular.test_sent", _("Circular sent as a test")
    SCHEDULED = "circular.scheduled", _("Circular scheduled")
    CANCELLED = "circular.cancelled", _("Scheduled circular cancelled")
    SENT = "circular.sent", _("Circular sent")
