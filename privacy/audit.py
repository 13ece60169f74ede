"""The actions privacy records in the one audit trail (core.audit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class PrivacyAction(models.TextChoices):
    ERASED = "privacy.erased", _("Personal data erased")
    EXPORTED = "privacy.exported", _("Personal data exported")
    RETENTION_ERASED = "privacy.retention_erased", _("Anonymised after the retention period")


PRIVACY_ACTIONS = tuple(PrivacyAction.values)
