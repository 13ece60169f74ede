"""/healthz reports the age of the last successful backup (a report, not a failure)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.models import BackupRun

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_age_of_the_last_backup(client, settings):
    settings.HEALTHZ_CACHE_SECONDS = 0
    assert client.get(reverse("healthz")).json()["backup"]["state"] == "none"

    finished = timezone.now() - timedelta(hours=5)
    BackupRun.objects.create(finished_at=finished - timedelta(days=1), name="older")
    BackupRun.objects.create(finished_at=finished, name="metalldialog-20261129T020000Z")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["backup"] == {
        "state": "ok",
        "finished_at": finished.isoformat(),
        "age_hours": 5.0,
    }

    BackupRun.objects.filter(name__startswith="metalldialog").update(
        finished_at=timezone.now() - timedelta(hours=settings.BACKUP_MAX_AGE_HOURS + 1)
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # an old backup is reported, not an outage
    assert response.json()["backup"]["state"] == "stale"
