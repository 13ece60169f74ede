"""Irreversible steps ask first (cancelling a registration, on every page that offers it,
cancelling a forum, marking it held), and what a registration came to is said in the colour
of what happened, with the company's own seats in view."""

import re

import pytest
from django.contrib.messages import constants
from django.test import Client
from django.urls import reverse

from forums import services
from forums.models import Forum, Registration
from forums.tokens import make_registration_token
from members.models import Contact

State = Registration.State


@pytest.fixture
def three_of_alpha(company_a):
    for first in ("Carla", "Cem"):
        Contact.objects.create(company=company_a, first_name=first, last_name="Alpha")
    return list(company_a.contacts.order_by("pk"))


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def _csrf(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


# --- the company's seats and the outcome's colour ---------------------------------------------


def test_third_person_of_a_company_waits_and_is_told_why_in_warning_colour(
    client, company_user_a, three_of_alpha, make_forum
):
    forum = make_forum(capacity=40, seats_per_company=2)
    client.force_login(company_user_a)
    url = reverse("forums:register", args=[forum.pk])
    first = client.post(url, {"contacts": [c.pk for c in three_of_alpha[:2]]}, follow=True)
    assert {level for level, _text in _messages(first)} == {constants.SUCCESS}
    page = first.content.decode()
    assert "2 von 2 Plätzen Ihres Unternehmens belegt" in page
    assert "38 von 40 Plätzen frei" in page  # the forum's seats, and why they do not help
    assert "auf die Warteliste, auch wenn im Forum noch Plätze frei sind" in page

    third = client.post(url, {"contacts": [three_of_alpha[2].pk]}, follow=True)
    [(level, text)] = _messages(third)
    assert level == constants.WARNING
    assert "Warteliste" in text and "2 von 2 Plätzen" in text
    page = third.content.decode()
    assert "alert-warning" in page and "alert-success" not in page
    assert Registration.objects.get(contact=three_of_alpha[2]).state == State.WAITLISTED


def test_full_forum_says_so_and_a_request_is_a_note(
    client, company_user_a, three_of_alpha, make_forum, cluster
):
    full = make_forum(capacity=1, seats_per_company=2)
    client.force_login(company_user_a)
    url = reverse("forums:register", args=[full.pk])
    client.post(url, {"contacts": [three_of_alpha[0].pk]}, follow=True)
    response = client.post(url, {"contacts": [three_of_alpha[1].pk]}, follow=True)
    [(level, text)] = _messages(response)
    assert level == constants.WARNING and "ausgebucht" in text
    # An open forum for a company outside the cluster: a request, shown as a note.
    from members.models import Relationship

    Relationship.objects.filter(company=three_of_alpha[0].company).delete()
    open_forum = make_forum(audience=Forum.Audience.OPEN)
    response = client.post(
        reverse("forums:register", args=[open_forum.pk]),
        {"contacts": [three_of_alpha[2].pk]},
        follow=True,
    )
    [(level, _text)] = _messages(response)
    assert level == constants.INFO


# --- cancelling a registration asks first --------------------------------------------------


def test_member_cancel_asks_first_then_cancels(
    client, company_user_a, company_user_b, company_a, make_forum
):
    forum = make_forum()
    registration = services.registration_create(forum=forum, contact=company_a.contacts.first())
    url = reverse("forums:registration_cancel", args=[registration.pk])
    detail = reverse("forums:detail", args=[forum.pk])

    client.force_login(company_user_b)
    assert client.get(url).status_code == 404  # another company's registration

    client.force_login(company_user_a)
    page = client.get(detail).content.decode()
    assert f'href="{url}?next=' in page  # a link to the question, no form that cancels
    question = client.get(url, {"next": detail})
    assert question.status_code == 200
    text = question.content.decode()
    assert "Anmeldung von Anna Alpha" in text and "stornieren?" in text
    assert 'name="next" value="' + detail + '"' in text
    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED  # asking changed nothing

    response = client.post(url, {"next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    # A foreign "next" is not followed.
    again = services.registration_create(forum=forum, contact=company_a.contacts.first())
    response = client.post(
        reverse("forums:registration_cancel", args=[again.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("forums:my_registrations")


def test_staff_cancel_link_leads_to_the_question(client, cluster_manager, company_a, make_forum):
    forum = make_forum()
    registration = services.registration_create(forum=forum, contact=company_a.contacts.first())
    client.force_login(cluster_manager)
    staff_page = reverse("forums:staff_registrations", args=[forum.pk])
    page = client.get(staff_page).content.decode()
    cancel = reverse("forums:registration_cancel", args=[registration.pk])
    assert f'href="{cancel}?next=' in page
    assert client.get(cancel, {"next": staff_page}).status_code == 200
    assert client.post(cancel, {"next": staff_page})["Location"] == staff_page
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED


def test_personal_link_registers_and_cancels_with_csrf_and_a_question(make_forum, company_a):
    forum = make_forum()
    contact = company_a.contacts.first()
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=forum)])
    browser = Client(enforce_csrf_checks=True)
    # Without the page's token the POST is refused and writes nothing.
    assert browser.post(url, {"action": "register"}).status_code == 403
    assert not Registration.objects.exists()
    token = _csrf(browser, url)
    response = browser.post(url, {"action": "register", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    page = browser.get(url).content.decode()
    assert "?confirm=cancel" in page and 'value="cancel"' not in page
    question = browser.get(url, {"confirm": "cancel"}).content.decode()
    assert "Möchten Sie Ihre Anmeldung wirklich stornieren?" in question
    assert 'value="cancel"' in question
    assert Registration.objects.get().state == State.CONFIRMED
    token = _csrf(browser, url + "?confirm=cancel")
    browser.post(url, {"action": "cancel", "csrfmiddlewaretoken": token})
    assert Registration.objects.get().state == State.CANCELLED


# --- forum-wide steps ------------------------------------------------------------------------


def test_mark_as_held_asks_first(client, cluster_manager, make_forum, company_a):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() - timedelta(hours=4)
    forum = make_forum(starts_at=start, ends_at=start + timedelta(hours=2))
    Registration.objects.create(
        forum=forum,
        contact=company_a.contacts.first(),
        company=company_a,
        state=State.CONFIRMED,
        source="staff",
    )
    client.force_login(cluster_manager)
    url = reverse("forums:close", args=[forum.pk])
    page = client.get(url).content.decode()
    assert "als stattgefunden markieren?" in page
    assert "als nicht erschienen vermerkt: 1." in page
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED
    client.post(url)
    forum.refresh_from_db()
    assert forum.state == Forum.State.HELD


def test_cancel_forum_page_names_who_is_informed(client, cluster_manager, forum, company_a):
    services.registration_create(forum=forum, contact=company_a.contacts.first())
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:cancel", args=[forum.pk])).content.decode()
    assert "absagen?" in page and "informiert werden: 1." in page
    assert "Ja, Forum absagen" in page and 'name="reason"' in page
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED
