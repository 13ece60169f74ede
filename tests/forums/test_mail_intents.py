"""A forum mail is not lost between the commit and the broker: the task that writes it is
promised by a row in the same transaction, and beat sends that task again if it never ran."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from forums import services
from outbox.models import Intent, Mail
from outbox.services import mail_queue_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_company):
    return list(make_company("Alpha Intent GmbH", contacts=2).contacts.order_by("pk"))


def _confirmations():
    return Mail.objects.filter(kind="forum_registration_confirmed")


def test_a_rolled_back_registration_promises_nothing(make_forum, people):
    forum = make_forum()
    with transaction.atomic():
        services.registration_create(forum=forum, contact=people[0])
        assert Intent.objects.filter(name="forums.registration_mail").count() == 1
        transaction.set_rollback(True)
    assert not Intent.objects.exists()


def test_a_task_lost_after_the_commit_is_sent_again_by_beat_and_mails_once(
    make_forum, people, django_capture_on_commit_callbacks, task_queue
):
    forum = make_forum()
    # The process dies after the commit, before it could publish: the callbacks never run.
    with django_capture_on_commit_callbacks(execute=False):
        registration = services.registration_create(forum=forum, contact=people[0])
    assert task_queue.take() == []
    [intent] = Intent.objects.all()
    assert intent.name == "forums.registration_mail"
    assert intent.args == [registration.pk, "confirmed"]

    # Beat before the grace period leaves it alone; after it, publishes the task again.
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_due()
    assert task_queue.take() == []
    later = timezone.now() + timedelta(minutes=3)
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_due(now=later)
    assert task_queue.run_forum_tasks() == ["forums.registration_mail"]
    assert _confirmations().count() == 1
    assert not Intent.objects.exists()  # done with the work, in its transaction

    # Nothing is left to send again, and a second run of the task writes no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_due(now=later + timedelta(minutes=3))
    assert [name for name, *_ in task_queue.take() if name.startswith("forums.")] == []
    from forums.tasks import registration_mail

    registration_mail.apply(args=[registration.pk, "confirmed"]).get()
    assert _confirmations().count() == 1


def test_an_intent_stays_until_its_task_has_run(
    make_forum, people, django_capture_on_commit_callbacks, task_queue
):
    forum = make_forum()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(forum=forum, contact=people[1])
    assert Intent.objects.count() == 1  # published, not yet done
    assert task_queue.take() == [("forums.registration_mail", [registration.pk, "confirmed"], {})]
