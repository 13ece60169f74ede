"""Pages: staff see funding data; a company user sees their own certificates and nothing else
(foreign ids answer 404, staff pages 403); anonymous users go to the login. Bad input gets a
message and writes nothing. List pages run the same number of queries for 1 and 5 groups."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funding.models import AidRecord, ControlLink, Declaration

from .conftest import add_company, declare, future, held

STAFF_PAGES = [
    ("funding:overview", ()),
    ("funding:register", ()),
    ("funding:erdf", ()),
    ("funding:erdf_xlsx", ()),
    ("funding:register_csv", ()),
]


@pytest.fixture
def record_a(module, project_manager, company_a):
    declare(company_a, project_manager)
    return AidRecord.objects.get(workshop=held(company_a, module, project_manager, future()))


@pytest.fixture
def record_b(module, project_manager, company_b):
    declare(company_b, project_manager)
    return AidRecord.objects.get(workshop=held(company_b, module, project_manager, future(9)))


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_staff_pages_by_role(client, cluster_manager, project_manager, company_user_a, name, args):
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302  # anonymous -> login
    assert "login" in client.get(url)["Location"]
    for user in (cluster_manager, project_manager):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(company_user_a)
    assert client.get(url).status_code == 403


def test_company_page_for_staff_only(client, project_manager, company_user_a, company_a):
    url = reverse("funding:company", args=[company_a.pk])
    client.force_login(company_user_a)
    assert client.get(url).status_code == 403
    client.force_login(project_manager)
    assert client.get(url).status_code == 200
    assert client.get(reverse("funding:company", args=[999999])).status_code == 404


def test_company_user_sees_own_certificates_only(
    client, company_user_a, company_user_b, record_a, record_b
):
    client.force_login(company_user_a)
    own = client.get(reverse("funding:certificate", args=[record_a.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert client.get(reverse("funding:certificate", args=[record_b.pk])).status_code == 404
    assert client.get(reverse("funding:certificate", args=[999999])).status_code == 404
    page = client.get(reverse("funding:my")).content.decode()
    assert record_a.number in page and record_b.number not in page
    client.force_login(company_user_b)
    assert client.get(reverse("funding:certificate", args=[record_a.pk])).status_code == 404


def test_anonymous_certificate_goes_to_login(client, record_a):
    response = client.get(reverse("funding:certificate", args=[record_a.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_reach_every_certificate(client, cluster_manager, record_a, record_b):
    client.force_login(cluster_manager)
    for record in (record_a, record_b):
        assert client.get(reverse("funding:certificate", args=[record.pk])).status_code == 200


def test_staff_pages_closed_to_company_users_and_my_pages_to_staff(
    client, cluster_manager, company_user_a
):
    client.force_login(cluster_manager)
    assert client.get(reverse("funding:my")).status_code == 403
    assert client.get(reverse("funding:my_declaration")).status_code == 403


def _declaration_post(day, prior=None):
    data = {
        "declared_on": day.isoformat(),
        "signatory": "Anna Alpha",
        "aid-TOTAL_FORMS": "3",
        "aid-INITIAL_FORMS": "0",
        "aid-MIN_NUM_FORMS": "0",
        "aid-MAX_NUM_FORMS": "30",
    }
    for i in range(3):
        data[f"aid-{i}-legal_basis"] = "Verordnung (EU) 2023/2831"
    if prior:
        data.update({f"aid-0-{k}": v for k, v in prior.items()})
    return data


def test_company_user_submits_a_declaration_with_prior_aid(client, company_user_a, company_a):
    client.force_login(company_user_a)
    today = timezone.localdate()
    response = client.post(
        reverse("funding:my_declaration"),
        _declaration_post(
            today,
            {
                "grantor": "L-Bank",
                "granted_on": (today - timedelta(days=90)).isoformat(),
                "amount": "12500.00",
            },
        ),
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(company=company_a)
    assert not declaration.on_behalf
    assert [(a.grantor, str(a.amount)) for a in declaration.prior_aid.all()] == [
        ("L-Bank", "12500.00")
    ]


def test_bad_declarations_write_nothing(client, project_manager, company_a):
    client.force_login(project_manager)
    url = reverse("funding:declaration_create", args=[company_a.pk])
    today = timezone.localdate()
    future_day = client.post(url, _declaration_post(today + timedelta(days=3)))
    assert future_day.status_code == 400
    negative = client.post(
        url,
        _declaration_post(today, {"grantor": "X", "granted_on": today.isoformat(), "amount": "-1"}),
    )
    assert negative.status_code == 400
    after = client.post(
        url,
        _declaration_post(
            today - timedelta(days=5),
            {"grantor": "X", "granted_on": today.isoformat(), "amount": "5"},
        ),
    )
    assert after.status_code == 400
    assert not Declaration.objects.exists()
    ok = client.post(url, _declaration_post(today))
    assert ok.status_code == 302
    assert Declaration.objects.get().on_behalf


def test_staff_maintain_control_links(client, project_manager, company_a, company_b):
    client.force_login(project_manager)
    url = reverse("funding:link_add", args=[company_a.pk])
    client.post(url, {"direction": "controls", "other": company_b.pk})
    link = ControlLink.objects.get()
    assert (link.controlling, link.controlled) == (company_a, company_b)
    # The same pair again, either way round: refused with a message, nothing written.
    response = client.post(url, {"direction": "controlled_by", "other": company_b.pk}, follow=True)
    assert ControlLink.objects.count() == 1
    assert list(response.context["messages"])
    assert client.post(url, {"direction": "sideways", "other": "x"}).status_code == 302
    end = reverse("funding:link_end", args=[link.pk])
    response = client.post(end, {"company": company_a.pk, "ended_on": "nonsense"}, follow=True)
    assert list(response.context["messages"])  # a clear message, nothing written
    link.refresh_from_db()
    assert link.ended_on is None
    client.post(end, {"company": company_a.pk, "ended_on": link.valid_from.isoformat()})
    link.refresh_from_db()
    assert link.ended_on == link.valid_from and ControlLink.objects.count() == 1
    response = client.post(end, {"ended_on": link.valid_from.isoformat()}, follow=True)
    assert list(response.context["messages"])  # already ended: refused
    assert client.post(reverse("funding:link_end", args=[link.pk + 99])).status_code == 404


def test_company_user_cannot_touch_links(client, company_user_a, company_a, company_b):
    link = ControlLink.objects.create(controlling=company_a, controlled=company_b)
    client.force_login(company_user_a)
    assert client.post(reverse("funding:link_end", args=[link.pk])).status_code == 403
    assert ControlLink.objects.exists()


def test_register_csv_lists_the_period(client, cluster_manager, record_a, record_b):
    client.force_login(cluster_manager)
    day = record_a.grant_date
    # Both were booked today; record_b's booking is set two days later.
    AidRecord.objects.filter(pk=record_b.pk).update(grant_date=day + timedelta(days=2))
    response = client.get(
        reverse("funding:register_csv"), {"start": day.isoformat(), "end": day.isoformat()}
    )
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2  # header + record_a (record_b is two days later)
    assert record_a.number in lines[1] and "400,00" in lines[1]
    assert record_a.grant_date.strftime("%d.%m.%Y") in lines[1]


def _groups(first, count, module, manager):
    for i in range(first, first + count):
        company = add_company(f"Firma{i} GmbH", contacts=1)
        partner = add_company(f"Partner{i} GmbH", contacts=0)
        ControlLink.objects.create(controlling=company, controlled=partner)
        declare(company, manager)
        held(company, module, manager, future(7 + i))


@pytest.mark.parametrize("name", ["funding:overview", "funding:register", "funding:erdf"])
def test_list_pages_run_constant_queries(
    client, django_assert_num_queries, module, project_manager, name
):
    client.force_login(project_manager)
    query = {"start": "2020-01-01", "end": "2030-12-31"} if name != "funding:overview" else {}
    counts = []
    for first, added in ((0, 1), (1, 4)):  # 1 group, then 5
        _groups(first, added, module, project_manager)
        client.get(reverse(name), query)  # warm the session and the role cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), query).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[0]):
        client.get(reverse(name), query)


def test_ledger_warns_from_80_percent_and_marks_excess(client, cluster_manager, project_manager):
    today = timezone.localdate()
    warned, fine = add_company("Warn GmbH"), add_company("Fein GmbH")
    declare(warned, project_manager, prior=[(today - timedelta(days=30), "240000.00")])
    declare(fine, project_manager, prior=[(today - timedelta(days=30), "239999.99")])
    client.force_login(cluster_manager)
    body = client.get(reverse("funding:overview")).content.decode()
    rows = {
        name: body.split(name, 1)[1].split("</tr>", 1)[0] for name in ("Warn GmbH", "Fein GmbH")
    }
    assert "text-bg-warning" in rows["Warn GmbH"] and "80,0 %" in rows["Warn GmbH"]
    assert "text-bg-success" in rows["Fein GmbH"]


def test_staff_company_page_shows_the_funding_section(
    client, project_manager, company_user_a, company_a
):
    declare(
        company_a, project_manager, prior=[(timezone.localdate() - timedelta(days=9), "1000.00")]
    )
    client.force_login(project_manager)
    page = client.get(reverse("members:company", args=[company_a.pk])).content.decode()
    assert reverse("funding:company", args=[company_a.pk]) in page
    assert "1.000,00 EUR" in page


def test_company_user_choosing_a_slot_without_declaration_gets_the_message(
    client, module, project_manager, company_user_a, company_a
):
    """Through SEFEX's own page: the refusal is a message, not a 500, and nothing is booked."""
    from sefex import services as sefex_services
    from sefex.models import Workshop

    workshop = sefex_services.workshop_request(
        actor=company_user_a, company=company_a, module=module
    )
    sefex_services.slots_propose(
        workshop=workshop,
        actor=project_manager,
        project_manager=project_manager,
        starts=[future(7), future(8)],
    )
    slot = workshop.slots.first()
    client.force_login(company_user_a)
    response = client.post(
        reverse("sefex:choose", args=[workshop.pk]), {"slot": slot.pk}, follow=True
    )
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"]).lower()
    assert "de-minimis" in shown
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SLOTS_PROPOSED and workshop.starts_at is None
    # Once the company has declared, the same slot books.
    declare(company_a, company_user_a)
    client.post(reverse("sefex:choose", args=[workshop.pk]), {"slot": slot.pk})
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SCHEDULED
