"""Staff pages: who sees which mails, filters, detail, retry, templates, batch progress."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members.models import Company, Contact
from outbox import services
from outbox.models import Batch, Mail
from tests.html import iframes

pytestmark = pytest.mark.django_db


@pytest.fixture
def mails(queue_test_mail, contact, company_b):
    bruno = Contact.objects.get(company=company_b, first_name="Bruno")
    return {
        "anna": queue_test_mail(),
        "bruno": queue_test_mail(
            recipient_email="bruno@beta.example", contact=bruno, related=bruno
        ),
    }


def _many(contact, n, kind="bulk"):
    built = [
        services.mail_build(
            kind=kind,
            related=contact,
            recipient_email=f"r{i}@example.org",
            contact=contact,
            template="outbox_test",
            context={"name": f"R{i}"},
        )
        for i in range(n)
    ]
    return services.mail_queue_many(mails=built)


@pytest.mark.parametrize(
    "name,args",
    [
        ("outbox:mail_list", []),
        ("outbox:template_list", []),
    ],
)
def test_pages_need_a_staff_role(client, company_user_a, name, args):
    url = reverse(name, args=args)
    assert "login" in client.get(url)["Location"]
    client.force_login(company_user_a)
    assert client.get(url).status_code == 403


def test_company_user_gets_no_mail_detail(client, company_user_a, mails):
    client.force_login(company_user_a)
    mail = mails["anna"]  # even a mail to the user's own company's contact
    assert client.get(reverse("outbox:mail_detail", args=[mail.pk])).status_code == 403
    assert client.post(reverse("outbox:mail_retry", args=[mail.pk])).status_code == 403


def test_cluster_manager_sees_and_filters_mails(client, cluster_manager, mails, contact):
    client.force_login(cluster_manager)
    page = client.get(reverse("outbox:mail_list")).content.decode()
    assert "anna.alpha@alpha.example" in page and "bruno@beta.example" in page

    page = client.get(reverse("outbox:mail_list"), {"contact": contact.pk}).content.decode()
    assert "anna.alpha@alpha.example" in page and "bruno@beta.example" not in page

    page = client.get(reverse("outbox:mail_list"), {"q": "bruno"}).content.decode()
    assert "anna.alpha@alpha.example" not in page and "bruno@beta.example" in page

    content_type = ContentType.objects.get_for_model(Contact)
    scope = f"members.contact:{contact.pk}"
    page = client.get(reverse("outbox:mail_list"), {"scope": scope}).content.decode()
    assert "anna.alpha@alpha.example" in page and "bruno@beta.example" not in page
    assert content_type.pk  # the scope value names the content type by its natural key

    Mail.objects.filter(pk=mails["bruno"].pk).update(state=Mail.State.FAILED, last_error="boom")
    page = client.get(reverse("outbox:mail_list"), {"state": "failed"}).content.decode()
    assert "bruno@beta.example" in page and "anna.alpha@alpha.example" not in page
    assert "boom" in page


def test_bad_filter_values_answer_without_error(client, cluster_manager, mails):
    client.force_login(cluster_manager)
    for params in (
        {"scope": "nonsense"},
        {"scope": "members.contact:abc"},
        {"state": "exploded"},
        {"contact": "x"},
        {"page": "9999"},
    ):
        assert client.get(reverse("outbox:mail_list"), params).status_code == 200, params


def test_project_manager_sees_only_sefex_mails(client, project_manager, mails):
    client.force_login(project_manager)
    page = client.get(reverse("outbox:mail_list")).content.decode()
    assert "anna.alpha@alpha.example" not in page
    detail = reverse("outbox:mail_detail", args=[mails["anna"].pk])
    assert client.get(detail).status_code == 404


def test_detail_shows_content_and_error_and_retry_works(client, cluster_manager, mails, smtp_sink):
    mail = mails["anna"]
    Mail.objects.filter(pk=mail.pk).update(
        state=Mail.State.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone"
    )
    client.force_login(cluster_manager)
    url = reverse("outbox:mail_detail", args=[mail.pk])
    page = client.get(url).content.decode()
    assert "SMTPServerDisconnected: gone" in page
    assert mail.subject in page
    assert "this mail checks" in page or "diese" in page.lower()
    assert reverse("outbox:mail_retry", args=[mail.pk]) in page

    response = client.post(reverse("outbox:mail_retry", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.state == Mail.State.QUEUED and mail.attempts == 0
    # A second retry of a mail that is no longer failed is refused with a message.
    response = client.post(reverse("outbox:mail_retry", args=[mail.pk]), follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_retry_is_post_only(client, cluster_manager, mails):
    client.force_login(cluster_manager)
    assert client.get(reverse("outbox:mail_retry", args=[mails["anna"].pk])).status_code == 405


def test_unknown_mail_is_404(client, cluster_manager, db):
    client.force_login(cluster_manager)
    assert client.get(reverse("outbox:mail_detail", args=[999999])).status_code == 404


def test_attachment_download(client, cluster_manager, queue_test_mail, company_user_a):
    mail = queue_test_mail(attachments=[("forum.ics", b"BEGIN:VCALENDAR", "text/calendar")])
    client.force_login(cluster_manager)
    response = client.get(reverse("outbox:mail_attachment", args=[mail.pk, 0]))
    assert response.status_code == 200 and response.content == b"BEGIN:VCALENDAR"
    assert client.get(reverse("outbox:mail_attachment", args=[mail.pk, 1])).status_code == 404
    client.force_login(company_user_a)
    assert client.get(reverse("outbox:mail_attachment", args=[mail.pk, 0])).status_code == 403


def test_template_page_renders_every_template(client, cluster_manager):
    client.force_login(cluster_manager)
    for language in ("de", "en", "xx"):
        response = client.get(reverse("outbox:template_list"), {"language": language})
        assert response.status_code == 200
    page = response.content.decode()
    # Each mail by its name, not the code of its template or kind.
    assert "<strong>Testmail</strong>" in page and "<strong>outbox_test" not in page
    assert "Heilbronn" in page  # imprint in the rendered sample
    # Each sample's HTML part is whole inside its iframe (escaped into the attribute).
    frames = iframes(page)
    assert frames and all("</html>" in frame["srcdoc"] and frame.get("style") for frame in frames)


def test_list_query_count_does_not_grow(
    client, cluster_manager, contact, django_assert_num_queries
):
    client.force_login(cluster_manager)
    _many(contact, 3)
    client.get(reverse("outbox:mail_list"))  # warm caches (content types, session)
    # kinds, scopes, scope labels, count, state counts, rows, scopes (login: cache)
    with django_assert_num_queries(7):
        client.get(reverse("outbox:mail_list"))
    _many(contact, 40, kind="bulk2")
    with django_assert_num_queries(7):
        page = client.get(reverse("outbox:mail_list"))
    assert page.content.decode().count("r39@example.org") == 1


def test_batch_progress(client, cluster_manager, project_manager, contact):
    batch = Batch.objects.create(kind="bulk", planned=5)
    for i in range(3):
        services.mail_queue(
            kind="bulk",
            related=contact,
            recipient_email=f"p{i}@example.org",
            template="outbox_test",
            context={"name": "P"},
            batch=batch,
        )
    Mail.objects.filter(recipient_email="p0@example.org").update(state=Mail.State.SENT)
    client.force_login(cluster_manager)
    url = reverse("outbox:batch_progress", args=[batch.pk])
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-count="sent">1<' in page
    assert 'data-count="queued">4<' in page  # 2 queued rows + 2 not yet created
    assert "hx-trigger" in page

    Mail.objects.filter(batch=batch).update(state=Mail.State.SENT)
    Batch.objects.filter(pk=batch.pk).update(planned=3)
    page = client.get(url).content.decode()
    assert 'data-count="sent">3<' in page and "hx-trigger" not in page

    client.force_login(project_manager)
    assert client.get(url).status_code == 404
    assert Company.objects.exists()


def test_the_mail_list_names_the_kind_not_its_code(client, cluster_manager, mails):
    client.force_login(cluster_manager)
    page = client.get(reverse("outbox:mail_list")).content.decode()
    assert "Testmail" in page
    assert "outbox_test" not in page.replace('value="outbox_test"', "")  # the filter's value
