"""The audit trail's API: typed actions, written in the caller's transaction, the object's text
kept after it is gone, only what changed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core import audit
from core.actions import AdminAction, action_choices
from core.models import AuditEvent
from members.audit import HoldingAction, LoginAction
from members.models import Company


def test_record_stores_who_what_which_object_and_the_values(cluster_manager, company_a):
    event = audit.record(
        actor=cluster_manager,
        action=AdminAction.CHANGED,
        obj=company_a,
        before={"city": "Heilbronn"},
        after={"city": "Neckarsulm"},
        reason="Umzug",
    )
    event.refresh_from_db()
    assert event.actor == cluster_manager
    assert event.action == "admin.changed"
    assert event.content_type == ContentType.objects.get_for_model(Company)
    assert event.object_id == str(company_a.pk)
    assert event.object_repr == str(company_a)
    assert (event.before, event.after, event.reason) == (
        {"city": "Heilbronn"},
        {"city": "Neckarsulm"},
        "Umzug",
    )


def test_the_object_text_outlives_the_object(company_b):
    name = str(company_b)
    audit.record(actor=None, action=AdminAction.DELETED, obj=company_b)
    company_b.contacts.all().delete()
    company_b.delete()
    event = AuditEvent.objects.get()
    assert event.object_repr == name and event.actor is None


def test_an_unknown_action_is_refused(company_a):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(actor=None, action="made.up", obj=company_a)
    assert not AuditEvent.objects.exists()


def test_apps_add_their_actions_to_the_one_list():
    values = {value for value, _label in action_choices()}
    assert {AdminAction.CHANGED, LoginAction.CREATED, HoldingAction.ADDED} <= values


@pytest.mark.django_db(transaction=True)
def test_it_is_written_in_the_callers_transaction_and_rolls_back_with_it(company_a):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor=None, action=AdminAction.CHANGED, obj=company_a)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=None, action=AdminAction.CHANGED, obj=company_a)
        1 / 0  # noqa: B018 - the write that fails after the event was recorded
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        audit.record(actor=None, action=AdminAction.CHANGED, obj=company_a)
    assert AuditEvent.objects.count() == 1


def test_values_and_changes_keep_only_what_differs(company_a, company_b):
    company_a.short_name = "Alpha"
    before = audit.values(company_a, ["legal_name", "city", "sectors"])
    company_a.city = "Neckarsulm"
    after = audit.values(company_a, ["legal_name", "city", "sectors"])
    assert audit.changes(before, after) == ({"city": "Heilbronn"}, {"city": "Neckarsulm"})
    assert audit.json_value([company_b, company_a]) == sorted([str(company_a), str(company_b)])


def test_passwords_never_reach_the_trail(company_user_a):
    assert "password" not in audit.values(company_user_a, ["email", "password"])
