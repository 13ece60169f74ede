"""The recipients of a bulk send are rows with a fixed place: chunks stay the same when a
contact is deleted mid-send, and the migration turns the old id lists into rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forums import invitations
from members.models import Cluster, Contact
from outbox import services
from outbox.models import Batch, BatchRecipient, Mail
from tests.forums.conftest import add_company, build_forum

BEFORE = [("outbox", "0005_intent")]
AFTER = [("outbox", "0006_batch_recipients")]


@pytest.fixture
def cluster(db):
    return Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})[0]


@pytest.fixture
def gate_off(settings):
    settings.INVITATION_AUDIENCE_FILTERS = []


def test_chunks_are_places_that_a_deleted_contact_does_not_shift(
    cluster, cluster_manager, smtp_sink, gate_off, settings
):
    settings.OUTBOX_BATCH_CHUNK_SIZE = 2
    forum = build_forum(cluster)
    add_company(cluster, "Kette GmbH", contacts=4)
    batch = invitations.invitation_send(forum=forum, data={}, actor=cluster_manager)
    recipients = list(batch.recipients.order_by("position"))
    assert [r.position for r in recipients] == [0, 1, 2, 3]
    services.batch_chunk_send(batch_id=batch.pk, start=0, end=2)
    # The first contact leaves the database before the second chunk runs.
    Contact.objects.filter(pk=recipients[0].contact_id).delete()
    services.batch_chunk_send(batch_id=batch.pk, start=2, end=4)
    sent = set(Mail.objects.filter(batch=batch).values_list("contact_id", flat=True))
    # Each got one mail; the deleted contact's mail stays, without its contact.
    assert sent == {r.contact_id for r in recipients[1:]} | {None}
    assert len(smtp_sink.messages) == 4


@pytest.mark.django_db(transaction=True)
def test_migration_turns_id_lists_into_rows_and_back(cluster):
    company = add_company(cluster, "Migration GmbH", contacts=3)
    ids = list(company.contacts.order_by("pk").values_list("pk", flat=True))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        OldBatch = old_apps.get_model("outbox", "Batch")
        # An old batch names a contact deleted since (999999) and one twice.
        old = OldBatch.objects.create(kind="bulk", planned=4, contact_ids=[ids[2], 999999, *ids])
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        rows = BatchRecipient.objects.filter(batch_id=old.pk).order_by("position")
        assert [(r.position, r.contact_id) for r in rows] == [
            (0, ids[2]),
            (2, ids[0]),
            (3, ids[1]),
        ]
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        restored = executor.loader.project_state(BEFORE).apps.get_model("outbox", "Batch")
        assert restored.objects.get(pk=old.pk).contact_ids == [ids[2], ids[0], ids[1]]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Batch.objects.filter(pk=old.pk).exists()
