"""A company's administrator invites a colleague, in a real browser against the live server,
a real Celery worker and a real SMTP sink: from the start page to the company's logins, a
login for a contact, the set-password mail naming who invited, the colleague's password and
first login; the administrator cannot remove itself as the last one; the cluster management
finds every step in the audit trail. Screenshots at 1280 and at 390 pixels wide."""

import re

from playwright.sync_api import expect

from core.roles import Role
from logins.services import login_admin_grant
from members.grants import agency_wide_grant
from members.models import Company, Contact, User
from members.services import user_create
from metalldialog.celery import app as celery_app
from tests.conftest import PASSWORD
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .conftest import Screens, login, nav_click, submit_login

MAIL_TIMEOUT = 30  # seconds; a worker on a loaded 2-core machine
NEW_PASSWORD = "Kocher-Ufer-2026!"
PHONE = {"width": 390, "height": 844}


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://\S+/logins/set-password/\S+/", text).group(0)


def test_company_logins_journey(page, new_page, live_server, smtp_sink, settings, db):
    settings.SITE_URL = live_server.url
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    manager = user_create(email="cm@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    agency_wide_grant(login=manager)  # every cluster, as before clusters were kept apart
    company = Company.objects.create(legal_name="Alpha Präzisionstechnik GmbH", city="Heilbronn")
    anna = Contact.objects.create(
        company=company, first_name="Anna", last_name="Alpha", email="anna@alpha.example"
    )
    Contact.objects.create(
        company=company, first_name="Cem", last_name="Kollege", email="cem@alpha.example"
    )
    admin = user_create(email=anna.email, role=Role.COMPANY_USER, contact=anna, password=PASSWORD)
    login_admin_grant(actor=manager, login=admin)
    shots = Screens(page, "company-logins")

    with running_workers(env, ["e2e-company-logins"], concurrency=1):
        login(page, live_server, admin)
        card = page.get_by_role("region", name="Zugänge Ihrer Kolleginnen und Kollegen")
        shots.take("start-page")
        card.get_by_role("link", name="Zugänge verwalten").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(company.legal_name)
        cem = page.get_by_role("row").filter(has_text="Cem Kollege")
        own = page.get_by_role("row").filter(has_text="Anna Alpha")
        expect(own).to_contain_text("Administrator")
        shots.take("logins-page")
        cem.get_by_role("button", name="Zugang anlegen").click()
        expect(page.locator(".alert-success")).to_contain_text("cem@alpha.example")
        expect(cem).to_contain_text("Passwort noch nicht festgelegt")
        wait_until(lambda: smtp_sink.messages, timeout=MAIL_TIMEOUT, what="the invitation")
    (message,) = smtp_sink.messages
    assert message["To"] == "cem@alpha.example"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Anna Alpha aus Ihrem Unternehmen hat Sie zu MetallDIALOG eingeladen" in text

    colleague = new_page()
    colleague.set_viewport_size(PHONE)  # the colleague opens the mail on a phone
    colleague.goto(_link(message))
    expect(colleague.get_by_role("heading", name="Passwort festlegen")).to_be_visible()
    colleague.get_by_label(re.compile(r"Neues Passwort\W*$")).fill(NEW_PASSWORD)
    colleague.get_by_label("Neues Passwort bestätigen").fill(NEW_PASSWORD)
    shots.take("set-password", colleague)
    colleague.get_by_role("button", name="Passwort speichern").click()
    expect(colleague.locator(".alert-success")).to_contain_text("Ihr Passwort ist festgelegt")
    colleague.set_viewport_size({"width": 1280, "height": 800})
    submit_login(colleague, "cem@alpha.example", NEW_PASSWORD)
    expect(colleague.get_by_role("heading", level=1)).to_contain_text(company.legal_name)
    # The colleague is no administrator: no way to the logins.
    expect(colleague.get_by_role("link", name="Zugänge verwalten")).to_have_count(0)
    shots.take("colleague-first-login", colleague)

    # The last administrator cannot remove itself.
    page.reload()
    own.get_by_role("button", name="Administratorrechte entziehen").click()
    expect(page.locator(".alert-danger")).to_contain_text("letzte Administrator")
    assert User.objects.get(pk=admin.pk).company_administrator
    page.set_viewport_size(PHONE)
    shots.take("logins-page-phone")

    staff = new_page()
    login(staff, live_server, manager)
    nav_click(staff, "Protokoll")
    trail = staff.locator("main table")
    for step in (
        "Zum Administrator der Zugänge des Unternehmens gemacht",
        "Zugang angelegt",
        "Link zum Festlegen des Passworts gesendet",
        "Passwort von der Person festgelegt",
    ):
        expect(trail).to_contain_text(step)
    shots.take("audit-trail", staff)
