"""Fixtures of the API tests: clients authenticated by token for each persona, and a small
world of forums, registrations and workshops for company A."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from forums.models import Forum, Registration
from members.models import Cluster, Relationship
from sefex.models import Module, Programme, Workshop

from ..forums.conftest import build_forum


def token_for(user, name: str = "Test-Integration") -> str:
    _token, secret = services.api_token_create(name=name, user=user)
    return secret


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def cm_api(cluster_manager):
    return client_for(cluster_manager)


@pytest.fixture
def pm_api(project_manager):
    return client_for(project_manager)


@pytest.fixture
def a_api(company_user_a):
    return client_for(company_user_a)


@pytest.fixture
def b_api(company_user_b):
    return client_for(company_user_b)


@pytest.fixture
def cluster(company_a):
    return Cluster.objects.get(slug="metall")


@pytest.fixture
def world(cluster, company_a, company_b, project_manager):
    """Company B is a network partner too; A has a registration, a workshop and a draft nearby."""
    Relationship.objects.create(
        company=company_b, cluster=cluster, kind=Relationship.Kind.PARTNER, valid_from="2020-01-01"
    )
    forum = build_forum(cluster, capacity=3, seats_per_company=2)
    draft = build_forum(cluster, title="Entwurf", state=Forum.State.DRAFT, published_at=None)
    anna = company_a.contacts.get(first_name="Anna")
    registration = Registration.objects.create(
        forum=forum,
        contact=anna,
        company=company_a,
        state=Registration.State.CONFIRMED,
        source=Registration.Source.PORTAL,
        confirmed_at=timezone.now(),
    )
    programme = Programme.objects.create(
        name="SEFEX Test",
        funding_start=date(2017, 1, 1),
        funding_end=date(2030, 12, 31),
        hourly_value=Decimal("120.00"),
    )
    module = Module.objects.create(programme=programme, name="Strategisches Management")
    starts = timezone.now().replace(microsecond=0) + timedelta(days=10)
    workshop = Workshop.objects.create(
        programme=programme,
        company=company_a,
        module=module,
        state=Workshop.State.SCHEDULED,
        project_manager=project_manager,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
    )
    workshop.participants.add(anna)
    return {
        "forum": forum,
        "draft": draft,
        "anna": anna,
        "bruno": company_b.contacts.get(),
        "registration": registration,
        "workshop": workshop,
        "module": module,
    }


# The forums tests' real broker queue and on-commit runner, for the mails behind registrations.
from ..forums.conftest import committed, task_queue  # noqa: E402,F401
