"""Privacy's own audit entries of an older installation arrive in the one audit trail."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEvent
from privacy.audit import PrivacyAction

BEFORE = [("privacy", "0001_initial")]
AFTER = [("privacy", "0002_audit_entries_into_the_audit_trail")]


@pytest.mark.django_db(transaction=True)
def test_migration_moves_privacy_entries_into_the_audit_trail(cluster_manager):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldEntry = executor.loader.project_state(BEFORE).apps.get_model("privacy", "AuditEntry")
        OldEntry.objects.create(
            action="erase",
            contact_id=41,
            actor_id=cluster_manager.pk,
            reason="Antrag per Brief",
            details={"mails": 2},
        )
        OldEntry.objects.create(action="retention", contact_id=42, reason="Frist")
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    erased = AuditEvent.objects.get(action=PrivacyAction.ERASED)
    assert (erased.object_id, erased.actor_id, erased.reason) == (
        "41",
        cluster_manager.pk,
        "Antrag per Brief",
    )
    assert erased.content_type.model == "contact" and erased.after == {"mails": 2}
    retention = AuditEvent.objects.get(action=PrivacyAction.RETENTION_ERASED)
    assert retention.object_id == "42" and retention.actor is None
