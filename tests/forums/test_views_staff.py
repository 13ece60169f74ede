"""Cluster management pages: every one refuses outsiders; the registrations table keeps its
query count; check-in, PDF and exports work."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forums import services
from forums.models import Forum, Registration

State = Registration.State


def _staff_urls(forum, registration):
    return [
        ("get", reverse("forums:staff_list")),
        ("get", reverse("forums:create")),
        ("get", reverse("forums:edit", args=[forum.pk])),
        ("post", reverse("forums:publish", args=[forum.pk])),
        ("get", reverse("forums:cancel", args=[forum.pk])),
        ("get", reverse("forums:reschedule", args=[forum.pk])),
        ("post", reverse("forums:close", args=[forum.pk])),
        ("get", reverse("forums:staff_registrations", args=[forum.pk])),
        ("post", reverse("forums:staff_add", args=[forum.pk])),
        ("get", reverse("forums:staff_add_form", args=[forum.pk])),
        ("post", reverse("forums:staff_registration_action", args=[registration.pk, "cancel"])),
        ("get", reverse("forums:staff_checkin", args=[forum.pk])),
        ("post", reverse("forums:staff_checkin_toggle", args=[registration.pk])),
        ("get", reverse("forums:staff_participants_pdf", args=[forum.pk])),
        ("get", reverse("forums:staff_export", args=[forum.pk, "csv"])),
        ("get", reverse("forums:staff_export", args=[forum.pk, "xlsx"])),
        ("get", reverse("forums:staff_feedback", args=[forum.pk])),
    ]


@pytest.fixture
def registered(forum, company_a):
    return services.registration_create(forum=forum, contact=company_a.contacts.first())


@pytest.mark.parametrize("persona", ["anonymous", "company_user_a", "project_manager"])
def test_outsiders_cannot_reach_staff_pages(request, client, forum, registered, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for method, url in _staff_urls(forum, registered):
        response = getattr(client, method)(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"], url
        else:
            assert response.status_code == 403, url
    registered.refresh_from_db()
    assert registered.state == State.CONFIRMED
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED


def test_cluster_manager_reaches_every_page(client, cluster_manager, forum, registered):
    client.force_login(cluster_manager)
    for method, url in _staff_urls(forum, registered):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_unknown_ids_are_404(client, cluster_manager):
    client.force_login(cluster_manager)
    assert client.get(reverse("forums:staff_registrations", args=[999999])).status_code == 404
    assert client.post(reverse("forums:staff_checkin_toggle", args=[999999])).status_code == 404


def _fill(forum, make_company, companies):
    for i in range(companies):
        company = make_company(f"Reg{forum.pk}x{i} GmbH", contacts=3)
        for contact in company.contacts.all():
            services.registration_create(forum=forum, contact=contact)


def test_registrations_table_query_count_constant(
    client, cluster_manager, make_forum, make_company, django_assert_num_queries
):
    client.force_login(cluster_manager)
    small, large = make_forum(capacity=4), make_forum(capacity=20)
    _fill(small, make_company, 2)
    _fill(large, make_company, 12)
    client.get(reverse("forums:staff_registrations", args=[small.pk]))
    with django_assert_num_queries(5) as first:  # one of them counts the rows for the pages
        response = client.get(reverse("forums:staff_registrations", args=[small.pk]))
    assert response.content.decode().count(f"Reg{small.pk}x") >= 6
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("forums:staff_registrations", args=[large.pk]))
    assert response.content.decode().count(f"Reg{large.pk}x") >= 36


def test_create_edit_publish_through_pages(client, cluster_manager, cluster):
    client.force_login(cluster_manager)
    start = (timezone.localtime() + timedelta(days=20)).replace(hour=17, minute=0, second=0)
    data = {
        "cluster": cluster.pk,
        "title": "Additive Fertigung in der Praxis",
        "description": "Vom Prototyp zur Serie",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Innovationsfabrik",
        "venue_city": "Heilbronn",
        "capacity": "25",
        "seats_per_company": "2",
        "audience": "network",
        "reminder_days": "7, 2",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-starts_at": "17:00",
        "agenda-0-title": "Begrüßung",
        "agenda-0-speaker": "WFG",
    }
    response = client.post(reverse("forums:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    forum = Forum.objects.get()
    assert forum.state == Forum.State.DRAFT
    assert forum.reminder_days == [7, 2]
    assert timezone.localtime(forum.starts_at).hour == 17
    assert list(forum.agenda_items.values_list("title", flat=True)) == ["Begrüßung"]
    # Bad input: end before start -> the form says why, nothing changes.
    bad = dict(data, ends_at=(start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    response = client.post(reverse("forums:edit", args=[forum.pk]), bad)
    assert response.status_code == 400
    forum.refresh_from_db()
    assert forum.ends_at > forum.starts_at
    response = client.post(reverse("forums:edit", args=[forum.pk]), dict(data, capacity="30"))
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.capacity == 30
    client.post(reverse("forums:publish", args=[forum.pk]))
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED


def test_reschedule_and_cancel_pages(client, cluster_manager, forum, registered):
    client.force_login(cluster_manager)
    new = timezone.localtime(forum.starts_at + timedelta(days=7))
    response = client.post(
        reverse("forums:reschedule", args=[forum.pk]),
        {
            "starts_at": new.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (new + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Raum belegt",
        },
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.sequence == 1
    response = client.post(reverse("forums:cancel", args=[forum.pk]), {"reason": "Krank"})
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.state == Forum.State.CANCELLED and forum.cancel_reason == "Krank"


def test_manual_registration_and_moves(client, cluster_manager, make_forum, make_company):
    forum = make_forum(capacity=1)
    company = make_company("Manuell GmbH", contacts=2)
    first, second = company.contacts.order_by("pk")
    client.force_login(cluster_manager)
    for contact in (first, second):
        client.post(reverse("forums:staff_add", args=[forum.pk]), {"contact": contact.pk})
    r1, r2 = forum.registrations.order_by("pk")
    assert (r1.state, r2.state, r2.source) == (State.CONFIRMED, State.WAITLISTED, "staff")
    client.post(reverse("forums:staff_registration_action", args=[r1.pk, "waitlist"]))
    r1.refresh_from_db(), r2.refresh_from_db()
    assert (r1.state, r2.state) == (State.WAITLISTED, State.CONFIRMED)
    response = client.post(reverse("forums:staff_registration_action", args=[r1.pk, "bogus"]))
    assert response.status_code == 302
    response = client.post(reverse("forums:staff_add", args=[forum.pk]), {"contact": "999999"})
    assert response.status_code == 302 and forum.registrations.count() == 2


def test_checkin_search_and_tap(client, cluster_manager, forum, company_a, make_company):
    other = make_company("Suchbar GmbH", contacts=1)
    services.registration_create(forum=forum, contact=other.contacts.first())
    reg = services.registration_create(forum=forum, contact=company_a.contacts.first())
    client.force_login(cluster_manager)
    page = client.get(
        reverse("forums:staff_checkin", args=[forum.pk]), {"q": "alpha"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Anna Alpha" in page and "Suchbar" not in page
    response = client.post(
        reverse("forums:staff_checkin_toggle", args=[reg.pk]),
        {"attended": "1", "early": "1"},  # the forum is ahead: staff open check-in early
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    reg.refresh_from_db()
    assert reg.state == State.ATTENDED
    client.post(reverse("forums:staff_checkin_toggle", args=[reg.pk]), {"attended": "0"})
    reg.refresh_from_db()
    assert reg.state == State.CONFIRMED


def test_participant_pdf_and_exports(client, cluster_manager, forum, registered, company_a):
    client.force_login(cluster_manager)
    response = client.get(reverse("forums:staff_participants_pdf", args=[forum.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client.get(reverse("forums:staff_export", args=[forum.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == company_a.legal_name and rows[1][1] == "Alpha"
    response = client.get(reverse("forums:staff_export", args=[forum.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == company_a.legal_name
    assert client.get(reverse("forums:staff_export", args=[forum.pk, "pdf"])).status_code == 404


def test_participant_list_has_signature_column(forum, registered):
    from django.template.loader import render_to_string

    html = render_to_string(
        "forums/pdf/participants.html",
        {"forum": forum, "participants": [registered], "starts_at": forum.starts_at},
    )
    assert "Anna Alpha" in html
    assert html.count('class="sign"') == 1 + 5  # one per participant, five blank rows


def test_staff_forum_list_query_count_constant(
    client, cluster_manager, make_forum, make_company, django_assert_num_queries
):
    client.force_login(cluster_manager)
    forum = make_forum(title="Erstes")
    _fill(forum, make_company, 1)
    client.get(reverse("forums:staff_list"))
    with django_assert_num_queries(1) as first:
        page = client.get(reverse("forums:staff_list")).content.decode()
    assert "Erstes" in page
    for i in range(10):
        _fill(make_forum(title=f"Weiteres {i}"), make_company, 1)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(reverse("forums:staff_list")).content.decode()
    assert page.count("Weiteres ") == 10


def test_staff_list_shows_attendance_rate(client, cluster_manager, make_forum, make_company):
    start = timezone.now() - timedelta(days=2)
    forum = make_forum(title="Gewesen", starts_at=start, ends_at=start + timedelta(hours=2))
    company = make_company("Quote GmbH", contacts=4)
    for i, contact in enumerate(company.contacts.order_by("pk")):
        Registration.objects.create(
            forum=forum,
            contact=contact,
            company=company,
            source="staff",
            state=State.ATTENDED if i < 3 else State.NO_SHOW,
        )
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:staff_list")).content.decode()
    assert "75 %" in page


def test_staff_list_puts_the_next_forum_first(client, cluster_manager, make_forum):
    now = timezone.now()

    def forum(title, days, **fields):
        start = now + timedelta(days=days)
        return make_forum(
            title=title, starts_at=start, ends_at=start + timedelta(hours=2), **fields
        )

    forum("Vor zwei Monaten", -60, state=Forum.State.HELD)
    forum("In einem Monat", 30)
    forum("Letzten Monat", -30, state=Forum.State.HELD)
    forum("Nächste Woche", 7)
    forum("Entwurf in zwei Wochen", 14, state=Forum.State.DRAFT, published_at=None)
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:staff_list")).content.decode()
    titles = [
        "Nächste Woche",
        "Entwurf in zwei Wochen",
        "In einem Monat",
        "Letzten Monat",
        "Vor zwei Monaten",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
