"""Journey 3 in a real browser: a SEFEX workshop from the request to the de-minimis certificate.

A company user records the company's de-minimis declaration and requests a workshop; the
project manager proposes two appointments; the company user books one. After the appointment
(the clock moves on with time-machine, in this process, so the live server sees it) the
project manager marks it held, writes the minutes with an action item and a maturity
assessment, releases them and prints the de-minimis certificate, a PDF read back with
pdftotext.
"""

import re
import subprocess
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from funding import regulations
from funding.models import AidRecord, AidScheme, Regulation
from members.models import Company, Contact
from members.services import user_create
from metalldialog.roles import Role
from sefex.models import Module, Programme, Workshop
from tests.conftest import PASSWORD

from .conftest import Screens, login, nav_click

BERLIN = ZoneInfo("Europe/Berlin")
COMPANY = "Kappa Feinmechanik GmbH"
MODULE = "Strategisches Management"


@pytest.fixture
def sefex_world(db):
    # Reference data of a migration: a transactional test before this one may have emptied it.
    regulations.ensure(Regulation)
    programme = Programme.objects.create(
        name="SEFEX",
        funding_start=date(2017, 1, 1),
        funding_end=date(2035, 12, 31),
        hourly_value=Decimal("100.00"),
        default_duration_hours=Decimal("4"),
    )
    Module.objects.create(programme=programme, name=MODULE, position=0)
    Module.objects.create(programme=programme, name="Effizienz", position=1)
    AidScheme.objects.create(programme=programme, grantor="WFG Raum Heilbronn")
    company = Company.objects.create(legal_name=COMPANY, city="Heilbronn", postcode="74072")
    Contact.objects.create(
        company=company, first_name="Klara", last_name="Kappa", email="klara@kappa.example"
    )
    return {
        "company": company,
        "user": user_create(
            email="klara@kappa.example",
            role=Role.COMPANY_USER,
            company=company,
            password=PASSWORD,
        ),
        "manager": user_create(
            email="pm@example.org",
            role=Role.PROJECT_MANAGER,
            password=PASSWORD,
            first_name="Paula",
            last_name="Projekt",
        ),
    }


def _nav(page, name):
    nav_click(page, name)


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


def _workdays(today: date, count: int) -> list[date]:
    """The next `count` weekdays from the day after tomorrow on."""
    days, day = [], today + timedelta(days=2)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_sefex_journey(page, new_page, live_server, sefex_world, tmp_path):
    shots = Screens(page, "sefex")
    company_page, manager_page = page, new_page()
    today = timezone.localdate()
    day_one, day_two = _workdays(today, 2)
    first, second = _local(day_one, 9), _local(day_two, 13)

    # The company user: the de-minimis declaration, then the request.
    login(company_page, live_server, sefex_world["user"])
    _nav(company_page, "De-minimis")
    company_page.get_by_role("link", name="Erklärung abgeben").click()
    company_page.locator("input[name=declared_on]").fill(today.isoformat())
    company_page.locator("input[name=signatory]").fill("Klara Kappa")
    shots.take("declaration")
    company_page.get_by_role("button", name="Speichern").click()
    expect(company_page).to_have_url(re.compile(r"/funding/my/$"))
    expect(company_page.locator("main")).to_contain_text("Klara Kappa")

    _nav(company_page, "Unsere Workshops")
    company_page.get_by_role("link", name="Workshop anfragen").click()
    company_page.locator("select[name=module]").select_option(label=MODULE)
    company_page.locator("input[name=preferred_from]").fill(today.isoformat())
    until = today + timedelta(days=14)
    company_page.locator("input[name=preferred_until]").fill(until.isoformat())
    company_page.locator("textarea[name=note]").fill("Nachfolge und neue Märkte.")
    shots.take("request")
    company_page.get_by_role("button", name="Senden").click()
    expect(company_page.locator(".alert-success")).to_be_visible()
    workshop = Workshop.objects.get(company=sefex_world["company"])
    assert workshop.state == Workshop.State.REQUESTED
    shots.take("requested")

    # The project manager proposes two appointments.
    login(manager_page, live_server, sefex_world["manager"])
    _nav(manager_page, "SEFEX-Workshops")
    manager_page.get_by_role("link", name=re.compile(COMPANY)).first.click()
    expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
    manager_page.get_by_role("link", name="Termine vorschlagen").click()
    form = manager_page.locator("main form")
    form.locator("input[name=slot_1]").fill(first.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=slot_2]").fill(second.strftime("%Y-%m-%dT%H:%M"))
    shots.take("propose", page=manager_page)
    form.get_by_role("button", name="Speichern").click()
    expect(manager_page.locator(".alert-success")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SLOTS_PROPOSED
    shots.take("proposed", page=manager_page)

    # The company user books the first one.
    _nav(company_page, "Unsere Workshops")
    company_page.get_by_role("link", name=MODULE).click()
    slots = company_page.get_by_role("radio")
    expect(slots).to_have_count(2)
    slots.first.check()
    shots.take("choose-slot")
    company_page.get_by_role("button", name="Diesen Termin buchen").click()
    expect(company_page.locator(".alert-success")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SCHEDULED
    assert workshop.starts_at == first
    shots.take("booked")

    # The day after the workshop, the project manager documents it.
    with time_machine.travel(first + timedelta(days=1), tick=True):
        manager_page.reload()
        manager_page.get_by_role("button", name="Als durchgeführt markieren").click()
        expect(manager_page.locator(".alert-success")).to_be_visible()
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.HELD

        manager_page.get_by_role("link", name="Protokoll", exact=True).click()
        manager_page.locator("textarea[name=agenda]").fill("1. Ausgangslage\n2. Ziele")
        manager_page.locator("textarea[name=summary]").fill("Neue Märkte im Maschinenbau.")
        manager_page.get_by_role("button", name="Speichern").click()
        expect(manager_page.locator(".alert-success")).to_be_visible()

        manager_page.get_by_role("link", name="Maßnahme hinzufügen").click()
        manager_page.locator("input[name=title]").fill("Marktanalyse Maschinenbau")
        manager_page.locator("select[name=owner]").select_option(label="Klara Kappa")
        manager_page.locator("input[name=due_on]").fill((today + timedelta(days=60)).isoformat())
        shots.take("action-item", page=manager_page)
        manager_page.get_by_role("button", name="Speichern").click()
        expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
        expect(manager_page.locator("main")).to_contain_text("Marktanalyse Maschinenbau")

        manager_page.get_by_role("link", name="Reifegrad-Einschätzung").click()
        for name, score in (
            ("strategy", 3),
            ("market_access", 2),
            ("product_portfolio", 4),
            ("efficiency", 3),
            ("organisation", 2),
        ):
            manager_page.locator(f"input[name={name}]").fill(str(score))
        manager_page.locator("textarea[name=note]").fill("Starke Fertigung, wenig Vertrieb.")
        shots.take("assessment", page=manager_page)
        manager_page.get_by_role("button", name="Speichern").click()
        expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
        expect(manager_page.locator("main")).to_contain_text("Starke Fertigung, wenig Vertrieb.")

        manager_page.get_by_role("button", name="Protokoll freigeben").click()
        expect(manager_page.locator(".alert-success")).to_be_visible()
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.DOCUMENTED
        assert workshop.action_items.get().title == "Marktanalyse Maschinenbau"
        assert workshop.assessment.product_portfolio == 4
        shots.take("documented", page=manager_page)

        # The de-minimis certificate of the held workshop.
        record = AidRecord.objects.get(workshop=workshop)
        _nav(manager_page, "Förderung")
        manager_page.get_by_role("link", name=COMPANY).click()
        shots.take("funding", page=manager_page)
        manager_page.get_by_role("link", name="Bescheinigung (PDF)").click()
        expect(manager_page).to_have_url(
            re.compile(rf"/funding/records/{record.pk}/certificate\.pdf$")
        )
        # Chromium shows the PDF in its viewer (which a headless screenshot leaves blank); the
        # bytes come with the same session, and pdftoppm draws the page for the screenshots.
        response = manager_page.context.request.get(manager_page.url)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        pdf = tmp_path / "certificate.pdf"
        pdf.write_bytes(response.body())

    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(  # noqa: S603 - fixed argv
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607 - poppler-utils from make test-tools
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert COMPANY in text
    assert record.number in text
    picture = shots.path("certificate")
    subprocess.run(  # noqa: S603 - fixed argv
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(picture.with_suffix(""))],  # noqa: S607
        check=True,
    )

    # The company sees the released minutes with its action item.
    _nav(company_page, "Unsere Workshops")
    expect(company_page.locator("main")).to_contain_text("Marktanalyse Maschinenbau")
    shots.take("company-action-items")
