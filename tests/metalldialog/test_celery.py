"""Celery configuration, on-commit queuing and the beat schedule."""

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from metalldialog.celery import app
from metalldialog.tasks import clear_expired_sessions


def test_json_only_and_late_acks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.broker_url.startswith("redis://")


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_tasks_reach_the_broker_only_when_the_transaction_commits(transactional_db):
    broker = redis.Redis.from_url(app.conf.broker_url)
    queue = app.conf.task_default_queue
    broker.delete(queue)
    with transaction.atomic():
        clear_expired_sessions.delay_on_commit()
        assert broker.llen(queue) == 0
    assert broker.llen(queue) == 1
    with transaction.atomic():
        clear_expired_sessions.delay_on_commit()
        transaction.set_rollback(True)
    assert broker.llen(queue) == 1  # a rolled-back transaction queues nothing
    broker.delete(queue)


@pytest.mark.django_db
def test_clear_expired_sessions_task_deletes_only_expired():
    fresh = SessionStore()
    fresh.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    clear_expired_sessions.apply()
    clear_expired_sessions.apply()  # safe to run twice
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
