"""An address that bounced, as the cluster manager meets it in chromium: the mark on the
company's contacts (since when, why), the contact list filtered to undeliverable addresses,
and the mark lifted from the contact's menu. Screenshots at 1280 and 390 pixels wide."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Contact
from members.undeliverable import contacts_undeliverable_mark

from .conftest import login

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def _shoot(page, screens, name: str) -> None:
    for label, size in (("1280", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        screens.take(f"{name} {label}")
    page.set_viewport_size(WIDE)


def test_undeliverable_address_journey(
    page, screens, live_server, cluster_manager, company_a, company_b
):
    anna = company_a.contacts.get(first_name="Anna")
    Contact.objects.filter(pk=anna.pk).update(email="anna.alpha@alpha.example")
    contacts_undeliverable_mark(
        email="anna.alpha@alpha.example",
        reason="endgültig abgewiesen: 5.1.1 <anna.alpha@alpha.example>: User unknown",
        at=timezone.make_aware(datetime(2026, 11, 27, 9, 30)),
    )
    login(page, live_server, cluster_manager)

    page.goto(live_server.url + reverse("members:company", args=[company_a.pk]))
    badge = page.get_by_text("Adresse unzustellbar seit 27.11.2026, 09:30")
    expect(badge).to_be_visible()
    _shoot(page, screens, "contact page")

    page.goto(live_server.url + reverse("members:contacts"))
    page.get_by_label("Adresse unzustellbar").select_option(label="Ja")
    page.get_by_role("button", name="Filtern", exact=True).click()
    expect(page.get_by_text("1 Kontakt", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="anna.alpha@alpha.example")).to_be_visible()
    expect(page.get_by_text("Bruno")).to_have_count(0)
    _shoot(page, screens, "contact list filter")

    page.goto(live_server.url + reverse("members:company", args=[company_a.pk]))
    page.get_by_role("button", name="Mehr Anna Alpha").click()
    page.get_by_role("button", name="Adresse wieder zustellbar").click()
    expect(page.get_by_text("gilt wieder als zustellbar")).to_be_visible()
    expect(page.get_by_text("Adresse unzustellbar seit")).to_have_count(0)
