"""Mail content in the cluster manager's hands, in a real browser against the live server, a
real Celery worker process and a real SMTP sink:

1. she changes the wording of the forum invitation and sees it in the preview, then the
   wording of the circular mail (the greeting and closing around each circular's own text);
2. writes a circular, picks one sector, sees the count and the preview, sends a test to
   herself (the sink receives it), then sends it now: the sink receives it for exactly that
   sector's contacts, with her wording;
3. the ESP reports a hard bounce for one of them (Postmark's tracking webhook, with the
   webhook secret, naming the mail the sink received);
4. she finds that contact among the undeliverable addresses and on the company's page, and
   the circular counts the bounce.
"""

import base64
import json
import re
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime

from django.utils import timezone, translation
from playwright.sync_api import expect

from members.models import Cluster, Sector
from metalldialog.celery import app as celery_app
from outbox.mailtexts import catalogue
from tests.factories import company_with_contacts
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import running_workers, wait_until, worker_env

from .checks import both_widths
from .conftest import login, nav_click

INVITATION_SENTENCE = "Bringen Sie gern eine Kollegin oder einen Kollegen aus der Fertigung mit."
CIRCULAR_SENTENCE = "Antworten Sie einfach auf diese Mail, das Clusterbüro meldet sich bald."
SUBJECT = "Förderaufrufe 2027"
SECTOR_CONTACTS = {"p0@alpha.example", "p1@alpha.example", "p2@alpha.example"}
BOUNCED = "p1@alpha.example"
WEBHOOK_SECRET = "postmark:e2e-webhook-password"
MAIL_TIMEOUT = 60  # seconds; a worker starting on a loaded 2-core machine
MESSAGE_ID = re.compile(r"<outbox-(\d+)@")


def _network():
    """Alpha (3 contacts) in the tool-making sector, Beta (2 contacts) outside it."""
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    tools = Sector.objects.create(number=91, name="Werkzeugbau", wz2008="25.73", wz2025="25.73")
    alpha = company_with_contacts("Alpha GmbH", contacts=3, cluster=cluster)
    company_with_contacts("Beta AG", contacts=2, cluster=cluster)
    alpha.sectors.add(tools)


def _messages_to(sink, address: str) -> list:
    return [m for m in list(sink.messages) if address in str(m["To"])]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _postmark_bounce(email: str, mail_id: str, bounced_at: datetime) -> dict:
    """Postmark's bounce webhook as its documentation shows it; Metadata is what the outbox
    gave the mail (outbox.messages), which Postmark hands back."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "broadcast",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "circular",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"outbox_mail": mail_id},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "metalldialog@wfg-heilbronn.example",
        "BouncedAt": bounced_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": SUBJECT,
    }


def _post_webhook(url: str, payload: dict) -> int:
    request = urllib.request.Request(  # noqa: S310 - the live server's own address
        url,
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode(),
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status


def test_mail_content_journey(page, live_server, cluster_manager, smtp_sink, settings, screens):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": WEBHOOK_SECRET}
    _network()
    BrokerQueue(celery_app).take()  # tasks other tests left would keep the worker busy
    env = worker_env(settings.EMAIL_PORT)
    env["SITE_URL"] = live_server.url
    with ExitStack() as stack:
        stack.enter_context(running_workers(env, ["e2e-mail-content"], concurrency=1))
        login(page, live_server, cluster_manager)
        _edit_the_wording(page, screens)
        _send_the_circular(page, screens, smtp_sink)
    _bounce_arrives(page, screens, live_server, smtp_sink)


def _edit_the_wording(page, screens):
    with translation.override("de"):
        invitation = str(catalogue.get_or_404("forum_invitation").label)
        circular = str(catalogue.get_or_404("circular").label)
    nav_click(page, "Ausgehende E-Mails")
    page.get_by_role("link", name="Mailtexte").click()
    expect(page.get_by_role("heading", name="Mailtexte")).to_be_visible()

    page.get_by_role("link", name=f"{invitation} (Deutsch) bearbeiten", exact=True).click()
    body = page.get_by_label("Mailtext (Markdown)")
    body.fill(body.input_value().rstrip() + "\n\n" + INVITATION_SENTENCE)
    page.get_by_role("button", name="Vorschau").click()
    html_part = page.frame_locator("#mailtext-preview iframe")
    expect(html_part.get_by_text(INVITATION_SENTENCE)).to_be_visible()
    both_widths(page, screens, "invitation-preview")
    page.locator("#mailtext-preview iframe").screenshot(path=screens.path("invitation-html-part"))
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Mailtext ist gespeichert")).to_be_visible()
    expect(page.get_by_label("Mailtext (Markdown)")).to_have_value(re.compile(INVITATION_SENTENCE))

    # The circular's mail: her greeting and closing around each circular's own text.
    page.get_by_role("link", name="Mailtexte").first.click()
    page.get_by_role("link", name=f"{circular} (Deutsch) bearbeiten", exact=True).click()
    expect(page.get_by_label("Betreff")).to_have_value("{{ subject }}")
    page.get_by_label("Mailtext (Markdown)").fill(
        "Guten Tag {{ name }},\n\n{{ body }}\n\n" + CIRCULAR_SENTENCE
    )
    page.get_by_role("button", name="Vorschau").click()
    html_part = page.frame_locator("#mailtext-preview iframe")
    expect(html_part.get_by_text(CIRCULAR_SENTENCE)).to_be_visible()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Mailtext ist gespeichert")).to_be_visible()
    page.get_by_role("link", name="Mailtexte").first.click()
    expect(page.locator("#mailtext-list")).to_contain_text("angepasst")
    both_widths(page, screens, "mail-texts-edited")


def _send_the_circular(page, screens, sink):
    nav_click(page, "Rundschreiben")
    page.get_by_role("link", name="Rundschreiben verfassen").click()
    page.get_by_label("Betreff").fill(SUBJECT)
    page.get_by_label("Text").fill(
        "Liebe Mitglieder,\n\nbis **31. März** können Anträge gestellt werden."
    )
    page.get_by_role("button", name="Speichern und Empfänger wählen").click()
    expect(page.get_by_text("Das Rundschreiben ist gespeichert.")).to_be_visible()

    page.get_by_label("Branche").select_option(label="Werkzeugbau")
    page.get_by_role("button", name="Zielgruppe anzeigen").click()
    expect(page.locator('[data-count="to_send"]')).to_have_text("3")
    german = page.frame_locator("#preview-de iframe")
    expect(german.get_by_text("Guten Tag Person0 Alpha,")).to_be_visible()
    expect(german.get_by_text(CIRCULAR_SENTENCE)).to_be_visible()
    expect(german.locator("strong", has_text="31. März")).to_be_visible()  # her Markdown
    both_widths(page, screens, "circular-audience")
    preview = page.locator("#preview-de")
    preview.scroll_into_view_if_needed()
    preview.screenshot(path=str(screens.path("circular-preview")))
    page.evaluate("window.scrollTo(0, 0)")

    page.get_by_role("button", name=re.compile("Test an cm@example.org senden")).click()
    expect(page.get_by_text("Ein Test des Rundschreibens ist unterwegs")).to_be_visible()
    test = wait_until(
        lambda: _messages_to(sink, "cm@example.org"), timeout=MAIL_TIMEOUT, what="the test mail"
    )[0]
    assert test["Subject"] == f"[Test] {SUBJECT}"
    assert "Test-Mail: Nur Sie haben dieses Rundschreiben erhalten." in _text(test)
    assert CIRCULAR_SENTENCE in _text(test)
    assert not any(_messages_to(sink, address) for address in SECTOR_CONTACTS)

    page.get_by_label("Jetzt senden").check()
    page.get_by_role("button", name="An 3 Kontakte senden").click()
    expect(page.get_by_text("Das Rundschreiben wird an 3 Kontakte gesendet.")).to_be_visible()
    progress = page.locator(".batch-progress").first
    expect(progress.locator("[data-count=sent]")).to_have_text("3", timeout=MAIL_TIMEOUT * 1000)
    both_widths(page, screens, "circular-sent")

    received = [m for m in list(sink.messages) if "cm@example.org" not in str(m["To"])]
    assert {str(m["To"]) for m in received} == SECTOR_CONTACTS  # nobody of Beta
    assert len(received) == 3
    for message in received:
        assert message["Subject"] == SUBJECT
        number = str(message["To"]).split("@")[0].removeprefix("p")
        for part in (_text(message), _html(message)):
            assert f"Guten Tag Person{number} Alpha," in part
            assert CIRCULAR_SENTENCE in part
        assert "<strong>31. März</strong>" in _html(message)


def _bounce_arrives(page, screens, live_server, sink):
    mail_to_bounce = _messages_to(sink, BOUNCED)[0]
    mail_id = MESSAGE_ID.search(mail_to_bounce["Message-ID"]).group(1)
    bounced_at = datetime.now(UTC).replace(microsecond=0)
    status = _post_webhook(
        f"{live_server.url}/anymail/postmark/tracking/",
        _postmark_bounce(BOUNCED, mail_id, bounced_at),
    )
    assert status == 200
    since = timezone.localtime(bounced_at).strftime("%d.%m.%Y, %H:%M")

    nav_click(page, "Ansprechpersonen")
    page.get_by_label("Adresse unzustellbar").select_option(label="Ja")
    page.get_by_role("button", name="Filtern", exact=True).click()
    expect(page.get_by_text("1 Kontakt", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=BOUNCED)
    expect(row).to_contain_text(f"Adresse unzustellbar seit {since}")
    expect(row).to_contain_text("5.1.1")
    both_widths(page, screens, "contacts-undeliverable")

    row.get_by_role("link", name="Alpha GmbH").click()
    expect(page.get_by_text(f"Adresse unzustellbar seit {since}")).to_be_visible()
    both_widths(page, screens, "company-undeliverable")

    nav_click(page, "Rundschreiben")
    circular_row = page.get_by_role("row").filter(has_text=SUBJECT)
    expect(circular_row.locator("[data-count=bounced]")).to_have_text("1")
    both_widths(page, screens, "circulars-bounced")
