"""The actions the SEFEX app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class WorkshopAction(models.TextChoices):
    REQUESTED = "workshop.requested", _("Workshop requested")
    CHANGED = "workshop.changed", _("Workshop details changed")
    SLOTS_PROPOSED = "workshop.slots_proposed", _("Dates proposed for a workshop")
    SLOT_CHOSEN = "workshop.slot_chosen", _("Workshop date chosen by the company")
    SCHEDULED = "workshop.scheduled", _("Workshop booked")
    MOVED = "workshop.moved", _("Workshop moved to another date")
    CANCELLED = "workshop.cancelled", _("Workshop cancelled")
    HELD = "workshop.held", _("Workshop held")
    MINUTES_SAVED = "workshop.minutes_saved", _("Workshop minutes saved")
    MINUTES_RELEASED = "workshop.minutes_released", _("Workshop minutes released")
    CLOSED = "workshop.closed", _("Workshop closed")


@register
class ActionItemAction(models.TextChoices):
    CREATED = "action_item.created", _("Action item created")
    CHANGED = "action_item.changed", _("Action item changed")
    DONE = "action_item.done", _("Action item done")
    REOPENED = "action_item.reopened", _("Action item reopened")
