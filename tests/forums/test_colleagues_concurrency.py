"""'Mich anmelden' clicked twice at once, and one new colleague sent from two tabs at once:
real requests in parallel threads, each with its own PostgreSQL connection."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from forums.models import Registration
from members.models import Contact
from tests.concurrency import results_and_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _clients(user, n: int) -> list[Client]:
    clients = []
    for _ in range(n):
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        client.force_login(user)
        clients.append(client)
    return clients


SUCCESS = "Sie sind angemeldet. Eine Bestätigung mit dem Kalendereintrag ist per E-Mail unterwegs."
ALREADY = "Sie sind bereits für dieses Forum angemeldet."


def _outcome(response) -> str:
    """Which answer the page shows (read from the page: in threads, the test client's
    captured template contexts can belong to another thread's request)."""
    page = response.content.decode()
    assert response.status_code == 200
    assert (SUCCESS in page) != (ALREADY in page)
    return "success" if SUCCESS in page else "already"


def test_register_me_twice_at_once_registers_once(company_user_a, forum, task_queue):
    assert connection.vendor == "postgresql"
    url = reverse("forums:register_self", args=[forum.pk])
    results, errors = results_and_errors(
        lambda client: _outcome(client.post(url, follow=True)), _clients(company_user_a, 4)
    )
    assert errors == []
    assert Registration.objects.filter(forum=forum).count() == 1
    assert sorted(results) == ["already"] * 3 + ["success"]


def test_one_new_colleague_from_two_tabs_is_one_contact(company_user_a, forum, task_queue):
    url = reverse("forums:register", args=[forum.pk])
    data = {
        "new-first_name": "Clara",
        "new-last_name": "Neu",
        "new-email": "clara.neu@alpha.example",
        "new-function": "other",
    }
    results, errors = results_and_errors(
        lambda client: client.post(url, data).status_code, _clients(company_user_a, 3)
    )
    assert errors == []
    assert sorted(results) == [302, 400, 400]
    [clara] = Contact.objects.filter(email="clara.neu@alpha.example")
    assert Registration.objects.filter(forum=forum, contact=clara).count() == 1
    assert AuditEvent.objects.filter(action="contact.created").count() == 1
