"""The most used pages (ten, the invitation page, and the public forum page with its form),
shared by the page checks (valid HTML, accessibility).

The data is the demo data of `make run` (every app's part, the four demo logins), plus a few
mails in the outbox, so each page shows what it shows in use: full tables, badges of every
state, a forum with a waiting list. `seed()` loads it and returns what the pages need;
`PAGES` says which persona opens which URL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.urls import reverse

from forums.mails import registration_mail_send
from forums.models import Forum, Registration
from funding import regulations
from funding.models import Regulation
from members.models import User
from metalldialog import demo
from outbox.models import Mail
from outbox.services import mail_send_many

# Personas: the demo logins by role; None is a visitor who is not logged in.
CLUSTER_MANAGER = demo.DEMO_LOGINS[0][1]
PROJECT_MANAGER = demo.DEMO_LOGINS[1][1]
COMPANY_USER = demo.DEMO_LOGINS[2][1]
PASSWORD = demo.DEMO_PASSWORD


@dataclass(frozen=True)
class PageData:
    company_pk: int  # company A, the company of the demo company user
    forum_pk: int  # an upcoming published forum, full, with a waiting list


@dataclass(frozen=True)
class Page:
    id: str
    persona: str | None  # e-mail of the demo login, None for a visitor
    url: Callable[[PageData], str]


PAGES = [
    Page("login", None, lambda d: reverse("account_login")),
    Page("cockpit", CLUSTER_MANAGER, lambda d: reverse("cockpit:dashboard")),
    Page("member-directory", CLUSTER_MANAGER, lambda d: reverse("members:directory")),
    Page("company", CLUSTER_MANAGER, lambda d: reverse("members:company", args=[d.company_pk])),
    Page("forums-staff", CLUSTER_MANAGER, lambda d: reverse("forums:staff_list")),
    Page(
        "forum-registrations-staff",
        CLUSTER_MANAGER,
        lambda d: reverse("forums:staff_registrations", args=[d.forum_pk]),
    ),
    Page("outbox", CLUSTER_MANAGER, lambda d: reverse("outbox:mail_list")),
    Page("company-portal", COMPANY_USER, lambda d: reverse("members:portal")),
    Page(
        "forum-register-company",
        COMPANY_USER,
        lambda d: reverse("forums:detail", args=[d.forum_pk]),
    ),
    Page("sefex-queue", PROJECT_MANAGER, lambda d: reverse("sefex:queue")),
    # The public face: a forum page (from the cache) and its registration form, no login.
    Page("public-forum", None, lambda d: _public_url("public:forum", d.forum_pk)),
    Page("public-register", None, lambda d: _public_url("public:register", d.forum_pk)),
    # The invitation page with its audience filter and the rendered mail in an iframe.
    Page(
        "forum-invitations-staff",
        CLUSTER_MANAGER,
        lambda d: reverse("forums:staff_invitations", args=[d.forum_pk]) + "?audience=all",
    ),
]
PAGE_IDS = [page.id for page in PAGES]


def _public_url(name: str, forum_pk: int) -> str:
    forum = Forum.objects.select_related("cluster").get(pk=forum_pk)
    return reverse(name, args=[forum.cluster.slug, forum.pk])


def _reference_data() -> None:
    """The rows the data migrations load (sectors, topics, de-minimis regulations): a
    transactional test that ran earlier emptied every table, and the demo data needs them."""
    import_module("members.migrations.0002_reference_data").forwards(apps, None)
    regulations.ensure(Regulation)


def seed() -> PageData:
    """Loads the demo data and queues (and sends some of) the forum mails of company A."""
    _reference_data()
    demo.seed()
    company = User.objects.get(email=COMPANY_USER).company
    forum = (
        Forum.objects.filter(state=Forum.State.PUBLISHED, registrations__company=company)
        .order_by("starts_at")
        .first()
    )
    with transaction.atomic():
        registrations = Registration.objects.filter(forum__state=Forum.State.PUBLISHED)
        for registration in registrations.order_by("pk")[:12]:
            waiting = registration.state == Registration.State.WAITLISTED
            event = "waitlisted" if waiting else "confirmed"
            registration_mail_send(registration.pk, event)
        queued = Mail.objects.filter(state=Mail.State.QUEUED).order_by("pk")
        mail_send_many(mail_ids=list(queued.values_list("pk", flat=True)[:6]))
    return PageData(company_pk=company.pk, forum_pk=forum.pk)
