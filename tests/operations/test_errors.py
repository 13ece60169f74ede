"""Errors reach someone, without personal data: with SENTRY_DSN an unhandled error of a
request and a failed task arrive at the Sentry server (here a real HTTP server on loopback
that keeps the envelopes); without it the worker logs the failure as a JSON line."""

import json
import signal
import subprocess
import time

import pytest
import sentry_sdk
from django.test import Client

from members.models import Contact
from metalldialog.celery import app as celery_app
from operations import monitoring
from tests.outbox.workers import CELERY, ROOT, kill, worker_env

from .collector import sentry_server

ADDRESS = "annabella.alpha@alpha.example"
FIRST_NAME, LAST_NAME = "Annabella", "Alphonsine"


@pytest.fixture
def person(company_a):
    monitoring.names_forget()
    return Contact.objects.create(
        company=company_a, first_name=FIRST_NAME, last_name=LAST_NAME, email=ADDRESS
    )


@pytest.fixture
def sentry():
    with sentry_server() as collector:
        monitoring.sentry_init(dsn=collector.dsn)
        try:
            yield collector
        finally:
            sentry_sdk.flush()
            sentry_sdk.init()  # no DSN: reporting off again


def _leaks(text: str, *values) -> list[str]:
    return [value for value in (ADDRESS, FIRST_NAME, LAST_NAME, *values) if value and value in text]


@pytest.mark.django_db
@pytest.mark.urls("tests.operations.error_urls")
def test_an_unhandled_error_reaches_sentry_without_names_or_addresses(
    sentry, person, company_user_a
):
    client = Client(raise_request_exception=False)
    client.force_login(company_user_a)
    response = client.post("/fails/", {"email": ADDRESS, "first_name": FIRST_NAME})
    assert response.status_code == 500
    sentry_sdk.flush()
    [event] = sentry.wait_for_events(1)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "Anmeldung von [E-Mail] ([entfernt]) fehlgeschlagen"
    assert event["transaction"] == "/fails/"
    assert event["request"]["data"] == ""  # no request body is sent
    assert "user" not in event
    envelope = b"".join(sentry.bodies).decode()
    user = company_user_a
    assert not _leaks(envelope, user.email, user.first_name, user.last_name)


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed argv, our own celery
        [
            CELERY,
            "-A",
            "metalldialog",
            "worker",
            "--pool=solo",
            "--hostname=errors@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include=tests.operations.failing_task",
        ],
        cwd=ROOT,
        env=env | {"LOG_LEVEL": "INFO"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_failed_task_reaches_sentry_without_names_or_addresses(person):
    with sentry_server() as collector:
        worker = _worker(worker_env(smtp_port=1) | {"SENTRY_DSN": collector.dsn})
        try:
            celery_app.send_task("tests.operations.fail", args=[ADDRESS, FIRST_NAME])
            [event] = collector.wait_for_events(1)
        finally:
            kill(worker, signal.SIGTERM)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "Versand an [E-Mail] ([entfernt]) fehlgeschlagen"
    assert "celery" in json.dumps(event.get("contexts", {})) or event.get("logger") == "celery"
    assert not _leaks(b"".join(collector.bodies).decode())


@pytest.mark.django_db(transaction=True)
def test_without_sentry_a_failed_task_is_logged_as_a_json_line_without_addresses(person):
    env = worker_env(smtp_port=1)
    env.pop("SENTRY_DSN", None)
    worker = _worker(env)
    try:
        celery_app.send_task("tests.operations.fail", args=[ADDRESS, FIRST_NAME])
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline and not any('"ERROR"' in line for line in lines):
            lines.append(worker.stderr.readline().decode())
    finally:
        kill(worker, signal.SIGTERM)
    records = [json.loads(line) for line in lines if line.startswith("{")]
    [failure] = [record for record in records if record["level"] == "ERROR"]
    assert failure["logger"] == "celery.app.trace"
    assert "tests.operations.fail" in failure["message"]
    assert "RuntimeError: Versand an [E-Mail]" in failure["exc_info"]
    assert {"time", "level", "logger", "message"} <= set(failure)
    assert ADDRESS not in "".join(lines)
