"""The door: a check-in answers with the row, the counter and an empty search for the next
guest; a second tap changes nothing; taking a check-in back asks first; check-in opens on
the forum's day unless staff open it early; waiting and cancelled people get no button.
Long lists come in parts: 500 registrations stay light on the registrations and check-in
pages, the search covers all of them, the exports keep everyone."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Registration
from members.models import Company, Contact

State = Registration.State
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def today_forum(make_forum):
    """Began ten minutes ago: check-in is open (whatever the hour the test runs)."""
    start = timezone.now() - timedelta(minutes=10)
    return make_forum(
        starts_at=start, ends_at=start + timedelta(hours=3), capacity=10, seats_per_company=5
    )


@pytest.fixture
def guests(today_forum, make_company):
    company = make_company("Tür GmbH", contacts=3)
    return [
        Registration.objects.create(
            forum=today_forum,
            contact=contact,
            company=company,
            state=State.CONFIRMED,
            source=Registration.Source.STAFF,
        )
        for contact in company.contacts.order_by("pk")
    ]


def _toggle(client, registration, **data):
    url = reverse("forums:staff_checkin_toggle", args=[registration.pk])
    return client.post(url, {"attended": "1"} | data, **HTMX)


def test_check_in_answers_row_counter_and_an_empty_search(
    client, cluster_manager, today_forum, guests
):
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:staff_checkin", args=[today_forum.pk]), {"q": "Person1"})
    assert "0 von 3 eingecheckt" in page.content.decode()
    html = _toggle(client, guests[1]).content.decode()
    assert f'id="checkin-{guests[1].pk}"' in html and "Anwesend" in html
    counter = re.search(r'<p[^>]*id="checkin-counter"[^>]*>[^<]*</p>', html).group(0)
    assert 'data-hx-swap-oob="true"' in counter and "1 von 3 eingecheckt" in counter
    search = re.search(r'<input[^>]*id="q"[^>]*>', html, re.S).group(0)
    assert 'data-hx-swap-oob="true"' in search and 'value=""' in search and "autofocus" in search
    guests[1].refresh_from_db()
    assert guests[1].state == State.ATTENDED


def test_second_tap_changes_nothing_and_undo_asks_first(
    client, cluster_manager, today_forum, guests
):
    client.force_login(cluster_manager)
    _toggle(client, guests[0])
    again = _toggle(client, guests[0]).content.decode()
    guests[0].refresh_from_db()
    assert guests[0].state == State.ATTENDED and "1 von 3 eingecheckt" in again
    # The row offers "undo" as a link to a question, not as the button that was tapped.
    assert "Einchecken" not in again.split('id="checkin-counter"')[0]
    undo = reverse("forums:staff_checkin_undo", args=[guests[0].pk])
    assert f'href="{undo}"' in again
    question = client.get(undo, **HTMX).content.decode()
    assert "Check-in von Person0 Tür zurücknehmen?" in question
    assert 'name="attended" value="0"' in question
    assert client.get(undo).status_code == 200  # as a page without htmx
    guests[0].refresh_from_db()
    assert guests[0].state == State.ATTENDED  # asking changed nothing
    answer = _toggle(client, guests[0], attended="0").content.decode()
    guests[0].refresh_from_db()
    assert guests[0].state == State.CONFIRMED
    assert "0 von 3 eingecheckt" in answer and 'id="q"' not in answer  # search left alone
    # "No" puts the row back as it was.
    row = client.get(reverse("forums:staff_checkin_row", args=[guests[0].pk]), **HTMX)
    assert "Einchecken" in row.content.decode()


def test_check_in_opens_on_the_forums_day_unless_staff_open_it_early(
    client, cluster_manager, make_forum, make_company
):
    forum = make_forum()  # two weeks ahead
    contact = make_company("Früh GmbH", contacts=1).contacts.get()
    registration = services.registration_create(forum=forum, contact=contact)
    client.force_login(cluster_manager)
    url = reverse("forums:staff_checkin", args=[forum.pk])
    page = client.get(url).content.decode()
    day = timezone.localtime(forum.starts_at).strftime("%d.%m.%Y")
    assert f"Der Check-in öffnet am Tag des Forums, {day}." in page
    assert 'href="?early=1"' in page
    assert "Person0 Früh einchecken" not in page  # no button before the day
    refused = _toggle(client, registration).content.decode()
    assert "Der Check-in öffnet am Tag des Forums" in refused
    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED

    early = client.get(url, {"early": "1"}).content.decode()
    assert "Vorzeitiger Check-in ist eingeschaltet" in early
    assert 'name="early" value="1"' in early and "Person0 Früh einchecken" in early
    _toggle(client, registration, early="1")
    registration.refresh_from_db()
    assert registration.state == State.ATTENDED


def test_waiting_pending_and_cancelled_people_get_no_button(
    client, cluster_manager, make_forum, make_company
):
    forum = make_forum(capacity=1)
    first, second, third = make_company("Warte GmbH", contacts=3).contacts.order_by("pk")
    services.registration_create(forum=forum, contact=first)
    waiting = services.registration_create(forum=forum, contact=second)
    cancelled = services.registration_create(forum=forum, contact=third)
    services.registration_cancel(registration=cancelled, actor=cluster_manager)
    assert waiting.state == State.WAITLISTED
    # On the forum's day (here: early check-in switched on, which changes nothing for them).
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:staff_checkin", args=[forum.pk]), {"early": "1"})
    html = page.content.decode()
    rows = {
        pk: html[html.index(f'id="checkin-{pk}"') :].split("</li>", 1)[0]
        for pk in (waiting.pk, cancelled.pk)
    }
    assert all("Einchecken" not in row for row in rows.values())
    assert "zuerst einen Platz vergeben" in rows[waiting.pk]
    answer = _toggle(client, waiting, early="1").content.decode()
    assert "Warteliste" in answer
    waiting.refresh_from_db()
    assert waiting.state == State.WAITLISTED


def _crowd(forum, n: int):
    companies = Company.objects.bulk_create(
        Company(legal_name=f"Massen{i:03d} GmbH", city="Heilbronn") for i in range(n // 2)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            company=company,
            first_name=f"Gast{j}",
            last_name=f"Nachname{i:03d}",
            email=f"gast{j}@massen{i:03d}.example",
        )
        for i, company in enumerate(companies)
        for j in range(2)
    )
    Registration.objects.bulk_create(
        Registration(
            forum=forum,
            contact=contact,
            company=contact.company,
            state=State.CONFIRMED,
            source=Registration.Source.STAFF,
        )
        for contact in contacts
    )


def test_500_registrations_stay_light_searchable_and_exported_whole(
    client, cluster_manager, make_forum
):
    forum = make_forum(capacity=600, seats_per_company=2)
    _crowd(forum, 500)
    client.force_login(cluster_manager)
    registrations = reverse("forums:staff_registrations", args=[forum.pk])
    checkin = reverse("forums:staff_checkin", args=[forum.pk])
    for url in (registrations, checkin):
        response = client.get(url)
        assert len(response.content) < 150_000, (url, len(response.content))
        html = response.content.decode()
        assert "Nachname024" in html and "Nachname025" not in html  # the first 50 only

    # The registrations page: pages and a search over all 500.
    last = client.get(registrations, {"page": "10"}).content.decode()
    assert "Nachname249" in last and "Seite 10 von 10" in last
    found = client.get(registrations, {"q": "Nachname249"}).content.decode()
    assert "Gast0 Nachname249" in found and "Gast1 Nachname249" in found
    assert "Nachname248" not in found and "2 Anmeldungen" in found

    # The check-in page: "Load more" brings the next part, the search finds anyone.
    first = client.get(checkin).content.decode()
    assert "Weitere laden" in first and "Nachname024" in first and "Nachname025" not in first
    more = client.get(checkin, {"page": "2"}, **HTMX).content.decode()
    assert "Nachname025" in more and 'id="checkin-more"' in more
    end = client.get(checkin, {"page": "10"}, **HTMX).content.decode()
    assert "Nachname249" in end and 'id="checkin-more"' not in end
    search = client.get(checkin, {"q": "Nachname249 Gast1"}, **HTMX).content.decode()
    assert search.count('id="checkin-') == 1

    # Exports keep everyone.
    export = client.get(reverse("forums:staff_export", args=[forum.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 500


def test_checkin_page_query_count_does_not_grow(
    client, cluster_manager, make_forum, django_assert_num_queries
):
    small, large = make_forum(capacity=600), make_forum(capacity=600)
    _crowd(small, 6)
    _crowd(large, 200)
    client.force_login(cluster_manager)
    client.get(reverse("forums:staff_checkin", args=[small.pk]))
    with django_assert_num_queries(3) as first:
        client.get(reverse("forums:staff_checkin", args=[small.pk]))
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(reverse("forums:staff_checkin", args=[large.pk])).content.decode()
    assert page.count('id="checkin-') - page.count('id="checkin-more"') >= 50
