"""The pages end to end: a company requests, the project manager proposes, the company picks;
minutes, assessment and the maturity chart; bad form input answers with a message, not a 500."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sefex import services
from sefex.models import AvailabilityRule, MaturityAssessment, Workshop

from .conftest import future, held

FMT = "%Y-%m-%dT%H:%M"


def test_request_propose_choose_through_the_pages(
    client, company_user_a, project_manager, module, contacts_a
):
    client.force_login(company_user_a)
    response = client.post(
        reverse("sefex:request"),
        {
            "module": module.pk,
            "preferred_from": (timezone.localdate() + timedelta(days=7)),
            "note": "Wir wollen eigene Produkte anbieten.",
        },
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and workshop.requested_by == company_user_a
    client.force_login(project_manager)
    queue = client.get(reverse("sefex:queue")).content.decode()
    assert "eigene Produkte" in queue
    response = client.post(
        reverse("sefex:propose", args=[workshop.pk]),
        {
            "project_manager": project_manager.pk,
            "duration_hours": "3",
            "slot_1": future(5).strftime(FMT),
            "slot_2": future(6, hour=13).strftime(FMT),
            "invite": [contacts_a[0].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SLOTS_PROPOSED
    client.force_login(company_user_a)
    page = client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    slot = workshop.slots.order_by("starts_at").last()
    assert f'value="{slot.pk}"' in page
    client.post(reverse("sefex:choose", args=[workshop.pk]), {"slot": slot.pk})
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SCHEDULED
    assert workshop.ends_at - workshop.starts_at == timedelta(hours=3)


def test_bad_form_input_gets_a_message_and_writes_nothing(
    client, project_manager, company_a, module
):
    workshop = services.workshop_request(actor=None, company=company_a, module=module)
    client.force_login(project_manager)
    past = (timezone.localtime() - timedelta(days=1)).strftime(FMT)
    response = client.post(
        reverse("sefex:propose", args=[workshop.pk]),
        {
            "project_manager": project_manager.pk,
            "duration_hours": "4",
            "slot_1": past,
            "slot_2": future(3).strftime(FMT),
        },
    )
    assert response.status_code == 200
    assert "Vergangenheit" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.REQUESTED and not workshop.slots.exists()
    # Garbage in every field: still a form with errors, not a 500.
    response = client.post(
        reverse("sefex:schedule", args=[workshop.pk]),
        {
            "project_manager": "x",
            "duration_hours": "-3",
            "starts_at": "gestern",
        },
    )
    assert response.status_code == 200
    # Overlapping availability through the page.
    data = {
        "kind": "rule",
        "rule-weekday": 1,
        "rule-start_time": "09:00",
        "rule-end_time": "13:00",
        "rule-valid_from": timezone.localdate().isoformat(),
    }
    assert client.post(reverse("sefex:availability"), data).status_code == 302
    data["rule-start_time"], data["rule-end_time"] = "10:00", "11:00"
    response = client.post(reverse("sefex:availability"), data)
    assert response.status_code == 200
    assert "überschneidet sich" in response.content.decode()
    assert AvailabilityRule.objects.count() == 1
    # A foreign workshop id on a staff page is a 404.
    assert client.get(reverse("sefex:propose", args=[99999])).status_code == 404


def test_minutes_assessment_and_chart(
    client, project_manager, company_user_a, company_a, module, cluster_manager
):
    first = held(company_a, module, project_manager, future(3), now=future(4))
    second = held(company_a, module, project_manager, future(30), now=future(31))
    client.force_login(project_manager)
    for workshop, scores in ((first, [1, 2, 1, 3, 2]), (second, [3, 3, 2, 4, 3])):
        response = client.post(
            reverse("sefex:minutes", args=[workshop.pk]),
            {
                "agenda": "1. Ziele",
                "summary": "",
                "situation": "Lohnfertigung",
                "goals": "Eigenes Produkt",
            },
        )
        assert response.status_code == 302
        data = dict(zip(MaturityAssessment.DIMENSIONS, scores, strict=True))
        response = client.post(
            reverse("sefex:assessment", args=[workshop.pk]), {**data, "note": ""}
        )
        assert response.status_code == 302
        response = client.post(reverse("sefex:release", args=[workshop.pk]))
        assert response.status_code == 302
    out_of_range = dict(zip(MaturityAssessment.DIMENSIONS, [6, 0, 3, 3, 3], strict=True))
    response = client.post(reverse("sefex:assessment", args=[first.pk]), out_of_range)
    assert response.status_code == 200
    assert MaturityAssessment.objects.get(workshop=first).strategy == 1
    client.force_login(company_user_a)
    portal = client.get(reverse("sefex:portal")).content.decode()
    assert "<svg" in portal and portal.count("<polyline") == 5
    client.force_login(cluster_manager)
    company_page = client.get(reverse("members:company", args=[company_a.pk]))
    assert company_page.status_code == 200
    assert "<polyline" in company_page.content.decode()


def test_calendar_shows_week_and_month(client, project_manager, company_a, module):
    start = future(2)
    services.workshop_schedule(
        workshop=services.workshop_request(actor=None, company=company_a, module=module),
        actor=project_manager,
        project_manager=project_manager,
        starts_at=start,
    )
    client.force_login(project_manager)
    for view in ("week", "month"):
        url = reverse("sefex:calendar") + f"?view={view}&date={start.date().isoformat()}&mine=1"
        page = client.get(url).content.decode()
        assert str(company_a) in page
    assert client.get(reverse("sefex:calendar") + "?date=kaputt").status_code == 200
