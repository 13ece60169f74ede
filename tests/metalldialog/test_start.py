"""The start page says what to act on, per role, each item linked to where it is done, in a
fixed number of queries whatever the number of items; a company user sees only its own."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from forums.models import Forum, Registration
from members.identity import identity_for
from members.models import Cluster, Company, Contact, Sector
from outbox.models import Mail
from sefex import services
from sefex.models import ActionItem, Module, Programme, Workshop


@pytest.fixture(autouse=True)
def _sender_cached(db):
    """Every page names the agency in its footer: configuration, read once, then cached."""
    identity_for()


# the page's own queries only: session, login and roles come from the cache (see each test)
CLUSTER_MANAGER_QUERIES = 6  # + tasks due, sleeping members without a follow-up
PROJECT_MANAGER_QUERIES = 4  # + tasks due
COMPANY_USER_QUERIES = 8  # + whether the user administers the logins


@pytest.fixture
def module(db):
    programme = Programme.objects.create(
        name="SEFEX Start",
        funding_start=date(2020, 1, 1),
        funding_end=date(2035, 12, 31),
        hourly_value=Decimal("100"),
    )
    return Module.objects.create(programme=programme, name="Strategisches Management")


def _at(days: int, hour: int = 9):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))


def _company(name: str) -> Company:
    company = Company.objects.create(legal_name=name, city="Heilbronn")
    Contact.objects.create(company=company, first_name="Olga", last_name=name.split()[0])
    return company


def _forum(title: str, days: int) -> Forum:
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    return Forum.objects.create(
        cluster=cluster,
        title=title,
        starts_at=_at(days, 17),
        ends_at=_at(days, 20),
        capacity=20,
        state=Forum.State.PUBLISHED,
    )


def _released(company, module, manager, start, *, due_days_after: int = 1) -> ActionItem:
    """A workshop held at `start` (in the past) with released minutes and one open item."""
    workshop = services.workshop_request(actor=None, company=company, module=module)
    workshop.state, workshop.project_manager = Workshop.State.DOCUMENTED, manager
    workshop.starts_at, workshop.ends_at = start, start + timedelta(hours=4)
    workshop.held_on = timezone.localdate(start)
    workshop.summary = "Ergebnis"
    workshop.save()
    return ActionItem.objects.create(
        workshop=workshop,
        title=f"Maßnahme {company.legal_name}",
        owner=company.contacts.first(),
        due_on=workshop.held_on + timedelta(days=due_days_after),
    )


def _fill(size: int, tag: str, module, manager) -> None:
    """`size` of everything the staff start pages list (tags "A", "B" at different days)."""
    shift = 0 if tag == "A" else 20
    for index in range(size):
        company = _company(f"{tag}{index} Metallbau GmbH")
        forum = _forum(f"Forum {tag}{index}", 10 + shift + index)
        Mail.objects.create(
            content_type=ContentType.objects.get_for_model(Forum),
            object_id=forum.pk,
            kind="forum_invitation",
            recipient_email=f"x{index}@{tag.lower()}.example",
            subject="Einladung",
            text_body="x",
            state=Mail.State.FAILED,
            last_error="550 unknown user",
        )
        _released(company, module, manager, _at(-40 - shift - index))
        services.workshop_request(
            actor=None,
            company=company,
            module=module,
            preferred_from=timezone.localdate() + timedelta(days=20),
            preferred_until=timezone.localdate() + timedelta(days=50),
        )


def test_cluster_manager_sees_forums_mails_and_overdue_items(
    client, cluster_manager, project_manager, module, django_assert_num_queries
):
    client.force_login(cluster_manager)
    for size, tag in ((1, "A"), (4, "B")):
        _fill(size, tag, module, project_manager)
        with django_assert_num_queries(CLUSTER_MANAGER_QUERIES):
            page = client.get(reverse("home")).content.decode()
    assert "Nächste Foren" in page and "Forum A0" in page
    assert "0 von 20 Plätzen belegt" in page
    assert 'data-total="failed">5<' in page and "550 unknown user" in page
    assert 'data-total="overdue">5<' in page
    item = ActionItem.objects.get(title="Maßnahme A0 Metallbau GmbH")
    assert f"{reverse('sefex:detail', args=[item.workshop_id])}#action-{item.pk}" in page
    assert "Olga A0" in page  # the owner, by name


def test_overdue_means_actionable(client, cluster_manager, project_manager, module, company_a):
    """Items of unreleased minutes, of a finished programme or not yet due are no work."""
    due_item = _released(company_a, module, project_manager, _at(-30))
    not_due = _released(company_a, module, project_manager, _at(-3), due_days_after=20)
    unreleased = _released(company_a, module, project_manager, _at(-20))
    Workshop.objects.filter(pk=unreleased.workshop_id).update(state=Workshop.State.HELD)
    old = Programme.objects.create(
        name="SEFEX 2017", funding_start=date(2017, 1, 1), funding_end=date(2018, 12, 31)
    )
    old_module = Module.objects.create(programme=old, name="Alt")
    finished = _released(company_a, old_module, project_manager, _at(-3000))
    old.is_active = False
    old.save()
    client.force_login(cluster_manager)
    page = client.get(reverse("home")).content.decode()
    assert 'data-total="overdue">1<' in page
    assert f"#action-{due_item.pk}" in page
    for item in (not_due, unreleased, finished):
        assert f"#action-{item.pk}" not in page


def test_project_manager_sees_requests_proposals_minutes_and_overdue(
    client, project_manager, module, company_a, company_b, django_assert_num_queries
):
    client.force_login(project_manager)
    for size, tag in ((1, "A"), (4, "B")):
        _fill(size, tag, module, project_manager)
        with django_assert_num_queries(PROJECT_MANAGER_QUERIES):
            page = client.get(reverse("home")).content.decode()
    assert 'data-total="requests">5<' in page
    wished = (timezone.localdate() + timedelta(days=20)).strftime("%d.%m.%Y")
    assert "A0 Metallbau GmbH – Strategisches Management" in page
    assert f"Wunschzeitraum: {wished}" in page
    # A proposal without an answer, and one whose every date has passed.
    proposal = services.workshop_request(actor=None, company=company_a, module=module)
    services.slots_propose(
        workshop=proposal,
        actor=project_manager,
        project_manager=project_manager,
        starts=[_at(5), _at(6)],
    )
    stale = services.workshop_request(actor=None, company=company_b, module=module)
    services.slots_propose(
        workshop=stale,
        actor=project_manager,
        project_manager=project_manager,
        starts=[_at(1), _at(2)],
        now=_at(-5),
    )
    for back, slot in enumerate(stale.slots.all(), start=2):
        slot.starts_at, slot.ends_at = _at(-back), _at(-back, 13)
        slot.save()
    held = services.workshop_request(actor=None, company=company_b, module=module)
    Workshop.objects.filter(pk=held.pk).update(
        state=Workshop.State.HELD,
        project_manager=project_manager,
        starts_at=_at(-1),
        ends_at=_at(-1, 13),
        held_on=timezone.localdate() - timedelta(days=1),
    )
    with django_assert_num_queries(PROJECT_MANAGER_QUERIES):
        page = client.get(reverse("home")).content.decode()
    assert 'data-total="proposals">2<' in page
    assert "Alle vorgeschlagenen Termine sind vorbei" in page
    assert 'data-total="unreleased">1<' in page
    assert reverse("sefex:detail", args=[held.pk]) in page
    assert 'data-total="overdue">5<' in page


def test_company_user_sees_next_forum_workshops_items_and_gaps(
    client,
    company_a,
    company_b,
    company_user_a,
    project_manager,
    module,
    django_assert_num_queries,
):
    client.force_login(company_user_a)
    counts = []
    for size in (1, 4):
        for index in range(size):
            _forum(f"Forum {size}-{index}", 10 + size + index)
            _released(company_a, module, project_manager, _at(-40 - 10 * size - index))
            _released(company_b, module, project_manager, _at(-40 - 10 * size - index, 14))
            services.workshop_request(actor=company_user_a, company=company_a, module=module)
        with django_assert_num_queries(COMPANY_USER_QUERIES):
            page = client.get(reverse("home")).content.decode()
        counts.append(page.count("Maßnahme Alpha"))
    assert counts == [1, 5]
    assert "Forum 1-0" in page  # the soonest one
    assert "Aus Ihrem Unternehmen ist noch niemand angemeldet." in page
    assert "Die Projektleitung schlägt Ihnen Termine vor." in page
    assert "Maßnahme Beta" not in page and "Beta Stanztechnik" not in page
    # Registered people are counted.
    Registration.objects.create(
        forum=Forum.objects.get(title="Forum 1-0"),
        contact=company_a.contacts.first(),
        company=company_a,
        state=Registration.State.CONFIRMED,
    )
    assert "1 Person Ihres Unternehmens ist angemeldet." in client.get("/").content.decode()


def test_company_gaps_name_what_is_missing_with_a_link(client, company_a, company_user_a):
    client.force_login(company_user_a)
    page = client.get(reverse("home")).content.decode()
    for gap in ("address", "sectors", "production", "contact_email", "identifier"):
        assert f'data-gap="{gap}"' in page
    assert reverse("members:portal_profile") in page
    assert reverse("members:portal_contact_create") in page
    Company.objects.filter(pk=company_a.pk).update(
        street="Hafenstraße 1",
        postcode="74076",
        production=Company.Production.PRODUCTS,
        vat_id="DE123456789",
    )
    company_a.sectors.add(Sector.objects.order_by("number").first())
    company_a.contacts.filter(login=None).update(email="anna@alpha.example")
    page = client.get(reverse("home")).content.decode()
    assert "data-gap=" not in page
    assert "Ihre Unternehmensdaten sind vollständig." in page
