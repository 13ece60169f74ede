"""Sample data of the forums' mails (forums.mails declares the kinds): unsaved objects for
the staff's page of mail templates and the mail text editor, no database."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from members.models import Company, Contact

from .models import Forum, Registration


def registration_sample() -> dict:
    """Every key any mail about a registration uses."""
    from .mails import change_lines, changes_text

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


def invitation_sample() -> dict:
    from .invitations import invitation_context

    starts = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
    starts += timedelta(days=30)
    forum = Forum(
        pk=1,
        title="Metall-Forum: Additive Fertigung in der Praxis",
        description="Erfahrungen aus drei Mitgliedsbetrieben, mit Werksführung.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue_name="Alpha Präzisionstechnik GmbH",
        venue_street="Industriestraße 1",
        venue_postcode="74076",
        venue_city="Heilbronn",
        capacity=40,
        registration_closes_at=starts - timedelta(days=7),
    )
    contact = Contact(pk=1, first_name="Anna", last_name="Alpha", email="anna@alpha.example")
    return invitation_context(forum, contact)
