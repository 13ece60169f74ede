"""Reads of the operations app."""

from django.conf import settings
from django.utils import timezone

from .models import BackupRun


def last_backup_report(*, now=None) -> dict:
    """For /healthz: when the last snapshot finished, its age in hours, and whether it is older
    than BACKUP_MAX_AGE_HOURS ("stale"); "none" before the first one."""
    finished_at = BackupRun.objects.values_list("finished_at", flat=True).first()
    if finished_at is None:
        return {"state": "none", "finished_at": None, "age_hours": None}
    age_hours = ((now or timezone.now()) - finished_at).total_seconds() / 3600
    stale = age_hours > settings.BACKUP_MAX_AGE_HOURS
    return {
        "state": "stale" if stale else "ok",
        "finished_at": finished_at.isoformat(),
        "age_hours": round(age_hours, 1),
    }
