"""Members finding each other, in a real browser against the live server, a real Celery worker
and a real SMTP sink: a member company publishes its competence profile; another member finds
it by process and certification and asks for contact, and the mail reaches the company's named
contact; at a forum, the attendee list shows only the people who agreed to be on it.
Screenshots at 1280 and at 390 pixels wide. (Company-managed logins have their own journey.)"""

import re

from playwright.sync_api import expect

from atlas.models import Enquiry, Profile
from forums.models import Registration
from members.models import Contact, Relationship
from metalldialog.celery import app as celery_app
from tests.atlas.conftest import member, publish
from tests.conftest import company_login
from tests.forums.conftest import build_forum
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login, nav_click

MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
PHONE = {"width": 390, "height": 844}
MESSAGE = "Wir suchen einen Partner für 500 gefräste Aluminiumgehäuse im Jahr, IATF-konform."


def _enquiry_mail(sink, to):
    return next(
        (m for m in sink.messages if m["To"] == to and "Kontaktanfrage" in m["Subject"]), None
    )


def test_networking_journey(page, new_page, live_server, smtp_sink, settings, db):
    settings.SITE_URL = live_server.url
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    alpha = member("Alpha Präzisionstechnik GmbH", "74076", "Heilbronn")
    beta = member("Beta Stanztechnik GmbH", "74172", "Neckarsulm")
    gamma = member("Gamma Fräsen KG", "74523", "Schwäbisch Hall")
    publish(gamma, processes=["cnc_milling"], certifications=["iso_9001"])  # no IATF 16949
    anna = company_login(alpha, "anna@alpha.example", "Anna", "Alpha")
    carl = Contact.objects.create(
        company=alpha, first_name="Carl", last_name="Alpha", email="carl@alpha.example"
    )
    vera = Contact.objects.create(
        company=alpha,
        first_name="Vera",
        last_name="Vertrieb",
        email="vertrieb@alpha.example",
        function=Contact.Function.SALES,
    )
    bruno = company_login(beta, "bruno@beta.example", "Bruno", "Beta")
    forum = build_forum(Relationship.objects.get(company=alpha).cluster, capacity=20)
    shots = Screens(page, "networking")

    with running_workers(env, ["e2e-networking"], concurrency=1):
        # Alpha describes its competences and publishes them.
        login(page, live_server, anna)
        nav_click(page, "Kompetenzatlas")
        page.get_by_role("link", name="Unsere Kompetenzen beschreiben").click()
        page.get_by_label("Was wir tun").fill("Präzisionsfrästeile für die Automobilindustrie.")
        page.get_by_label("CNC-Fräsen").check()
        page.get_by_label("CNC-Drehen").check()
        page.get_by_label("Aluminium").check()
        page.get_by_label("ISO 9001").check()
        page.get_by_label("IATF 16949").check()
        page.get_by_label("Ansprechperson für Anfragen").select_option(label=vera.full_name)
        page.get_by_label("Für andere Mitglieder veröffentlicht").check()
        shots.take("profile-form")
        page.get_by_role("button", name="Speichern").click()
        expect(page.locator(".alert-success")).to_contain_text("veröffentlicht")
        assert Profile.objects.get(company=alpha).published

        # Beta searches by process and certification and asks for contact.
        other = new_page()
        login(other, live_server, bruno)
        nav_click(other, "Kompetenzatlas")
        other.get_by_label("Verfahren").select_option(label="CNC-Fräsen")
        other.get_by_label("Zertifizierung").select_option(label="IATF 16949")
        other.get_by_role("button", name="Suche").click()
        results = other.locator("article")
        expect(results).to_have_count(1)
        expect(results).to_contain_text("Alpha Präzisionstechnik GmbH")
        expect(other.get_by_text("Gamma Fräsen KG")).to_have_count(0)
        shots.take("search", other)
        other.set_viewport_size(PHONE)
        shots.take("search-phone", other)
        results.get_by_role("link", name="Alpha Präzisionstechnik GmbH").click()
        expect(other.get_by_text("vertrieb@alpha.example")).to_have_count(0)  # no address
        shots.take("profile-phone", other)
        other.get_by_role("link", name="Kontakt anfragen").click()
        other.get_by_label("Ihre Nachricht").fill(MESSAGE)
        shots.take("enquiry-phone", other)
        other.get_by_role("button", name="Anfrage senden").click()
        expect(other.locator(".alert-success")).to_contain_text("unterwegs")
        other.set_viewport_size({"width": 1280, "height": 900})
        assert Enquiry.objects.get().sender_company == beta

        mail = wait_until(
            lambda: _enquiry_mail(smtp_sink, vera.email),
            timeout=MAIL_TIMEOUT,
            what="the contact request mail",
        )
        text = mail.get_body(preferencelist=("plain",)).get_content()
        assert MESSAGE in text and bruno.email in text

        # Who is coming: Anna registers herself and Carl, and agrees to be listed herself.
        page.goto(f"/forums/{forum.pk}/")
        page.get_by_label(re.compile("auf der Teilnehmerliste zeigen")).check()
        shots.take("register-me-and-be-listed", page)
        page.get_by_role("button", name="Mich anmelden").click()
        page.get_by_label(carl.full_name).check()
        page.get_by_role("button", name="Anmelden", exact=True).click()
        expect(page.get_by_text("Sie stehen auf der Teilnehmerliste.")).to_be_visible()

        # Bruno registers without agreeing; he sees Anna, and neither Carl nor himself.
        other.goto(f"/forums/{forum.pk}/")
        other.get_by_role("button", name="Mich anmelden").click()
        attendees = other.locator("#attendees table")
        expect(attendees).to_contain_text("Anna Alpha")
        expect(attendees).to_contain_text("Alpha Präzisionstechnik GmbH")
        expect(attendees).not_to_contain_text("Carl Alpha")
        expect(attendees).not_to_contain_text("Bruno Beta")
        expect(other.get_by_text("Sie stehen nicht auf der Teilnehmerliste.")).to_be_visible()
        shots.take("attendee-list", other)
        other.set_viewport_size(PHONE)
        shots.take("attendee-list-phone", other)

    listed = Registration.objects.filter(forum=forum, listed_since__isnull=False)
    assert list(listed.values_list("contact__email", flat=True)) == [anna.email]
