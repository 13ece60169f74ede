"""iCalendar entries for workshops (RFC 5545/5546).

One workshop keeps one UID; SEQUENCE (Workshop.sequence) rises on every move and on
cancellation, so calendar programs replace their entry. Times are written in Europe/Berlin with
a VTIMEZONE block.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from members.identity import identity_for

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//metalldialog//SEFEX//DE"  # the software, not who organises (ORGANIZER)


def workshop_uid(workshop) -> str:
    return f"sefex-{workshop.uid}@metalldialog"


def workshop_ics(workshop, method: str = "PUBLISH", *, attendees=()) -> bytes:
    """The workshop as one calendar entry: REQUEST for bookings and moves, CANCEL when called off.

    `attendees` are (email, name) pairs.
    """
    if method not in ("PUBLISH", "REQUEST", "CANCEL"):
        raise ValueError(f"unknown iCalendar method {method!r}")
    event = Event()
    event.add("uid", workshop_uid(workshop))
    event.add("sequence", workshop.sequence)
    event.add("dtstamp", workshop.updated_at or timezone.now())
    event.add("dtstart", workshop.starts_at.astimezone(BERLIN))
    event.add("dtend", workshop.ends_at.astimezone(BERLIN))
    event.add(
        "summary",
        _("SEFEX workshop: %(module)s – %(company)s")
        % {"module": workshop.module.name, "company": workshop.company},
    )
    if workshop.place_text:
        event.add("location", workshop.place_text)
    event.add("url", settings.SITE_URL.rstrip("/") + reverse("sefex:detail", args=[workshop.pk]))
    # SEFEX is the agency's own programme: it organises the workshops.
    agency = identity_for()
    organizer = vCalAddress(f"mailto:{agency.reply_address}")
    organizer.params["cn"] = vText(agency.name)
    event.add("organizer", organizer)
    cancelled = method == "CANCEL" or workshop.state == workshop.State.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    for email, name in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
