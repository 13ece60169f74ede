"""A person's calendar: their forums and workshops in one feed.

Built from the apps' own iCalendar builders (forums.ics, sefex.ics), so UIDs and SEQUENCEs are
the ones their mails carry and a calendar program merges the entries instead of doubling them.
"""

from icalendar import Calendar

from forums.ics import forums_feed_ics
from sefex.ics import workshop_ics


def contact_calendar_ics(forums, workshops, *, name: str) -> bytes:
    calendar = Calendar.from_ical(forums_feed_ics(forums, name=name))
    for workshop in workshops:
        for event in Calendar.from_ical(workshop_ics(workshop, "PUBLISH")).walk("VEVENT"):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
