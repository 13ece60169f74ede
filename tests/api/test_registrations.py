"""Registering and cancelling through the API: the forums services decide, so capacity, the
company cap, the waiting list and the mails are those of the pages. Errors are JSON, 400, German
by default."""

import json

import pytest
from django.utils import timezone

from forums.models import Registration
from members.models import Contact
from outbox.models import Mail

from ..forums.conftest import build_forum

pytestmark = pytest.mark.django_db
State = Registration.State


@pytest.fixture
def colleagues(company_a):
    Contact.objects.bulk_create(
        Contact(
            company=company_a, first_name=f"K{i}", last_name="Alpha", email=f"k{i}@alpha.example"
        )
        for i in range(3)
    )
    return list(company_a.contacts.exclude(email="").order_by("pk"))


def register(client, forum, contact, **extra):
    return client.post(
        "/api/registrations/", {"forum": forum.pk, "contact": contact.pk, **extra}, format="json"
    )


def test_register_confirms_then_waitlists_at_company_cap(cluster, colleagues, a_api, committed):
    forum = build_forum(cluster, capacity=10, seats_per_company=2)
    with committed():
        responses = [register(a_api, forum, contact) for contact in colleagues]
    assert [r.status_code for r in responses] == [201, 201, 201]
    states = [r.json()["state"] for r in responses]
    assert states == [State.CONFIRMED, State.CONFIRMED, State.WAITLISTED]
    assert responses[2].json()["waitlist_position"] == 1
    assert responses[0].json()["source"] == Registration.Source.PORTAL
    # The same mails as from the pages: the outbox holds a confirmation for each seat holder.
    confirmed_to = set(
        Mail.objects.filter(kind="forum_registration_confirmed").values_list(
            "recipient_email", flat=True
        )
    )
    assert confirmed_to == {colleagues[0].email, colleagues[1].email}


def test_cancel_frees_the_seat_for_the_waiting_list(cluster, colleagues, a_api, committed):
    forum = build_forum(cluster, capacity=10, seats_per_company=2)
    with committed():
        ids = [register(a_api, forum, c).json()["id"] for c in colleagues]
    with committed():
        response = a_api.post(f"/api/registrations/{ids[0]}/cancel/")
    assert response.status_code == 200
    assert response.json()["state"] == State.CANCELLED
    assert Registration.objects.get(pk=ids[2]).state == State.CONFIRMED
    assert Mail.objects.filter(kind__contains="promot", contact=colleagues[2]).exists()
    again = a_api.post(f"/api/registrations/{ids[0]}/cancel/")
    assert again.status_code == 200  # a second cancel changes nothing
    assert Registration.objects.filter(forum=forum, state=State.CONFIRMED).count() == 2


def test_duplicate_is_a_400_with_the_services_message(cluster, colleagues, a_api):
    forum = build_forum(cluster)
    assert register(a_api, forum, colleagues[0]).status_code == 201
    response = register(a_api, forum, colleagues[0])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate"
    assert colleagues[0].full_name in body["detail"]
    assert Registration.objects.count() == 1


def test_closed_and_cancelled_forums_refuse_with_a_reason(cluster, colleagues, a_api):
    closed = build_forum(cluster, registration_closes_at=timezone.now())
    response = register(a_api, closed, colleagues[0])
    assert response.status_code == 400
    assert response.json()["code"] == "closed"
    cancelled = build_forum(cluster, state="cancelled")
    assert register(a_api, cancelled, colleagues[0]).json()["code"] == "cancelled"
    assert Registration.objects.count() == 0


def test_cluster_manager_registers_anyone_as_staff(cluster, colleagues, cm_api):
    forum = build_forum(cluster)
    response = register(cm_api, forum, colleagues[0], note="Vom Clustermanagement")
    assert response.status_code == 201
    assert response.json()["source"] == Registration.Source.STAFF
    assert response.json()["note"] == "Vom Clustermanagement"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"forum": "abc", "contact": 1},
        {"forum": 1},
        {"forum": 2**63, "contact": 1},
        {"forum": -1, "contact": 1},
        {"forum": 1, "contact": 1, "note": "x" * 301},
        {"forum": None, "contact": []},
    ],
)
def test_bad_input_is_400_and_writes_nothing(cluster, colleagues, a_api, payload):
    build_forum(cluster)
    response = a_api.post("/api/registrations/", payload, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert Registration.objects.count() == 0


def test_broken_json_is_400(a_api):
    response = a_api.generic(
        "POST", "/api/registrations/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_messages_are_german_by_default_and_english_on_request(company_user_a, a_api):
    response = a_api.post("/api/registrations/", {}, format="json")
    assert response.json()["forum"] == ["Dieses Feld ist zwingend erforderlich."]
    assert a_api.get("/api/companies/999999/").json()["detail"] == "Nicht gefunden."
    english = a_api.post("/api/registrations/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["forum"] == ["This field is required."]


@pytest.mark.parametrize(
    "query",
    [
        {"forum": "999999999999999999999999"},
        {"forum": "x"},
        {"state": "nonsense"},
        {"page": "0"},
        {"page": "abc"},
    ],
)
def test_bad_filters_are_400_or_404_never_500(company_user_a, a_api, query):
    response = a_api.get("/api/registrations/", query)
    assert response.status_code in (400, 404), response.content
    json.loads(response.content)


def test_huge_ids_in_paths_are_404(a_api):
    for path in ("companies", "contacts", "forums", "registrations", "workshops"):
        assert a_api.get(f"/api/{path}/99999999999999999999/").status_code == 404


def test_huge_ids_in_actions_are_404(a_api):
    big = 99999999999999999999
    assert a_api.post(f"/api/registrations/{big}/cancel/").status_code == 404
    assert a_api.post(f"/api/contacts/{big}/calendar-feed/").status_code == 404
    assert a_api.post("/api/registrations/f/cancel/").status_code == 404


def test_service_refusals_are_german_by_default(cluster, colleagues, a_api):
    closed = build_forum(cluster, registration_closes_at=timezone.now())
    response = register(a_api, closed, colleagues[0])
    assert response.json()["detail"] == "Die Anmeldefrist ist abgelaufen."
    english = a_api.post(
        "/api/registrations/",
        {"forum": closed.pk, "contact": colleagues[0].pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"] == "The registration deadline has passed."
