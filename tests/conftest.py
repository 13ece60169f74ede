"""Shared fixtures: the three personas and a real SMTP sink on loopback.

Staff personas belong to no company; each company persona is a contact of its company with a
login (the login model, see members.models.User).

Staff log in with a second factor: every staff login a test creates (the cluster manager and
project manager personas, and any other) has a TOTP authenticator with the fixture secret
`tests.totp.STAFF_TOTP_SECRET`, as staff have after their first login. Tests of the set-up
itself are marked `without_totp`."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import post_save

from core.roles import Role
from members.identity import page_memo_forget
from members.models import Cluster, Company, Contact, Relationship, User
from members.services import user_create
from metalldialog.second_factor import totp_enable
from tests.totp import STAFF_TOTP_SECRET

PASSWORD = "a-long-test-password-1"
# The two clusters and their managers, for any test (tests/two_clusters.py).
pytest_plugins = ["tests.two_clusters"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached values live in Redis: no test inherits another's (nor the
    agency's identity a page footer kept in this process)."""
    cache.clear()
    page_memo_forget()
    yield
    cache.clear()
    page_memo_forget()


def _give_authenticator(sender, instance, created, **kwargs):
    if created and (instance.is_staff or instance.is_superuser):
        totp_enable(user=instance, secret=STAFF_TOTP_SECRET)


@pytest.fixture(scope="session", autouse=True)
def _staff_have_an_authenticator_app():
    """For the whole session, so module-scoped fixtures (the page checks' logins) have it too."""
    post_save.connect(_give_authenticator, sender=User, dispatch_uid="tests.staff_totp")
    yield
    post_save.disconnect(sender=User, dispatch_uid="tests.staff_totp")


@pytest.fixture(autouse=True)
def _without_totp(request):
    if not request.node.get_closest_marker("without_totp"):
        yield
        return
    post_save.disconnect(sender=User, dispatch_uid="tests.staff_totp")
    yield
    post_save.connect(_give_authenticator, sender=User, dispatch_uid="tests.staff_totp")


@pytest.fixture
def company_a(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    company = Company.objects.create(legal_name="Alpha Präzisionstechnik GmbH", city="Heilbronn")
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.MEMBER, valid_from="2020-01-01"
    )
    Contact.objects.create(company=company, first_name="Anna", last_name="Alpha")
    return company


@pytest.fixture
def company_b(db):
    company = Company.objects.create(legal_name="Beta Stanztechnik GmbH", city="Neckarsulm")
    Contact.objects.create(company=company, first_name="Bruno", last_name="Beta")
    return company


@pytest.fixture
def cluster_manager(db):
    """Agency-wide: manages every cluster the test makes (tests/clusters has the managers of
    one cluster each)."""
    user = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.AGENCY_WIDE.value))
    return user


@pytest.fixture
def project_manager(db):
    return user_create(email="pm@example.org", role=Role.PROJECT_MANAGER, password=PASSWORD)


@pytest.fixture
def agency_admin(db):
    """The agency administrator: a superuser without a role, who manages staff logins."""
    return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)


def company_login(company, email: str, first_name: str, last_name: str):
    """A company user is one contact of the company with a login (no forum invitations, so
    the company's mailing lists stay as the tests set them up)."""
    person = Contact.objects.create(
        company=company,
        first_name=first_name,
        last_name=last_name,
        email=email,
        receives_invitations=False,
    )
    return user_create(email=email, role=Role.COMPANY_USER, contact=person, password=PASSWORD)


@pytest.fixture
def company_user_a(company_a):
    return company_login(company_a, "user@alpha.example", "Uwe", "Alpha-Nutzer")


@pytest.fixture
def company_user_b(company_b):
    return company_login(company_b, "user@beta.example", "Berta", "Beta-Nutzerin")


class _Sink:
    """Keeps every message the SMTP server accepted, parsed."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend sends to it."""
    handler = _Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def broker(db):
    """Every queue of the real broker, emptied before and after; `broker.run_all()` runs what
    the code queued (and what those tasks queue)."""
    from metalldialog.celery import app
    from tests.outbox.broker import BrokerQueue

    queue = BrokerQueue(app)
    queue.take()
    yield queue
    queue.take()
