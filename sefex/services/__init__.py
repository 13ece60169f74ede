"""Writes of the SEFEX app: one transaction each, keyword-only.

Booking time is the scarce resource. Every write that gives a workshop a time locks the project
manager's user row and the company's row first (SELECT ... FOR NO KEY UPDATE, in that order, so
two bookings cannot deadlock), then checks for overlaps and writes. Concurrent bookings for the
same manager or company queue at those locks; the second one sees the first one's workshop and
is refused with a clear message. Behind that, PostgreSQL's exclusion constraints (migration 0002)
refuse any overlapping row however it is written; an IntegrityError from them is turned into the
same message.

The functions live in modules by subdomain (requests, booking, documentation, attachments,
availability, feedback); callers import them from here.
"""

from .attachments import (
    attachment_add,
    attachment_delete,
)
from .availability import (
    availability_exception_add,
    availability_exception_delete,
    availability_rule_add,
    availability_rule_delete,
)
from .booking import (
    slot_choose,
    slots_propose,
    workshop_cancel,
    workshop_reschedule,
    workshop_schedule,
)
from .common import MAX_SLOTS, MIN_SLOTS, SlotTaken, WorkshopError, programme_current
from .documentation import (
    action_item_create,
    action_item_mark_done,
    action_item_update,
    assessment_save,
    check_due_on,
    minutes_recorded,
    minutes_save,
    workshop_close,
    workshop_document,
    workshop_mark_held,
)
from .feedback import (
    feedback_submit,
)
from .requests import (
    workshop_request,
    workshop_update,
)

__all__ = [
    "MAX_SLOTS",
    "MIN_SLOTS",
    "SlotTaken",
    "WorkshopError",
    "programme_current",
    "workshop_request",
    "workshop_update",
    "slots_propose",
    "slot_choose",
    "workshop_schedule",
    "workshop_reschedule",
    "workshop_cancel",
    "workshop_mark_held",
    "minutes_recorded",
    "workshop_document",
    "workshop_close",
    "minutes_save",
    "assessment_save",
    "check_due_on",
    "action_item_create",
    "action_item_update",
    "action_item_mark_done",
    "attachment_add",
    "attachment_delete",
    "availability_rule_add",
    "availability_rule_delete",
    "availability_exception_add",
    "availability_exception_delete",
    "feedback_submit",
]
