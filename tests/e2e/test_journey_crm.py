"""The cluster manager's follow-up in a real browser, against the live server, a real Celery
worker and a real SMTP sink: a sleeping member on the start page, a visit logged on the
company's page with a follow-up task for tomorrow, the reminder mail reaching the sink on the
due morning (not before, and once), and the task done from the start page. Screenshots at
1280 and at 390 pixels wide."""

import re
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from crm import mails
from crm.models import Task
from members.grants import cluster_grants_set
from members.models import Cluster, Company, Contact, Relationship
from members.services import user_create
from metalldialog.celery import app as celery_app
from outbox.services import mail_queue_due
from tests.conftest import PASSWORD
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import ROOT, kill, wait_until, worker_env

from .conftest import Screens, login

MAIL_TIMEOUT = 60  # seconds; a worker on a loaded 2-core machine
PHONE = {"width": 390, "height": 844}
# A real worker whose clock stands on the due morning (time-machine in the worker process).
WORKER_AT = """
import sys, time_machine
time_machine.travel(sys.argv[1], tick=True).start()
from celery.__main__ import main
sys.argv = ["celery", "-A", "metalldialog", "worker", "--pool=solo",
            "--hostname=e2e-crm-morning@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=WARNING"]
main()
"""


@contextmanager
def worker_at(env: dict, moment: datetime):
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own celery
        [sys.executable, "-c", WORKER_AT, moment.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        kill(process)


def test_crm_journey(page, live_server, smtp_sink, settings, db, request):
    settings.SITE_URL = live_server.url
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    manager = user_create(
        email="cm@example.org",
        role=Role.CLUSTER_MANAGER,
        password=PASSWORD,
        first_name="Clara",
        last_name="Clustermann",
    )
    cluster = Cluster.objects.create(slug="metall", name="MetallDIALOG")
    cluster_grants_set(login=manager, clusters=[cluster])
    company = Company.objects.create(legal_name="Alpha Präzisionstechnik GmbH", city="Heilbronn")
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.MEMBER, valid_from="2020-01-01"
    )
    Contact.objects.create(
        company=company, first_name="Anna", last_name="Alpha", email="anna@alpha.example"
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    morning = datetime.combine(tomorrow, mails.REMINDER_TIME, tzinfo=mails.BERLIN)
    shots = Screens(page, "crm")
    # Started now, so it is up when the morning comes (booting takes a while on a busy machine).
    stack = ExitStack()
    request.addfinalizer(stack.close)
    stack.enter_context(worker_at(env, morning + timedelta(minutes=5)))

    login(page, live_server, manager)
    sleeping = page.get_by_role("region", name="Inaktive Mitglieder ohne Nachfassaktion")
    expect(sleeping).to_contain_text(company.legal_name)
    shots.take("start-page")
    sleeping.get_by_role("link", name=company.legal_name).click()
    page.get_by_role("link", name="Aktivität erfassen").click()
    page.get_by_label("Art").select_option(label="Besuch")
    page.get_by_label("Thema").fill("Werksbesuch: neue Laseranlage")
    page.get_by_label("Text").fill("Interesse an Partnern für Baugruppen.")
    page.get_by_label("Anna Alpha").check()
    page.get_by_label("Nachfassaufgabe").fill("Angebot nachfassen")
    page.get_by_label("Fällig am").fill(tomorrow.isoformat())
    expect(page.get_by_label("Zuständig")).to_have_value(str(manager.pk))
    shots.take("activity-form")
    page.get_by_role("button", name="Aktivität speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Die Aktivität ist erfasst.")
    history = page.get_by_role("region", name="Kontakthistorie")
    expect(history.locator("#engagement-timeline")).to_contain_text("Werksbesuch")
    expect(history.locator("#engagement-timeline")).to_contain_text("Anna Alpha")
    expect(history.locator("#company-open-tasks")).to_contain_text("Angebot nachfassen")
    shots.take("company-timeline")
    task = Task.objects.get()

    # Not yet due today: the start page lists it not, and no member sleeps unattended.
    page.get_by_role("link", name="Übersicht").first.click()
    tasks_due = page.get_by_role("region", name="Ihre fälligen Aufgaben")
    expect(tasks_due).to_contain_text("Keine Aufgabe ist fällig.")
    expect(
        page.get_by_role("region", name="Inaktive Mitglieder ohne Nachfassaktion")
    ).to_contain_text("Für jedes inaktive Mitglied ist eine Nachfassaktion geplant.")

    # The evening before, beat hands nothing out; on the due morning, the reminder.
    assert mail_queue_due(now=morning - timedelta(minutes=1)) == 0
    with time_machine.travel(morning + timedelta(minutes=5), tick=True):
        assert mail_queue_due() == 1
        wait_until(lambda: smtp_sink.messages, timeout=MAIL_TIMEOUT, what="the reminder")
        assert mail_queue_due() == 0  # beat's next minute sends nothing twice
        (message,) = smtp_sink.messages
        assert message["To"] == manager.email
        assert message["Subject"] == "Heute fällig: Angebot nachfassen"
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert company.legal_name in text
        assert re.search(rf"{re.escape(live_server.url)}/crm/tasks/", text)

        page.reload()
        expect(tasks_due).to_contain_text("Angebot nachfassen")
        shots.take("task-due")
        page.set_viewport_size(PHONE)
        shots.take("task-due-phone")
        page.set_viewport_size({"width": 1280, "height": 800})
        tasks_due.get_by_role("button", name=re.compile("^Erledigt")).click()
        expect(page.locator(".alert-success")).to_contain_text("Erledigt: Angebot nachfassen")
        expect(tasks_due).to_contain_text("Keine Aufgabe ist fällig.")
        task.refresh_from_db()
        assert task.is_done
        shots.take("task-done")
    assert len(smtp_sink.messages) == 1
