"""Journey 3 in a real browser: a SEFEX workshop from the request to the de-minimis certificate,
using only what a person sees: every control is found by its label or role, must be visible
and not cut off by the page or a scrolling box, and is clicked or typed into like a person
would (never a value written into a hidden field).

A company user records the company's de-minimis declaration and requests a workshop (the
page says what a workshop is worth and the room left under the ceiling). The project manager
finds the request on the start page, sees the room and the company's history, ticks two of
the free times offered inside the wished period; the company user books one. After the
appointment (the clock moves on with time-machine, in this process, so the live server sees
it) the project manager marks it held, writes the minutes of the module held, is refused an
action item due before the workshop, adds it properly, assesses the maturity, releases the
minutes after the question page and prints the de-minimis certificate, a PDF read back with
pdftotext. The company then sees the minutes and its maturity chart without a console error.
"""

import re
import subprocess
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from core.roles import Role
from funding import regulations
from funding.models import AidRecord, AidScheme, Regulation
from members.models import Company, Contact
from members.services import user_create
from sefex import workdays
from sefex.models import AvailabilityRule, Module, Programme, Workshop
from tests.conftest import PASSWORD

from .conftest import TIMEOUT_MS, Screens, login

BERLIN = ZoneInfo("Europe/Berlin")
COMPANY = "Kappa Feinmechanik GmbH"
MODULE = "Strategisches Management"
OTHER_MODULE = "Effizienzsteigerung"


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
    Module.objects.create(programme=programme, name=OTHER_MODULE, position=1)
    AidScheme.objects.create(programme=programme, grantor="WFG Raum Heilbronn")
    company = Company.objects.create(legal_name=COMPANY, city="Heilbronn", postcode="74072")
    Contact.objects.create(
        company=company, first_name="Klara", last_name="Kappa", email="klara@kappa.example"
    )
    manager = user_create(
        email="pm@example.org",
        role=Role.PROJECT_MANAGER,
        password=PASSWORD,
        first_name="Paula",
        last_name="Projekt",
    )
    # The manager's week: every weekday morning and afternoon.
    for weekday in range(5):
        for start, end in ((time(9), time(13)), (time(13), time(17))):
            AvailabilityRule.objects.create(
                project_manager=manager,
                weekday=weekday,
                start_time=start,
                end_time=end,
                valid_from=timezone.localdate(),
            )
    return {
        "company": company,
        "user": user_create(
            email="klara@kappa.example",
            role=Role.COMPANY_USER,
            company=company,
            password=PASSWORD,
        ),
        "manager": manager,
    }


# --- what a person can reach -------------------------------------------------------------

# Brings the element to the middle of the window by scrolling the page only (not the boxes
# around it: a button a person must first find by scrolling a table sideways counts as cut
# off), then says whether its box lies inside the window and inside every ancestor that clips
# its content (overflow other than visible).
NOT_CUT_OFF = """element => {
    const first = element.getBoundingClientRect();
    window.scrollBy({top: first.top - innerHeight / 2 + first.height / 2, behavior: "instant"});
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight)
        return false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const frame = parent.getBoundingClientRect();
        if (box.left < frame.left - 1 || box.right > frame.right + 1
            || box.top < frame.top - 1 || box.bottom > frame.bottom + 1) return false;
    }
    return true;
}"""


def reachable(control: Locator) -> Locator:
    """The control is visible and, with the page scrolled to it, fully on screen."""
    expect(control).to_be_visible()
    assert control.evaluate(NOT_CUT_OFF), f"cut off or outside the window: {control}"
    return control


def click(control: Locator) -> None:
    reachable(control).click()


def type_into(control: Locator, text: str) -> None:
    reachable(control).fill(text)


def nav(page: Page, name: str) -> None:
    """A link of the main navigation, opening its drop-down group first if it sits in one."""
    menu = page.get_by_role("navigation", name="Hauptnavigation")
    link = menu.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # A link in a closed menu is hidden, so the menu is found by the hidden link.
        hidden = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        click(menu.locator(".dropdown").filter(has=hidden).get_by_role("button"))
    click(link)


def success(page: Page) -> None:
    expect(page.locator(".alert-success")).to_be_visible()


def _workdays_from(day: date, count: int) -> list[date]:
    found = []
    while len(found) < count:
        if workdays.is_workday(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


def test_sefex_journey(page, new_page, live_server, sefex_world, tmp_path):
    shots = Screens(page, "sefex")
    company_page, manager_page = page, new_page()
    today = timezone.localdate()
    # Free times start the day after the request, on workdays only.
    day_one, day_two = _workdays_from(today + timedelta(days=1), 2)
    first, second = _local(day_one, 9), _local(day_two, 13)

    # The company user: the de-minimis declaration, then the request.
    login(company_page, live_server, sefex_world["user"])
    nav(company_page, "De-minimis")
    main = company_page.get_by_role("main")
    expect(main).to_contain_text("Ihr verbleibender Spielraum bis zum Höchstbetrag")
    click(company_page.get_by_role("link", name="Erklärung abgeben"))
    type_into(company_page.get_by_label("Erklärt am"), today.isoformat())
    type_into(company_page.get_by_label("Unterzeichnet von"), "Klara Kappa")
    shots.take("declaration")
    click(company_page.get_by_role("button", name="Speichern"))
    expect(company_page).to_have_url(re.compile(r"/funding/my/$"))
    expect(main).to_contain_text("Klara Kappa")

    nav(company_page, "Unsere Workshops")
    click(company_page.get_by_role("link", name="Workshop anfragen"))
    reachable(company_page.get_by_label("Modul")).select_option(label=MODULE)
    type_into(company_page.get_by_label("Gewünscht ab"), today.isoformat())
    type_into(company_page.get_by_label("Gewünscht bis"), (today + timedelta(days=14)).isoformat())
    type_into(company_page.get_by_label("Notiz"), "Nachfolge und neue Märkte.")
    # What a workshop is worth as aid, how that is computed, and the room left.
    expect(main).to_contain_text("4 Stunden × (100,00 EUR Wert je Beratungsstunde")
    expect(main).to_contain_text("= 400,00 EUR")
    expect(main).to_contain_text("Ihre De-minimis-Erklärung vom")
    shots.take("request")
    click(company_page.get_by_role("button", name="Senden"))
    success(company_page)
    workshop = Workshop.objects.get(company=sefex_world["company"])
    assert workshop.state == Workshop.State.REQUESTED
    shots.take("requested")

    # The project manager finds the request on the start page and judges it.
    login(manager_page, live_server, sefex_world["manager"])
    nav(manager_page, "Übersicht")
    requests = manager_page.get_by_role("region", name="Offene Workshop-Anfragen")
    click(requests.get_by_role("link", name=f"{COMPANY} – {MODULE}"))
    expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
    aid = manager_page.get_by_role("region", name="De-minimis-Beihilfen")
    expect(aid).to_contain_text("Beihilfewert dieses Workshops")
    expect(aid).to_contain_text("299.600,00 EUR")  # the room after this workshop
    expect(manager_page.get_by_role("main")).to_contain_text("Keine weiteren Workshops")
    shots.take("judge-request", page=manager_page)

    # Two of the free times in the wished period, ticked by their labels.
    click(manager_page.get_by_role("link", name="Termine vorschlagen"))
    offered = manager_page.get_by_role("group", name="Freie Zeiten im Wunschzeitraum")
    for start in (first, second):
        end = start + timedelta(hours=4)
        label = f"{start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M}"
        click(offered.get_by_label(re.compile(re.escape(label))))
    shots.take("propose", page=manager_page)
    click(manager_page.get_by_role("button", name="Diese Termine vorschlagen"))
    success(manager_page)
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SLOTS_PROPOSED
    assert [s.starts_at for s in workshop.slots.order_by("starts_at")] == [first, second]
    shots.take("proposed", page=manager_page)

    # The company user sees the proposal on the start page and books the first one.
    nav(company_page, "Übersicht")
    workshops = company_page.get_by_role("region", name="Ihre Workshops")
    expect(workshops).to_contain_text("Bitte wählen Sie einen der vorgeschlagenen Termine.")
    click(workshops.get_by_role("link", name=MODULE))
    slots = company_page.get_by_role("radio")
    expect(slots).to_have_count(2)
    click(company_page.get_by_label(re.compile(re.escape(f"{day_one:%d.%m.%Y}, 09:00"))))
    shots.take("choose-slot")
    click(company_page.get_by_role("button", name="Diesen Termin buchen"))
    success(company_page)
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SCHEDULED
    assert workshop.starts_at == first
    shots.take("booked")

    # The day after the workshop, the project manager documents it.
    with time_machine.travel(first + timedelta(days=1), tick=True):
        manager_page.reload()
        click(manager_page.get_by_role("button", name="Als durchgeführt markieren"))
        success(manager_page)
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.HELD

        # The minutes of the module held, and no other module's fields.
        click(manager_page.get_by_role("link", name="Protokoll", exact=True))
        type_into(manager_page.get_by_label("Programm"), "1. Ausgangslage\n2. Ziele")
        type_into(manager_page.get_by_label("Zusammenfassung"), "Neue Märkte im Maschinenbau.")
        type_into(manager_page.get_by_label(f"{MODULE}: Ausgangslage"), "Reine Lohnfertigung.")
        type_into(manager_page.get_by_label(f"{MODULE}: Ziele"), "Ein eigenes Produkt.")
        expect(manager_page.get_by_label(f"{OTHER_MODULE}: Ausgangslage")).to_have_count(0)
        shots.take("minutes", page=manager_page)
        click(manager_page.get_by_role("button", name="Speichern"))
        success(manager_page)

        # An action item due before the workshop is refused with a message at the field.
        click(manager_page.get_by_role("link", name="Maßnahme hinzufügen"))
        type_into(manager_page.get_by_label("Maßnahme"), "Marktanalyse Maschinenbau")
        reachable(manager_page.get_by_label("Verantwortlich")).select_option(label="Klara Kappa")
        type_into(manager_page.get_by_label("Fällig am"), (day_one - timedelta(days=3)).isoformat())
        click(manager_page.get_by_role("button", name="Speichern"))
        expect(manager_page.get_by_role("main")).to_contain_text(
            f"liegt vor dem Workshop am {day_one:%d.%m.%Y}"
        )
        shots.take("action-item-refused", page=manager_page)
        type_into(manager_page.get_by_label("Fällig am"), (today + timedelta(days=60)).isoformat())
        click(manager_page.get_by_role("button", name="Speichern"))
        expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
        expect(manager_page.get_by_role("main")).to_contain_text("Marktanalyse Maschinenbau")

        click(manager_page.get_by_role("link", name="Reifegrad-Einschätzung"))
        for label, score in (
            ("Strategie", 3),
            ("Marktzugang", 2),
            ("Produktportfolio", 4),
            ("Effizienz", 3),
            ("Organisation", 2),
        ):
            type_into(manager_page.get_by_label(label), str(score))
        type_into(manager_page.get_by_label("Notiz"), "Starke Fertigung, wenig Vertrieb.")
        shots.take("assessment", page=manager_page)
        click(manager_page.get_by_role("button", name="Speichern"))
        expect(manager_page).to_have_url(re.compile(rf"/sefex/workshops/{workshop.pk}/$"))
        expect(manager_page.get_by_role("main")).to_contain_text(
            "Starke Fertigung, wenig Vertrieb."
        )

        # Releasing asks first and says what the company will see.
        click(manager_page.get_by_role("link", name="Protokoll freigeben"))
        expect(manager_page.get_by_role("main")).to_contain_text("Was freigegeben wird")
        shots.take("release-question", page=manager_page)
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.HELD
        click(manager_page.get_by_role("button", name="Protokoll jetzt freigeben"))
        success(manager_page)
        workshop.refresh_from_db()
        assert workshop.state == Workshop.State.DOCUMENTED
        assert workshop.action_items.get().title == "Marktanalyse Maschinenbau"
        assert workshop.assessment.product_portfolio == 4
        shots.take("documented", page=manager_page)

        # The de-minimis certificate of the held workshop.
        record = AidRecord.objects.get(workshop=workshop)
        nav(manager_page, "Förderung")
        click(manager_page.get_by_role("link", name=COMPANY))
        shots.take("funding", page=manager_page)
        click(manager_page.get_by_role("link", name="Bescheinigung (PDF)"))
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

    # The company sees the released minutes with its action item and its maturity chart,
    # drawn without a console error.
    errors = []
    company_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    nav(company_page, "Unsere Workshops")
    expect(company_page.get_by_role("main")).to_contain_text("Marktanalyse Maschinenbau")
    chart = company_page.get_by_role("img", name=re.compile("^Reifegrad"))
    reachable(chart)
    expect(chart.locator("circle")).to_have_count(5)
    assert errors == []
    shots.take("company-action-items")


def test_reachable_refuses_what_a_person_cannot_see(page):
    """The check the journey relies on fails where it should: a hidden control and a button
    only found by scrolling a table sideways."""
    page.set_content(
        "<button>Sichtbar</button><button hidden>Versteckt</button>"
        '<div style="width: 300px; overflow-x: auto"><table style="width: 1000px"><tr>'
        '<td style="width: 900px">Text</td><td><button>Bearbeiten</button></td>'
        "</tr></table></div>"
    )
    reachable(page.get_by_role("button", name="Sichtbar"))
    with pytest.raises(AssertionError, match="cut off"):
        reachable(page.get_by_role("button", name="Bearbeiten"))
    expect.set_options(timeout=500)
    try:
        with pytest.raises(AssertionError):
            reachable(page.get_by_text("Versteckt"))
    finally:
        expect.set_options(timeout=TIMEOUT_MS)
