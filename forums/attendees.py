"""Who is coming: the attendee list registered members of a forum see.

A person appears on it only after agreeing (``Registration.listed_since``), at registration or
later on the forum page, and may withdraw at any time. Only the person agrees for themselves:
a colleague who registers someone else cannot put them on the list. The list shows name,
company and function, never an address, and only to company users whose company holds a seat
at the same forum.
"""

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.roles import Role, has_role

from .audit import AttendeeListAction
from .models import Forum, Registration

# Registrations that count as "coming": a held seat (the waiting list is not coming yet).
COMING_STATES = Registration.SEAT_STATES


class ListingForm(forms.Form):
    """The one question, asked where a person registers themselves."""

    listed = forms.BooleanField(
        label=_(
            "Show me on the attendee list (name, company, function) to the other registered "
            "members of this forum"
        ),
        required=False,
    )


def may_see_attendees(user, forum: Forum) -> bool:
    """A company user whose company holds a seat at this forum (one query)."""
    if not has_role(user, Role.COMPANY_USER) or not user.company_id:
        return False
    return Registration.objects.filter(
        forum=forum, company_id=user.company_id, state__in=COMING_STATES
    ).exists()


def listed_attendees(forum: Forum) -> QuerySet[Registration]:
    """The attendees who agreed to be listed, by company and name (one query)."""
    return (
        Registration.objects.filter(
            forum=forum, state__in=COMING_STATES, listed_since__isnull=False
        )
        .select_related("contact", "company")
        .only(
            "contact__first_name",
            "contact__last_name",
            "contact__title",
            "contact__function",
            "company__legal_name",
        )
        .order_by("company__legal_name", "contact__last_name", "contact__first_name", "pk")
    )


def own_registration(user, forum: Forum) -> Registration | None:
    """The user's own live registration at the forum, where they decide about the list."""
    contact_id = getattr(user, "contact_id", None)
    if not contact_id:
        return None
    return (
        Registration.objects.filter(forum=forum, contact_id=contact_id)
        .exclude(state=Registration.State.CANCELLED)
        .first()
    )


def page_context(user, forum: Forum, *, company_registrations=None) -> dict:
    """What the forum page's attendee section needs (at most three queries; one when the page
    passes the company's registrations it has read anyway)."""
    if not has_role(user, Role.COMPANY_USER):
        return {}
    if company_registrations is None:
        own = own_registration(user, forum)
        visible = may_see_attendees(user, forum)
    else:
        live = [r for r in company_registrations if r.state != Registration.State.CANCELLED]
        own = next((r for r in live if r.contact_id == user.contact_id), None)
        visible = any(r.state in COMING_STATES for r in live)
    return {
        "attendees_visible": visible,
        "attendees": list(listed_attendees(forum)) if visible else [],
        "own_registration": own,
        "listing_form": ListingForm(initial={"listed": bool(own and own.listed_since)}),
    }


@transaction.atomic
def listing_set(*, registration: Registration, listed: bool, actor=None) -> Registration:
    """The person agrees to be listed (``listed``) or withdraws; audited, idempotent."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if bool(registration.listed_since) == listed:
        return registration
    registration.listed_since = timezone.now() if listed else None
    registration.save(update_fields=["listed_since", "updated_at"])
    audit.record(
        actor=actor,
        action=AttendeeListAction.AGREED if listed else AttendeeListAction.WITHDRAWN,
        obj=registration,
        before={"listed": not listed},
        after={"listed": listed},
    )
    return registration


def listing_from_post(data, registrations, *, contact_id, actor=None) -> None:
    """After a registration form: lists the person's own new registration if they ticked
    the box (registrations of colleagues are never listed on someone else's word)."""
    form = ListingForm(data)
    if not contact_id or not form.is_valid() or not form.cleaned_data["listed"]:
        return
    for registration in registrations:
        if registration.contact_id == contact_id and registration.state != "cancelled":
            listing_set(registration=registration, listed=True, actor=actor)
