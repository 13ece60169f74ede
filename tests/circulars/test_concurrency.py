"""Scheduled circulars under concurrency, on real PostgreSQL connections: two beats at the
same minute send a circular once; a cancel racing the send either wins (nothing goes out) or
is refused (it went out), never both."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from circulars import services
from circulars.models import Circular
from outbox.models import Batch, BatchRecipient
from tests.concurrency import results_and_errors, run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scheduled(circular, network, cluster_manager):
    at = timezone.now() + timedelta(hours=1)
    services.circular_send(
        circular=circular,
        data=QueryDict(f"sector={network['tools'].pk}"),
        actor=cluster_manager,
        send_at=at,
    )
    return circular, at


def test_two_beats_send_a_scheduled_circular_once(scheduled, broker):
    circular, at = scheduled
    results, errors = results_and_errors(
        lambda _n: services.circulars_send_due(now=at + timedelta(seconds=5)), range(3)
    )
    assert errors == []
    assert sorted(results) == [0, 0, 1]
    assert Batch.objects.count() == 1
    assert BatchRecipient.objects.count() == 3
    circular.refresh_from_db()
    assert circular.state == Circular.State.SENT


def test_a_cancel_racing_the_send_wins_or_is_refused(scheduled, cluster_manager, broker):
    circular, at = scheduled

    def act(what):
        if what == "cancel":
            return services.circular_cancel(circular=circular, actor=cluster_manager)
        return services.circulars_send_due(now=at + timedelta(seconds=5))

    outcomes = dict(run_together(act, ["cancel", "beat"]))
    circular.refresh_from_db()
    if isinstance(outcomes["cancel"], ValidationError):
        assert circular.state == Circular.State.SENT
        assert Batch.objects.count() == 1
    else:
        assert circular.state == Circular.State.DRAFT
        assert outcomes["beat"] == 0
        assert not Batch.objects.exists()
