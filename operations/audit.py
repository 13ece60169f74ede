"""The actions the operations app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class RetentionAction(models.TextChoices):
    REVIEW_LISTED = "retention.listed", _("Records whose keeping period ended listed")
    DELETED = "retention.deleted", _("Record deleted after its keeping period")
