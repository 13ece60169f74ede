"""dashboard: the cockpit for a logged-in cluster manager with 10,000 companies and 100,000
forum registrations (and as many invitation mails), against the bare list baseline (one query
for 50 companies rendered in a plain template).

The cockpit keeps its figures for a minute in Redis, so most requests render cached figures;
the line also carries `queries=` (one uncached request, counted in-process) and `fresh_ms=`
(the median time of uncached requests through the server, `?refresh=1`).
"""

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.harness import Context, Result

NAME = "dashboard"
EMAIL = "bench-cockpit@example.org"


def _sizes(ctx: Context) -> tuple[int, int, int, int]:
    """Companies, forums, registrations a forum (200 x 500 = 100,000), workshops."""
    return ctx.size(10_000, 60), ctx.size(200, 12), ctx.size(500, 20), ctx.size(400, 3)


PATH = "/cockpit/?cluster=bench-cockpit"


def setup(ctx: Context) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.roles import Role
    from forums.invitations import INVITATION
    from forums.models import Forum, Registration
    from members.grants import agency_wide_grant
    from members.models import Cluster, Company, Contact, Relationship, Sector
    from members.services import user_create
    from outbox.models import Mail
    from sefex.models import ActionItem, Module, Programme, Workshop

    companies_count, forums_count, per_forum, workshops_count = _sizes(ctx)
    rng = random.Random(8)
    today = timezone.localdate()
    now = timezone.now()
    cluster = Cluster.objects.create(slug="bench-cockpit", name="Bench-Cockpit")
    other = Cluster.objects.create(slug="bench-cockpit-2", name="Bench-Cockpit 2")
    sectors = list(Sector.objects.order_by("number"))
    classes = ["micro", "small", "small", "medium", "large", ""]
    companies = Company.objects.bulk_create(
        (
            Company(
                legal_name=f"Cockpitfirma {i:05d} GmbH",
                register_number=f"HRB C{i:06d}",
                postcode=f"74{i % 1000:03d}",
                sme_class=rng.choice(classes),
            )
            for i in range(companies_count)
        ),
        batch_size=2000,
    )
    kinds = ["member", "member", "partner", "prospect", "former"]
    relationships = []
    for i, company in enumerate(companies):
        kind = rng.choice(kinds)
        since = today - timedelta(days=rng.randint(1, 3000))
        if kind == "former":
            relationships.append(
                Relationship(
                    company=company,
                    cluster=cluster,
                    kind="member",
                    valid_from=since - timedelta(days=700),
                    valid_to=since - timedelta(days=1),
                )
            )
        relationships.append(
            Relationship(
                company=company, cluster=cluster if i % 5 else other, kind=kind, valid_from=since
            )
        )
    Relationship.objects.bulk_create(relationships, batch_size=5000)
    links = Company.sectors.through
    links.objects.bulk_create(
        (
            links(company_id=c.pk, sector_id=sectors[(i + k) % len(sectors)].pk)
            for i, c in enumerate(companies)
            for k in (0, 4)
        ),
        batch_size=5000,
    )
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                company=c,
                first_name="Karl",
                last_name=f"Kontakt{n}",
                email=f"c{n}.{c.pk}@x.example",
            )
            for c in companies
            for n in range(2)
        ),
        batch_size=5000,
    )
    forums = Forum.objects.bulk_create(
        Forum(
            cluster=cluster if f % 4 else other,
            title=f"Bench-Forum {f:03d}",
            starts_at=now + timedelta(days=7 * (f - forums_count + 10)),
            ends_at=now + timedelta(days=7 * (f - forums_count + 10), hours=3),
            capacity=400,
            state="published" if f >= forums_count - 10 else "held",
        )
        for f in range(forums_count)
    )
    forum_ct = ContentType.objects.get_for_model(Forum)
    registrations, mails = [], []
    for forum in forums:
        upcoming = forum.state == "published"
        waitpos = 0
        for n, contact in enumerate(rng.sample(contacts, per_forum)):
            if upcoming:
                state = "confirmed" if n < 400 else "waitlisted"
            else:
                state = rng.choice(["attended", "attended", "no_show", "cancelled", "confirmed"])
            if state == "waitlisted":
                waitpos += 1
            registrations.append(
                Registration(
                    forum=forum,
                    contact=contact,
                    company_id=contact.company_id,
                    state=state,
                    source="invitation",
                    waitlist_position=waitpos if state == "waitlisted" else None,
                )
            )
            mails.append(
                Mail(
                    kind=INVITATION,
                    content_type=forum_ct,
                    object_id=forum.pk,
                    recipient_email=contact.email,
                    contact=contact,
                    subject="Einladung",
                    text_body="Einladung",
                    state="sent" if n % 50 else "failed",
                    attempts=1,
                    sent_at=now,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    Mail.objects.bulk_create(mails, batch_size=5000)
    manager = user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    programme = Programme.objects.create(
        name="SEFEX Bench",
        funding_start=date(today.year - 2, 1, 1),
        funding_end=date(today.year + 1, 12, 31),
        planned_workshops=300,
    )
    module = Module.objects.create(programme=programme, name="Strategie")
    workshops = Workshop.objects.bulk_create(
        Workshop(
            programme=programme,
            company=companies[i * 20 % len(companies)],
            module=module,
            state="closed",
            project_manager=manager,
            starts_at=now - timedelta(days=2 * i + 1),
            ends_at=now - timedelta(days=2 * i + 1) + timedelta(hours=4),
            held_on=(now - timedelta(days=2 * i + 1)).date(),
            duration_hours=Decimal("4"),
        )
        for i in range(workshops_count)
    )
    ActionItem.objects.bulk_create(
        ActionItem(workshop=w, title=f"Aufgabe {i}", due_on=today - timedelta(days=i % 60 - 30))
        for i, w in enumerate(workshops)
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # One uncached request in-process: reads the tables into PostgreSQL's buffers, as a
    # running installation has them, and leaves the figures in the cache for the first GET.
    _queries(ctx)


def _queries(ctx: Context) -> int:
    """One uncached request in-process, its queries counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ctx.client(EMAIL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PATH + "&refresh=1")
    assert response.status_code == 200, response.status_code
    return len(captured)


def run(ctx: Context) -> Result:
    companies_count, forums_count, per_forum, _workshops = _sizes(ctx)
    cookie = ctx.session_cookie(EMAIL)
    status, body = ctx.get(PATH, cookie=cookie)
    assert status == 200 and "Bench-Forum" in body, "the cockpit did not answer"
    status, base_body = ctx.get("/bench/directory-rows", cookie=cookie)
    assert status == 200 and base_body.count("<tr>") == 50, "the baseline did not render 50 rows"
    fresh = []
    for _ in range(ctx.size(5, 1)):
        started = time.perf_counter()
        status, _body = ctx.get(PATH + "&refresh=1", cookie=cookie)
        fresh.append((time.perf_counter() - started) * 1000)
        assert status == 200
    return ctx.compare(
        NAME,
        PATH,
        cookie=cookie,
        baseline="directory_rows",
        baseline_path="/bench/directory-rows",
        baseline_cookie=cookie,
        extra={
            "companies": companies_count,
            "registrations": forums_count * per_forum,
            "queries": _queries(ctx),
            "fresh_ms": round(statistics.median(fresh)),
        },
    )
