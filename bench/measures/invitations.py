"""invitations: the staff's invitation page of a forum whose cluster has 5,000 contacts in 500
member companies, 2,500 of them already invited (mail rows and a send's recipient rows), for a
logged-in cluster manager, against the bare 50-row list (one query for 50 companies rendered
in a plain template).

The page counts every reason a contact is left out, lists a page of recipients and previews
the mail: all from set-based queries, whatever the number already invited, computed once and
then read from the cache under a fingerprint of every row they come from (one query), until
a row changes (forums.audience_cache). `queries=` is one request counted in-process;
`already=` what the page shows as already invited.
"""

import re

from bench.harness import Context, Result

NAME = "invitations"
EMAIL = "bench-invitations@example.org"
SLUG = "bench-invitations"
PER_COMPANY = 10


def _sizes(ctx: Context) -> tuple[int, int]:
    """Contacts, of which already invited."""
    return ctx.size(5_000, 40), ctx.size(2_500, 20)


def setup(ctx: Context) -> None:
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.roles import Role
    from forums.audience import INVITATION
    from forums.models import Forum
    from members.grants import agency_wide_grant
    from members.models import Cluster, Company, Contact, Relationship
    from members.services import user_create
    from outbox.models import Batch, BatchRecipient, Mail

    contacts_count, invited_count = _sizes(ctx)
    manager = user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    cluster = Cluster.objects.create(slug=SLUG, name="Bench-Einladungen")
    companies = Company.objects.bulk_create(
        Company(legal_name=f"Einladungsfirma {i:04d} GmbH", city="Heilbronn", postcode="74076")
        for i in range(contacts_count // PER_COMPANY)
    )
    Relationship.objects.bulk_create(
        Relationship(company=c, cluster=cluster, kind="member", valid_from="2020-01-01")
        for c in companies
    )
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                company=c,
                first_name=f"Vorname{n}",
                last_name=f"Einladung{c.pk}",
                email=f"e{n}@einladung{c.pk}.example",
            )
            for c in companies
            for n in range(PER_COMPANY)
        ),
        batch_size=5000,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    forum = Forum.objects.create(
        cluster=cluster,
        title="Bench-Einladungsforum",
        description="Praxisberichte und Werksführung.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue_name="Bench AG",
        venue_city="Heilbronn",
        capacity=200,
        state=Forum.State.PUBLISHED,
        published_at=timezone.now(),
    )
    # The first send reached every other contact: its batch, recipient rows and sent mails.
    forum_type = ContentType.objects.get_for_model(Forum)
    invited = contacts[::2][:invited_count]
    batch = Batch.objects.create(
        kind=INVITATION,
        content_type=forum_type,
        object_id=forum.pk,
        created_by=manager,
        planned=len(invited),
        dispatched_at=timezone.now(),
    )
    BatchRecipient.objects.bulk_create(
        (BatchRecipient(batch=batch, position=n, contact=c) for n, c in enumerate(invited)),
        batch_size=5000,
    )
    Mail.objects.bulk_create(
        (
            Mail(
                kind=INVITATION,
                content_type=forum_type,
                object_id=forum.pk,
                scope_type=forum_type,
                scope_id=forum.pk,
                recipient_email=c.email,
                contact=c,
                subject="Einladung",
                text_body="Einladung",
                state=Mail.State.SENT,
                attempts=1,
                sent_at=timezone.now(),
            )
            for c in invited
        ),
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _path() -> str:
    from forums.models import Forum

    return f"/forums/manage/{Forum.objects.get(title='Bench-Einladungsforum').pk}/invitations/"


def _queries(ctx: Context, path: str) -> int:
    """One request in-process as the load sees it (the page in the cache), its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ctx.client(EMAIL)
    client.get(path)  # this process's first: the fingerprint's statement is prepared
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(captured)


def run(ctx: Context) -> Result:
    contacts_count, invited_count = _sizes(ctx)
    cookie = ctx.session_cookie(EMAIL)
    path = _path()
    status, body = ctx.get(path, cookie=cookie)
    assert status == 200, f"the invitation page answered {status}"
    already = re.search(r'data-count="already">(\d+)<', body)
    assert already and int(already.group(1)) == invited_count, "the page missed the invited"
    status, base_body = ctx.get("/bench/directory-rows", cookie=cookie)
    # Its rows are companies 100 to 150: all 50 at full size, fewer in a smoke run of its own.
    from members.models import Company

    rows = max(0, min(50, Company.objects.count() - 100))
    assert status == 200 and base_body.count("<tr>") == rows, "the baseline missed its rows"
    return ctx.compare(
        NAME,
        path,
        cookie=cookie,
        baseline="directory_rows",
        baseline_path="/bench/directory-rows",
        baseline_cookie=cookie,
        extra={
            "contacts": contacts_count,
            "already": int(already.group(1)),
            "queries": _queries(ctx, path),
        },
    )
