"""A cluster landscape of a chosen size for the cockpit tests, and the rows it was made of.

The builder keeps plain Python lists of what it created, so tests can count the expected
figures independently of the cockpit's SQL.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.roles import Role
from forums.invitations import INVITATION
from forums.models import Forum, Registration
from members.models import Cluster, Company, Contact, Relationship, Sector
from members.services import user_create
from outbox.models import Mail
from sefex.models import ActionItem, Module, Programme, Workshop

from ..conftest import PASSWORD

KINDS = ["member", "member", "partner", "prospect", "former"]
CLASSES = ["micro", "small", "medium", "large", ""]
_batches = itertools.count(1)
REG_STATES = ["confirmed", "attended", "attended", "no_show", "cancelled", "pending"]
WS_STATES = ["requested", "scheduled", "held", "documented", "closed", "cancelled"]


@dataclass
class World:
    metall: Cluster
    plastics: Cluster
    today: date
    companies: list = field(default_factory=list)
    relationships: list = field(default_factory=list)
    sectors_of: dict = field(default_factory=dict)  # company pk -> [sector]
    contacts: list = field(default_factory=list)
    forums: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    workshops: list = field(default_factory=list)
    action_items: list = field(default_factory=list)
    mails: list = field(default_factory=list)
    programme: Programme | None = None


def build_world(size: int, pm) -> World:
    """``size`` companies per cluster, with forums, invitations, workshops and mails."""
    now = timezone.now()
    tag = next(_batches)  # several worlds in one test stay apart
    cluster_of = {}
    today = timezone.localdate()
    metall, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    plastics, _ = Cluster.objects.get_or_create(slug="kunststoff", defaults={"name": "Kunststoff"})
    world = World(metall=metall, plastics=plastics, today=today)
    sectors = list(Sector.objects.order_by("number"))
    forum_ct = ContentType.objects.get_for_model(Forum)
    programme = Programme.objects.create(
        name="SEFEX",
        funding_start=date(today.year - 1, 1, 1),
        funding_end=date(today.year + 1, 12, 31),
        planned_workshops=24,
    )
    module = Module.objects.create(programme=programme, name="Strategie")
    world.programme = programme
    for c_index, cluster in enumerate([metall, plastics]):
        for i in range(size):
            n = c_index * size + i
            company = Company.objects.create(
                legal_name=f"Firma {cluster.slug} {tag}-{i:03d} GmbH",
                sme_class=CLASSES[n % len(CLASSES)],
                register_number=f"HRB {tag}-{n:05d}",
            )
            chosen = [sectors[n % len(sectors)]] + (
                [sectors[(n + 3) % len(sectors)]] if n % 3 == 0 else []
            )
            company.sectors.set(chosen)
            world.sectors_of[company.pk] = chosen
            kind = KINDS[n % len(KINDS)]
            joined = today - timedelta(days=30 * (n % 20) + 1)
            if kind == "former":
                # A member who left: the member row closed, a "former" row current.
                left = today - timedelta(days=10 * (n % 7) + 1)
                world.relationships.append(
                    Relationship.objects.create(
                        company=company,
                        cluster=cluster,
                        kind="member",
                        valid_from=joined - timedelta(days=400),
                        valid_to=left - timedelta(days=1),
                    )
                )
                joined = left
            world.relationships.append(
                Relationship.objects.create(
                    company=company, cluster=cluster, kind=kind, valid_from=joined
                )
            )
            contacts = [
                Contact.objects.create(
                    company=company,
                    first_name=f"P{k}",
                    last_name=f"N{n}",
                    email=f"p{k}.{tag}.{n}@x.example",
                )
                for k in range(2)
            ]
            world.companies.append(company)
            cluster_of[company.pk] = cluster
            world.contacts.extend(contacts)
        # Two forums per cluster: one held last month, one coming up.
        for f_index, days in enumerate([-30, 20]):
            starts = now + timedelta(days=days)
            forum = Forum.objects.create(
                cluster=cluster,
                title=f"Forum {cluster.slug} {tag}-{f_index}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                capacity=max(size // 2, 1),
                state="held" if days < 0 else "published",
            )
            world.forums.append(forum)
    # Each contact of a cluster invited to that cluster's forums; most answer.
    waitpos = {}
    for n, contact in enumerate(world.contacts):
        cluster = cluster_of[contact.company_id]
        for forum in [f for f in world.forums if f.cluster_id == cluster.pk]:
            mail_state = "sent" if n % 7 else "failed"
            mail = Mail.objects.create(
                kind=INVITATION,
                content_type=forum_ct,
                object_id=forum.pk,
                recipient_email=contact.email,
                contact=contact,
                subject="Einladung",
                text_body="x",
                state=mail_state,
                attempts=1 if mail_state == "sent" else 5,
                last_error="" if mail_state == "sent" else "550 unknown",
            )
            world.mails.append(mail)
            if mail_state == "sent":
                world.invitations.append(mail)
            if n % 4 == 3:
                continue  # left unanswered
            state = REG_STATES[(n + forum.pk) % len(REG_STATES)]
            if forum.state == "published" and state in ("attended", "no_show"):
                state = "waitlisted" if n % 2 else "confirmed"
            position = None
            if state == "waitlisted":
                waitpos[forum.pk] = position = waitpos.get(forum.pk, 0) + 1
            world.registrations.append(
                Registration.objects.create(
                    forum=forum,
                    contact=contact,
                    company=contact.company,
                    state=state,
                    source="invitation",
                    waitlist_position=position,
                )
            )
    # Workshops: one per every second company, in various states, two years back.
    for n, company in enumerate(world.companies[::2]):
        state = WS_STATES[n % len(WS_STATES)]
        starts = timezone.make_aware(datetime(today.year - 1, 1, 1, 9)) + timedelta(
            days=7 * n + tag % 7
        )
        booked = state not in ("requested", "cancelled")
        workshop = Workshop.objects.create(
            programme=programme,
            company=company,
            module=module,
            state=state,
            starts_at=starts if booked else None,
            ends_at=starts + timedelta(hours=4) if booked else None,
            project_manager=pm if booked else None,
            held_on=starts.date() if state in ("held", "documented", "closed") else None,
            duration_hours=Decimal("4"),
        )
        world.workshops.append(workshop)
        for a in range(2):
            world.action_items.append(
                ActionItem.objects.create(
                    workshop=workshop,
                    title=f"Aufgabe {n}.{a}",
                    due_on=today + timedelta(days=(-5 if a == 0 else 5) * (1 + n % 3)),
                    state="open" if n % 4 else "done",
                )
            )
    return world


@pytest.fixture
def world_factory(db, project_manager):
    return lambda size: build_world(size, project_manager)


@pytest.fixture
def cm_client(client, cluster_manager):
    client.force_login(cluster_manager)
    return client


@pytest.fixture
def pm_client(client, project_manager):
    client.force_login(project_manager)
    return client


def login(client, user):
    client.force_login(user)
    return client


def make_user(email: str, role: Role, company=None):
    return user_create(email=email, role=role, password=PASSWORD, company=company)
