"""Company B sees nothing of company A: workshops, minutes, action items, files, calendar files,
token links; every foreign id answers 404 and changes nothing. Staff-only pages refuse company
users; cluster managers may look but not change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sefex import services
from sefex.models import ActionItem, Attachment, Workshop
from sefex.tokens import make_slot_token

from .conftest import future, held, proposed

State = Workshop.State


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def documented_a(company_a, module, project_manager, contacts_a, media):
    workshop = held(company_a, module, project_manager, future(3), now=future(4))
    services.minutes_save(
        workshop=workshop,
        actor=project_manager,
        agenda="Geheime Agenda",
        findings={module.pk: ("Lage A", "Ziel A")},
    )
    item = services.action_item_create(
        workshop=workshop, actor=project_manager, title="Vertrauliche Maßnahme", owner=contacts_a[0]
    )
    upload = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 geheim", "application/pdf")
    attachment = services.attachment_add(workshop=workshop, actor=project_manager, upload=upload)
    services.workshop_document(workshop=workshop, actor=project_manager)
    return workshop, item, attachment


def test_company_b_gets_404_for_everything_of_a(
    client, company_user_b, documented_a, project_manager, company_a, module
):
    workshop, item, attachment = documented_a
    waiting = proposed(company_a, module, project_manager, [future(10), future(11)])
    client.force_login(company_user_b)
    gets = [
        reverse("sefex:detail", args=[workshop.pk]),
        reverse("sefex:detail", args=[waiting.pk]),
        reverse("sefex:ics", args=[workshop.pk]),
        reverse("sefex:file", args=[attachment.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("sefex:choose", args=[waiting.pk]), {"slot": waiting.slots.first().pk}),
        (reverse("sefex:withdraw", args=[waiting.pk]), {}),
        (reverse("sefex:action_done", args=[item.pk]), {"done": "1"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    waiting.refresh_from_db()
    item.refresh_from_db()
    assert waiting.state == State.SLOTS_PROPOSED
    assert item.state == ActionItem.State.OPEN
    # B's own overview lists nothing of A.
    page = client.get(reverse("sefex:portal")).content.decode()
    assert "Vertrauliche Maßnahme" not in page and "Geheime Agenda" not in page


def test_company_a_sees_its_minutes_items_and_file(client, company_user_a, documented_a):
    workshop, item, attachment = documented_a
    client.force_login(company_user_a)
    page = client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    assert "Geheime Agenda" in page and "Ziel A" in page and "Vertrauliche Maßnahme" in page
    response = client.get(reverse("sefex:file", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 geheim"
    assert "protokoll.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Vertrauliche Maßnahme" in client.get(reverse("sefex:portal")).content.decode()
    response = client.post(reverse("sefex:action_done", args=[item.pk]), {"done": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ActionItem.State.DONE


def test_minutes_stay_hidden_from_the_company_until_released(
    client, company_user_a, company_a, module, project_manager, media
):
    workshop = held(company_a, module, project_manager, future(3), now=future(4))
    services.minutes_save(workshop=workshop, actor=project_manager, agenda="Entwurf")
    item = services.action_item_create(workshop=workshop, actor=project_manager, title="Entwurf")
    upload = SimpleUploadedFile("entwurf.pdf", b"%PDF-1.4 x", "application/pdf")
    attachment = services.attachment_add(workshop=workshop, actor=project_manager, upload=upload)
    client.force_login(company_user_a)
    assert "Entwurf" not in client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    assert client.get(reverse("sefex:file", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("sefex:action_done", args=[item.pk])).status_code == 404


def test_another_companys_token_cannot_book_a_slot(
    client, company_a, company_b, module, project_manager
):
    workshop_a = proposed(company_a, module, project_manager, [future(3), future(4)])
    workshop_b = proposed(company_b, module, project_manager, [future(5), future(6)])
    token_b = make_slot_token(contact=company_b.contacts.first(), workshop=workshop_b)
    url = reverse("sefex:token", args=[token_b])
    response = client.post(url, {"slot": workshop_a.slots.first().pk}, follow=True)
    assert response.status_code == 200
    assert "Dieser Termin wurde für diesen Workshop nicht angeboten." in response.content.decode()
    workshop_a.refresh_from_db()
    workshop_b.refresh_from_db()
    assert workshop_a.state == workshop_b.state == State.SLOTS_PROPOSED
    assert workshop_a.slots.count() == 2
    # A token naming A's workshop but B's contact cannot exist unsigned; a forged one is refused.
    forged = token_b.replace(token_b[-5:], "abcde")
    assert client.get(reverse("sefex:token", args=[forged])).status_code == 400


def test_token_link_books_without_login(client, company_a, module, project_manager, contacts_a):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    token = make_slot_token(contact=contacts_a[0], workshop=workshop)
    url = reverse("sefex:token", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    slot = workshop.slots.order_by("starts_at").last()
    client.post(url, {"slot": slot.pk})
    workshop.refresh_from_db()
    assert (workshop.state, workshop.starts_at) == (State.SCHEDULED, slot.starts_at)
    assert contacts_a[0] in workshop.participants.all()


STAFF_URLS = ["sefex:queue", "sefex:list", "sefex:calendar", "sefex:availability", "sefex:create"]


def test_staff_pages_refuse_company_users_and_anonymous(client, company_user_a):
    for name in STAFF_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(company_user_a)
    for name in STAFF_URLS:
        assert client.get(reverse(name)).status_code == 403, name


def test_cluster_manager_looks_but_does_not_change(
    client, cluster_manager, company_a, module, project_manager
):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    client.force_login(cluster_manager)
    for name in ["sefex:queue", "sefex:list", "sefex:calendar"]:
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("sefex:detail", args=[workshop.pk])).status_code == 200
    response = client.post(
        reverse("sefex:schedule", args=[workshop.pk]),
        {
            "project_manager": project_manager.pk,
            "duration_hours": "4",
            "starts_at": future(5).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 403
    assert client.post(reverse("sefex:cancel", args=[workshop.pk])).status_code == 403
    workshop.refresh_from_db()
    assert workshop.state == State.SLOTS_PROPOSED
    assert not Attachment.objects.exists()
