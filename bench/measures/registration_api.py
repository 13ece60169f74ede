"""registration-api: 500 people are registered at once for 100 seats (2 per company) through
`POST /api/registrations/`, each by its company's integration (a company login's API token),
64 requests in flight, against the same bare view as the registration rush (lock the forum,
count the seats, insert).

A registration through the API does all it does on the page: the rules, the seat lock, the
waiting list, the history, the mail promised after commit. Rounds alternate (bare, API, ...);
the line reports the medians, overbooked= and errors= (both must be 0) and p99_ms.
"""

import json

from bench import rush
from bench.harness import Result

NAME = "registration-api"
SLUG, PREFIX = "bench-api", "Api"
TITLE = "Bench api {side} {round}"


def _sizes(ctx) -> dict:
    return {
        "clients": ctx.size(500, 20),
        "seats": ctx.size(100, 6),
        "per_company": 2,
        "concurrency": ctx.size(64, 4),
    }


def setup(ctx) -> None:
    from core.roles import Role
    from members.models import Contact
    from members.services import user_create

    sizes = _sizes(ctx)
    cluster, companies = rush.people(SLUG, PREFIX, sizes["clients"])
    rush.forums(cluster, TITLE, ctx.rounds, seats=sizes["seats"], per_company=sizes["per_company"])
    # One company login a company, for its integration's token.
    for contact in Contact.objects.filter(company__in=companies, first_name="P0"):
        user_create(email=contact.email, role=Role.COMPANY_USER, contact=contact)


def _tokens() -> dict[int, str]:
    """A fresh token per company login (secrets are shown once): company id -> secret."""
    from api.services import api_token_create
    from members.models import User

    users = User.objects.filter(company__legal_name__startswith=f"{PREFIX} ")
    return {
        user.company_id: api_token_create(name="Bench integration", user=user)[1] for user in users
    }


def run(ctx) -> Result:
    from members.models import Contact

    sizes = _sizes(ctx)
    contacts = list(
        Contact.objects.filter(company__legal_name__startswith=f"{PREFIX} ").order_by("pk")
    )
    assert len(contacts) == sizes["clients"], len(contacts)
    tokens = _tokens()
    status, _body = ctx.get("/api/registrations/", headers={"Authorization": "Token x"})
    assert status == 401, f"the API took a made-up token ({status})"

    def api_posts(forum) -> list[rush.Post]:
        return [
            rush.Post(
                "/api/registrations/",
                {
                    "Authorization": f"Token {tokens[c.company_id]}",
                    "Content-Type": "application/json",
                },
                json.dumps({"forum": forum.pk, "contact": c.pk}),
            )
            for c in contacts
        ]

    return rush.compare(ctx, NAME, TITLE, contacts, sizes, api_posts)
