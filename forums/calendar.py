"""Keeping participants' calendars true to the forum (RFC 5546, iTIP).

Who has the forum in their calendar: exactly the people holding a seat. Every way into a seat
sends a REQUEST with their participation (PARTSTAT=ACCEPTED), every way out of it (their own
cancellation, being moved to the waiting list, the forum called off) a CANCEL; people waiting
or awaiting approval get mails, never a calendar entry.

A calendar program takes a message for an entry it holds only if its SEQUENCE is higher than
(or, for some, equal to) the one it has. So the forum's one SEQUENCE rises whenever a calendar
must change: a change of what the entry shows (title, time, place, agenda), a CANCEL to one
person, and a REQUEST that may follow such a CANCEL (a promotion, a second registration of the
same person). Others simply see a higher number next time; nothing needs the numbers to be
consecutive. The UID stays the forum's for its whole life (see forums.ics).
"""

from django.db.models import F
from django.utils import timezone

from . import mails
from .ics import agenda_lines
from .models import Forum, Registration

# What a participant's calendar entry shows and a change of which they are told about; the
# time moves through forum_reschedule, which has its own mail.
CALENDAR_FIELDS = ("title", "place", "agenda")


def calendar_snapshot(forum: Forum) -> dict[str, str]:
    """What the calendar entry shows of the fields in CALENDAR_FIELDS, as text."""
    return {
        "title": forum.title,
        "place": forum.location_text,
        "agenda": "\n".join(agenda_lines(forum)),
    }


def calendar_changes(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """The fields whose text differs, each with its old and new text (JSON for a task)."""
    return [
        {"field": name, "old": before[name], "new": after[name]}
        for name in CALENDAR_FIELDS
        if before[name] != after[name]
    ]


def revise(forum: Forum) -> None:
    """Raises the forum's SEQUENCE (call with the forum row locked); no history entry: the
    number is bookkeeping for calendar programs, not a change anybody made."""
    now = timezone.now()
    Forum.objects.filter(pk=forum.pk).update(sequence=F("sequence") + 1, updated_at=now)
    forum.sequence += 1
    forum.updated_at = now


def forum_changed(forum: Forum, before: dict[str, str]) -> int:
    """After a forum's details were saved (forum row locked): if the calendar entry of a
    published forum shows something else now, raise SEQUENCE and queue the update with what
    changed for everyone holding a seat. Returns how many people are told (0: no change)."""
    changes = calendar_changes(before, calendar_snapshot(forum))
    if not changes or forum.state != Forum.State.PUBLISHED:
        return 0
    revise(forum)
    seated = list(
        forum.registrations.filter(state__in=Registration.SEAT_STATES).values_list("pk", flat=True)
    )
    mails.on_commit_forum_changed(forum.pk, seated, changes, forum.sequence)
    return len(seated)
