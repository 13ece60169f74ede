"""The circulars pages: only the cluster management, forms with CSRF tokens, the audience
with counts and a preview per language, bad input answered in German with nothing written,
the list's figures in a fixed number of queries."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from circulars import services
from circulars.models import Circular, CircularAttachment
from members.models import Cluster
from outbox.models import Mail

from .conftest import pdf


def _url(name, *args):
    return reverse(f"circulars:{name}", args=args)


def _post_forms_have_csrf(html: str) -> None:
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S)
    assert forms
    for form in forms:
        assert "csrfmiddlewaretoken" in form


def test_pages_are_for_cluster_management_only(
    client, circular, company_user_a, project_manager, cluster_manager
):
    attachment = circular.attachments.get()
    pages = [
        ("get", _url("list")),
        ("get", _url("create")),
        ("get", _url("detail", circular.pk)),
        ("get", _url("edit", circular.pk)),
        ("get", _url("attachment", circular.pk, attachment.pk)),
        ("post", _url("test", circular.pk)),
        ("post", _url("send", circular.pk)),
        ("post", _url("cancel", circular.pk)),
    ]
    for method, url in pages:
        assert "login" in getattr(client, method)(url)["Location"]
    for user in (company_user_a, project_manager):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 403, url
    assert not Mail.objects.exists()
    client.force_login(cluster_manager)
    assert client.get(_url("detail", 999999)).status_code == 404
    assert client.get(_url("edit", 999999)).status_code == 404
    other = services.circular_create(
        cluster=circular.cluster, subject="Anderes", body="x", actor=cluster_manager
    )
    # An attachment through another circular's address is not found.
    assert client.get(_url("attachment", other.pk, attachment.pk)).status_code == 404
    response = client.get(_url("attachment", circular.pk, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_write_then_audience_with_counts_and_a_preview_per_language(
    client, network, cluster, cluster_manager
):
    client.force_login(cluster_manager)
    page = client.get(_url("create"))
    _post_forms_have_csrf(page.content.decode())
    response = client.post(
        _url("create"),
        {
            "cluster": cluster.pk,
            "subject": "Förderaufrufe 2027",
            "body": "Liebe Mitglieder,\n\n- Digitalisierung\n- Energie",
            "uploads": [pdf("Aufruf.pdf"), pdf("Formular.pdf")],
        },
    )
    circular = Circular.objects.get()
    assert response["Location"] == _url("detail", circular.pk)
    assert [a.filename for a in circular.attachments.all()] == ["Aufruf.pdf", "Formular.pdf"]
    html = client.get(_url("detail", circular.pk), {"sector": network["tools"].pk}).content
    html = html.decode()
    _post_forms_have_csrf(html)
    assert 'data-count="to_send">3<' in html
    assert 'data-count="opted_out">1<' in html
    assert 'data-count="no_consent">1<' in html
    assert 'data-count="lang-de">2<' in html
    assert 'data-count="lang-en">1<' in html
    assert 'id="preview-de"' in html and 'id="preview-en"' in html
    assert "Guten Tag Person0 Alpha" in html  # the German preview, in the iframe's srcdoc
    assert "Hello Person2 Alpha" in html
    assert "An 3 Kontakte senden" in html


def test_oversized_attachments_answer_in_german_and_write_nothing(client, cluster, cluster_manager):
    client.force_login(cluster_manager)
    response = client.post(
        _url("create"),
        {
            "cluster": cluster.pk,
            "subject": "Zu groß",
            "body": "Text",
            "uploads": [pdf("a.pdf", 3_000_000), pdf("b.pdf", 2_400_000)],
        },
    )
    assert response.status_code == 400
    assert "Die Anhänge sind zusammen zu groß" in response.content.decode()
    assert not Circular.objects.exists()
    assert not CircularAttachment.objects.exists()
    response = client.post(
        _url("create"),
        {
            "cluster": cluster.pk,
            "subject": "Zu viele",
            "body": "Text",
            "uploads": [pdf(f"{n}.pdf") for n in "abcd"],
        },
    )
    assert response.status_code == 400
    assert "höchstens 3 Anhänge" in response.content.decode()
    assert not Circular.objects.exists()


def test_send_at_a_past_time_is_refused(client, circular, network, cluster_manager):
    client.force_login(cluster_manager)
    past = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        _url("send", circular.pk) + f"?sector={network['tools'].pk}",
        {"when": "later", "send_at": past.strftime("%Y-%m-%dT%H:%M"), "expected": 3},
        follow=True,
    )
    assert "Der Versandzeitpunkt muss in der Zukunft liegen." in response.content.decode()
    circular.refresh_from_db()
    assert circular.state == Circular.State.DRAFT


def test_schedule_and_cancel_through_the_pages(client, circular, network, cluster_manager):
    client.force_login(cluster_manager)
    later = timezone.localtime() + timedelta(days=1)
    response = client.post(
        _url("send", circular.pk) + f"?sector={network['tools'].pk}",
        {"when": "later", "send_at": later.strftime("%Y-%m-%dT%H:%M"), "expected": 3},
        follow=True,
    )
    html = response.content.decode()
    assert "Das Rundschreiben ist geplant" in html
    assert "Versand abbrechen" in html
    _post_forms_have_csrf(html)
    circular.refresh_from_db()
    assert circular.state == Circular.State.SCHEDULED
    response = client.post(_url("cancel", circular.pk), follow=True)
    assert "wieder ein Entwurf" in response.content.decode()
    circular.refresh_from_db()
    assert (circular.state, circular.scheduled_at) == (Circular.State.DRAFT, None)
    # The draft opens with the audience it was scheduled for.
    html = client.get(_url("detail", circular.pk)).content.decode()
    assert 'data-count="to_send">3<' in html


def test_test_send_through_the_page(
    client, circular, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    client.force_login(cluster_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("test", circular.pk), {"language": "en"}, follow=True)
    assert "Ein Test des Rundschreibens ist unterwegs an cm@example.org" in (
        response.content.decode()
    )
    broker.run_all()
    [message] = smtp_sink.messages
    assert "Hello" in message.get_body(("plain",)).get_content()


def test_list_counts_in_the_same_number_of_queries_at_two_sizes(client, cluster, cluster_manager):
    client.force_login(cluster_manager)
    client.get(_url("list"))  # warms the session and the navigation
    counts = []
    for size in (1, 5):
        while Circular.objects.count() < size:
            services.circular_create(
                cluster=cluster, subject="Rundschreiben", body="x", actor=cluster_manager
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url("list"))
        assert response.content.decode().count("data-circular=") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_outbox_pages_show_and_serve_the_referenced_pdf(
    client, circular, cluster_manager, project_manager, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = services.circular_test_send(circular=circular, actor=cluster_manager)
    client.force_login(cluster_manager)
    detail = client.get(reverse("outbox:mail_detail", args=[mail.pk])).content.decode()
    assert "Aufruf.pdf" in detail
    response = client.get(reverse("outbox:mail_attachment", args=[mail.pk, 0]))
    assert response.status_code == 200
    assert response.content == circular.attachments.get().file.open("rb").read()
    # The SEFEX project management sees no circular's mail.
    client.force_login(project_manager)
    assert client.get(reverse("outbox:mail_attachment", args=[mail.pk, 0])).status_code == 404


def test_a_manager_of_another_cluster_neither_sees_nor_reaches_the_circular(client, circular):
    from tests.two_clusters import cluster_manager_of

    other_cluster = Cluster.objects.create(name="Kunststoffcluster", slug="kunststoff")
    outsider = cluster_manager_of("kunststoff@example.org", other_cluster)
    client.force_login(outsider)
    attachment = circular.attachments.get()
    for url in (
        _url("detail", circular.pk),
        _url("edit", circular.pk),
        _url("attachment", circular.pk, attachment.pk),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("test", "send", "cancel"):
        assert client.post(_url(name, circular.pk)).status_code == 404, name
    listed = client.get(_url("list")).content.decode()
    assert circular.subject not in listed
    # A new circular can only be for the manager's own cluster.
    form = client.get(_url("create")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", form)
    assert "Kunststoffcluster" in options and circular.cluster.name not in options
    answer = client.post(
        _url("create"), {"cluster": circular.cluster.pk, "subject": "Fremd", "body": "x"}
    )
    assert answer.status_code == 400
    assert not Circular.objects.filter(subject="Fremd").exists()
    assert not Mail.objects.exists()
