"""Circulars end to end through the services: write with PDFs, audience, test to oneself,
send to one sector through the outbox into a real SMTP sink, schedule and cancel."""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from circulars import audience, services
from circulars.models import Circular, CircularAttachment
from circulars.selectors import circulars_with_figures
from outbox.bounces import bounce_record
from outbox.mailtexts import catalogue
from outbox.mailtexts.services import mail_text_save
from outbox.mailtexts.starter import starter_draft
from outbox.models import Batch, Bounce, Mail
from outbox.services import suppression_add

from .conftest import pdf


def _sector(network, name="tools") -> QueryDict:
    return QueryDict(f"sector={network[name].pk}")


def _attachments_of(message) -> list[tuple[str, bytes]]:
    return [
        (part.get_filename(), part.get_payload(decode=True)) for part in message.iter_attachments()
    ]


def test_audience_counts_and_languages(circular, network):
    _filter, matching = audience.matching_contacts(_sector(network))
    summary = audience.summary(circular, matching)
    assert summary.matching == 6
    assert summary.count("cluster") == 1  # Delta has no relationship to the cluster
    assert summary.count("no_consent") == 1  # Gamma's p0: partner without double opt-in
    assert summary.count("opted_out") == 1  # Alpha's p1 is on the suppression list
    assert summary.to_send == 3
    assert audience.language_counts(circular, matching) == {"de": 2, "en": 1}
    emails = {c.email for c in audience.recipients(circular, matching)}
    assert emails == {"p0@alpha.example", "p2@alpha.example", "p1@gamma.example"}


def test_test_send_arrives_with_the_pdf(
    circular, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_test_send(circular=circular, actor=cluster_manager)
    broker.run_all()
    [message] = smtp_sink.messages
    assert message["To"] == "cm@example.org"
    assert message["Subject"] == "[Test] Neue Förderaufrufe"
    html = message.get_body(("html",)).get_content()
    assert "<strong>31. März</strong>" in html
    [(filename, content)] = _attachments_of(message)
    assert filename == "Aufruf.pdf"
    assert content == circular.attachments.get().file.open("rb").read()
    # A second test is a mail of its own (not swallowed by the outbox's unique key).
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_test_send(circular=circular, actor=cluster_manager)
    broker.run_all()
    assert len(smtp_sink.messages) == 2


def test_send_to_one_sector_reaches_exactly_those_contacts(
    circular, network, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_send(
            circular=circular, data=_sector(network), actor=cluster_manager, expected=3
        )
    broker.run_all()
    received = {m["To"]: m for m in smtp_sink.messages}
    assert set(received) == {"p0@alpha.example", "p2@alpha.example", "p1@gamma.example"}
    english = received["p2@alpha.example"]
    assert "Hello Person2 Alpha," in english.get_body(("plain",)).get_content()
    german = received["p0@alpha.example"]
    assert "Guten Tag Person0 Alpha," in german.get_body(("plain",)).get_content()
    assert german["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [name for name, _content in _attachments_of(german)] == ["Aufruf.pdf"]
    circular.refresh_from_db()
    assert circular.state == Circular.State.SENT
    assert circular.recipients_planned == 3
    assert circular.audience_query == f"sector={network['tools'].pk}"


def test_attachments_are_stored_once_not_in_the_mail_rows(
    circular, network, cluster_manager, broker, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_send(circular=circular, data=_sector(network), actor=cluster_manager)
    broker.run_all()
    files = [
        f
        for _root, _dirs, names in os.walk(circular.attachments.get().file.storage.location)
        for f in names
    ]
    assert len(files) == 1
    mails = Mail.objects.filter(kind="circular")
    assert mails.count() == 3
    for attachments in mails.values_list("attachments", flat=True):
        [stored] = attachments
        assert "content" not in stored
        assert stored["source"] == "circulars.attachment"
        assert stored["size"] == 3000


def test_figures_in_the_list(
    circular, network, cluster_manager, broker, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_send(circular=circular, data=_sector(network), actor=cluster_manager)
    broker.run_all()
    # A hard bounce report names the mail (as the bounce mailbox or the ESP's webhook does).
    bounced = Mail.objects.get(recipient_email="p1@gamma.example")
    bounce_record(
        email=bounced.recipient_email,
        kind=Bounce.Kind.HARD,
        reason="5.1.1 user unknown",
        source="test",
        report_key="report-1",
        mail_id=bounced.pk,
    )
    opted = Mail.objects.get(recipient_email="p0@alpha.example").contact
    suppression_add(email=opted.email, contact=opted)
    [row] = circulars_with_figures(user=cluster_manager)
    assert (row.recipients_planned, row.sent_count, row.bounced_count, row.opted_out_count) == (
        3,
        3,
        1,
        1,
    )


def test_empty_audience_is_refused_and_writes_nothing(circular, network, cluster_manager):
    nobody = QueryDict("postcode=99999")
    with pytest.raises(ValidationError, match="Niemand in dieser Auswahl"):
        services.circular_send(circular=circular, data=nobody, actor=cluster_manager)
    circular.refresh_from_db()
    assert circular.state == Circular.State.DRAFT
    assert not Batch.objects.exists()


def test_time_in_the_past_is_refused(circular, network, cluster_manager):
    with pytest.raises(ValidationError, match="in der Zukunft"):
        services.circular_send(
            circular=circular,
            data=_sector(network),
            actor=cluster_manager,
            send_at=timezone.now() - timedelta(minutes=1),
        )
    circular.refresh_from_db()
    assert (circular.state, circular.scheduled_at) == (Circular.State.DRAFT, None)


def test_scheduled_circular_goes_out_when_due(
    circular, network, cluster_manager, broker, smtp_sink, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=2)
    services.circular_send(
        circular=circular, data=_sector(network), actor=cluster_manager, send_at=at
    )
    assert services.circulars_send_due() == 0
    assert not Mail.objects.filter(kind="circular").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.circulars_send_due(now=at + timedelta(seconds=30)) == 1
    broker.run_all()
    assert len(smtp_sink.messages) == 3
    assert services.circulars_send_due(now=at + timedelta(minutes=5)) == 0


def test_cancelled_scheduled_circular_sends_nothing(
    circular, network, cluster_manager, broker, smtp_sink, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=2)
    services.circular_send(
        circular=circular, data=_sector(network), actor=cluster_manager, send_at=at
    )
    services.circular_cancel(circular=circular, actor=cluster_manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.circulars_send_due(now=at + timedelta(minutes=1)) == 0
    broker.run_all()
    assert smtp_sink.messages == []
    assert not Mail.objects.filter(kind="circular").exists()
    circular.refresh_from_db()
    assert circular.state == Circular.State.DRAFT
    with pytest.raises(ValidationError, match="geplantes"):
        services.circular_cancel(circular=circular, actor=cluster_manager)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([pdf("a.pdf", 3_000_000), pdf("b.pdf", 2_300_000)], "zusammen zu groß"),
        ([pdf(f"{n}.pdf") for n in "abcd"], "höchstens 3 Anhänge"),
        ([pdf("programm.exe")], "keine PDF-Datei"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_written(
    cluster, cluster_manager, files, message
):
    with pytest.raises(ValidationError, match=message):
        services.circular_create(
            cluster=cluster, subject="Zu viel", body="Text", uploads=files, actor=cluster_manager
        )
    assert not Circular.objects.exists()
    assert not CircularAttachment.objects.exists()


def test_update_counts_kept_attachments_against_the_limit(circular, cluster_manager):
    with pytest.raises(ValidationError, match="zusammen zu groß"):
        services.circular_update(
            circular=circular,
            cluster=circular.cluster,
            subject="Neu",
            body="Neu",
            uploads=[pdf("gross.pdf", 5 * 1024 * 1024 - 1000)],
            actor=cluster_manager,
        )
    circular.refresh_from_db()
    assert circular.subject == "Neue Förderaufrufe"
    assert circular.attachments.count() == 1
    kept = circular.attachments.get()
    services.circular_update(
        circular=circular,
        cluster=circular.cluster,
        subject="Neu",
        body="Neu",
        uploads=[pdf("gross.pdf", 5 * 1024 * 1024 - 1000)],
        remove_ids=[kept.pk],
        actor=cluster_manager,
    )
    assert [a.filename for a in circular.attachments.all()] == ["gross.pdf"]


def test_an_edited_circular_text_keeps_each_circulars_own_text_formatted(
    circular, network, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    mail_type = catalogue.get_or_404("circular")
    draft = starter_draft(mail_type, "de")
    # The editor starts from placeholders for the circular's text, not the sample's text.
    assert draft["subject"] == "{{ subject }}"
    assert "{{ body }}" in draft["body_markdown"]
    assert "31. März" not in draft["body_markdown"]
    draft["body_markdown"] += "\n\nIhr Clusterbüro antwortet binnen zwei Tagen."
    mail_text_save(mail_type=mail_type, language="de", draft=draft, actor=cluster_manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.circular_test_send(circular=circular, actor=cluster_manager)
        services.circular_send(
            circular=circular, data=_sector(network), actor=cluster_manager, expected=3
        )
    broker.run_all()
    received = {m["To"]: m for m in smtp_sink.messages}
    # The edited text has no place for the test's mark: it comes with subject and text.
    test = received["cm@example.org"]
    assert test["Subject"] == "[Test] Neue Förderaufrufe"
    assert (
        "Test-Mail: Nur Sie haben dieses Rundschreiben erhalten."
        in test.get_body(("plain",)).get_content()
    )
    german = received["p0@alpha.example"]
    assert german["Subject"] == "Neue Förderaufrufe"
    assert "Test-Mail" not in german.get_body(("plain",)).get_content()
    html = german.get_body(("html",)).get_content()
    text = german.get_body(("plain",)).get_content()
    assert "<strong>31. März</strong>" in html
    assert "**31. März**" in text  # the text part shows the Markdown as written
    for part in (html, text):
        assert "Guten Tag Person0 Alpha," in part
        assert "Ihr Clusterbüro antwortet binnen zwei Tagen." in part
        assert "Angehängt: Aufruf.pdf" in part
