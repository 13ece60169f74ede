"""A SEFEX booking confirmation is not lost when the broker is away at the commit: the task
that writes it is promised by a row in the booking's transaction, and beat publishes it again
once the broker is back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metalldialog.celery import app as celery_app
from outbox.models import Intent, Mail
from outbox.services import mail_queue_due
from sefex import mails, services
from sefex.tasks import booked_send
from tests.outbox.broker import broker_away

from .conftest import future, request_for

pytestmark = pytest.mark.django_db


def _confirmations():
    return Mail.objects.filter(kind=mails.KIND_CONFIRMED)


def _recipients():
    return sorted(_confirmations().values_list("recipient_email", flat=True))


def test_a_booking_committed_while_the_broker_is_away_is_confirmed_once_by_beat(
    company_a,
    module,
    project_manager,
    contacts_a,
    django_capture_on_commit_callbacks,
    broker,
):
    workshop = request_for(company_a, module)
    services.workshop_update(workshop=workshop, actor=project_manager, participants=contacts_a)
    with broker_away(celery_app), django_capture_on_commit_callbacks(execute=True):
        services.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(10),
        )
    assert broker.take() == []  # nothing reached the broker
    [intent] = Intent.objects.all()
    assert (intent.name, intent.args) == ("sefex.booked", [workshop.pk])
    assert not _confirmations().exists()

    # Beat, with the broker back, publishes the promise again; a worker writes the mails.
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_due(now=timezone.now() + timedelta(minutes=3))
    assert broker.run_named("sefex.") == ["sefex.booked"]
    everyone = sorted([c.email for c in contacts_a] + [project_manager.email])
    assert _recipients() == everyone  # the participants and the project manager, once each
    assert not Intent.objects.exists()

    # A second run of the task (a slow first one) writes no second confirmation.
    booked_send.apply(args=[workshop.pk]).get()
    assert _recipients() == everyone


def test_a_rolled_back_booking_promises_nothing(company_a, module, project_manager, contacts_a):
    from django.db import transaction

    workshop = request_for(company_a, module)
    services.workshop_update(workshop=workshop, actor=project_manager, participants=contacts_a)
    with transaction.atomic():
        services.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(10),
        )
        assert Intent.objects.filter(name="sefex.booked").count() == 1
        transaction.set_rollback(True)
    assert not Intent.objects.exists()
