"""Mails of the funding app: a project manager is asked to confirm a declaration that lists less
prior aid than the one in force."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from outbox.services import mail_queue

REVIEW_KIND = "funding_declaration_review"
REVIEW_TEMPLATE = "emails/funding_declaration_review"


def _context(*, declaration, in_force, left_out) -> dict:
    return {
        "company": declaration.company.legal_name,
        "declared_on": declaration.declared_on,
        "in_force_on": in_force.declared_on,
        "submitted_by": (
            declaration.recorded_by.get_full_name() or declaration.recorded_by.email
            if declaration.recorded_by
            else ""
        ),
        "left_out": left_out,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("funding:company", args=[declaration.company_id]),
    }


def review_requested(*, declaration, in_force, left_out) -> int:
    """One mail to each active project manager, in the caller's transaction."""
    managers = get_user_model().objects.filter(
        groups__name=Role.PROJECT_MANAGER.value, is_active=True
    )
    context = _context(declaration=declaration, in_force=in_force, left_out=left_out)
    queued = 0
    for manager in managers.order_by("pk"):
        queued += bool(
            mail_queue(
                kind=REVIEW_KIND,
                related=declaration,
                recipient_email=manager.email,
                template=REVIEW_TEMPLATE,
                context={**context, "name": manager.get_full_name() or manager.email},
            )
        )
    return queued


def _sample() -> dict:
    from datetime import date
    from decimal import Decimal
    from types import SimpleNamespace

    from members.models import Company

    from .models import Declaration
    from .rules import DeclaredAid

    company = Company(pk=1, legal_name="Alpha Präzisionstechnik GmbH")
    declaration = Declaration(company=company, declared_on=date(2026, 3, 2))
    return {
        **_context(
            declaration=declaration,
            in_force=SimpleNamespace(declared_on=date(2025, 9, 15)),
            left_out=[DeclaredAid("L-Bank", date(2024, 5, 10), Decimal("120000.00"))],
        ),
        "name": "Paul Projektmann",
    }


def register_sample() -> None:
    from outbox.samples import register

    register(
        kind=REVIEW_KIND,
        label=_("De-minimis declaration to confirm"),
        template=REVIEW_TEMPLATE,
        sample=_sample,
    )
