"""The actions the public pages record in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class PublicAction(models.TextChoices):
    REQUESTED = "public_request.created", _("Registration asked for on the public page")
    CONFIRMED = "public_request.confirmed", _("Address of a public registration confirmed")
