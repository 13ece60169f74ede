"""Calendars stay true: every mail goes through the outbox and the real SMTP sink, and the
.ics it carries (if any) is read with icalendar. Only a seat gets a REQUEST with the person's
participation; waiting or pending people never get an entry; a change of title, place or
agenda raises SEQUENCE and tells the seated what changed; cancelling sends a CANCEL to every
calendar that got the entry. The forums lie around the last Sundays of March and October
(Europe/Berlin's switches), and the UID of a forum is the same in every message to a person."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from forums import services
from forums.ics import forum_uid
from forums.models import Forum, Registration
from outbox.models import Intent, Mail
from outbox.rendering import attachments_decode
from outbox.tasks import send_mails
from tests.html import submission

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
State = Registration.State


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def winter():
    """Before the forums (the tests' clock stands still in early 2027)."""
    with time_machine.travel(berlin(2027, 2, 1, 9, 0), tick=True):
        yield


class Inbox:
    """What reached the SMTP sink, per address, with each mail's calendar (or None)."""

    def __init__(self, sink):
        self.sink = sink
        self.read = 0

    def deliver(self) -> None:
        due = list(Mail.objects.filter(state=Mail.State.QUEUED).values_list("pk", flat=True))
        send_mails.apply(args=[due])  # only what is due goes out (reminders wait)

    def new(self, address: str) -> list[tuple[str, Calendar | None]]:
        """(subject, calendar) of the mails to `address` since the last call for anyone."""
        self.deliver()
        messages = list(self.sink.messages)
        fresh, self.read = messages[self.read :], len(messages)
        self._last = fresh
        return self.of(address)

    def of(self, address: str) -> list[tuple[str, Calendar | None]]:
        result = []
        for message in self._last:
            if address not in message["To"]:
                continue
            calendars = [
                Calendar.from_ical(part.get_content())
                for part in message.iter_attachments()
                if part.get_content_type() == "text/calendar"
            ]
            assert len(calendars) <= 1
            result.append((message["Subject"], calendars[0] if calendars else None))
        return result


@pytest.fixture
def inbox(smtp_sink):
    return Inbox(smtp_sink)


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def summary(calendar: Calendar) -> tuple:
    """(METHOD, SEQUENCE, PARTSTAT of the one attendee or None, UID)."""
    event = event_of(calendar)
    attendee = event.get("ATTENDEE")
    partstat = attendee.params.get("PARTSTAT") if attendee is not None else None
    return str(calendar["METHOD"]), int(event["SEQUENCE"]), partstat, str(event["UID"])


def _register(committed, forum, contact, **kwargs) -> Registration:
    with committed(), translation.override("de"):
        return services.registration_create(forum=forum, contact=contact, **kwargs)


@pytest.fixture
def people(make_company):
    return list(make_company("Kalender GmbH", contacts=4).contacts.order_by("pk"))


@pytest.fixture
def march_forum(winter, make_forum):
    """Friday before the switch to summer time (28 March 2027), 18:00 CET."""
    start = berlin(2027, 3, 26, 18, 0)
    return make_forum(starts_at=start, ends_at=start + timedelta(hours=3), capacity=1)


@pytest.fixture
def october_forum(winter, make_forum):
    """Friday before the switch back to winter time (31 October 2027), 18:00 CEST."""
    start = berlin(2027, 10, 29, 18, 0)
    return make_forum(
        starts_at=start, ends_at=start + timedelta(hours=3), capacity=1, seats_per_company=5
    )


# --- REQUEST only with a seat --------------------------------------------------------------


def test_only_a_seat_gets_a_request_with_its_participation(
    march_forum, people, make_company, cluster, committed, inbox
):
    seated = _register(committed, march_forum, people[0])
    waiting = _register(committed, march_forum, people[1])
    outsider = make_company("Offen GmbH", kind=None).contacts.first()
    open_forum = Forum.objects.get(pk=march_forum.pk)
    Forum.objects.filter(pk=open_forum.pk).update(audience=Forum.Audience.OPEN)
    open_forum.refresh_from_db()
    pending = _register(committed, open_forum, outsider)
    assert (seated.state, waiting.state, pending.state) == (
        State.CONFIRMED,
        State.WAITLISTED,
        State.PENDING,
    )
    [(subject, calendar)] = inbox.new(people[0].email)
    assert subject.startswith("Anmeldung bestätigt:")
    assert summary(calendar) == ("REQUEST", 0, "ACCEPTED", forum_uid(march_forum))
    event = event_of(calendar)
    assert people[0].email in str(event["ATTENDEE"])
    # 18:00 in Berlin, winter time: 17:00 UTC.
    assert event.decoded("DTSTART") == berlin(2027, 3, 26, 18, 0)
    assert event.decoded("DTSTART").astimezone(UTC).hour == 17
    [(subject, calendar)] = inbox.of(people[1].email)
    assert subject.startswith("Warteliste:") and calendar is None
    [(_subject, calendar)] = inbox.of(outsider.email)
    assert calendar is None


def test_reschedule_across_the_march_switch(march_forum, people, cluster_manager, committed, inbox):
    _register(committed, march_forum, people[0])
    _register(committed, march_forum, people[1])  # waits
    [(_s, confirmation)] = inbox.new(people[0].email)
    monday = berlin(2027, 3, 29, 18, 0)  # summer time since Sunday
    with committed():
        services.forum_reschedule(
            forum=march_forum,
            actor=cluster_manager,
            starts_at=monday,
            ends_at=monday + timedelta(hours=3),
        )
    [(subject, calendar)] = inbox.new(people[0].email)
    assert subject.startswith("Neuer Termin:")
    assert summary(calendar) == ("REQUEST", 1, "ACCEPTED", summary(confirmation)[3])
    start = event_of(calendar).decoded("DTSTART")
    assert start == monday and start.astimezone(BERLIN).hour == 18
    assert start.astimezone(UTC).hour == 16  # CEST
    # The waiting person is told by mail, without a calendar entry.
    [(subject, calendar)] = inbox.of(people[1].email)
    assert subject.startswith("Neuer Termin:") and calendar is None


# --- changes of what the entry shows -------------------------------------------------------


def test_title_place_and_agenda_change_updates_the_seated_across_october(
    october_forum, people, cluster_manager, committed, inbox
):
    forum = october_forum
    forum.agenda_items.create(starts_at="18:00", ends_at="18:15", title="Begrüßung")
    seated = [_register(committed, forum, p) for p in people[:1]]
    _register(committed, forum, people[1])  # waits: capacity 1
    [(_s, confirmation)] = inbox.new(people[0].email)
    assert "18:00–18:15 Begrüßung" in str(event_of(confirmation)["DESCRIPTION"])

    with committed():
        services.forum_update(
            forum=forum,
            actor=cluster_manager,
            title="Metall-Forum Leichtbau",
            venue_name="Gamma Stanzwerk",
            agenda=[
                {"starts_at": "18:00", "ends_at": "18:15", "title": "Begrüßung", "speaker": ""},
                {
                    "starts_at": "18:15",
                    "ends_at": None,
                    "title": "Werksführung",
                    "speaker": "Gustav",
                },
            ],
        )
    forum.refresh_from_db()
    assert forum.sequence == 1
    [(subject, calendar)] = inbox.new(people[0].email)
    assert subject.startswith("Geändert: Metall-Forum Leichtbau")
    assert summary(calendar) == ("REQUEST", 1, "ACCEPTED", forum_uid(forum))
    event = event_of(calendar)
    assert str(event["SUMMARY"]) == "Metall-Forum Leichtbau"
    assert str(event["LOCATION"]).startswith("Gamma Stanzwerk")
    assert "18:15 Werksführung (Gustav)" in str(event["DESCRIPTION"])
    # 18:00 in Berlin, still summer time on Friday: 16:00 UTC.
    assert event.decoded("DTSTART").astimezone(UTC).hour == 16
    body = Mail.objects.get(kind="forum_changed").text_body
    assert "Metall-Forum Industrie 4.0" in body and "Metall-Forum Leichtbau" in body  # old, new
    assert "Alpha Präzisionstechnik" in body and "Gamma Stanzwerk" in body
    assert "18:15 Werksführung (Gustav)" in body
    # The waiting person's calendar has no entry: nothing to update, no mail.
    assert inbox.of(people[1].email) == []
    assert Mail.objects.filter(kind="forum_changed").count() == len(seated)
    # The planned reminders now carry the new entry.
    for reminder in Mail.objects.filter(kind="forum_reminder", state=Mail.State.QUEUED):
        [(_name, content, _type)] = attachments_decode(reminder.attachments)
        assert str(event_of(Calendar.from_ical(content))["SUMMARY"]) == "Metall-Forum Leichtbau"

    # Across the switch to winter time (Sunday 31 October): Monday 18:00 is 17:00 UTC.
    monday = berlin(2027, 11, 1, 18, 0)
    with committed():
        services.forum_reschedule(
            forum=forum,
            actor=cluster_manager,
            starts_at=monday,
            ends_at=monday + timedelta(hours=2),
        )
    [(_s, calendar)] = inbox.new(people[0].email)
    assert summary(calendar)[:3] == ("REQUEST", 2, "ACCEPTED")
    assert event_of(calendar).decoded("DTSTART").astimezone(UTC).hour == 17


def test_other_changes_leave_calendars_alone(october_forum, people, cluster_manager, committed):
    _register(committed, october_forum, people[0])
    with committed():
        services.forum_update(
            forum=october_forum,
            actor=cluster_manager,
            description="Mehr Text",
            capacity=20,
            agenda=[],  # it had none: unchanged
        )
    october_forum.refresh_from_db()
    assert october_forum.sequence == 0
    assert not Mail.objects.filter(kind="forum_changed").exists()


def test_a_draft_changes_silently(winter, make_forum, cluster_manager, committed):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    with committed():
        services.forum_update(forum=draft, actor=cluster_manager, title="Neuer Titel")
    draft.refresh_from_db()
    assert draft.sequence == 0 and not Mail.objects.exists()


# --- CANCEL to every calendar that got the entry -------------------------------------------


def test_cancelling_the_forum_cancels_every_calendar_that_got_it(
    october_forum, people, cluster_manager, committed, inbox
):
    forum = october_forum
    Forum.objects.filter(pk=forum.pk).update(capacity=2)
    forum.refresh_from_db()
    seated = _register(committed, forum, people[0])
    gone = _register(committed, forum, people[2])
    with committed():
        services.registration_cancel(registration=gone)
    _register(committed, forum, people[1])  # the freed seat
    _register(committed, forum, people[3])  # waits
    inbox.new(people[0].email)
    with committed():
        services.forum_cancel(forum=forum, actor=cluster_manager, reason="Referent erkrankt")
    forum.refresh_from_db()
    inbox.new(people[0].email)
    for person in (seated.contact, people[1]):
        [(subject, calendar)] = inbox.of(person.email)
        assert subject.startswith("Abgesagt:")
        method, sequence, _partstat, uid = summary(calendar)
        assert (method, sequence, uid) == ("CANCEL", forum.sequence, forum_uid(forum))
        assert str(event_of(calendar)["STATUS"]) == "CANCELLED"
    # Waiting: the news, no calendar file. Cancelled earlier: had its CANCEL already.
    [(subject, calendar)] = inbox.of(people[3].email)
    assert subject.startswith("Abgesagt:") and calendar is None
    assert inbox.of(people[2].email) == []


def test_sequence_only_rises_for_one_person_who_leaves_and_comes_back(
    march_forum, people, cluster_manager, committed, inbox
):
    """Moved to the waiting list and back, cancelled and registered again: each message to the
    person has a higher SEQUENCE than the one before, all with the same UID."""
    Forum.objects.filter(pk=march_forum.pk).update(capacity=5)
    march_forum.refresh_from_db()
    person = people[0]
    seen = []

    def take():
        for _subject, calendar in inbox.new(person.email):
            seen.append(summary(calendar) if calendar else None)

    registration = _register(committed, march_forum, person)
    take()
    with committed():
        services.registration_move_to_waitlist(registration=registration, actor=cluster_manager)
    take()
    with committed():
        services.registration_confirm(registration=registration, actor=cluster_manager)
    take()
    with committed():
        services.registration_cancel(registration=registration)
    take()
    _register(committed, march_forum, person)
    take()
    methods = [(s[0], s[2]) for s in seen]
    assert methods == [
        ("REQUEST", "ACCEPTED"),
        ("CANCEL", None),  # the waiting-list mail takes the entry away
        ("REQUEST", "ACCEPTED"),
        ("CANCEL", None),
        ("REQUEST", "ACCEPTED"),
    ]
    sequences = [s[1] for s in seen]
    assert sequences == sorted(set(sequences)), sequences  # strictly rising
    assert {s[3] for s in seen} == {forum_uid(march_forum)}


def test_a_waiting_person_who_cancels_gets_no_cancel(march_forum, people, committed, inbox):
    _register(committed, march_forum, people[0])
    waiting = _register(committed, march_forum, people[1])
    inbox.new(people[1].email)
    with committed():
        services.registration_cancel(registration=waiting)
    [(subject, calendar)] = inbox.new(people[1].email)
    assert subject.startswith("Anmeldung storniert:") and calendar is None


def test_promotion_sends_the_entry(march_forum, people, committed, inbox):
    first = _register(committed, march_forum, people[0])
    _register(committed, march_forum, people[1])
    inbox.new(people[1].email)
    with committed():
        services.registration_cancel(registration=first)
    [(subject, calendar)] = inbox.new(people[1].email)
    assert subject.startswith("Ein Platz ist frei geworden:")
    method, sequence, partstat, _uid = summary(calendar)
    assert (method, partstat) == ("REQUEST", "ACCEPTED") and sequence >= 1
    [(_s, cancel)] = inbox.of(people[0].email)
    assert summary(cancel)[0] == "CANCEL"


# --- the staff's edit page -----------------------------------------------------------------


def test_edit_page_warns_and_says_how_many_are_told(
    client, cluster_manager, forum, people, committed, django_capture_on_commit_callbacks
):
    seated = _register(committed, forum, people[0])
    url = reverse("forums:edit", args=[forum.pk])
    client.force_login(cluster_manager)
    page = client.get(url).content.decode()
    assert "Eine Änderung von Titel, Ort oder Programm geht per E-Mail an alle mit Platz" in page
    data = submission(page, "forum-form") | {"title": "Metall-Forum Neu"}
    with django_capture_on_commit_callbacks():
        response = client.post(url, data, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Das Forum ist gespeichert. 1 Person mit Platz erhält die Änderungen per E-Mail, "
        "mit aktualisiertem Kalendereintrag."
    )
    [intent] = Intent.objects.filter(name="forums.forum_changed")
    assert intent.args[:2] == [forum.pk, [seated.pk]]
    assert intent.args[2] == [
        {"field": "title", "old": "Metall-Forum Industrie 4.0", "new": "Metall-Forum Neu"}
    ]
    # Saved again unchanged: nobody is told again.
    page = client.get(url).content.decode()
    response = client.post(url, submission(page, "forum-form"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Das Forum ist gespeichert."]
    assert Intent.objects.filter(name="forums.forum_changed").count() == 1
