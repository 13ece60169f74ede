"""Journeys 1 and 2 in a real browser, against the live server, a real Celery worker process
and a real SMTP sink.

1. The cluster manager logs in, plans and publishes a members-only forum (one topic, 2 seats
   per company, an agenda of two items entered with "Programmpunkt hinzufügen"), chooses one
   sector on the invitation page, sees the network partner left out by the forum's rules,
   looks through the recipients, confirms the send and watches the htmx progress reach "sent".
2. A member company opens the invitation mail, follows the personal link to the portal, logs
   in, registers herself with "Mich anmelden" and a new colleague typed into the registration
   form, sees her company's seats taken, downloads the .ics and cancels the colleague after the
   question; the person of another company on the waiting list (told so in warning colour)
   moves up and gets the mail.

One test: the second journey starts from the mail the first one sent. Every control is found
by its role and label and clicked only when visible, inside the window and not cut off (the
`Person` helper checks, and counts the clicks of journeys 1 and 2).
"""

import re
from contextlib import ExitStack
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AuditEvent
from core.roles import Role
from forums.models import Forum, Registration
from members.grants import agency_wide_grant
from members.models import Cluster, Company, Contact, Relationship, Sector, Topic
from members.services import user_create
from metalldialog.celery import app as celery_app
from outbox.models import Mail
from tests.conftest import PASSWORD
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login, submit_login

TITLE = "Metall-Forum Umformtechnik"
MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
JOURNEY_1_CLICKS = 10  # what planning, publishing and inviting takes now; more is a regression
JOURNEY_2_CLICKS = 6  # registering herself and a new colleague, the .ics, cancelling the colleague


def _company(cluster, name, sector, kind=Relationship.Kind.MEMBER, contacts=()):
    company = Company.objects.create(legal_name=name, city="Heilbronn", postcode="74076")
    company.sectors.add(sector)
    Relationship.objects.create(
        company=company, cluster=cluster, kind=kind, valid_from="2020-01-01"
    )
    return [
        Contact.objects.create(company=company, first_name=first, last_name=last, email=email)
        for first, last, email in contacts
    ]


@pytest.fixture
def network(db):
    """Two sectors; the forming sector has two members (Alpha with two people, Gamma) and a
    network partner; a machining member sits in another sector. Anna of Alpha has a login."""
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    # Reference data of a migration: a transactional test before this one may have emptied it.
    forming, _ = Sector.objects.update_or_create(
        number=4, defaults={"name": "Umformtechnik", "wz2008": "25.50", "wz2025": "25.40"}
    )
    machining, _ = Sector.objects.update_or_create(
        number=6, defaults={"name": "Zerspanung", "wz2008": "25.62", "wz2025": "25.53"}
    )
    Topic.objects.get_or_create(slug="industrie-4-0", defaults={"name": "Industrie 4.0"})
    anna, carla = _company(
        cluster,
        "Alpha Umformtechnik GmbH",
        forming,
        contacts=[
            ("Anna", "Alpha", "anna@alpha.example"),
            ("Carla", "Alpha", "carla@alpha.example"),
        ],
    )
    (gustav,) = _company(
        cluster,
        "Gamma Stanzwerk GmbH",
        forming,
        contacts=[("Gustav", "Gamma", "gustav@gamma.example")],
    )
    _company(
        cluster,
        "Beta Zerspanung GmbH",
        machining,
        contacts=[("Bruno", "Beta", "bruno@beta.example")],
    )
    _company(
        cluster,
        "Delta Partner GmbH",
        forming,
        kind=Relationship.Kind.PARTNER,
        contacts=[("Dora", "Delta", "dora@delta.example")],
    )
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    anna_user = user_create(
        email="anna@alpha.example", role=Role.COMPANY_USER, company=anna.company, password=PASSWORD
    )
    return {
        "manager": manager,
        "anna": anna,
        "anna_user": anna_user,
        "carla": carla,
        "gustav": gustav,
    }


def _mails_to(sink, address: str) -> list:
    return [m for m in list(sink.messages) if address in m["To"]]


def _mail_with(sink, address: str, subject_start: str):
    """Waits until the sink holds a mail to `address` whose subject starts so; returns it."""

    def found():
        for message in _mails_to(sink, address):
            if message["Subject"].startswith(subject_start) and TITLE in message["Subject"]:
                return message
        return None

    return wait_until(found, timeout=MAIL_TIMEOUT, what=f"'{subject_start}' mail to {address}")


class Person:
    """Acts like a person at the screen: finds controls by what they say, clicks only what is
    visible, inside the window and not cut off, on a page that does not scroll sideways."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0

    def press(self, control) -> None:
        expect(control).to_be_visible()
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport(ratio=1)
        box = control.bounding_box()
        width = self.page.evaluate("document.documentElement.clientWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"cut off: {control}"
        assert self.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"the page scrolls sideways at {self.page.url}"
        control.click()
        self.clicks += 1


def field(scope, label: str):
    """The form field labelled `label` (a required field's label ends in '*')."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _alert(page, colour: str):
    """The message at the top of the page, in the colour of what happened."""
    alert = page.get_by_role("alert").first
    expect(alert).to_be_visible()
    expect(alert).to_have_class(re.compile(rf"\balert-{colour}\b"))
    return alert


def _calendar(message):
    """The calendar file of a mail, read with icalendar (None if it has none)."""
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content())
    return None


def _personal_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://\S+/forums/link/\S+/", text).group(0)


def test_forum_journeys(page, new_page, live_server, smtp_sink, settings, network):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    with ExitStack() as stack:

        def start_worker():
            stack.enter_context(running_workers(env, ["e2e-forum"], concurrency=1))

        _journey_cluster_manager(page, live_server, network, start_worker)
        _journey_member_company(page, new_page, live_server, smtp_sink, network)


def _journey_cluster_manager(page, live_server, network, start_worker):
    shots = Screens(page, "forum-cluster-manager")
    person = Person(page)
    login(page, live_server, network["manager"])
    shots.take("logged-in")

    # Plan the forum.
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    person.press(navigation.get_by_role("link", name="Foren"))
    person.press(page.get_by_role("link", name="Neues Forum"))
    start = timezone.localtime() + timedelta(days=21)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    form = page.get_by_role("main")
    field(form, "Cluster").select_option(label="MetallDIALOG")
    field(form, "Titel").fill(TITLE)
    person.press(form.get_by_label("Industrie 4.0"))
    field(form, "Beschreibung").fill("Pressen, Stanzen, Schmieden: Erfahrungen.")
    field(form, "Zielgruppe").select_option(label="Nur Mitglieder")
    field(form, "Beginn").fill(start.strftime("%Y-%m-%dT%H:%M"))
    field(form, "Ende").fill((start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    field(form, "Veranstaltungsort").fill("Alpha Umformtechnik")
    field(form, "Straße").fill("Hafenstraße 1")
    field(form, "PLZ").fill("74076")
    field(form, "Ort").fill("Heilbronn")
    field(form, "Plätze").fill("2")
    field(form, "Plätze je Unternehmen").fill("2")
    # The agenda: the first row is there, the second comes with the button.
    first = form.get_by_role("group", name="Programmpunkt 1")
    field(first, "Von").fill("14:00")
    field(first, "Bis").fill("14:15")
    field(first, "Programmpunkt").fill("Begrüßung")
    person.press(form.get_by_role("button", name="Programmpunkt hinzufügen"))
    second = form.get_by_role("group", name="Programmpunkt 2")
    expect(field(second, "Von")).to_be_focused()
    field(second, "Von").fill("14:15")
    field(second, "Programmpunkt").fill("Werksführung")
    field(second, "Referent/in").fill("Anna Alpha")
    shots.take("forum-form")
    person.press(form.get_by_role("button", name="Speichern"))
    _alert(page, "success")
    forum = Forum.objects.get(title=TITLE)
    assert forum.state == Forum.State.DRAFT
    assert [t.slug for t in forum.topics.all()] == ["industrie-4-0"]
    assert (forum.capacity, forum.seats_per_company) == (2, 2)
    assert forum.starts_at == start
    assert list(forum.agenda_items.values_list("title", "speaker")) == [
        ("Begrüßung", ""),
        ("Werksführung", "Anna Alpha"),
    ]
    shots.take("draft-saved")

    person.press(page.get_by_role("button", name="Veröffentlichen"))
    expect(_alert(page, "success")).to_contain_text("veröffentlicht")
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED
    shots.take("published")

    # Invite the forming sector: the partner in it is left out by the members-only rule.
    person.press(page.get_by_role("link", name="Einladungen", exact=True))
    audience = page.get_by_role("form", name="Zielgruppe")
    field(audience, "Branche").select_option(label="Umformtechnik")
    person.press(audience.get_by_role("button", name="Zielgruppe anzeigen"))
    expect(page).to_have_url(re.compile(r"sector="))
    summary = page.locator("#audience-summary")
    expect(summary.locator("[data-count=matching]")).to_have_text("4")
    expect(summary.locator("[data-count=forum_rules]")).to_have_text("1")
    expect(summary.get_by_role("row", name=re.compile("Außerhalb der Zielgruppe"))).to_be_visible()
    expect(summary.locator("[data-count=to_send]")).to_have_text("3")
    recipients = page.get_by_role("region", name=re.compile("Empfänger"))
    for name in ("Anna Alpha", "Carla Alpha", "Gustav Gamma"):
        expect(recipients.get_by_role("cell", name=name)).to_be_visible()
    expect(recipients).not_to_contain_text("Dora")
    expect(page.locator("#preview-subject")).to_contain_text(TITLE)
    shots.take("audience")
    person.press(summary.get_by_role("link", name="An 3 Kontakte senden"))
    expect(page.get_by_role("heading", name="3 Einladungen jetzt senden?")).to_be_visible()
    shots.take("confirm-send")
    person.press(page.get_by_role("button", name="Ja, 3 E-Mails senden"))
    _alert(page, "success")
    # No worker runs yet: the page shows the batch waiting, so what follows can only reach
    # the page through its htmx polling.
    progress = page.locator(".batch-progress").first
    expect(progress.locator("[data-count=planned]")).to_have_text("3")
    expect(progress.locator("[data-count=sent]")).to_have_text("0")
    expect(progress).to_have_attribute("data-hx-trigger", re.compile("every"))
    shots.take("sending")

    # A real Celery worker process sends to the SMTP sink; the page follows live.
    start_worker()
    expect(progress.locator("[data-count=sent]")).to_have_text("3", timeout=MAIL_TIMEOUT * 1000)
    expect(progress.locator("[data-count=failed]")).to_have_text("0")
    expect(progress).to_contain_text("abgeschlossen")
    shots.take("sent")
    invited = set(
        Mail.objects.filter(kind="forum_invitation", state=Mail.State.SENT).values_list(
            "recipient_email", flat=True
        )
    )
    assert invited == {"anna@alpha.example", "carla@alpha.example", "gustav@gamma.example"}
    # From the start page to the sent invitations: the clicks a person makes (typing aside).
    print(f"journey 1: {person.clicks} clicks")
    assert person.clicks <= JOURNEY_1_CLICKS


def _journey_member_company(page, new_page, live_server, smtp_sink, network):
    shots = Screens(page, "forum-member-company")
    person = Person(page)
    forum = Forum.objects.get(title=TITLE)
    # A fresh browser: nobody logged in, as when Anna opens her mail.
    page.context.clear_cookies()

    # Anna's invitation, as it reached the SMTP server, with its calendar file.
    invitation = _mail_with(smtp_sink, "anna@alpha.example", "Einladung:")
    for address in ("carla@alpha.example", "gustav@gamma.example"):
        _mail_with(smtp_sink, address, "Einladung:")
    assert not _mails_to(smtp_sink, "bruno@beta.example")  # other sector
    assert not _mails_to(smtp_sink, "dora@delta.example")  # not a member
    attached = {part.get_filename(): part for part in invitation.iter_attachments()}
    assert "metallforum.ics" in attached
    link = _personal_link(invitation)
    assert link.startswith(live_server.url)

    # The personal link shows the forum and her company's seats; Anna goes on to the portal.
    page.goto(link)
    expect(page.get_by_text("Alpha Umformtechnik GmbH", exact=False).first).to_be_visible()
    expect(page.get_by_text("0 von 2 Plätzen Ihres Unternehmens belegt")).to_be_visible()
    shots.take("personal-link")
    person.press(page.get_by_role("link", name=re.compile("Kolleg")))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    submit_login(page, "anna@alpha.example")
    expect(page).to_have_url(re.compile(rf"/forums/{forum.pk}/$"))
    company_box = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Ihr Unternehmen")
    )
    expect(company_box).to_contain_text("0 von 2 Plätzen Ihres Unternehmens belegt")

    # "Register me": one click, her own login's person.
    person.press(company_box.get_by_role("button", name="Mich anmelden"))
    expect(_alert(page, "success")).to_contain_text("Sie sind angemeldet")
    expect(company_box).to_contain_text("Sie sind angemeldet.")
    expect(company_box.get_by_role("button", name="Mich anmelden")).to_have_count(0)
    expect(company_box).to_contain_text("1 von 2 Plätzen Ihres Unternehmens belegt")
    assert Registration.objects.get(contact=network["anna"]).state == Registration.State.CONFIRMED
    shots.take("registered-herself")
    confirmation = _calendar(_mail_with(smtp_sink, "anna@alpha.example", "Anmeldung bestätigt:"))
    assert str(confirmation["METHOD"]) == "REQUEST"
    (entry,) = confirmation.walk("VEVENT")
    assert entry["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"

    # A colleague who is not yet a contact of the company, typed into the same form.
    colleague_form = company_box.get_by_role("form", name="Kolleginnen und Kollegen anmelden")
    new_colleague = colleague_form.get_by_role("group", name="Neue Kollegin oder neuer Kollege")
    field(new_colleague, "Vorname").fill("Emil")
    field(new_colleague, "Nachname").fill("Alpha")
    field(new_colleague, "E-Mail").fill("emil@alpha.example")
    field(new_colleague, "Funktion").select_option(label="Qualität")
    shots.take("new-colleague-typed")
    person.press(colleague_form.get_by_role("button", name="Anmelden", exact=True))
    expect(_alert(page, "success")).to_contain_text("Emil Alpha")
    expect(company_box).to_contain_text("2 von 2 Plätzen Ihres Unternehmens belegt")
    emil = Contact.objects.get(company=network["anna"].company, email="emil@alpha.example")
    assert emil.function == Contact.Function.QUALITY
    emil_registration = Registration.objects.get(contact=emil)
    assert emil_registration.state == Registration.State.CONFIRMED
    assert AuditEvent.objects.filter(action="contact.created", object_id=str(emil.pk)).exists()
    shots.take("colleague-registered")
    _mail_with(smtp_sink, "emil@alpha.example", "Anmeldung bestätigt:")

    # The calendar file.
    with page.expect_download() as download_info:
        person.press(page.get_by_role("link", name="In den Kalender (.ics)"))
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith(TITLE)
    assert event.decoded("DTSTART") == forum.starts_at
    assert "Heilbronn" in str(event["LOCATION"])

    # Gustav of Gamma follows his own link: the forum is full, he waits, and is told so in
    # warning colour with the reason.
    gustav_page = new_page()
    gustav = Person(gustav_page)
    gustav_page.goto(_personal_link(_mail_with(smtp_sink, "gustav@gamma.example", "Einladung:")))
    gustav.press(gustav_page.get_by_role("button", name="Jetzt anmelden"))
    expect(_alert(gustav_page, "warning")).to_contain_text("Warteliste")
    expect(_alert(gustav_page, "warning")).to_contain_text("ausgebucht")
    shots.take("other-company-waits", page=gustav_page)
    waiting = Registration.objects.get(contact=network["gustav"])
    assert waiting.state == Registration.State.WAITLISTED
    # Waiting: the news, but no calendar entry.
    assert _calendar(_mail_with(smtp_sink, "gustav@gamma.example", "Warteliste:")) is None

    # Anna cancels Emil, after the question; Gustav moves up and is told so by mail.
    page.reload()
    person.press(company_box.get_by_role("link", name="Anmeldung von Emil Alpha stornieren"))
    expect(page.get_by_role("heading", name=re.compile("Anmeldung von Emil Alpha"))).to_be_visible()
    emil_registration.refresh_from_db()
    assert emil_registration.state == Registration.State.CONFIRMED  # the question changes nothing
    shots.take("cancel-question")
    person.press(page.get_by_role("button", name="Ja, Anmeldung stornieren"))
    expect(page).to_have_url(re.compile(rf"/forums/{forum.pk}/$"))
    expect(_alert(page, "success")).to_contain_text("Emil Alpha")
    shots.take("colleague-cancelled")
    emil_registration.refresh_from_db()
    assert emil_registration.state == Registration.State.CANCELLED
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CONFIRMED
    promoted = _mail_with(smtp_sink, "gustav@gamma.example", "Ein Platz ist frei geworden:")
    assert "metallforum.ics" in {p.get_filename() for p in promoted.iter_attachments()}
    assert str(_calendar(promoted)["METHOD"]) == "REQUEST"
    # Emil's calendar loses the entry, under the forum's one UID.
    removed = _calendar(_mail_with(smtp_sink, "emil@alpha.example", "Anmeldung storniert:"))
    assert str(removed["METHOD"]) == "CANCEL"
    assert {str(e["UID"]) for e in removed.walk("VEVENT")} == {str(entry["UID"])}
    # Only Anna is left in the company's list; Emil, now a colleague, may be ticked again.
    expect(company_box.locator("li")).to_have_count(1)
    expect(company_box.locator("li")).to_contain_text("Anna Alpha")
    expect(company_box.get_by_label("Emil Alpha")).not_to_be_checked()
    # From the mail to a colleague cancelled: the clicks a person makes (typing and the login
    # form aside).
    print(f"journey 2: {person.clicks} clicks")
    assert person.clicks <= JOURNEY_2_CLICKS
