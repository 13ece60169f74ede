"""The minutes of a held workshop: only the fields of the module it was about; no action item
due before the workshop; releasing asks first and refuses empty minutes; the maturity scores
stay hidden from the company until the minutes are released."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sefex import services
from sefex.models import ActionItem, Finding, Workshop
from sefex.services import WorkshopError

from .conftest import future, held

SCORES = {
    "strategy": 2,
    "market_access": 3,
    "product_portfolio": 1,
    "efficiency": 4,
    "organisation": 2,
}


@pytest.fixture
def workshop(company_a, module, project_manager) -> Workshop:
    return held(company_a, module, project_manager, future(3), now=future(4))


def test_minutes_form_shows_the_fields_of_the_module_held(
    client, workshop, project_manager, programme
):
    others = list(programme.modules.exclude(pk=workshop.module_id).values_list("name", flat=True))
    client.force_login(project_manager)
    page = client.get(reverse("sefex:minutes", args=[workshop.pk])).content.decode()
    assert f"{workshop.module.name}: Ausgangslage" in page
    assert page.count("<textarea") == 4  # agenda, summary, situation, goals
    for name in others:
        assert name not in page
    response = client.post(
        reverse("sefex:minutes", args=[workshop.pk]),
        {"agenda": "1. Ziele", "summary": "", "situation": "Lohnfertiger", "goals": "Produkt"},
    )
    assert response.status_code == 302
    assert list(Finding.objects.values_list("module_id", "goals")) == [
        (workshop.module_id, "Produkt")
    ]


def test_findings_of_another_module_are_refused(workshop, project_manager, programme):
    other = programme.modules.exclude(pk=workshop.module_id).first()
    with pytest.raises(WorkshopError) as info:
        services.minutes_save(
            workshop=workshop,
            actor=project_manager,
            agenda="x",
            findings={other.pk: ("a", "b")},
        )
    assert info.value.code == "module"
    assert not Finding.objects.exists()


def test_action_item_due_before_the_workshop_is_refused(
    client, workshop, project_manager, contacts_a
):
    workshop_day = timezone.localdate(workshop.starts_at)
    with pytest.raises(WorkshopError) as info:
        services.action_item_create(
            workshop=workshop,
            actor=project_manager,
            title="Zu früh",
            due_on=workshop_day - timedelta(days=1),
        )
    assert info.value.code == "due_before_workshop"
    client.force_login(project_manager)
    response = client.post(
        reverse("sefex:action_new", args=[workshop.pk]),
        {
            "title": "Marktanalyse",
            "owner": contacts_a[0].pk,
            "due_on": (workshop_day - timedelta(days=30)).isoformat(),
            "state": "open",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    day = workshop_day.strftime("%d.%m.%Y")
    assert f"liegt vor dem Workshop am {day}" in page
    assert not ActionItem.objects.exists()
    # The workshop's own day is fine.
    item = services.action_item_create(
        workshop=workshop, actor=project_manager, title="Gleich", due_on=workshop_day
    )
    # An existing item keeps its date when edited; moving it before the workshop is refused.
    with pytest.raises(WorkshopError):
        services.action_item_update(
            item=item,
            actor=project_manager,
            title="Gleich",
            owner=None,
            due_on=workshop_day - timedelta(days=2),
            state="open",
        )
    item.refresh_from_db()
    assert item.due_on == workshop_day


def test_release_asks_first_and_refuses_empty_minutes(client, workshop, project_manager):
    url = reverse("sefex:release", args=[workshop.pk])
    client.force_login(project_manager)
    detail = client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a button that releases
    # The agenda alone says what was planned, not what came out.
    services.minutes_save(workshop=workshop, actor=project_manager, agenda="1. Ziele")
    page = client.get(url).content.decode()
    assert "Das Protokoll ist leer." in page
    assert "Protokoll jetzt freigeben" not in page
    response = client.post(url, follow=True)
    assert "Das Protokoll ist leer." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.HELD
    services.minutes_save(
        workshop=workshop, actor=project_manager, agenda="1. Ziele", summary="Neue Märkte"
    )
    page = client.get(url).content.decode()
    assert "Protokoll jetzt freigeben" in page
    assert "sehen die Nutzerinnen und Nutzer von Alpha Präzisionstechnik GmbH" in page
    assert workshop.state == Workshop.State.HELD  # looking at the question changes nothing
    response = client.post(url)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.DOCUMENTED
    # Once released, the page says so instead of offering it again.
    assert "Protokoll jetzt freigeben" not in client.get(url).content.decode()


def test_release_is_for_project_managers_only(
    client, workshop, project_manager, cluster_manager, company_user_a, company_user_b
):
    url = reverse("sefex:release", args=[workshop.pk])
    for user in (cluster_manager, company_user_a, company_user_b):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.HELD
    # No way around the question: the old one-click transition is gone; an unknown id is 404.
    client.force_login(project_manager)
    services.minutes_save(workshop=workshop, actor=project_manager, agenda="x", summary="y")
    transition = reverse("sefex:transition", args=[workshop.pk, "documented"])
    assert client.post(transition).status_code == 404
    assert client.get(reverse("sefex:release", args=[999999])).status_code == 404
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.HELD


def test_maturity_scores_stay_hidden_until_the_minutes_are_released(
    client, workshop, project_manager, company_user_a, company_user_b, company_a
):
    services.minutes_save(workshop=workshop, actor=project_manager, agenda="x", summary="y")
    services.assessment_save(workshop=workshop, actor=project_manager, note="Geheim", **SCORES)
    company_page = reverse("members:company", args=[company_a.pk])
    for user in (company_user_a, company_user_b):
        client.force_login(user)
        portal = client.get(reverse("sefex:portal")).content.decode()
        assert "<svg" not in portal and "Geheim" not in portal
        detail = client.get(reverse("sefex:detail", args=[workshop.pk]))
        assert detail.status_code == (200 if user == company_user_a else 404)
        assert "Geheim" not in detail.content.decode()
        response = client.get(company_page)
        assert "<svg" not in response.content.decode()
    # Staff see them before the release.
    client.force_login(project_manager)
    assert "<svg" in client.get(company_page).content.decode()
    services.workshop_document(workshop=workshop, actor=project_manager)
    client.force_login(company_user_a)
    portal = client.get(reverse("sefex:portal")).content.decode()
    assert "<svg" in portal and portal.count("<circle") == 5
    assert "Geheim" in client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    # The other company still sees nothing of it.
    client.force_login(company_user_b)
    assert "<svg" not in client.get(reverse("sefex:portal")).content.decode()


def test_chart_coordinates_are_never_localised(client, workshop, project_manager, company_user_a):
    services.minutes_save(workshop=workshop, actor=project_manager, agenda="x", summary="y")
    services.assessment_save(workshop=workshop, actor=project_manager, **SCORES)
    services.workshop_document(workshop=workshop, actor=project_manager)
    client.force_login(company_user_a)
    portal = client.get(reverse("sefex:portal"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    svg = portal[portal.index("<svg") : portal.index("</svg>")]
    assert 'y1="' in svg

    lengths = re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    assert lengths and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in lengths), lengths
