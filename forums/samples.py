"""The forums' mails on the staff page of mail templates, with sample data (no database)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Company, Contact

from .mails import REGISTRATION_MAILS, REMINDER_KIND, change_lines
from .models import Forum, Registration

LABELS = {
    "confirmed": _("Forum: registration confirmed"),
    "waitlisted": _("Forum: on the waiting list"),
    "pending": _("Forum: registration received, awaiting approval"),
    "promoted": _("Forum: seat from the waiting list"),
    "cancelled": _("Forum: registration cancelled"),
}


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
        "changes": change_lines(
            [
                {"field": "title", "old": "Metall-Forum: Industrie 4.0", "new": forum.title},
                {
                    "field": "agenda",
                    "old": "17:00–17:15 Begrüßung",
                    "new": "17:00–17:15 Begrüßung\n17:15–18:00 Werksführung (Maria Muster)",
                },
            ]
        ),
    }


def register_all() -> None:
    from outbox.samples import register

    for event, (kind, template) in REGISTRATION_MAILS.items():
        if event in LABELS:  # "unseated" is the waiting-list mail with a CANCEL
            register(kind=kind, label=LABELS[event], template=template, sample=_sample)
    register(
        kind=REMINDER_KIND,
        label=_("Forum: reminder"),
        template="forums_reminder",
        sample=_sample,
    )
    register(
        kind="forum_rescheduled",
        label=_("Forum: new date"),
        template="forums_forum_rescheduled",
        sample=_sample,
    )
    register(
        kind="forum_changed",
        label=_("Forum: details changed"),
        template="forums_forum_changed",
        sample=_sample,
    )
    register(
        kind="forum_cancelled",
        label=_("Forum: cancelled"),
        template="forums_forum_cancelled",
        sample=_sample,
    )
    register(
        kind="forum_feedback_request",
        label=_("Forum: request for feedback"),
        template="forums_feedback_request",
        sample=_sample,
    )
