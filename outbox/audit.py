"""The actions the outbox records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class MailTextAction(models.TextChoices):
    SAVED = "mail_text.saved", _("Mail text changed")
    RESET = "mail_text.reset", _("Mail text reset to the default")
