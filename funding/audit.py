"""The actions the funding app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class DeclarationAction(models.TextChoices):
    RECORDED = "declaration.recorded", _("De-minimis declaration recorded")
    RECORDED_FOR_REVIEW = (
        "declaration.recorded_for_review",
        _("De-minimis declaration recorded, listing less prior aid (waits for confirmation)"),
    )
    CONFIRMED = "declaration.confirmed", _("De-minimis declaration confirmed")


@register
class ControlLinkAction(models.TextChoices):
    ADDED = "control_link.added", _("Control link between companies added")
    # Earlier versions deleted links; entries of that action stay readable.
    REMOVED = "control_link.removed", _("Control link between companies removed")
    ENDED = "control_link.ended", _("Control link between companies ended")


@register
class AidAction(models.TextChoices):
    GRANTED = "aid.granted", _("De-minimis aid granted at the booking")
    CHANGED = "aid.changed", _("De-minimis aid changed with the consulting hours")
    CORRECTED = "aid.corrected", _("De-minimis certificate corrected under a new number")
    WAIVED = "aid.waived", _("De-minimis aid waived: the workshop did not take place")
