"""The actions the forums app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class AttendeeListAction(models.TextChoices):
    AGREED = "attendee_list.agreed", _("Agreed to be on a forum's attendee list")
    WITHDRAWN = "attendee_list.withdrawn", _("Withdrew from a forum's attendee list")


@register
class ForumAction(models.TextChoices):
    CREATED = "forum.created", _("Forum created")
    CHANGED = "forum.changed", _("Forum changed")
    PUBLISHED = "forum.published", _("Forum published")
    CANCELLED = "forum.cancelled", _("Forum cancelled")
    RESCHEDULED = "forum.rescheduled", _("Forum moved to another date")
    CLOSED = "forum.closed", _("Forum closed after it was held")


@register
class RegistrationAction(models.TextChoices):
    CREATED = "registration.created", _("Registered for a forum")
    CANCELLED = "registration.cancelled", _("Registration cancelled")
    CONFIRMED = "registration.confirmed", _("Registration given a seat by staff")
    APPROVED = "registration.approved", _("Registration request approved")
    PROMOTED = "registration.promoted", _("Moved up from the waiting list")
    UNSEATED = "registration.unseated", _("Moved to the waiting list by staff")
    WAITLIST_MOVED = "registration.waitlist_moved", _("Place on the waiting list changed")
    CHECKED_IN = "registration.checked_in", _("Checked in")
    CHECK_IN_UNDONE = "registration.check_in_undone", _("Check-in taken back")
    NO_SHOW = "registration.no_show", _("Marked as not attended")
