"""The forums' mails on the staff page of mail templates, with sample data (no database)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Company, Contact

from .mails import REGISTRATION_MAILS, REMINDER_KIND, change_lines, changes_text
from .models import Forum, Registration

LABELS = {
    "confirmed": _("Forum: registration confirmed"),
    "waitlisted": _("Forum: on the waiting list"),
    "pending": _("Forum: registration received, awaiting approval"),
    "promoted": _("Forum: seat from the waiting list"),
    "cancelled": _("Forum: registration cancelled"),
}


# What staff may write into an edited forum mail (outbox.mailtexts): what every forum mail's
# context holds (forums.mails), and per kind what only its context adds.
PLACEHOLDERS = {
    "contact.full_name": _("Name of the registered person"),
    "contact.first_name": _("First name of the registered person"),
    "contact.last_name": _("Last name of the registered person"),
    "forum.title": _("Title of the forum"),
    "forum.description": _("Description of the forum"),
    "starts_at": _("Start (date and time)"),
    "starts_at.date": _("Day of the forum"),
    "starts_at.weekday": _("Weekday of the forum"),
    "starts_at.time": _("Start time"),
    "ends_at.time": _("End time"),
    "location": _("Venue, as one line"),
    "forum_url": _("Link to the forum's page"),
    "manage_url": _("Personal link to view or cancel the registration"),
}
EXTRA_PLACEHOLDERS = {
    "forum_registration_waitlisted": {
        "registration.waitlist_position": _("Place on the waiting list"),
    },
    REMINDER_KIND: {"days": _("Days until the forum")},
    "forum_rescheduled": {
        "old_starts_at": _("Previous start (date and time)"),
        "old_starts_at.date": _("Previous day"),
        "reason": _("Reason given for the change"),
    },
    "forum_changed": {"changes_text": _("What changed (before and now), as lines")},
    "forum_cancelled": {"forum.cancel_reason": _("Reason for the cancellation")},
    "forum_feedback_request": {"feedback_url": _("Link to the feedback form")},
}


def _placeholders(kind: str) -> dict:
    return PLACEHOLDERS | EXTRA_PLACEHOLDERS.get(kind, {})


def _sample() -> dict:
    start = (timezone.localtime() + timedelta(days=14)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    company = Company(legal_name="Muster Präzisionstechnik GmbH", city="Heilbronn")
    contact = Contact(company=company, first_name="Maria", last_name="Muster")
    forum = Forum(
        pk=0,
        title="Metall-Forum: Industrie 4.0 im Mittelstand",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue_name="Muster Präzisionstechnik GmbH",
        venue_street="Hafenstraße 1",
        venue_postcode="74076",
        venue_city="Heilbronn",
        capacity=30,
        cancel_reason="Der Referent ist erkrankt.",
    )
    registration = Registration(forum=forum, contact=contact, waitlist_position=3)
    site = settings.SITE_URL.rstrip("/")
    changes = change_lines(
        [
            {"field": "title", "old": "Metall-Forum: Industrie 4.0", "new": forum.title},
            {
                "field": "agenda",
                "old": "17:00–17:15 Begrüßung",
                "new": "17:00–17:15 Begrüßung\n17:15–18:00 Werksführung (Maria Muster)",
            },
        ]
    )
    return {
        "registration": registration,
        "forum": forum,
        "contact": contact,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "location": forum.location_text,
        "forum_url": f"{site}/forums/0/",
        "manage_url": f"{site}/forums/link/beispiel/",
        "feedback_url": f"{site}/forums/feedback/beispiel/",
        "days": 7,
        "old_starts_at": start - timedelta(days=7),
        "reason": "Neuer Raum beim Gastgeber.",
        "with_calendar": True,
        "changes": changes,
        "changes_text": changes_text(changes),
    }


def register_all() -> None:
    from outbox.samples import register

    for event, (kind, template) in REGISTRATION_MAILS.items():
        if event in LABELS:  # "unseated" is the waiting-list mail with a CANCEL
            register(
                kind=kind,
                label=LABELS[event],
                template=template,
                sample=_sample,
                placeholders=_placeholders(kind),
            )
    register(
        kind=REMINDER_KIND,
        label=_("Forum: reminder"),
        template="forums_reminder",
        sample=_sample,
        placeholders=_placeholders(REMINDER_KIND),
    )
    register(
        kind="forum_rescheduled",
        label=_("Forum: new date"),
        template="forums_forum_rescheduled",
        sample=_sample,
        placeholders=_placeholders("forum_rescheduled"),
    )
    register(
        kind="forum_changed",
        label=_("Forum: details changed"),
        template="forums_forum_changed",
        sample=_sample,
        placeholders=_placeholders("forum_changed"),
    )
    register(
        kind="forum_cancelled",
        label=_("Forum: cancelled"),
        template="forums_forum_cancelled",
        sample=_sample,
        placeholders=_placeholders("forum_cancelled"),
    )
    register(
        kind="forum_feedback_request",
        label=_("Forum: request for feedback"),
        template="forums_feedback_request",
        sample=_sample,
        placeholders=_placeholders("forum_feedback_request"),
    )
