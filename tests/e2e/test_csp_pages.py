"""The pages built by others (Django's admin with simple-history's pages, Swagger UI and
Redoc from drf-spectacular-sidecar, Chart.js in the cockpit) and the mail previews in srcdoc
frames work under the Content-Security-Policy in chromium. A blocked script, style or image
fails the test (the shared fixture in conftest.py watches the console)."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Topic
from outbox.services import mail_queue

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_api_docs_cockpit_and_mail_preview_under_the_policy(
    page, live_server, cluster_manager, company_a
):
    contact = company_a.contacts.first()
    contact.email = "anna@alpha.example"
    contact.save()
    mail = mail_queue(
        kind="outbox_test",
        related=contact,
        recipient_email=contact.email,
        contact=contact,
        template="emails/outbox_test",
        context={"name": contact.full_name, "link": "http://testserver/x"},
    )
    Topic.objects.get_or_create(name="Energieeffizienz", defaults={"slug": "energie"})
    login(page, live_server, cluster_manager)

    # Django's admin: list, change form (with its widgets), simple-history's history page.
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/members/company/")
    expect(page.locator("#result_list")).to_contain_text(company_a.legal_name)
    page.goto(f"/admin/members/company/{company_a.pk}/change/")
    expect(page.locator("input[name=legal_name]")).to_have_value(company_a.legal_name)
    page.goto(f"/admin/members/company/{company_a.pk}/history/")
    expect(page.locator("#content")).to_contain_text(company_a.legal_name)

    # The API documentation: Swagger UI draws the operations, Redoc its menu.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.goto("/api/redoc/")
    expect(page.get_by_role("heading", name=re.compile("MetallDIALOG API")).first).to_be_visible()

    # The cockpit's charts are drawn by Chart.js from the JSON in the page.
    page.goto("/cockpit/")
    expect(page.locator("canvas").first).to_be_visible()
    page.wait_for_function("!!window.Chart")
    drawn = page.evaluate(
        "[...document.querySelectorAll('canvas')].filter(c => Chart.getChart(c)).length"
    )
    assert drawn >= 1

    # A mail's HTML part, shown in a sandboxed srcdoc frame with its inline styles.
    page.goto(f"/mail/{mail.pk}/")
    preview = page.frame_locator("iframe[srcdoc]").first
    expect(preview.get_by_text(contact.full_name).first).to_be_visible()

    # The topic filter above the forum list sends itself when another topic is chosen
    # (static JavaScript, no inline handler).
    page.goto("/forums/")
    page.get_by_label("Thema", exact=True).select_option(label="Energieeffizienz")
    topic = Topic.objects.get(name="Energieeffizienz")
    expect(page).to_have_url(re.compile(rf"[?&]topic={topic.slug}"))
