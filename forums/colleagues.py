"""A company user registers herself, or a colleague who is not yet a contact of the company.

Both go through `services.registration_create`, so seats, the company's cap, the waiting list
and the audience rules apply exactly as for colleagues picked from the list.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from members.services import contact_create

from . import selectors
from .models import Forum, Registration
from .services import RegistrationError, registration_create

State = Registration.State


def already_registered_message(registration: Registration) -> str:
    """What a second "register me" says: that she is registered, and how."""
    if registration.state == State.WAITLISTED:
        return _("You are already on the waiting list for this forum (position %(position)s).") % {
            "position": registration.waitlist_position
        }
    if registration.state == State.PENDING:
        return _("You have already asked for a seat at this forum; it awaits approval.")
    return _("You are already registered for this forum.")


def register_self(*, forum: Forum, user) -> Registration:
    """Registers the company user's own contact (every company login has one).

    Raises RegistrationError with code "duplicate" and a message in the second person if she
    is registered already, else whatever registration_create raises.
    """
    existing = selectors.contact_active_registration(forum, user.contact_id)
    if existing is not None:
        raise RegistrationError(already_registered_message(existing), code="duplicate")
    try:
        return registration_create(
            forum=forum, contact=user.contact, source=Registration.Source.PORTAL, actor=user
        )
    except RegistrationError as error:
        # Registered a moment ago in another tab: the service's check under the forum lock.
        if getattr(error, "code", None) == "duplicate":
            existing = selectors.contact_active_registration(forum, user.contact_id)
            if existing is not None:
                raise RegistrationError(
                    already_registered_message(existing), code="duplicate"
                ) from error
        raise


@transaction.atomic
def colleague_add_and_register(
    *, forum: Forum, user, first_name: str, last_name: str, email: str, function: str
) -> Registration:
    """Adds a new contact to the user's company and registers them, in one transaction: when
    the registration is refused (deadline, audience), the contact is not kept either."""
    contact = contact_create(
        company=user.company,
        first_name=first_name,
        last_name=last_name,
        email=email,
        function=function,
        actor=user,
    )
    return registration_create(
        forum=forum, contact=contact, source=Registration.Source.PORTAL, actor=user
    )
