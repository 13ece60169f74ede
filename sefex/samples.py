"""The SEFEX mails for the staff's template page, with sample data from unsaved objects."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Company, Contact, User
from outbox.samples import register

from . import mails
from .models import ActionItem, Module, Programme, Workshop

LABELS = {
    mails.KIND_PROPOSED: (_("SEFEX: choose an appointment"), "sefex_slots_proposed"),
    mails.KIND_CONFIRMED: (_("SEFEX: booking confirmation"), "sefex_confirmation"),
    mails.KIND_REMINDER: (_("SEFEX: reminder two days before"), "sefex_reminder"),
    mails.KIND_RESCHEDULED: (_("SEFEX: workshop moved"), "sefex_rescheduled"),
    mails.KIND_CANCELLED: (_("SEFEX: workshop cancelled"), "sefex_cancelled"),
    mails.KIND_FOLLOWUP: (_("SEFEX: feedback after the workshop"), "sefex_followup"),
    mails.KIND_ACTION_DUE: (_("SEFEX: action item due"), "sefex_action_due"),
}


def sample_context() -> dict:
    """Every key any SEFEX mail template uses; nothing is saved."""
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += timedelta(days=9)
    programme = Programme(
        name="SEFEX", funding_start=date(2025, 1, 1), funding_end=date(2027, 12, 31)
    )
    company = Company(
        legal_name="Alpha Präzisionstechnik GmbH", short_name="Alpha", city="Heilbronn"
    )
    manager = User(email="projektleitung@example.org", first_name="Paula", last_name="Plan")
    workshop = Workshop(
        programme=programme,
        company=company,
        module=Module(programme=programme, name="Expansion"),
        project_manager=manager,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        place=Workshop.Place.COMPANY,
        place_detail="Hafenstraße 1, 74076 Heilbronn",
        cancel_reason="Krankheit",
    )
    contact = Contact(company=company, first_name="Anna", last_name="Alpha")
    site = settings.SITE_URL.rstrip("/")
    return {
        "workshop": workshop,
        "name": contact.full_name,
        "starts_at": start,
        "ends_at": workshop.ends_at,
        "place": workshop.place_text,
        "manager": manager,
        "workshop_url": f"{site}/sefex/workshops/1/",
        "slots": [start, start + timedelta(days=1), start + timedelta(days=7)],
        "choose_url": f"{site}/sefex/link/sample/",
        "feedback_url": f"{site}/sefex/feedback/sample/",
        "item": ActionItem(
            workshop=workshop, title="ABC-Analyse der Kunden", owner=contact, due_on=start.date()
        ),
        "items_url": f"{site}/sefex/",
    }


def register_all() -> None:
    for kind, (label, template) in LABELS.items():
        register(kind=kind, label=label, template=f"emails/{template}", sample=sample_context)
