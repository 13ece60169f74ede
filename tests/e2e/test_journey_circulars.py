"""A circular in a real browser: the cluster manager writes it with a PDF, picks one sector,
sees the counts and the previews per language, tests it on herself and schedules it, then
cancels. Screenshots of the list, the form and the audience page at 1280 and 390 pixels."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from circulars.models import Circular
from members.models import Cluster, Contact, Sector
from outbox.models import Mail
from tests.factories import company_with_contacts

from .checks import both_widths
from .conftest import Screens, login, nav_click

PDF = b"%PDF-1.4\n" + b"x" * 4000


def _network():
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    tools = Sector.objects.create(number=91, name="Werkzeugbau", wz2008="25.73", wz2025="25.73")
    alpha = company_with_contacts("Alpha GmbH", contacts=3, cluster=cluster)
    beta = company_with_contacts("Beta AG", contacts=2, cluster=cluster)
    alpha.sectors.add(tools)
    Contact.objects.filter(email="p2@alpha.example").update(language="en")
    return beta


def test_circular_journey(page, live_server, cluster_manager, settings, tmp_path, request):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _network()
    screens = Screens(page, "circulars")
    login(page, live_server, cluster_manager)
    nav_click(page, "Rundschreiben")
    expect(page.get_by_role("heading", name="Rundschreiben")).to_be_visible()
    both_widths(page, screens, "list-empty")

    page.get_by_role("link", name="Rundschreiben verfassen").click()
    page.get_by_label("Betreff").fill("Förderaufrufe 2027")
    page.get_by_label("Text").fill("Liebe Mitglieder,\n\nbis **31. März**:\n\n- Digitalisierung")
    page.get_by_label("PDF-Dateien anhängen").set_input_files(
        [{"name": "Aufruf.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    both_widths(page, screens, "edit")
    page.get_by_role("button", name="Speichern und Empfänger wählen").click()
    expect(page.get_by_text("Das Rundschreiben ist gespeichert.")).to_be_visible()

    page.get_by_label("Branche").select_option(label="Werkzeugbau")
    page.get_by_role("button", name="Zielgruppe anzeigen").click()
    expect(page.locator('[data-count="to_send"]')).to_have_text("3")
    expect(page.locator('[data-count="lang-en"]')).to_have_text("1")
    german = page.frame_locator("#preview-de iframe")
    expect(german.get_by_text("Guten Tag Person0 Alpha,")).to_be_visible()
    expect(german.get_by_text("31. März")).to_be_visible()
    english = page.frame_locator("#preview-en iframe")
    expect(english.get_by_text("Hello Person2 Alpha,")).to_be_visible()
    both_widths(page, screens, "audience-preview")

    page.get_by_role("button", name=re.compile("Test an cm@example.org senden")).click()
    expect(page.get_by_text("Ein Test des Rundschreibens ist unterwegs")).to_be_visible()
    assert Mail.objects.filter(kind="circular_test").count() == 1
    # A full-page picture leaves frames blank in headless chromium: the previews on their own.
    for language in ("de", "en"):
        preview = page.locator(f"#preview-{language}")
        preview.scroll_into_view_if_needed()
        preview.screenshot(path=str(screens.path(f"preview-{language}")))
    page.evaluate("window.scrollTo(0, 0)")  # nothing left under the sticky navigation bar

    page.get_by_label("Zu einem gewählten Zeitpunkt senden").check()
    later = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Versandzeitpunkt").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="An 3 Kontakte senden").click()
    expect(page.get_by_text("Das Rundschreiben ist geplant")).to_be_visible()
    both_widths(page, screens, "scheduled")
    page.get_by_role("button", name="Versand abbrechen").click()
    expect(page.get_by_text("wieder ein Entwurf")).to_be_visible()
    assert Circular.objects.get().state == Circular.State.DRAFT
    assert not Mail.objects.filter(kind="circular").exists()

    nav_click(page, "Rundschreiben")
    expect(page.get_by_role("link", name="Förderaufrufe 2027")).to_be_visible()
    both_widths(page, screens, "list")
