"""iCalendar files for forums (RFC 5545, methods from RFC 5546).

One forum keeps one UID for its whole life, the same in every file and for every person;
SEQUENCE (Forum.sequence) rises whenever a calendar must change (forums.calendar says when), so
calendar programs replace the entry they have instead of adding a second one.
Times are written in Europe/Berlin with a VTIMEZONE block, so the entry stays right across DST.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from members.identity import Identity, identity_for

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//metalldialog//Forum//DE"  # the software, not who organises (ORGANIZER)
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def forum_uid(forum) -> str:
    return f"forum-{forum.uid}@metalldialog"


def organizer_of(identity: Identity) -> vCalAddress:
    """The forum's cluster organises it: its sender, where answers go."""
    organizer = vCalAddress(f"mailto:{identity.reply_address}")
    organizer.params["cn"] = vText(identity.name)
    return organizer


def agenda_lines(forum) -> list[str]:
    """The agenda as lines of text: "14:00–14:15 Welcome (Anna Alpha)"."""
    lines = []
    for item in forum.agenda_items.order_by("starts_at", "pk"):
        when = item.starts_at.strftime("%H:%M")
        if item.ends_at:
            when += "–" + item.ends_at.strftime("%H:%M")
        speaker = f" ({item.speaker})" if item.speaker else ""
        lines.append(f"{when} {item.title}{speaker}")
    return lines


def _description(forum, *, with_agenda: bool) -> str:
    """The forum's description, and its agenda where asked (a single forum's file: a feed of
    many forums leaves it out rather than read each one's agenda)."""
    parts = [forum.description] if forum.description else []
    lines = agenda_lines(forum) if with_agenda else []
    if lines:
        parts.append(_("Agenda") + ":\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _event(
    forum,
    *,
    method: str,
    attendee_email: str = "",
    attendee_name: str = "",
    with_agenda: bool = False,
    organizer: vCalAddress,
) -> Event:
    event = Event()
    event.add("uid", forum_uid(forum))
    event.add("sequence", forum.sequence)
    event.add("dtstamp", forum.updated_at or timezone.now())
    event.add("dtstart", forum.starts_at.astimezone(BERLIN))
    event.add("dtend", forum.ends_at.astimezone(BERLIN))
    event.add("summary", forum.title)
    description = _description(forum, with_agenda=with_agenda)
    if description:
        event.add("description", description)
    if forum.location_text:
        event.add("location", forum.location_text)
    event.add("url", settings.SITE_URL.rstrip("/") + reverse("forums:detail", args=[forum.pk]))
    event.add("organizer", organizer)
    cancelled = method == "CANCEL" or forum.state == forum.State.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        if method == "REQUEST":
            # Only a seat is sent as a REQUEST (forums.calendar): the person takes part.
            attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee)
    return event


def _calendar(method: str | None, events, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Berlin")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def forum_ics(
    forum, method: str = "PUBLISH", *, attendee_email: str = "", attendee_name: str = ""
) -> bytes:
    """The forum as one calendar entry.

    PUBLISH for downloads, REQUEST for a registrant's confirmation or a moved forum (with the
    attendee), CANCEL when the forum is called off.
    """
    if method not in METHODS:
        raise ValueError(f"unknown iCalendar method {method!r}")
    event = _event(
        forum,
        method=method,
        attendee_email=attendee_email,
        attendee_name=attendee_name,
        with_agenda=True,
        organizer=organizer_of(identity_for(forum.cluster_id)),
    )
    return _calendar(method, [event])


def forums_feed_ics(forums, *, name: str) -> bytes:
    """A subscribable calendar of several forums (no METHOD: it is a feed, not a message)."""
    organizers: dict[int, vCalAddress] = {}  # per cluster: a feed has few clusters, many forums
    events = []
    for forum in forums:
        if forum.cluster_id not in organizers:
            organizers[forum.cluster_id] = organizer_of(identity_for(forum.cluster_id))
        events.append(_event(forum, method="PUBLISH", organizer=organizers[forum.cluster_id]))
    return _calendar(None, events, name=name)
