"""Forum invitations end to end: audience, preview, send through the outbox, SMTP sink,
the personal link followed, opt-out honoured, follow-up, each contact invited once."""

import re
import signal
import threading
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forums import invitations
from forums.models import Forum, Registration
from members.models import Contact, Relationship
from outbox import services as outbox_services
from outbox.models import Batch, Mail
from tests.html import iframes
from tests.outbox.broker import BrokerQueue
from tests.outbox.workers import kill, running_workers, start_worker, wait_until, worker_env

from .conftest import add_company, build_forum


@pytest.fixture(autouse=True)
def _without_consent_gate(settings):
    """These tests are about the invitation mechanics and invite a partner company's
    contacts; the double opt-in that production applies to non-members is proven in
    tests/privacy/test_consent.py, which also checks that the gate is on by default."""
    settings.INVITATION_AUDIENCE_FILTERS = []


@pytest.fixture
def audience(make_company):
    """Two member companies with three contacts each, one partner company with two."""
    alpha = make_company("Alpha GmbH")
    beta = make_company("Beta AG")
    partner = make_company("Gamma KG", kind=Relationship.Kind.PARTNER, contacts=2)
    return {"alpha": alpha, "beta": beta, "partner": partner}


def _url(forum, name="forums:staff_invitations"):
    return reverse(name, args=[forum.pk])


def _send(client, forum, expected, **query):
    query.setdefault("audience", "all")
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(
        _url(forum, "forums:staff_invitations_send") + "?" + qs, {"expected": expected}
    )


def _run_send(client, forum, expected, broker, django_capture_on_commit_callbacks, **query):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, forum, expected, **query)
    assert response.status_code == 302
    return broker.run_all()


# --- permissions ---------------------------------------------------------------------


def test_page_is_for_cluster_management_only(
    client, forum, company_user_a, project_manager, cluster_manager
):
    url = _url(forum)
    assert "login" in client.get(url)["Location"]
    for user in (company_user_a, project_manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert _send(client, forum, 1).status_code == 403
    client.force_login(cluster_manager)
    assert client.get(url).status_code == 200
    assert client.get(reverse("forums:staff_invitations", args=[999999])).status_code == 404
    assert client.get(_url(forum, "forums:staff_invitations_send")).status_code == 405
    assert not Batch.objects.exists()


# --- audience, count and preview -------------------------------------------------------


def test_page_shows_count_and_preview(client, cluster_manager, forum, audience, cluster):
    client.force_login(cluster_manager)
    page = client.get(_url(forum), {"audience": "all"}).content.decode()
    assert 'data-count="matching">8<' in page
    assert 'data-count="to_send">8<' in page
    # The send button leads to a question first; its form carries the count the staff saw.
    assert 'name="expected"' not in page
    confirm = client.get(_url(forum, "forums:staff_invitations_confirm")).content.decode()
    assert 'name="expected" value="8"' in confirm
    assert not Batch.objects.exists()
    assert forum.title in page  # in the preview's subject and body
    assert "metallforum.ics" in page
    # The preview is the whole HTML part inside the iframe (escaped into its attribute).
    [preview] = iframes(page)
    assert preview["srcdoc"].lstrip().lower().startswith("<!doctype html")
    assert forum.title in preview["srcdoc"] and "</html>" in preview["srcdoc"]
    assert "height:34rem" in preview["style"]

    members_only = client.get(
        _url(forum), {"audience": "all", "cluster": cluster.pk, "relationship": "member"}
    ).content.decode()
    assert 'data-count="matching">6<' in members_only


def test_bad_filter_input_answers_without_error_and_sends_nothing(
    client, cluster_manager, forum, audience
):
    client.force_login(cluster_manager)
    for params in (
        {"cluster": "abc"},
        {"sector": "99999"},
        {"kind": "nonsense"},
        {"audience": "x"},
    ):
        assert client.get(_url(forum), params).status_code == 200, params
    response = client.post(
        _url(forum, "forums:staff_invitations_send") + "?cluster=abc", {"expected": 1}
    )
    assert response.status_code == 302
    response = _send(client, forum, "not-a-number")
    assert response.status_code == 302
    assert not Batch.objects.exists() and not Mail.objects.exists()


def test_draft_forum_cannot_be_sent(client, cluster_manager, make_forum, audience):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    client.force_login(cluster_manager)
    assert client.get(_url(draft)).status_code == 200
    response = _send(client, draft, 8)
    assert response.status_code == 302
    assert not Batch.objects.exists()
    with pytest.raises(ValidationError):
        invitations.invitation_send(forum=draft, data={"audience": "all"}, actor=cluster_manager)


def test_page_query_count_does_not_grow(
    client, cluster_manager, forum, make_company, django_assert_num_queries
):
    client.force_login(cluster_manager)
    make_company("Klein GmbH", contacts=2)
    client.get(_url(forum), {"audience": "all"})
    with django_assert_num_queries(4):
        client.get(_url(forum), {"audience": "all"})
    for i in range(6):
        make_company(f"Gross{i} GmbH", contacts=5)
    with django_assert_num_queries(4):
        page = client.get(_url(forum), {"audience": "all"})
    assert 'data-count="matching">32<' in page.content.decode()


# --- sending -----------------------------------------------------------------------


def test_send_delivers_one_personal_invitation_each(
    client,
    cluster_manager,
    forum,
    audience,
    smtp_sink,
    broker,
    django_capture_on_commit_callbacks,
):
    english = Contact.objects.get(email="p0@gamma.example")
    english.language = "en"
    english.save()
    client.force_login(cluster_manager)
    _run_send(client, forum, 8, broker, django_capture_on_commit_callbacks)

    assert Mail.objects.filter(kind="forum_invitation", state=Mail.State.SENT).count() == 8
    by_recipient = {str(m["To"]): m for m in smtp_sink.messages}
    assert len(smtp_sink.messages) == 8 and len(by_recipient) == 8

    message = by_recipient["p1@alpha.example"]
    assert forum.title in message["Subject"]
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Person1 Alpha" in text and "Person1 Alpha" in html
    assert "Heilbronn" in text  # imprint
    [attachment] = list(message.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == forum.title
    assert str(calendar["METHOD"]) == "PUBLISH"

    assert by_recipient["p0@gamma.example"]["Subject"].startswith("Invitation:")

    # The personal link works when followed: it registers this contact, without login.
    client.logout()
    link = re.search(r"http://\S+/forums/link/\S+/", text).group(0)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and forum.title in page.content.decode()
    client.post(urlsplit(link).path, {"action": "register"})
    registration = Registration.objects.get(forum=forum, contact__email="p1@alpha.example")
    assert registration.source == Registration.Source.INVITATION

    # Pressing "send" again invites nobody twice.
    client.force_login(cluster_manager)
    _run_send(client, forum, 8, broker, django_capture_on_commit_callbacks)
    assert len(smtp_sink.messages) == 8
    assert Batch.objects.count() == 1


def test_changed_audience_is_not_sent(client, cluster_manager, forum, audience, broker):
    client.force_login(cluster_manager)
    response = _send(client, forum, 7)  # the page said 7, but there are 8 now
    assert response.status_code == 302
    assert not Batch.objects.exists()


def test_opted_out_contact_is_not_invited_and_staff_see_why(
    client, cluster_manager, forum, audience, smtp_sink, broker, django_capture_on_commit_callbacks
):
    contact = Contact.objects.get(email="p2@beta.example")
    outbox_services.suppression_add(email=contact.email, contact=contact)
    client.force_login(cluster_manager)
    page = client.get(_url(forum), {"audience": "all"}).content.decode()
    assert 'data-count="opted_out">1<' in page
    # The reason stands beside the count (the send leaves the contact out, it writes no row).
    assert "Abgemeldet" in page or "Opted out" in page
    _run_send(client, forum, 7, broker, django_capture_on_commit_callbacks)
    assert "p2@beta.example" not in {str(m["To"]) for m in smtp_sink.messages}
    assert len(smtp_sink.messages) == 7
    assert not Mail.objects.filter(recipient_email="p2@beta.example").exists()


def test_follow_up_goes_only_to_those_who_did_not_answer(
    client, cluster_manager, forum, audience, smtp_sink, broker, django_capture_on_commit_callbacks
):
    client.force_login(cluster_manager)
    _run_send(client, forum, 8, broker, django_capture_on_commit_callbacks)
    answered = Contact.objects.get(email="p0@alpha.example")
    declined = Contact.objects.get(email="p0@beta.example")
    Registration.objects.create(
        forum=forum,
        contact=answered,
        company=answered.company,
        state="confirmed",
        source="invitation",
    )
    Registration.objects.create(
        forum=forum,
        contact=declined,
        company=declined.company,
        state="cancelled",
        source="invitation",
    )
    page = client.get(
        _url(forum, "forums:staff_invitations_confirm"),
        {"kind": "forum_invitation_followup", "audience": "all"},
    )
    assert 'name="expected" value="6"' in page.content.decode()

    smtp_sink.messages.clear()
    _run_send(
        client,
        forum,
        6,
        broker,
        django_capture_on_commit_callbacks,
        kind="forum_invitation_followup",
    )
    recipients = {str(m["To"]) for m in smtp_sink.messages}
    assert len(recipients) == 6
    assert "p0@alpha.example" not in recipients and "p0@beta.example" not in recipients
    # A second follow-up is a no-op.
    _run_send(
        client,
        forum,
        6,
        broker,
        django_capture_on_commit_callbacks,
        kind="forum_invitation_followup",
    )
    assert len(smtp_sink.messages) == 6


def test_progress_is_shown_while_sending(
    client, cluster_manager, forum, audience, smtp_sink, broker, django_capture_on_commit_callbacks
):
    client.force_login(cluster_manager)
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, forum, 8)
    batch = Batch.objects.get()
    page = client.get(_url(forum)).content.decode()
    assert 'data-count="planned">8<' in page and 'data-count="queued">8<' in page
    assert "hx-trigger" in page  # polls while open
    broker.run_all()
    fragment = client.get(reverse("outbox:batch_progress", args=[batch.pk])).content.decode()
    assert 'data-count="sent">8<' in fragment and "hx-trigger" not in fragment


@pytest.mark.django_db(transaction=True)
def test_two_staff_sending_at_once_invite_each_contact_once(cluster, cluster_manager):
    forum = build_forum(cluster)
    for i in range(3):
        add_company(cluster, f"Firma{i} GmbH", contacts=5)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait(timeout=10)
            invitations.invitation_send(
                forum=forum, data={"audience": "all"}, actor=cluster_manager
            )
            outcomes.append("sent")
        except ValidationError:
            outcomes.append("nobody left")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["nobody left", "sent"]
    [batch] = Batch.objects.all()
    assert batch.planned == 15


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_invitations_loses_none_and_resumes_within_a_minute(
    cluster, cluster_manager, smtp_sink, settings
):
    n = 1000
    forum = build_forum(cluster, capacity=2000)
    add_company(cluster, "Massen GmbH", contacts=n)
    from metalldialog.celery import app

    BrokerQueue(app).take()
    batch = invitations.invitation_send(
        forum=forum, data={"audience": "all"}, actor=cluster_manager
    )
    assert batch.planned == n
    env = worker_env(settings.EMAIL_PORT)

    worker = start_worker(env, "victim")
    try:
        wait_until(lambda: len(smtp_sink.messages) >= n // 3, timeout=45, what="a third sent")
    finally:
        kill(worker, signal.SIGKILL)
    assert len(smtp_sink.messages) < n, "the worker finished before it was killed"

    # Beat a minute later: dead rows back to the queue, the chunks dispatched again.
    outbox_services.mail_queue_due(now=timezone.now() + timedelta(seconds=61))
    with running_workers(env, ["restarted"]):
        wait_until(
            lambda: Mail.objects.filter(batch=batch, state=Mail.State.SENT).count() == n,
            timeout=45,
            what="every invitation sent",
        )
        wait_until(lambda: len(smtp_sink.messages) >= n, timeout=10, what="sink count")
    counts = Counter(str(m["To"]) for m in list(smtp_sink.messages))
    assert len(counts) == n, f"missing={n - len(counts)}"
    # At most the mail each process of the killed worker (two) was handing over goes twice.
    assert sum(c - 1 for c in counts.values()) <= 2, f"repeats={counts.most_common(3)}"


def test_chunks_lost_with_a_dead_worker_are_dispatched_again_by_beat(
    cluster_manager,
    forum,
    audience,
    smtp_sink,
    broker,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.OUTBOX_BATCH_CHUNK_SIZE = 3
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invitation_send(
            forum=forum, data={"audience": "all"}, actor=cluster_manager
        )
    # Bulk work has its own queue: a confirmation queued now does not wait behind it.
    assert broker.take("celery") == []
    queued = broker.take("bulk")  # the worker that took them died: the tasks are gone
    assert [name for name, _a, _k in queued] == ["outbox.batch_chunk"] * 3

    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.mail_queue_due()  # too early: the send may still be under way
    assert broker.take() == []

    later = timezone.now() + timedelta(seconds=61)  # a minute without progress
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.mail_queue_due(now=later)
    broker.run_all()
    assert Mail.objects.filter(batch=batch, state=Mail.State.SENT).count() == 8
    assert len(smtp_sink.messages) == 8
    # Complete now: beat leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.mail_queue_due(now=later + timedelta(hours=1))
    assert broker.take() == []


def test_bulk_rendering_equals_rendering_each_mail(forum, audience, time_machine):
    """MailMerge renders the forum once; every mail must still be exactly the single render."""
    time_machine.move_to(timezone.now(), tick=False)  # signed links carry the time
    contacts = list(Contact.objects.order_by("pk"))
    contacts[0].first_name = 'Ä <b>"&'  # escaped in HTML, as is in text
    contacts[1].language = "en"
    batch = Batch.objects.create(kind=invitations.INVITATION, related=forum)
    for kind in (invitations.INVITATION, invitations.FOLLOWUP):
        batch.kind = kind
        merged = invitations.invitation_mails(batch, contacts)
        for mail, contact in zip(merged, contacts, strict=True):
            single = invitations.invitation_preview(forum, contact, kind)
            assert (mail.subject, mail.text_body, mail.html_body) == (
                single.subject,
                single.text,
                single.html,
            )
    assert "&lt;b&gt;" in merged[0].html_body and "<b>" in merged[0].text_body
