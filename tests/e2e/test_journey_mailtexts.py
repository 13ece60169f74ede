"""The cluster manager changes the wording of the forum invitation in a real browser: from the
outgoing mail to the list of mail texts, the editor refuses a misspelt placeholder, previews
the draft, saves it, and resets it to the default. Screenshots at 1280 and 390 pixels wide."""

from django.utils import translation
from playwright.sync_api import expect

from outbox.mailtexts import catalogue
from outbox.models import MailText

from .checks import both_widths
from .conftest import login


def test_mailtexts_journey(page, live_server, cluster_manager, screens):
    with translation.override("de"):
        label = str(catalogue.get_or_404("forum_invitation").label)
    login(page, live_server, cluster_manager)
    page.goto("/mail/")
    page.get_by_role("link", name="Mailtexte").click()
    expect(page.get_by_role("heading", name="Mailtexte")).to_be_visible()
    both_widths(page, screens, "list")

    page.get_by_role("link", name=f"{label} (Deutsch) bearbeiten", exact=True).click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    subject = page.get_by_label("Betreff")
    # The editor starts from the shipped default, its sample values turned into placeholders.
    expect(subject).to_have_value("Einladung: {{ forum.title }} am {{ starts_at.date }}")

    subject.fill("Einladung für {{ contact.frist_name }}: {{ forum.title }}")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("{{ contact.frist_name }}")
    assert not MailText.objects.exists()

    subject.fill("Einladung für {{ contact.first_name }}: {{ forum.title }}")
    page.get_by_label("Mailtext (Markdown)").fill(
        "Guten Tag {{ contact.full_name }},\n\nwir laden Sie herzlich ein.\n\n"
        "[Jetzt anmelden]({{ registration_url }})"
    )
    page.get_by_role("button", name="Vorschau").click()
    expect(page.locator("#preview-subject")).to_have_text(
        "Einladung für Anna: Metall-Forum: Additive Fertigung in der Praxis"
    )
    html_part = page.frame_locator("#mailtext-preview iframe")
    expect(html_part.get_by_role("link", name="Jetzt anmelden")).to_be_visible()
    expect(html_part.get_by_text("Mit einem Klick abmelden")).to_be_visible()  # the layout stays
    both_widths(page, screens, "edit-preview")
    # Full-page shots leave a sandboxed frame blank: the HTML part on its own.
    page.locator("#mailtext-preview iframe").screenshot(path=screens.path("preview-html-part"))

    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Mailtext ist gespeichert")).to_be_visible()
    expect(page.locator("#mailtext-history")).to_contain_text(
        "Einladung für {{ contact.first_name }}"
    )
    both_widths(page, screens, "edit-saved")
    page.get_by_role("link", name="Mailtexte").first.click()
    expect(page.locator("#mailtext-list")).to_contain_text("angepasst")
    both_widths(page, screens, "list-edited")
    page.go_back()

    page.get_by_role("button", name="Auf Standard zurücksetzen").click()
    expect(page.get_by_text("Die Mail verwendet wieder den Standardtext.")).to_be_visible()
    page.goto("/mail/texts/")
    expect(page.locator("#mailtext-list")).not_to_contain_text("angepasst")
    assert MailText.objects.count() == 2
