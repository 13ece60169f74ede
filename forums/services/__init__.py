"""Writes of the forums app: one transaction each, keyword-only.

Seats are the scarce resource. Every write that takes or frees a seat locks the forum's row first
(SELECT ... FOR NO KEY UPDATE) and only then counts and inserts, all in one short transaction:
concurrent registrations for the same forum queue at that lock in arrival order, registrations
for different forums do not wait for each other, and no mail or other slow work happens while
the lock is held (mails are queued on commit).

The functions live in modules by subdomain (registrations, lifecycle, feedback, the audience
log; the invitation send in forums.invitations); callers import them from here.
"""

from .audience_log import audience_log_prune
from .common import RegistrationError, State
from .feedback import (
    feedback_submit,
)
from .lifecycle import (
    forum_cancel,
    forum_close,
    forum_create,
    forum_publish,
    forum_reschedule,
    forum_update,
)
from .registrations import (
    registration_approve,
    registration_cancel,
    registration_check_in,
    registration_confirm,
    registration_create,
    registration_move_to_waitlist,
    registration_waitlist_shift,
)

__all__ = [
    "RegistrationError",
    "State",
    "registration_create",
    "registration_cancel",
    "registration_confirm",
    "registration_approve",
    "registration_move_to_waitlist",
    "registration_waitlist_shift",
    "registration_check_in",
    "forum_create",
    "forum_update",
    "forum_publish",
    "forum_cancel",
    "forum_reschedule",
    "forum_close",
    "feedback_submit",
    "audience_log_prune",
]
