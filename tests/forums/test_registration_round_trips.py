"""What one registration asks of the database, and that the rows written together are the rows
the separate saves wrote: the registration, its history row, its audit event, its mail's intent.

While a registration holds the forum lock, every other registration of the forum waits; the
statements inside the lock are counted here so that they cannot silently grow."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from forums import services
from forums.models import Registration
from forums.tokens import make_registration_token
from outbox.models import Intent

State = Registration.State


def _statements(forum, contact, **kwargs):
    ContentType.objects.get_for_model(Registration)  # cached per process, as in a server
    with CaptureQueriesContext(connection) as queries:
        registration = services.registration_create(forum=forum, contact=contact, **kwargs)
    return registration, [q["sql"] for q in queries.captured_queries]


def _inside_lock(sqls: list[str]) -> list[str]:
    """The statements from the one that takes the forum lock to the commit, both included."""
    start = next(i for i, sql in enumerate(sqls) if "FOR NO KEY UPDATE" in sql)
    end = next(i for i, sql in enumerate(sqls) if sql == "COMMIT")
    return sqls[start : end + 1]


@pytest.mark.django_db(transaction=True)
def test_a_registration_costs_four_statements_three_of_them_under_the_lock(
    make_forum, make_company
):
    forum = make_forum(capacity=1, seats_per_company=1)
    first, second = make_company("Runde Eins GmbH", contacts=2).contacts.order_by("pk")

    for contact, state in ((first, State.CONFIRMED), (second, State.WAITLISTED)):
        registration, sqls = _statements(forum, contact)
        assert registration.state == state
        # BEGIN, lock with seats and relationship (member or not), the writes, COMMIT
        assert len(sqls) == 4, sqls
        locked = _inside_lock(sqls)
        assert len(locked) == 3, locked
        lock_and_seats, writes, _commit = locked
        # the seats and the relationship are read in the same round trip
        assert "snapshot_taken" in lock_and_seats
        assert "members_relationship" in lock_and_seats
        for table in (
            "forums_registration",
            "forums_historicalregistration",
            "core_auditevent",
            "outbox_intent",
        ):
            assert f'INSERT INTO "{table}"' in writes


@pytest.mark.django_db(transaction=True)
def test_ids_follow_the_lock_and_the_rows_name_the_registration(make_forum, make_company):
    forum = make_forum(capacity=1, seats_per_company=2)
    contacts = list(make_company("Reihe GmbH", contacts=3).contacts.order_by("pk"))
    made = [services.registration_create(forum=forum, contact=c) for c in contacts]

    assert [r.pk for r in made] == sorted(r.pk for r in made)
    assert [r.state for r in made] == [State.CONFIRMED, State.WAITLISTED, State.WAITLISTED]
    assert [r.waitlist_position for r in made] == [None, 1, 2]
    for registration in made:
        stored = Registration.objects.get(pk=registration.pk)
        assert (stored.state, stored.waitlist_position) == (
            registration.state,
            registration.waitlist_position,
        )
        event = AuditEvent.objects.get(
            action="registration.created", object_id=str(registration.pk)
        )
        assert event.action == "registration.created"
        assert event.after == {"state": registration.state}
        assert event.object_repr == str(stored)
        assert Intent.objects.filter(
            name="forums.registration_mail", args=[registration.pk, registration.state]
        ).exists()


@pytest.mark.django_db
def test_the_history_row_is_the_one_a_save_writes(make_forum, company_a, company_user_a):
    forum = make_forum()
    contact = company_a.contacts.first()
    registration = services.registration_create(
        forum=forum, contact=contact, actor=company_user_a, note="Vegetarisch"
    )

    (row,) = registration.history.all()
    assert (row.history_type, row.history_user) == ("+", company_user_a)
    assert row.history_change_reason is None
    stored = Registration.objects.get(pk=registration.pk)
    for field in Registration._meta.concrete_fields:
        if field.name != "updated_at":  # not kept in the history
            assert getattr(row, field.attname) == getattr(stored, field.attname), field.name
    assert row.instance.registered_by == company_user_a

    # A save the usual way writes the same kind of row (same user rules, same fields).
    stored._history_user = company_user_a
    stored.note = "Vegan"
    stored.save()
    changed = registration.history.order_by("-history_id").first()
    assert (changed.history_type, changed.history_user, changed.note) == (
        "~",
        company_user_a,
        "Vegan",
    )


@pytest.mark.django_db
def test_a_token_link_used_while_logged_in_names_the_login_in_the_history(
    client, make_forum, company_a, company_user_a
):
    # Without an actor, simple-history names the request's login: the rows written together
    # keep that rule.
    forum = make_forum()
    contact = company_a.contacts.first()
    client.force_login(company_user_a)
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=forum)])
    assert client.post(url, {"action": "register"}).status_code == 302

    registration = Registration.objects.get(forum=forum, contact=contact)
    assert registration.history.get().history_user == company_user_a
    assert (
        AuditEvent.objects.get(action="registration.created", object_id=str(registration.pk)).actor
        is None
    )
