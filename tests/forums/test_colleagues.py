"""A company user registers herself with one click and a new colleague from inside the
registration form: the services (seats, cap, waiting list, one transaction with the audit
record) and the pages (own company only, German messages, nothing written on bad input)."""

from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent
from forums import colleagues
from forums.models import Forum, Registration
from forums.services import RegistrationError, registration_create
from members.models import Contact
from members.services import contact_create
from outbox.models import Intent

State = Registration.State


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def _counts() -> tuple[int, int, int]:
    return (
        Contact.objects.count(),
        Registration.objects.count(),
        AuditEvent.objects.filter(action="contact.created").count(),
    )


NEW = {
    "new-first_name": "Clara",
    "new-last_name": "Neu",
    "new-email": "clara.neu@alpha.example",
    "new-function": Contact.Function.QUALITY,
}


# --- services ------------------------------------------------------------------------------


def test_register_self_takes_a_seat_and_a_second_time_says_so(company_user_a, forum):
    registration = colleagues.register_self(forum=forum, user=company_user_a)
    assert registration.contact == company_user_a.contact
    assert registration.state == State.CONFIRMED
    assert registration.registered_by == company_user_a
    with translation.override("de"), pytest.raises(RegistrationError) as caught:
        colleagues.register_self(forum=forum, user=company_user_a)
    assert caught.value.code == "duplicate"
    assert caught.value.messages == ["Sie sind bereits für dieses Forum angemeldet."]
    assert Registration.objects.filter(forum=forum).count() == 1


def test_register_self_waits_behind_the_company_cap(company_user_a, company_a, make_forum):
    forum = make_forum(capacity=40, seats_per_company=1)
    colleagues.colleague_add_and_register(
        forum=forum,
        user=company_user_a,
        first_name="Clara",
        last_name="Neu",
        email="clara@alpha.example",
        function=Contact.Function.OTHER,
    )
    mine = colleagues.register_self(forum=forum, user=company_user_a)
    assert (mine.state, mine.waitlist_position) == (State.WAITLISTED, 1)
    with translation.override("de"), pytest.raises(RegistrationError) as caught:
        colleagues.register_self(forum=forum, user=company_user_a)
    assert "Warteliste" in caught.value.messages[0] and "Position 1" in caught.value.messages[0]


def test_new_colleague_is_a_contact_with_an_audit_record_and_a_registration(
    company_user_a, company_a, forum
):
    registration = colleagues.colleague_add_and_register(
        forum=forum,
        user=company_user_a,
        first_name=" Clara ",
        last_name="Neu",
        email="clara.neu@alpha.example",
        function=Contact.Function.QUALITY,
    )
    contact = registration.contact
    assert (contact.company, contact.full_name, contact.function) == (
        company_a,
        "Clara Neu",
        Contact.Function.QUALITY,
    )
    assert contact.receives_invitations is False  # registering subscribes nobody
    assert registration.state == State.CONFIRMED
    event = AuditEvent.objects.get(action="contact.created")
    assert event.actor == company_user_a
    assert event.object_id == str(contact.pk)
    assert event.after["email"] == "clara.neu@alpha.example"
    assert event.after["company"] == company_a.legal_name
    # The confirmation mail is promised in the same transaction.
    assert Intent.objects.filter(args__0=registration.pk).exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "kein-mail"}, "email"),
        ({"last_name": ""}, "last_name"),
        ({"function": "boss"}, "function"),
        ({"email": "p0@alpha.example"}, "email"),  # the address of a colleague already there
    ],
)
def test_new_colleague_bad_input_writes_nothing(company_user_a, company_a, forum, change, field):
    Contact.objects.filter(company=company_a).update(email="p0@alpha.example")
    before = _counts()
    values = {
        "first_name": "Clara",
        "last_name": "Neu",
        "email": "clara@alpha.example",
        "function": Contact.Function.OTHER,
    } | change
    with pytest.raises(ValidationError) as caught:
        colleagues.colleague_add_and_register(forum=forum, user=company_user_a, **values)
    assert field in caught.value.message_dict
    assert _counts() == before


def test_refused_registration_takes_the_new_contact_back(company_user_a, make_forum):
    closed = make_forum(registration_closes_at=timezone.now() - timedelta(minutes=1))
    before = _counts()
    with translation.override("de"), pytest.raises(RegistrationError) as caught:
        colleagues.colleague_add_and_register(
            forum=closed,
            user=company_user_a,
            first_name="Clara",
            last_name="Neu",
            email="clara@alpha.example",
            function=Contact.Function.OTHER,
        )
    assert caught.value.messages == ["Die Anmeldefrist ist abgelaufen."]
    assert _counts() == before
    assert not Intent.objects.exists()


def test_contact_create_refuses_an_address_the_company_has(company_a):
    contact_create(company=company_a, first_name="A", last_name="B", email="x@alpha.example")
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        contact_create(company=company_a, first_name="C", last_name="D", email="X@Alpha.example")
    assert caught.value.message_dict["email"] == [
        "Diese E-Mail-Adresse gehört bereits zu A B (Alpha Präzisionstechnik GmbH)."
    ]


# --- pages ---------------------------------------------------------------------------------


def test_page_offers_register_me_and_lists_her_not_among_colleagues(client, company_user_a, forum):
    client.force_login(company_user_a)
    page = client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    assert "Mich anmelden" in page
    assert reverse("forums:register_self", args=[forum.pk]) in page
    assert f'value="{company_user_a.contact_id}"' not in page  # not a checkbox of the list
    assert "Anna Alpha" in page  # the colleague is
    assert "Neue Kollegin oder neuer Kollege" in page


def test_register_me_is_one_click_and_a_second_one_says_she_is_registered(
    client, company_user_a, forum, django_assert_max_num_queries
):
    client.force_login(company_user_a)
    url = reverse("forums:register_self", args=[forum.pk])
    response = client.post(url, follow=True)
    [(level, text)] = _messages(response)
    assert level == constants.SUCCESS and text.startswith("Sie sind angemeldet.")
    page = response.content.decode()
    assert "Sie sind angemeldet." in page and "Mich anmelden" not in page
    assert "1 von 2 Plätzen Ihres Unternehmens belegt" in page
    registration = Registration.objects.get(forum=forum)
    assert registration.contact_id == company_user_a.contact_id
    assert registration.source == Registration.Source.PORTAL

    again = client.post(url, follow=True)
    assert _messages(again) == [(constants.INFO, "Sie sind bereits für dieses Forum angemeldet.")]
    assert Registration.objects.filter(forum=forum).count() == 1
    with django_assert_max_num_queries(11):
        assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 200


def test_register_me_on_a_full_forum_waits_in_warning_colour(
    client, company_user_a, make_company, make_forum
):
    full = make_forum(capacity=1)
    registration_create(forum=full, contact=make_company("Gamma GmbH").contacts.first())
    client.force_login(company_user_a)
    response = client.post(reverse("forums:register_self", args=[full.pk]), follow=True)
    [(level, text)] = _messages(response)
    assert level == constants.WARNING and "ausgebucht" in text
    assert "Sie stehen auf der Warteliste (Position 1)." in response.content.decode()


def test_register_me_only_on_forums_she_may_see(
    client, company_user_a, make_forum, cluster_manager
):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    client.force_login(company_user_a)
    assert client.post(reverse("forums:register_self", args=[draft.pk])).status_code == 404
    assert client.post(reverse("forums:register_self", args=[999999])).status_code == 404
    assert client.get(reverse("forums:register_self", args=[draft.pk])).status_code == 405
    published = make_forum()
    client.force_login(cluster_manager)  # staff have no contact of their own
    assert client.post(reverse("forums:register_self", args=[published.pk])).status_code == 403
    assert not Registration.objects.exists()


def test_new_colleague_from_the_form_is_created_and_registered(
    client, company_user_a, company_a, forum
):
    client.force_login(company_user_a)
    anna = company_a.contacts.get(first_name="Anna")
    response = client.post(
        reverse("forums:register", args=[forum.pk]), {"contacts": [anna.pk], **NEW}, follow=True
    )
    assert {level for level, _text in _messages(response)} == {constants.SUCCESS}
    clara = Contact.objects.get(email="clara.neu@alpha.example")
    assert clara.company == company_a
    assert set(forum.registrations.values_list("contact__first_name", flat=True)) == {
        "Anna",
        "Clara",
    }
    assert AuditEvent.objects.get(action="contact.created").actor == company_user_a
    assert "Clara Neu" in response.content.decode()


@pytest.mark.parametrize(
    "typed, message",
    [
        ({"new-email": "clara-at-alpha"}, "Bitte geben Sie eine gültige E-Mail-Adresse ein."),
        (
            {"new-last_name": ""},
            "Bitte füllen Sie dieses Feld aus, um die neue Kollegin oder den neuen Kollegen "
            "anzumelden.",
        ),
        ({"new-function": "chef"}, "ist keine gültige Auswahl"),
        (
            {"new-first_name": "", "new-last_name": "", "new-email": ""},
            "Bitte kreuzen Sie mindestens eine Kollegin oder einen Kollegen an",
        ),
    ],
)
def test_bad_input_says_why_in_german_keeps_what_was_typed_and_writes_nothing(
    client, company_user_a, company_a, forum, typed, message
):
    client.force_login(company_user_a)
    anna = company_a.contacts.get(first_name="Anna")
    ticked = {"contacts": [anna.pk]} if "new-email" not in typed else {}
    before = _counts()
    response = client.post(
        reverse("forums:register", args=[forum.pk]),
        {**ticked, **NEW, **typed},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Niemand wurde angemeldet" in page
    assert _counts() == before
    if typed.get("new-first_name") != "":
        assert 'value="Clara"' in page  # nothing to type again
    if ticked:
        assert f'value="{anna.pk}" id' in page or f'value="{anna.pk}"' in page


def test_new_colleague_on_a_closed_forum_is_not_kept(client, company_user_a, make_forum):
    closed = make_forum(registration_closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(company_user_a)
    before = _counts()
    response = client.post(reverse("forums:register", args=[closed.pk]), NEW)
    # The page no longer offers the form; a post from an old tab is answered, not written.
    assert response.status_code == 400
    assert "Die Anmeldefrist ist abgelaufen." in response.content.decode()
    assert _counts() == before


def test_foreign_contact_with_a_new_colleague_writes_nothing(
    client, company_user_a, company_b, forum
):
    client.force_login(company_user_a)
    before = _counts()
    response = client.post(
        reverse("forums:register", args=[forum.pk]),
        {"contacts": [company_b.contacts.first().pk], **NEW},
        follow=True,
    )
    assert "Diese Person ist kein Kontakt Ihres Unternehmens." in response.content.decode()
    assert _counts() == before


def test_other_company_user_cannot_use_the_form_on_a_draft(client, company_user_b, make_forum):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    client.force_login(company_user_b)
    before = _counts()
    assert client.post(reverse("forums:register", args=[draft.pk]), NEW).status_code == 404
    assert _counts() == before
