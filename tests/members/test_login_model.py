"""The login model: a company login is one contact of its company and never staff; a staff login
has no company and no contact. The database holds it even where code does not ask."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEvent
from core.roles import Role
from members.audit import LoginAction
from members.models import Contact, User
from members.services import contact_delete, contact_save, user_create


def _refused_by_the_database(**changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=changes.pop("pk")).update(**changes)
        # The (contact, company) key is checked at commit; make it check now.
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_keeps_the_two_kinds_of_login_apart(
    company_user_a, cluster_manager, company_a, company_b
):
    _refused_by_the_database(pk=company_user_a.pk, contact=None)
    _refused_by_the_database(pk=company_user_a.pk, is_staff=True)
    _refused_by_the_database(pk=company_user_a.pk, is_superuser=True)
    _refused_by_the_database(pk=cluster_manager.pk, company=company_a)
    # A contact of another company.
    _refused_by_the_database(pk=company_user_a.pk, company=company_b)
    other = company_b.contacts.get(first_name="Bruno")
    _refused_by_the_database(pk=company_user_a.pk, contact=other)


def test_a_login_is_made_with_its_contact_or_for_an_existing_one(company_a, company_b):
    made = user_create(
        email="neu@alpha.example", role=Role.COMPANY_USER, company=company_a, last_name="Neu"
    )
    assert made.contact.company == company_a and made.contact.email == "neu@alpha.example"
    assert not made.contact.receives_invitations
    existing = company_a.contacts.create(
        first_name="Eva", last_name="Da", email="eva@alpha.example"
    )
    linked = user_create(email="EVA@alpha.example", role=Role.COMPANY_USER, company=company_a)
    assert linked.contact == existing and (linked.first_name, linked.last_name) == ("Eva", "Da")
    with pytest.raises(ValidationError):
        user_create(
            email="x@beta.example", role=Role.COMPANY_USER, contact=existing, company=company_b
        )
    with pytest.raises(ValidationError):
        user_create(email="y@alpha.example", role=Role.COMPANY_USER, contact=existing)
    with pytest.raises(ValidationError):
        user_create(email="z@example.org", role=Role.CLUSTER_MANAGER, contact=existing)
    assert AuditEvent.objects.filter(action=LoginAction.CREATED).count() == 2


def test_a_contact_with_a_login_neither_moves_nor_goes(company_user_a, company_b):
    person = company_user_a.contact
    person.company = company_b
    with pytest.raises(ValidationError, match="Zugang"):
        contact_save(contact=person)
    with pytest.raises(ValidationError):
        contact_delete(contact=Contact.objects.get(pk=person.pk))
    assert Contact.objects.get(pk=person.pk).company_id == company_user_a.company_id


def test_the_admin_form_checks_the_pair_too(company_user_a, company_b):
    company_user_a.company = company_b
    with pytest.raises(ValidationError):
        company_user_a.full_clean()


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_existing_company_logins_to_their_contacts():
    executor = MigrationExecutor(connection)
    before = [("members", "0007_user_contact")]
    after = [("members", "0009_login_constraints")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldCompany = old.get_model("members", "Company")
    OldContact = old.get_model("members", "Contact")
    OldUser = old.get_model("members", "User")
    company = OldCompany.objects.create(legal_name="Alt GmbH")
    same = OldContact.objects.create(
        company=company, first_name="Mia", last_name="Mail", email="mia@alt.example"
    )
    with_contact = OldUser.objects.create(email="MIA@alt.example", company=company)
    without = OldUser.objects.create(
        email="ole@alt.example", company=company, first_name="Ole", last_name="Ohne"
    )
    staff = OldUser.objects.create(email="staff@alt.example", company=company, is_staff=True)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The models as of that migration: later fields of the current ones are not there yet.
    MigratedUser = executor.loader.project_state(after).apps.get_model("members", "User")
    assert MigratedUser.objects.get(pk=with_contact.pk).contact_id == same.pk
    made = MigratedUser.objects.get(pk=without.pk).contact
    assert (made.company_id, made.first_name, made.last_name, made.email) == (
        company.pk,
        "Ole",
        "Ohne",
        "ole@alt.example",
    )
    assert not made.receives_invitations
    moved = MigratedUser.objects.get(pk=staff.pk)
    assert moved.company_id is None and moved.contact_id is None
    # Later migrations (of members and of the apps above it) were undone on the way back.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
