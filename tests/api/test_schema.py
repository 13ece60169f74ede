"""The OpenAPI schema, its documentation pages, and schemathesis against it.

Schemathesis generates requests for every operation from the schema and sends them through the
WSGI app in this process, authenticated as the cluster manager and as a company user: no answer
may be a server error, and every answer must match the schema (status, content type, body).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services
from members.models import Sector, Topic

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.django_db
def test_schema_and_docs_are_served(client, cluster_manager):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "tokenAuth" in document["components"]["securitySchemes"]
    for path in (
        "/api/companies/",
        "/api/contacts/",
        "/api/clusters/",
        "/api/sectors/",
        "/api/topics/",
        "/api/forums/",
        "/api/registrations/",
        "/api/registrations/{id}/cancel/",
        "/api/workshops/",
        "/api/public/clusters/{slug}/forums/",
        "/api/public/clusters/{slug}/forums.ics",
        "/api/public/calendar/{token}.ics",
    ):
        assert path in document["paths"], path
    # The docs pages load their assets from this server (drf-spectacular-sidecar), not a CDN.
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()
    assert client.get("/api/redoc/").status_code == 200


@pytest.fixture
def wsgi_in_test_transaction(db):
    """The WSGI handler would close the test's connection after each request (it sees a
    transaction left open); Django's test client disconnects the same hooks."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _headers_for(user) -> dict:
    # Sectors and topics come with the migrations: the lists have rows to validate.
    assert Sector.objects.exists() and Topic.objects.exists()
    _token, secret = services.api_token_create(name="schemathesis", user=user)
    return {"Authorization": f"Token {secret}"}


@pytest.fixture
def cm_headers(world, cluster_manager):
    return _headers_for(cluster_manager)


@pytest.fixture
def company_headers(world, company_user_a):
    return _headers_for(company_user_a)


BOUNDS = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
NEGATIVE_BOUNDS = settings(BOUNDS, max_examples=2)


def _run_schemathesis(app, headers: dict) -> Counter:
    """Every operation: valid requests with every check, invalid ones with "no server error".

    (schemathesis's pytest loader `from_fixture` does not run on pytest 9 yet, so the
    operations' Hypothesis strategies are driven here directly.)
    """
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    statuses: Counter = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        # Errors of the valid run and of the invalid run are raised as test failures.

        @BOUNDS
        @given(case=operation.as_strategy())
        def valid(case):
            statuses[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1

        @NEGATIVE_BOUNDS
        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        def invalid(case):
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses[response.status_code] += 1

        valid()
        invalid()
    return statuses


def test_api_conforms_to_its_schema_as_cluster_manager(wsgi_in_test_transaction, cm_headers):
    statuses = _run_schemathesis(wsgi_in_test_transaction, cm_headers)
    assert statuses[200] + statuses[201] > 0
    assert not any(code >= 500 for code in statuses)
    print("cluster manager:", dict(sorted(statuses.items())))


def test_api_conforms_to_its_schema_as_company_user(wsgi_in_test_transaction, company_headers):
    statuses = _run_schemathesis(wsgi_in_test_transaction, company_headers)
    assert statuses[200] + statuses[201] > 0
    assert not any(code >= 500 for code in statuses)
    print("company user:", dict(sorted(statuses.items())))
