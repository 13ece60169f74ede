"""The actions the forums app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class AttendeeListAction(models.TextChoices):
    AGREED = "attendee_list.agreed", _("Agreed to be on a forum's attendee list")
    WITHDRAWN = "attendee_list.withdrawn", _("Withdrew from a forum's attendee list")
