"""What a registration came to, said to the person who registered, in the colour of what
happened: a seat is good news, the waiting list a warning with its reason, a request for
approval a note."""

from django.contrib import messages
from django.utils.translation import gettext as _

from . import selectors
from .models import Registration

State = Registration.State


def _company_seats(registration: Registration) -> int:
    """The seats the company held when the person was put on the waiting list: what the
    service saw under the forum lock (the reason), else read now."""
    seen = getattr(registration, "company_seats_seen", None)
    if seen is not None:
        return seen
    return selectors.company_seats_taken(registration.forum, registration.company_id)


def registration_outcome(registration: Registration, *, yourself=False) -> tuple[int, str]:
    """(message level, text) for the outcome of a new registration; `yourself` when the
    person registered is the one reading it."""
    if yourself:
        return _own_outcome(registration)
    name = registration.contact.full_name
    if registration.state == State.CONFIRMED:
        return messages.SUCCESS, _(
            "%(name)s is registered. A confirmation is on its way by e-mail."
        ) % {"name": name}
    if registration.state == State.WAITLISTED:
        forum = registration.forum
        taken = _company_seats(registration)
        if taken >= forum.seats_per_company:
            text = _(
                "%(name)s is on the waiting list at position %(position)s: your company "
                "already holds %(taken)s of its %(cap)s seats. %(name)s moves up when a seat "
                "of your company becomes free."
            )
        else:
            text = _(
                "%(name)s is on the waiting list at position %(position)s: the forum is "
                "fully booked."
            )
        return messages.WARNING, text % {
            "name": name,
            "position": registration.waitlist_position,
            "taken": taken,
            "cap": forum.seats_per_company,
        }
    return messages.INFO, _(
        "%(name)s has asked for a seat; the cluster management will confirm it."
    ) % {"name": name}


def _own_outcome(registration: Registration) -> tuple[int, str]:
    if registration.state == State.CONFIRMED:
        return messages.SUCCESS, _(
            "You are registered. A confirmation with the calendar entry is on its way by e-mail."
        )
    if registration.state == State.WAITLISTED:
        forum = registration.forum
        taken = _company_seats(registration)
        if taken >= forum.seats_per_company:
            text = _(
                "You are on the waiting list at position %(position)s: your company already "
                "holds %(taken)s of its %(cap)s seats. You move up when a seat of your company "
                "becomes free."
            )
        else:
            text = _(
                "You are on the waiting list at position %(position)s: the forum is fully booked."
            )
        return messages.WARNING, text % {
            "position": registration.waitlist_position,
            "taken": taken,
            "cap": forum.seats_per_company,
        }
    return messages.INFO, _("You have asked for a seat; the cluster management will confirm it.")


def add_registration_outcome(request, registration: Registration, *, yourself=False) -> None:
    level, text = registration_outcome(registration, yourself=yourself)
    messages.add_message(request, level, text)
