"""The double opt-in in a real browser, against the live server, a real Celery worker process
and a real SMTP sink: a contact of a network partner (not a member) is invited only after
confirming by e-mail.

1. The cluster manager logs in (with the second factor), opens the partner company, the
   contact's privacy page, and sends the consent request. An invitation sent now leaves her
   out.
2. She opens the confirmation mail's link in her own browser and clicks "Bestätigen".
3. The next invitation reaches her; its personal link registers her with one click.

The invitations themselves are sent through `forums.invitations.invitation_send` (what the
invitation page calls): the journeys of the forums cover that page.
"""

import re
from contextlib import ExitStack

import pytest
from playwright.sync_api import expect

from core.roles import Role
from forums.invitations import invitation_send
from forums.models import Registration
from members.grants import agency_wide_grant
from members.models import Cluster, Company, Contact, Relationship
from members.services import user_create
from metalldialog.celery import app as celery_app
from privacy.consent import contact_may_be_invited
from privacy.models import Consent
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login

pytestmark = pytest.mark.django_db(transaction=True)
MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
DORA = "dora@delta.example"


@pytest.fixture
def partner(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    member = Company.objects.create(legal_name="Alpha Umformtechnik GmbH", city="Heilbronn")
    Relationship.objects.create(
        company=member, cluster=cluster, kind=Relationship.Kind.MEMBER, valid_from="2020-01-01"
    )
    Contact.objects.create(
        company=member, first_name="Anna", last_name="Alpha", email="anna@alpha.example"
    )
    company = Company.objects.create(legal_name="Delta Partner GmbH", city="Neckarsulm")
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.PARTNER, valid_from="2020-01-01"
    )
    dora = Contact.objects.create(company=company, first_name="Dora", last_name="Delta", email=DORA)
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    return {"company": company, "dora": dora, "manager": manager, "forum": build_forum(cluster)}


def _mail_to(sink, address: str, subject_start: str):
    def found():
        for message in list(sink.messages):
            if address in message["To"] and message["Subject"].startswith(subject_start):
                return message
        return None

    return wait_until(found, timeout=MAIL_TIMEOUT, what=f"'{subject_start}' mail to {address}")


def _link(message, path: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://\S+{path}\S+/", text).group(0)


def test_double_opt_in_journey(page, new_page, live_server, smtp_sink, settings, partner):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    forum, dora, manager = partner["forum"], partner["dora"], partner["manager"]
    shots = Screens(page, "consent-cluster-manager")

    with ExitStack() as stack:
        stack.enter_context(running_workers(env, ["e2e-consent"], concurrency=1))

        # 1. The cluster manager asks for Dora's consent from her company's page.
        login(page, live_server, manager)
        page.goto(f"/members/{partner['company'].pk}/")
        row = page.locator("tr").filter(has_text="Dora Delta")
        row.get_by_role("button", name="Mehr").click()
        row.get_by_role("link", name="Datenschutz").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dora Delta")
        shots.take("privacy-page")
        page.get_by_role("button", name="Einwilligungsanfrage senden").click()
        expect(page.get_by_role("alert").filter(has_text=DORA)).to_be_visible()
        shots.take("consent-requested")
        assert not contact_may_be_invited(dora)

        # An invitation sent before she confirms leaves her out.
        invitation_send(forum=forum, data={"audience": "all"}, actor=manager)
        _mail_to(smtp_sink, "anna@alpha.example", "Einladung:")
        invited = [m for m in smtp_sink.messages if m["Subject"].startswith("Einladung:")]
        assert DORA not in {str(m["To"]) for m in invited}

        # 2. Dora confirms in her own browser: the link shows the text and one button.
        confirmation = _mail_to(smtp_sink, DORA, "Bitte bestätigen")
        dora_page = new_page()
        dora_shots = Screens(dora_page, "consent-contact")
        dora_page.goto(_link(confirmation, "/privacy/consent/"))
        expect(dora_page.get_by_role("heading", level=1)).to_be_visible()
        dora_shots.take("confirmation-page")
        dora_page.get_by_role("button", name="Bestätigen").click()
        expect(dora_page.locator(".alert-success")).to_be_visible()
        dora_shots.take("confirmed")
        consent = Consent.objects.get(contact=dora)
        assert consent.state == Consent.State.CONFIRMED
        assert consent.confirmed_ip == "127.0.0.1"
        assert contact_may_be_invited(dora)

        # 3. Now she is invited, and registers with one click from the invitation.
        invitation_send(forum=forum, data={"audience": "all"}, actor=manager)
        invitation = _mail_to(smtp_sink, DORA, "Einladung:")
        dora_page.goto(_link(invitation, "/forums/link/"))
        dora_shots.take("invitation-link")
        dora_page.get_by_role("button", name="Jetzt anmelden").click()
        expect(dora_page.get_by_role("alert").filter(has_text="Dora Delta")).to_be_visible()
        dora_shots.take("registered")
        registration = Registration.objects.get(contact=dora, forum=forum)
        assert registration.state == Registration.State.CONFIRMED
