"""Mail texts staff edit: placeholders checked on save, preview, test send through the outbox
to a real SMTP sink, versions, reset to the shipped default, queued mails keep their text."""

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import AuditEvent
from outbox.mailtexts import catalogue, placeholders, services
from outbox.models import Mail, MailText
from outbox.tasks import send_mails

pytestmark = pytest.mark.django_db

KIND = "outbox_test"  # the outbox's own test mail: placeholders name, link (from its sample)
DRAFT = {
    "subject": "Hallo {{ name }} – neuer Betreff",
    "text": "",
    "body_markdown": "Guten Tag **{{ name }}**,\n\n[Zum Portal]({{ link }})\n\nGruß",
}


def _edit_url(kind=KIND, language="de"):
    return reverse("outbox:mailtext_edit", args=[kind, language])


def _post(client, action, draft=DRAFT, **kwargs):
    return client.post(_edit_url(**kwargs), dict(draft, action=action))


def test_company_users_and_project_managers_get_403(
    client, company_user_a, project_manager, cluster_manager
):
    urls = [
        reverse("outbox:mailtext_list"),
        _edit_url(),
        reverse("outbox:mailtext_reset", args=[KIND, "de"]),
    ]
    assert "login" in client.get(urls[0])["Location"]
    for user in (company_user_a, project_manager):
        client.force_login(user)
        assert client.get(urls[0]).status_code == 403
        assert client.get(urls[1]).status_code == 403
        assert _post(client, "save").status_code == 403
        assert client.post(urls[2]).status_code == 403
    assert not MailText.objects.exists()
    client.force_login(cluster_manager)
    assert client.get(_edit_url(kind="no_such_kind")).status_code == 404
    assert client.get(_edit_url(language="fr")).status_code == 404


def test_unknown_placeholder_is_refused_in_german_and_nothing_saved(client, cluster_manager):
    client.force_login(cluster_manager)
    draft = dict(DRAFT, body_markdown="Hallo {{ nmae }}, {% include 'x' %}")
    response = _post(client, "save", draft)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nichts wurde gespeichert" in page
    assert "Platzhalter {{ nmae }} ist für diese Mail nicht bekannt" in page
    assert "Vorlagenbefehle" in page
    assert not MailText.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="mail_text.").exists()


@pytest.mark.parametrize(
    "source,problem",
    [
        ("{{ name.__class__ }}", "unknown"),
        ("{{ name|upper }}", "unknown"),
        ("{% load static %}", "tag"),
        ("{{ name", "open"),
        ("{# note #}", "tag"),
    ],
)
def test_check_refuses_what_is_not_a_plain_placeholder(source, problem):
    [error] = placeholders.check(source, {"name": ""}, field_label="Text")
    expected = {"unknown": "nicht bekannt", "tag": "nicht erlaubt", "open": "nicht geschlossen"}
    assert expected[problem] in error


def test_values_are_read_not_called_and_html_is_escaped():
    class Sneaky:
        def delete(self):  # a method is never called by a placeholder
            raise AssertionError

    context = {"name": "<b>Anna</b> & Co", "thing": Sneaky(), "forum": {"title": "*Forum*"}}
    assert placeholders.fill_text("{{ thing.delete }}", context) == ""
    marked, names = placeholders.tokenize("Hi **{{ name }}** {{ forum.title }}")
    from core.markdown import markdown_to_html

    html = placeholders.fill_html(markdown_to_html(marked), names, context)
    assert "<strong>&lt;b&gt;Anna&lt;/b&gt; &amp; Co</strong>" in html
    assert "*Forum*" in html and "<em>" not in html  # a value is never read as Markdown


def test_preview_shows_the_edited_text_and_saves_nothing(client, cluster_manager):
    client.force_login(cluster_manager)
    response = _post(client, "preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-subject">Hallo Anna Alpha – neuer Betreff<' in page
    assert "&lt;strong&gt;Anna Alpha&lt;/strong&gt;" in page  # the HTML part, in the iframe
    assert not MailText.objects.exists()


def test_editor_lists_the_placeholders_and_starts_from_the_default(client, cluster_manager):
    client.force_login(cluster_manager)
    page = client.get(_edit_url(kind="forum_invitation")).content.decode()
    assert "{{ registration_url }}" in page and "Persönlicher Anmeldelink" in page
    assert "{{ forum.title }}" in page  # the starter: the default with its placeholders
    assert "Standardtext" in page


def test_test_send_goes_through_the_outbox_to_smtp(
    client, cluster_manager, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(cluster_manager)
    with django_capture_on_commit_callbacks(execute=False):
        response = _post(client, "test")
    assert response.status_code == 200
    [mail] = Mail.objects.all()
    assert mail.recipient_email == cluster_manager.email and mail.kind == KIND
    assert send_mails.apply(args=[[mail.pk]]).get()["sent"] == 1
    [message] = smtp_sink.messages
    assert message["To"] == cluster_manager.email
    assert message["Subject"] == "[Test] Hallo Anna Alpha – neuer Betreff"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "<strong>Anna Alpha</strong>" in html
    assert "/mail/opt-out/" in html and "/mail/opt-out/" in text  # the layout stays
    assert "Guten Tag **Anna Alpha**" in text  # no text version: the Markdown is the text
    assert f"Zum Portal: {settings.SITE_URL}" in text  # with the link's address
    assert not MailText.objects.exists()


def test_save_makes_new_mails_use_the_text_and_queued_mails_keep_theirs(
    client, cluster_manager, queue_test_mail, contact
):
    before = queue_test_mail()
    old_subject, old_html = before.subject, before.html_body

    client.force_login(cluster_manager)
    response = _post(client, "save")
    assert response.status_code == 302
    version = MailText.objects.get()
    assert version.created_by == cluster_manager and version.template == "emails/outbox_test"
    event = AuditEvent.objects.get(action="mail_text.saved")
    assert event.actor == cluster_manager

    before.refresh_from_db()
    assert (before.subject, before.html_body) == (old_subject, old_html)

    after = queue_test_mail(key_suffix="later")
    assert after.subject == f"Hallo {contact.full_name} – neuer Betreff"
    assert f"<strong>{contact.full_name}</strong>" in after.html_body
    assert "http://testserver/x?a=1&amp;b=2" in after.html_body  # the link, escaped
    # English is its own text: still the shipped default.
    english = queue_test_mail(key_suffix="en", language="en")
    assert "neuer Betreff" not in english.subject


def test_reset_goes_back_to_the_default_and_keeps_the_history(
    client, cluster_manager, queue_test_mail
):
    default_subject = queue_test_mail(key_suffix="default").subject
    client.force_login(cluster_manager)
    _post(client, "save")
    _post(client, "save", dict(DRAFT, subject="Zweite Fassung {{ name }}"))
    assert "Zweite Fassung" in queue_test_mail(key_suffix="second").subject

    response = client.post(reverse("outbox:mailtext_reset", args=[KIND, "de"]))
    assert response.status_code == 302
    assert queue_test_mail(key_suffix="reset").subject == default_subject
    assert list(MailText.objects.values_list("is_default", flat=True)) == [True, False, False]

    page = client.get(_edit_url()).content.decode()
    assert "Zweite Fassung" in page and "auf Standard zurückgesetzt" in page
    # A second reset has nothing to do: a message, no new row.
    client.post(reverse("outbox:mailtext_reset", args=[KIND, "de"]))
    assert MailText.objects.count() == 3


def test_list_shows_who_edited_and_its_queries_do_not_grow(
    client, cluster_manager, django_assert_max_num_queries
):
    client.force_login(cluster_manager)
    with django_assert_max_num_queries(8) as few:
        page = client.get(reverse("outbox:mailtext_list")).content.decode()
    count = len(few.captured_queries)  # now: the next request empties the query log
    assert page.count("Bearbeiten") >= 2 * len(catalogue.editable())
    for kind in ("forum_invitation", "forum_reminder", "crm_task_due"):
        mail_type = catalogue.get_or_404(kind)
        for language in ("de", "en"):
            services.mail_text_save(
                mail_type=mail_type,
                language=language,
                draft={"subject": "S", "text": "", "body_markdown": "B"},
                actor=cluster_manager,
            )
    with django_assert_max_num_queries(count):
        page = client.get(reverse("outbox:mailtext_list")).content.decode()
    assert page.count("angepasst") == 6


def test_sample_page_links_each_kind_to_its_editor(client, cluster_manager):
    client.force_login(cluster_manager)
    page = client.get(reverse("outbox:template_list")).content.decode()
    assert f'href="{_edit_url(kind="forum_invitation")}"' in page


def test_mails_are_built_and_texts_saved_while_redis_is_away(
    settings, cluster_manager, queue_test_mail, caplog
):
    settings.CACHES = {
        "default": {"BACKEND": "metalldialog.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    services.mail_text_save(
        mail_type=catalogue.get_or_404(KIND), language="de", draft=DRAFT, actor=cluster_manager
    )
    assert queue_test_mail().subject.endswith("– neuer Betreff")
    assert "mail text cache unavailable" in caplog.text  # the database answered


def test_editor_queries_do_not_grow_with_the_history(
    client, cluster_manager, django_assert_max_num_queries
):
    client.force_login(cluster_manager)
    mail_type = catalogue.get_or_404(KIND)
    services.mail_text_save(mail_type=mail_type, language="de", draft=DRAFT, actor=cluster_manager)
    client.get(_edit_url())  # warm the session and the cached text
    with django_assert_max_num_queries(10) as few:
        client.get(_edit_url())
    count = len(few.captured_queries)  # now: the next request empties the query log
    for number in range(5):
        draft = dict(DRAFT, subject=f"Fassung {number} {{{{ name }}}}")
        services.mail_text_save(
            mail_type=mail_type, language="de", draft=draft, actor=cluster_manager
        )
    client.get(_edit_url())
    with django_assert_max_num_queries(count):
        page = client.get(_edit_url()).content.decode()
    assert all(f"Fassung {number} {{{{ name }}}}" in page for number in range(5))  # history


def test_sender_placeholders_name_who_signs(client, cluster_manager, queue_test_mail):
    """The sender (a cluster's or the agency's identity) fills {{ sender.name }} and
    {{ sender.email }} in every edited text."""
    from members.identity import identity_for

    client.force_login(cluster_manager)
    draft = dict(DRAFT, body_markdown="Gruß\n\n{{ sender.name }} ({{ sender.email }})")
    assert _post(client, "save", draft=draft).status_code == 302
    mail = queue_test_mail(key_suffix="signed")
    sender = identity_for()
    assert sender.name and sender.email
    assert f"{sender.name} ({sender.email})" in mail.text_body
