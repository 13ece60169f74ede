"""home: the start page for a logged-in cluster manager, against a constant view."""

from bench.harness import Context, Result

NAME = "home"
EMAIL = "bench-cm@example.org"


def setup(ctx: Context) -> None:
    from metalldialog.demo import seed

    seed()  # two clusters, 260 companies, contacts: what the page summarises
    from members.services import user_create
    from metalldialog.roles import Role

    user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")


def run(ctx: Context) -> Result:
    cookie = ctx.session_cookie(EMAIL)
    status, body = ctx.get("/", cookie=cookie)
    assert status == 200 and EMAIL in body, "the start page did not answer for the logged-in user"
    return ctx.compare(NAME, "/", cookie=cookie, baseline="hello", baseline_path="/bench/hello")
