import pytest
from django.urls import reverse

from metalldialog.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_broker_unreachable(client, monkeypatch):
    # A real Redis URL nobody listens on: the check must fail, not hang.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unreachable"}


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405
