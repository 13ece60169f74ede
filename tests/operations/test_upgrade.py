"""Upgrades keep data: a database with data at the schema of the last release (v0.1.0, its
migrations recorded in operations/releases/v0.1.0.json, so no git tag is needed) is migrated to
today's schema and back. Every app whose models changed since is covered: members (logins
linked to contacts, constraints, country), outbox (bulk recipients as rows), funding
(declarations as evidence), forums (registrations kept, nobody listed as an attendee), core
(the audit trail), mfa (authenticators), operations and privacy (its audit entries moved
into the one trail and back)."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from operations.restore import row_counts

pytestmark = pytest.mark.django_db(transaction=True)

RELEASE_FILE = settings.BASE_DIR / "operations" / "releases" / "v0.1.0.json"
RELEASE = json.loads(RELEASE_FILE.read_text())


def release_targets(executor) -> list[tuple[str, str | None]]:
    with_migrations = {app for app, _name in executor.loader.disk_migrations}
    targets = [(app, leaf) for app, leaf in RELEASE["leaves"].items() if app in with_migrations]
    return targets + [(app, None) for app in RELEASE["apps_added_since"]]


def migrate(targets):
    """Migrates to the targets; returns the historical models of the state reached."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    applied = [node for node in loader.graph.leaf_nodes() if node in loader.applied_migrations]
    applied += [
        max((node for node in loader.applied_migrations if node[0] == app), default=None)
        for app in {app for app, _name in loader.applied_migrations}
    ]
    nodes = sorted({node for node in applied if node})
    return loader.project_state(nodes).apps


def today_targets():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def changed_apps() -> set[str]:
    executor = MigrationExecutor(connection)
    leaves = dict(executor.loader.graph.leaf_nodes())
    return {app for app, leaf in release_targets(executor) if leaves.get(app) != leaf}


@pytest.fixture
def at_release():
    """The test database at the release's schema; at today's again afterwards, whatever
    happened (the other tests need it)."""
    executor = MigrationExecutor(connection)
    old_apps = migrate(release_targets(executor))
    try:
        yield old_apps
    finally:
        migrate(today_targets())


def _release_data(apps) -> dict:
    Company = apps.get_model("members", "Company")
    Contact = apps.get_model("members", "Contact")
    User = apps.get_model("members", "User")
    Batch = apps.get_model("outbox", "Batch")
    Declaration = apps.get_model("funding", "Declaration")
    PriorAid = apps.get_model("funding", "PriorAid")
    Cluster = apps.get_model("members", "Cluster")
    Forum = apps.get_model("forums", "Forum")
    Registration = apps.get_model("forums", "Registration")

    alpha = Company.objects.create(legal_name="Alpha Präzisionstechnik GmbH", city="Heilbronn")
    beta = Company.objects.create(legal_name="Beta Stanztechnik GmbH", city="Neckarsulm")
    anna = Contact.objects.create(
        company=alpha, first_name="Anna", last_name="Alpha", email="anna@alpha.example"
    )
    people = [anna] + [
        Contact.objects.create(company=beta, first_name=f"P{i}", last_name="Beta") for i in range(3)
    ]
    # A login with a contact of the same address, one without, and staff that named a company.
    with_contact = User.objects.create(email="Anna@alpha.example", password="!", company=alpha)
    without = User.objects.create(
        email="bruno@beta.example",
        password="!",
        first_name="Bruno",
        last_name="Beta",
        company=beta,
    )
    staff = User.objects.create(
        email="staff@agency.example", password="!", company=alpha, is_staff=True
    )
    order = [people[3].pk, people[1].pk, 999999, people[3].pk, people[0].pk]
    batch = Batch.objects.create(kind="forum.invitation", contact_ids=order, planned=4)
    declaration = Declaration.objects.create(
        company=alpha, declared_on=date(2026, 1, 15), signatory="Anna Alpha"
    )
    PriorAid.objects.create(
        declaration=declaration,
        grantor="L-Bank",
        granted_on=date(2025, 3, 1),
        amount="12000.00",
        legal_basis="VO (EU) 2023/2831",
    )
    cluster = Cluster.objects.create(slug="metall", name="MetallDIALOG")
    forum = Forum.objects.create(
        cluster=cluster,
        title="Metall-Forum Industrie 4.0",
        starts_at="2026-03-10T16:00:00+00:00",
        ends_at="2026-03-10T19:00:00+00:00",
        capacity=40,
        seats_per_company=2,
        audience="network",
        state="published",
    )
    registration = Registration.objects.create(
        forum=forum, contact=anna, company=alpha, state="confirmed", source="portal"
    )
    apps.get_model("privacy", "AuditEntry").objects.create(
        action="export", contact_id=anna.pk, actor_id=staff.pk, reason="export"
    )
    return {
        "registration": registration.pk,
        "users": (with_contact.pk, without.pk, staff.pk),
        "anna": anna.pk,
        "batch": batch.pk,
        "order": order,
        "declaration": declaration.pk,
    }


def test_the_recorded_release_covers_every_app_that_changed():
    # logins had no tables at the release: its first migration adds company administrators.
    covered = {
        "members",
        "outbox",
        "funding",
        "forums",
        "logins",
        "core",
        "mfa",
        "operations",
        "privacy",
    }
    assert changed_apps() >= {"members", "outbox", "funding", "core", "mfa", "operations"}
    assert changed_apps() <= covered, (
        "a new app's migrations changed since the release: cover its data in this test"
    )


def test_the_recorded_release_matches_the_tag_where_git_has_it():
    git = shutil.which("git")
    if not git:
        pytest.skip("no git here")
    found = subprocess.run(  # noqa: S603 - git, in the checkout
        [git, "rev-parse", "--verify", "--quiet", f"{RELEASE['release']}^{{commit}}"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode:
        pytest.skip("this clone has no release tags (the recorded file stands in for them)")
    assert found.stdout.strip() == RELEASE["commit"]
    for app, leaf in RELEASE["leaves"].items():
        listing = subprocess.run(  # noqa: S603
            [git, "ls-tree", "--name-only", RELEASE["commit"], f"{app}/migrations/"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        names = sorted(
            path.rsplit("/", 1)[1].removesuffix(".py")
            for path in listing
            if path.endswith(".py") and not path.endswith("__init__.py")
        )
        assert (names[-1] if names else None) == leaf, app


def test_data_of_the_release_survives_the_upgrade_and_the_way_back(at_release):
    made = _release_data(at_release)
    before = row_counts()

    apps = migrate(today_targets())
    after = row_counts()
    User = apps.get_model("members", "User")
    Contact = apps.get_model("members", "Contact")
    with_contact, without, staff = (User.objects.get(pk=pk) for pk in made["users"])
    # members: each company login linked to a contact of its company, staff to none.
    assert with_contact.contact_id == made["anna"]
    bruno = Contact.objects.get(pk=without.contact_id)
    assert (bruno.company_id, bruno.email, bruno.receives_invitations) == (
        without.company_id,
        "bruno@beta.example",
        False,
    )
    assert (staff.company_id, staff.contact_id) == (None, None)
    assert set(apps.get_model("members", "Company").objects.values_list("country", flat=True)) == {
        "DE"
    }
    # outbox: the recipients became rows in their order, without doubles or lost contacts.
    recipients = apps.get_model("outbox", "BatchRecipient").objects.filter(batch_id=made["batch"])
    order = made["order"]
    assert list(recipients.order_by("position").values_list("contact_id", flat=True)) == [
        order[0],
        order[1],
        order[4],
    ]
    # forums: a registration of the release is nobody's agreement to the attendee list.
    registration = apps.get_model("forums", "Registration").objects.get(pk=made["registration"])
    assert (registration.state, registration.source, registration.listed_since) == (
        "confirmed",
        "portal",
        None,
    )
    # privacy: its audit entry is in the one audit trail.
    moved = apps.get_model("core", "AuditEvent").objects.get(action="privacy.exported")
    assert (moved.object_id, moved.actor_id) == (str(made["anna"]), staff.pk)
    # funding: the declaration is evidence that needs no confirmation.
    declaration = apps.get_model("funding", "Declaration").objects.get(pk=made["declaration"])
    assert declaration.needs_confirmation is False
    assert declaration.prior_aid.get().amount == 12000

    # Every row of the release is still there; new rows only where the upgrade made them.
    since = (
        len(MigrationExecutor(connection).loader.applied_migrations) - before["django_migrations"]
    )
    assert since >= 11  # the migrations of this release, each recorded once
    grown = {"members_contact": 1, "outbox_batchrecipient": 3, "django_migrations": since}
    gone = {"privacy_auditentry"}  # its rows moved into core_auditevent
    for table, count in before.items():
        if table in gone:
            assert table not in after
            continue
        assert after[table] == count + grown.get(table, 0), table
    assert after["core_auditevent"] >= before["privacy_auditentry"] == 1
    assert {t for t in after if t not in before} >= {"core_auditevent", "mfa_authenticator"}

    # And back to the release: reversible migrations give the data back as it was.
    old = migrate(release_targets(MigrationExecutor(connection)))
    back = row_counts()
    assert set(back) == set(before)
    for table, count in before.items():
        assert back[table] == count + (1 if table == "members_contact" else 0), table
    batch = old.get_model("outbox", "Batch").objects.get(pk=made["batch"])
    assert batch.contact_ids == [order[0], order[1], order[4]]  # the contacts that exist
