"""Rows written together (core.inserts): one round trip, the save signals a save sends, the
history row a save writes, and nothing of it when simple-history would write nothing."""

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from core.inserts import insert_together, insert_with_history, reserve_id
from core.models import AuditEvent
from members.models import Company
from outbox.models import Intent

pytestmark = pytest.mark.django_db


def test_rows_go_in_one_statement_and_receivers_hear_of_each():
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((sender, created))

    post_save.connect(receiver, dispatch_uid="test-inserts")
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            event = AuditEvent(action="company.created", object_id="7")
            event.pk = reserve_id(AuditEvent)
            insert_together(event, Intent(name="x.y", args=[event.pk]))
    finally:
        post_save.disconnect(dispatch_uid="test-inserts")

    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and writes[0].count("INSERT INTO") == 2
    assert AuditEvent.objects.get(pk=event.pk).object_id == "7"
    assert Intent.objects.get(name="x.y").args == [event.pk]
    assert heard == [(AuditEvent, True), (Intent, True)]
    assert not event._state.adding


def test_the_history_row_follows_simple_historys_rules(django_user_model):
    user = django_user_model.objects.create(email="hist@example.org")
    with transaction.atomic():
        company = Company(legal_name="Verlauf GmbH", city="Ulm")
        company.pk = reserve_id(Company)
        company._history_user = user
        insert_with_history(company)
    row = company.history.get()
    assert (row.history_type, row.history_user, row.legal_name) == ("+", user, "Verlauf GmbH")
    # auto_now_add is filled before the history row copies the instance, as in a save
    assert row.created_at == Company.objects.get(pk=company.pk).created_at is not None
    assert not hasattr(company, "skip_history_when_saving")

    with transaction.atomic():
        quiet = Company(legal_name="Still GmbH", city="Ulm")
        quiet.pk = reserve_id(Company)
        quiet.skip_history_when_saving = True
        insert_with_history(quiet)
    assert Company.objects.filter(pk=quiet.pk).exists()
    assert not quiet.history.exists()
