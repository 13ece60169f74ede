"""Journey 4, the public face, in a real browser against the live server, a real Celery
worker process and a real SMTP sink: a visitor of a company the network does not know finds
a forum from the start page, registers without a login, confirms the address from the mail,
the cluster manager approves, and the visitor receives the confirmation with its .ics.
"""

import re
from contextlib import ExitStack

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from core.roles import Role
from forums.models import Registration
from members.grants import agency_wide_grant
from members.models import Cluster, Contact, Relationship
from members.services import user_create
from metalldialog.celery import app as celery_app
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login

pytestmark = pytest.mark.django_db(transaction=True)
MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
NORA = "nora@neu-metallbau.example"


@pytest.fixture
def world(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    forum = build_forum(cluster, title="Metall-Forum Additive Fertigung", audience="open")
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    return {"forum": forum, "manager": manager}


def _mail_to(sink, address: str, subject_start: str):
    def found():
        for message in list(sink.messages):
            # A long encoded subject comes folded: its first line may be empty.
            subject = str(message["Subject"]).strip()
            if address in message["To"] and subject.startswith(subject_start):
                return message
        return None

    return wait_until(found, timeout=MAIL_TIMEOUT, what=f"'{subject_start}' mail to {address}")


def _link(message, path: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://\S+{path}\S+/", text).group(0)


def test_public_registration_journey(page, new_page, live_server, smtp_sink, settings, world):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    forum, manager = world["forum"], world["manager"]
    shots = Screens(page, "public-visitor")

    with ExitStack() as stack:
        stack.enter_context(running_workers(env, ["e2e-public"], concurrency=1))

        # 1. From the start page to the forum, by links.
        page.goto("/")
        page.get_by_role("link", name="Kommende Foren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Metall-Foren")
        shots.take("overview")
        page.get_by_role("link", name=forum.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(forum.title)
        expect(page.get_by_text("Plätze frei")).to_be_visible()
        shots.take("forum")

        # 2. She registers as a person of a company the app does not know.
        page.get_by_role("link", name="Für dieses Forum anmelden").click()
        page.get_by_label("Vorname").fill("Nora")
        page.get_by_label("Nachname").fill("Neu")
        page.get_by_label("Unternehmen").fill("Neu Metallbau GmbH")
        page.get_by_role("textbox", name="E-Mail").fill(NORA)
        page.get_by_label("Ich habe die Datenschutzhinweise gelesen.").check()
        invitations = page.get_by_label("Ja, bitte laden Sie mich per E-Mail")
        expect(invitations).not_to_be_checked()
        shots.take("form")
        page.get_by_role("button", name="Anmeldung absenden").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Bitte sehen Sie in Ihr E-Mail-Postfach"
        )
        shots.take("sent")
        nora = Contact.objects.get(email=NORA)
        assert nora.company.relationships.get().kind == Relationship.Kind.PROSPECT

        # 3. She confirms the address with the link from the mail.
        confirmation = _mail_to(smtp_sink, NORA, "Bitte bestätigen Sie Ihre Anmeldung")
        page.goto(_link(confirmation, "/events/confirm/"))
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
        expect(page.locator(".alert-success")).to_contain_text("Freigabe")
        shots.take("confirmed")
        registration = Registration.objects.get(contact=nora, forum=forum)
        assert registration.state == Registration.State.PENDING
        _mail_to(smtp_sink, NORA, "Anmeldung eingegangen")

        # 4. The cluster manager sees the request on the start page and approves it.
        staff = new_page()
        staff_shots = Screens(staff, "public-cluster-manager")
        login(staff, live_server, manager)
        staff.goto("/")
        entry = staff.locator(f'[data-forum="{forum.pk}"]')
        expect(entry).to_contain_text("1 wartet auf Freigabe")
        entry.get_by_role("link", name=forum.title).click()
        row = staff.locator("tr").filter(has_text="Nora Neu")
        staff_shots.take("registrations")
        row.get_by_role("button", name="Freigeben").click()
        expect(staff.locator("tr").filter(has_text="Nora Neu")).to_contain_text("Bestätigt")
        staff_shots.take("approved")

        # 5. She receives the confirmation with the calendar entry.
        confirmed = _mail_to(smtp_sink, NORA, "Anmeldung bestätigt")
        attachment = next(iter(confirmed.iter_attachments()))
        calendar = Calendar.from_ical(attachment.get_content())
        assert str(calendar["METHOD"]) == "REQUEST"
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["SUMMARY"]) == forum.title
        assert NORA in str(event["ATTENDEE"])
