"""The funding app's mail, declared once: a project manager is asked to confirm a declaration
that lists less prior aid than the one in force."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from outbox.catalogue import MailKind, Recipient

REVIEW_KIND = "funding_declaration_review"


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


def _project_managers(declaration) -> list[Recipient]:
    managers = get_user_model().objects.filter(
        groups__name=Role.PROJECT_MANAGER.value, is_active=True
    )
    return [
        Recipient(manager.email, manager.get_full_name() or manager.email)
        for manager in managers.order_by("pk")
    ]


REVIEW = MailKind(
    kind=REVIEW_KIND,
    label=_("De-minimis declaration to confirm"),
    template="emails/funding_declaration_review",
    recipients=_project_managers,
    context=lambda declaration, recipient, **facts: {
        **_context(declaration=declaration, **facts),
        "name": recipient.name,
    },
    sample=_sample,
)
KINDS = (REVIEW,)


def review_requested(*, declaration, in_force, left_out) -> int:
    """One mail to each active project manager, in the caller's transaction."""
    return REVIEW.queue(declaration, in_force=in_force, left_out=left_out)
