"""A company login in a real browser, against the live server, a real Celery worker and a real
SMTP sink: the cluster manager creates a login for a contact on the company's logins page, the
person sets a password from the mailed link and logs in, the manager deactivates the login and
finds every step in the audit trail. Screenshots at 1280 and at 390 pixels wide."""

import re

from playwright.sync_api import expect

from core.roles import Role
from members.grants import agency_wide_grant
from members.models import Company, Contact, User
from members.services import user_create
from metalldialog.celery import app as celery_app
from tests.conftest import PASSWORD
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login, nav_click, submit_login

MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
NEW_PASSWORD = "Neckar-Ufer-2026!"
PHONE = {"width": 390, "height": 844}


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://\S+/logins/set-password/\S+/", text).group(0)


def test_login_journey(page, new_page, live_server, smtp_sink, settings, db):
    settings.SITE_URL = live_server.url
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    company = Company.objects.create(legal_name="Alpha Präzisionstechnik GmbH", city="Heilbronn")
    Contact.objects.create(
        company=company, first_name="Anna", last_name="Alpha", email="anna@alpha.example"
    )
    Contact.objects.create(company=company, first_name="Bernd", last_name="Ohnemail")
    shots = Screens(page, "logins")

    with running_workers(env, ["e2e-logins"], concurrency=1):
        login(page, live_server, manager)
        page.goto(f"/members/{company.pk}/")
        expect(
            page.get_by_text("Aus diesem Unternehmen hat noch niemand einen Zugang.")
        ).to_be_visible()
        page.get_by_role("link", name="Zugänge verwalten").click()
        anna = page.get_by_role("row").filter(has_text="Anna Alpha")
        bernd = page.get_by_role("row").filter(has_text="Bernd Ohnemail")
        expect(bernd.get_by_role("button")).to_have_count(0)  # no address, no login
        shots.take("logins-page")
        anna.get_by_role("button", name="Zugang anlegen").click()
        expect(page.locator(".alert-success")).to_contain_text("anna@alpha.example")
        expect(anna).to_contain_text("Passwort noch nicht festgelegt")
        shots.take("login-created")

        wait_until(lambda: smtp_sink.messages, timeout=MAIL_TIMEOUT, what="the set-password mail")
    (message,) = smtp_sink.messages
    assert message["To"] == "anna@alpha.example"

    person = new_page()
    person.set_viewport_size(PHONE)  # the person opens the mail on a phone
    person.goto(_link(message))
    expect(person.get_by_role("heading", name="Passwort festlegen")).to_be_visible()
    person.get_by_label(re.compile(r"Neues Passwort\W*$")).fill(NEW_PASSWORD)
    person.get_by_label("Neues Passwort bestätigen").fill(NEW_PASSWORD)
    shots.take("set-password", person)
    person.get_by_role("button", name="Passwort speichern").click()
    expect(person.locator(".alert-success")).to_contain_text("Ihr Passwort ist festgelegt")
    person.set_viewport_size({"width": 1280, "height": 800})  # the menu shows who is logged in
    submit_login(person, "anna@alpha.example", NEW_PASSWORD)
    shots.take("first-login", person)

    page.reload()
    expect(anna).to_contain_text("aktiv")
    anna.get_by_role("button", name="Deaktivieren").click()
    expect(page.locator(".alert-success")).to_contain_text("deaktiviert")
    assert not User.objects.get(email="anna@alpha.example").is_active
    person.reload()  # logged out at the next request
    nav = person.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Anmelden")).to_be_visible()
    expect(nav.get_by_text("anna@alpha.example")).to_have_count(0)

    nav_click(page, "Protokoll")
    trail = page.locator("main table")
    for step in (
        "Zugang angelegt",
        "Link zum Festlegen des Passworts gesendet",
        "Passwort von der Person festgelegt",
        "Zugang deaktiviert",
    ):
        expect(trail).to_contain_text(step)
    shots.take("audit-trail")
    page.get_by_label("Aktion").select_option(label="Zugang deaktiviert")
    page.get_by_role("button", name="Filtern").click()
    expect(trail.locator("tbody tr")).to_have_count(1)

    page.set_viewport_size(PHONE)
    shots.take("audit-trail-phone")
    page.goto(f"/members/{company.pk}/logins/")
    shots.take("logins-page-phone")
