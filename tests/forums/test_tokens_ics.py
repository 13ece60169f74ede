"""Signed links and calendar files."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from icalendar import Calendar

from forums import services
from forums.ics import forum_ics, forum_uid, forums_feed_ics
from forums.tokens import (
    TokenExpired,
    TokenInvalid,
    make_feedback_token,
    make_registration_token,
    read_feedback_token,
    read_registration_token,
)


def test_registration_token_round_trip(forum, company_a):
    contact = company_a.contacts.first()
    token = make_registration_token(contact=contact, forum=forum)
    data = read_registration_token(token)
    assert (data.contact_id, data.forum_id) == (contact.pk, forum.pk)
    # Valid a while beyond the forum (a moved forum keeps its links); the deadline is a rule.
    assert data.expires_at == forum.ends_at + timedelta(days=30)


def test_tampered_token_is_invalid(forum, company_a):
    contact = company_a.contacts.first()
    token = make_registration_token(contact=contact, forum=forum)
    payload, _, signature = token.rpartition(":")
    other = signing.dumps({"c": contact.pk + 1, "f": forum.pk, "e": 9999999999})
    with pytest.raises(TokenInvalid):
        read_registration_token(other)  # signed, but with another purpose (salt)
    with pytest.raises(TokenInvalid):
        read_registration_token(payload + ":" + signature[:-2] + "xx")
    with pytest.raises(TokenInvalid):
        read_registration_token("not-a-token")


def test_feedback_token_is_no_registration_token(forum, company_a):
    token = make_feedback_token(contact=company_a.contacts.first(), forum=forum)
    assert read_feedback_token(token).forum_id == forum.pk
    with pytest.raises(TokenInvalid):
        read_registration_token(token)


def test_expired_token(forum, company_a):
    contact = company_a.contacts.first()
    token = make_registration_token(
        contact=contact, forum=forum, expires_at=timezone.now() + timedelta(hours=1)
    )
    read_registration_token(token)
    with pytest.raises(TokenExpired):
        read_registration_token(token, now=timezone.now() + timedelta(hours=2))


def _event(content: bytes):
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_ics_parses_with_berlin_times_and_stable_uid(forum):
    calendar, event = _event(forum_ics(forum))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == forum_uid(forum) == f"forum-{forum.uid}@metalldialog"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert start == forum.starts_at
    assert event.decoded("DTEND") == forum.ends_at
    assert "Heilbronn" in str(event["LOCATION"])
    # The VTIMEZONE block is there so every calendar program can place the times.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    # Same forum, same file: UID does not depend on the call.
    assert _event(forum_ics(forum))[1]["UID"] == event["UID"]


def test_sequence_rises_on_reschedule_and_cancel(forum, cluster_manager):
    uid = str(_event(forum_ics(forum))[1]["UID"])
    new_start = forum.starts_at + timedelta(days=7)
    services.forum_reschedule(
        forum=forum,
        actor=cluster_manager,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
    )
    forum.refresh_from_db()
    _, event = _event(forum_ics(forum, "REQUEST", attendee_email="a@alpha.example"))
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == new_start
    assert "a@alpha.example" in str(event["ATTENDEE"])

    services.forum_cancel(forum=forum, actor=cluster_manager, reason="Krankheit")
    forum.refresh_from_db()
    calendar, event = _event(forum_ics(forum, "CANCEL"))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == uid


def test_dst_forum_keeps_local_time(make_forum):
    """A forum at 18:00 on the day after the switch to summer time stays at 18:00 local."""
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    start = timezone.datetime(2027, 3, 29, 18, 0, tzinfo=berlin)
    forum = make_forum(starts_at=start, ends_at=start + timedelta(hours=2))
    _, event = _event(forum_ics(forum))
    assert event.decoded("DTSTART").astimezone(berlin).hour == 18
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)


def test_feed_lists_published_forums(make_forum):
    published = make_forum(title="Published")
    make_forum(title="Draft", state="draft", published_at=None)
    from forums.selectors import forums_feed

    calendar = Calendar.from_ical(forums_feed_ics(forums_feed(), name="Test"))
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert titles == [published.title]
    assert "METHOD" not in calendar
