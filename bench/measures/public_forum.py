"""public-forum: the page of a published forum for an anonymous visitor (served from the
page cache, dropped when the forum or its seats change), against the constant `hello` view.

The setup registers a few people so the page shows real seats; the measure checks that the
page it loads carries the forum's title and its Event JSON-LD.
"""

from bench.harness import Context, Result

NAME = "public-forum"
SLUG = "bench-public"
TITLE = "Bench-Forum Öffentlich"


def setup(ctx: Context) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from forums.models import AgendaItem, Forum, Registration
    from members.models import Cluster, Company, Contact

    cluster = Cluster.objects.create(slug=SLUG, name="Bench-Öffentlich")
    start = timezone.now() + timedelta(days=20)
    forum = Forum.objects.create(
        cluster=cluster,
        title=TITLE,
        description="Vorträge und Werksführung.",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        venue_name="Bench GmbH",
        venue_street="Hafenstraße 1",
        venue_postcode="74076",
        venue_city="Heilbronn",
        capacity=60,
        audience=Forum.Audience.OPEN,
        state=Forum.State.PUBLISHED,
        published_at=timezone.now(),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(forum=forum, starts_at=f"{14 + i}:00", title=f"Programmpunkt {i}")
        for i in range(5)
    )
    company = Company.objects.create(legal_name="Bench Publikum GmbH")
    for i in range(20):
        contact = Contact.objects.create(
            company=company, first_name="P", last_name=str(i), email=f"p{i}@bench.example"
        )
        Registration.objects.create(
            forum=forum, contact=contact, company=company, state="confirmed", source="staff"
        )


def run(ctx: Context) -> Result:
    from forums.models import Forum

    path = f"/events/{SLUG}/{Forum.objects.get(title=TITLE).pk}/"
    status, body = _first_answer(ctx, path)
    assert status == 200 and TITLE in body, "the public forum page did not answer"
    assert 'type="application/ld+json"' in body, "the page carries no Event JSON-LD"
    return ctx.compare(NAME, path, baseline="hello", baseline_path="/bench/hello")


def _first_answer(ctx: Context, path: str) -> tuple[int, str]:
    """The first request, retried while gunicorn's workers still boot (a loaded machine)."""
    import time

    deadline = time.monotonic() + 60
    while True:
        try:
            return ctx.get(path)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
