"""Long lists are searchable: the company list of a holding (like the forum's host and the
staff's contact list) filters as one types, in German, and the choice is what is saved."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from members.models import Company, SmeHolding
from members.services import sme_figures_save

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_choosing_a_company_by_typing_part_of_its_name(
    page, live_server, cluster_manager, company_a
):
    for name in ("Adler Feinmechanik GmbH", "Adolph Oberflächentechnik KG", "Zimmer Metallbau"):
        Company.objects.create(legal_name=name)
    figures = sme_figures_save(
        company=company_a,
        fiscal_year=2024,
        staff_units=Decimal(12),
        turnover=Decimal(1_000_000),
        balance_sheet=Decimal(800_000),
    )
    login(page, live_server, cluster_manager)
    page.goto(f"/members/figures/{figures.pk}/holdings/new/")
    page.get_by_role("combobox", name="Art").select_option(label="Verbundenes Unternehmen")
    page.get_by_label("Richtung").select_option(label="Das Unternehmen ist daran beteiligt")
    page.get_by_label("Anteil an Kapital oder Stimmrechten (%)").fill("60")

    combobox = page.get_by_role("combobox", name="Unternehmen im Verzeichnis")
    expect(combobox).to_be_visible()
    expect(combobox).to_have_attribute("placeholder", "Zum Suchen tippen …")
    combobox.click()
    combobox.press_sequentially("Ado")
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text(re.compile("Adolph Oberflächentechnik"))
    combobox.press_sequentially("xyz")
    expect(page.get_by_text("Keine Treffer")).to_be_visible()
    for _ in range(3):
        combobox.press("Backspace")
    listbox.get_by_role("option", name="Adolph Oberflächentechnik KG").click()
    page.get_by_role("button", name="Speichern").click()

    expect(page).to_have_url(re.compile(rf"/members/{company_a.pk}/$"))
    holding = SmeHolding.objects.get(figures=figures)
    assert holding.other_company.legal_name == "Adolph Oberflächentechnik KG"
