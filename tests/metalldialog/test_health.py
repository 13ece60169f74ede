import time

import pytest
from django.urls import reverse

from metalldialog.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    # Before the first backup the report says so (see tests/operations/test_health_backup.py).
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "backup": {"state": "none", "finished_at": None, "age_hours": None},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_broker_unreachable(client, monkeypatch):
    # A real Redis URL nobody listens on: the check must fail, not hang.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() | {"backup": None} == {
        "status": "error",
        "database": "ok",
        "broker": "unreachable",
        "backup": None,
    }


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_healthz_opens_no_broker_connection_per_call(client, monkeypatch, settings):
    """Probes every few seconds from each load balancer: one broker check per short period."""
    settings.HEALTHZ_CACHE_SECONDS = 2
    opened = []
    real = celery_app.connection_for_write

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(celery_app, "connection_for_write", counting)
    for _ in range(5):
        assert client.get(reverse("healthz")).status_code == 200
    assert len(opened) == 1
    time.sleep(2.1)
    assert client.get(reverse("healthz")).status_code == 200
    assert len(opened) == 2
