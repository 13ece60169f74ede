"""directory: the member directory with 10,000 companies, filtered and paginated, for a
logged-in cluster manager, against a bare view running one query for the same 50 rows
and rendering them in a plain template."""

import random
from datetime import date

from bench.harness import Context, Result

NAME = "directory"
EMAIL = "bench-directory@example.org"
# Members of the bench cluster, small or medium, in postcode area 74, page 3 of the result.
QUERY = "?relationship=member&sme_class=small&sme_class=medium&postcode=74&page={page}"


def _companies(ctx: Context) -> int:
    return ctx.size(10_000, 200)


def setup(ctx: Context) -> None:
    from core.roles import Role
    from members.grants import agency_wide_grant
    from members.models import Cluster, Company, Contact, Relationship, Sector
    from members.services import user_create

    rng = random.Random(10_000)
    # Own cluster slug: the demo data of other measures stays as it is.
    cluster = Cluster.objects.create(slug="bench-directory", name="Bench-Cluster")
    sectors = list(Sector.objects.order_by("number"))
    classes = ["micro", "small", "small", "medium", "large"]
    companies = Company.objects.bulk_create(
        (
            Company(
                legal_name=f"Benchfirma {i:05d} GmbH",
                short_name=f"Benchfirma {i:05d}",
                postcode=f"{rng.choice(['74', '74', '75', '71'])}{rng.randint(0, 999):03d}",
                city=rng.choice(["Heilbronn", "Neckarsulm", "Eppingen", "Öhringen"]),
                register_number=f"HRB B{i:06d}",
                sme_class=rng.choice(classes),
            )
            for i in range(_companies(ctx))
        ),
        batch_size=2000,
    )
    kinds = ["member", "member", "partner", "prospect"]
    Relationship.objects.bulk_create(
        (
            Relationship(
                company=c, cluster=cluster, kind=rng.choice(kinds), valid_from=date(2020, 1, 1)
            )
            for c in companies
        ),
        batch_size=2000,
    )
    links = Company.sectors.through
    links.objects.bulk_create(
        (
            links(company_id=c.pk, sector_id=sectors[(i + k) % len(sectors)].pk)
            for i, c in enumerate(companies)
            for k in (0, 5)
        ),
        batch_size=5000,
    )
    Contact.objects.bulk_create(
        (
            Contact(
                company=c,
                first_name="Vera",
                last_name=f"Kontakt{n}",
                email=f"k{n}.{c.pk}@x.example",
            )
            for c in companies
            for n in range(rng.randint(1, 4))
        ),
        batch_size=5000,
    )
    manager = user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")
    agency_wide_grant(login=manager)  # every cluster
    # Fresh planner statistics and visibility map, as autovacuum keeps them on a live
    # database (a bulk load this size right before the run would otherwise be planned as an
    # empty table, and no index could answer alone).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def run(ctx: Context) -> Result:
    cookie = ctx.session_cookie(EMAIL)
    path = "/members/" + QUERY.format(page=ctx.size(3, 1))
    status, body = ctx.get(path, cookie=cookie)
    assert status == 200 and "Benchfirma" in body, "the directory did not answer"
    rows = body.count('<a href="/members/') - body.count('<a href="/members/contacts/')
    status, base_body = ctx.get("/bench/directory-rows", cookie=cookie)
    assert status == 200 and base_body.count("<tr>") == 50, "the baseline did not render 50 rows"
    result = ctx.compare(
        NAME,
        path,
        cookie=cookie,
        baseline="directory_rows",
        baseline_path="/bench/directory-rows",
        baseline_cookie=cookie,
        extra={"companies": _companies(ctx), "rows": rows},
    )
    # What any logged-in page costs before its own work (session, user, roles, navigation):
    # an empty page in the app's layout, against the same baseline, measured in alternation
    # with it. The directory's ratio can come no nearer to 1 than this.
    floor = ctx.compare(
        "floor",
        "/bench/floor",
        cookie=cookie,
        baseline="directory_rows",
        baseline_path="/bench/directory-rows",
        baseline_cookie=cookie,
    )
    result.extra["floor_ratio"] = round(floor.ratio, 2)
    result.extra["errors"] += floor.extra["errors"]
    return result
