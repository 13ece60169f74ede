"""The forums' registration rush, through the API: real threads, each its own PostgreSQL
connection, each company posting with its own token at the same moment."""

from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.roles import Role
from forums.models import Registration
from members.models import Cluster
from members.services import user_create
from tests.concurrency import results_and_errors

from ..forums.conftest import add_company, build_forum
from .conftest import token_for

State = Registration.State
COMPANIES = 12
PER_COMPANY = 5  # 60 people for 10 seats, at most 2 per company


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.mark.django_db(transaction=True)
def test_rush_through_the_api_fills_exactly_the_seats(task_queue):
    assert connection.vendor == "postgresql"
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    forum = build_forum(cluster, capacity=10, seats_per_company=2)
    jobs = []
    for index in range(COMPANIES):
        company = add_company(cluster, f"Firma{index:02d} GmbH", contacts=PER_COMPANY)
        user = user_create(
            email=f"api{index}@firma.example",
            role=Role.COMPANY_USER,
            contact=company.contacts.order_by("pk").first(),
        )
        secret = token_for(user)
        jobs += [(secret, contact.pk) for contact in company.contacts.all()]
    assert len(jobs) == COMPANIES * PER_COMPANY >= 50

    def register(job):
        secret, contact_id = job
        response = _client(secret).post(
            "/api/registrations/", {"forum": forum.pk, "contact": contact_id}, format="json"
        )
        return response.status_code, response.json()

    results, errors = results_and_errors(register, jobs)
    assert errors == []
    assert sorted(status for status, _ in results) == [201] * len(jobs)  # no 5xx, no refusal
    rows = list(forum.registrations.all())
    confirmed = [r for r in rows if r.state == State.CONFIRMED]
    waiting = [r for r in rows if r.state == State.WAITLISTED]
    assert len(rows) == len(jobs)
    assert len(confirmed) == 10
    assert max(Counter(r.company_id for r in confirmed).values()) <= 2
    assert sorted(r.waitlist_position for r in waiting) == list(range(1, len(waiting) + 1))
    # What the API answered is what the database holds.
    answered = {body["id"]: body["state"] for _, body in results}
    assert answered == {r.pk: r.state for r in rows}

    # Three cancellations at once, each by its own company's token: exactly three move up.
    secrets = {contact_id: secret for secret, contact_id in jobs}
    to_cancel = confirmed[:3]
    results, errors = results_and_errors(
        lambda r: (
            _client(secrets[r.contact_id]).post(f"/api/registrations/{r.pk}/cancel/").status_code
        ),
        to_cancel,
    )
    assert errors == [] and results == [200, 200, 200]
    after = list(forum.registrations.all())
    seats = [r for r in after if r.state == State.CONFIRMED]
    assert len(seats) == 10
    assert max(Counter(r.company_id for r in seats).values()) <= 2
    assert sum(1 for r in after if r.state == State.CANCELLED) == 3
