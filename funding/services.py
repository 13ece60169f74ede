"""Writes of the funding app: one transaction each, keyword-only.

Two entry points are called by SEFEX through its hooks (registered in apps.py):
- `booking_check` runs inside the booking transaction, after SEFEX locked the workshop, its
  project manager and its company: no current declaration or a value over the ceiling refuses
  the booking with a message and nothing is written. Companies of one single undertaking may
  book at the same time through different rows, so the check also takes a transaction-scoped
  advisory lock on the group (PostgreSQL), and the second booking sees the first one's value.
- `aid_record_create` runs inside the transaction that marks a workshop as held.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from members.models import Company
from metalldialog.roles import Role, has_role, is_staff_role
from sefex.models import Workshop

from . import mails, rules, selectors
from .audit import ControlLinkAction, DeclarationAction
from .formatting import eur
from .models import (
    AidRecord,
    ControlLink,
    Declaration,
    DeclarationConfirmation,
    NumberSequence,
    PriorAid,
)

ADVISORY_NAMESPACE = 7207  # first key of pg_advisory_xact_lock(int, int): "funding groups"


class FundingError(ValidationError):
    """A refusal; the message is for the person who tried."""


def _lock_group(group) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, min(group)])


# --- single undertaking -----------------------------------------------------------------


@transaction.atomic
def control_link_add(
    *,
    controlling: Company,
    controlled: Company,
    actor,
    note: str = "",
    valid_from: date | None = None,
) -> ControlLink:
    if not is_staff_role(actor):
        raise FundingError(_("Only the cluster or project management can change control links."))
    if controlling.pk == controlled.pk:
        raise FundingError(_("A company cannot control itself."))
    valid_from = valid_from or timezone.localdate()
    pair = [controlling, controlled]
    overlapping = ControlLink.objects.filter(controlling__in=pair, controlled__in=pair).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=valid_from)
    )
    if overlapping.exists():
        raise FundingError(_("These two companies are already linked."))
    try:
        with transaction.atomic():
            link = ControlLink.objects.create(
                controlling=controlling,
                controlled=controlled,
                note=note.strip(),
                valid_from=valid_from,
                created_by=actor,
            )
    except IntegrityError as exc:  # the same link saved a moment ago by someone else
        raise FundingError(_("These two companies are already linked.")) from exc
    audit.record(
        actor=actor,
        action=ControlLinkAction.ADDED,
        obj=link,
        after=audit.values(link, CONTROL_LINK_FIELDS),
    )
    return link


CONTROL_LINK_FIELDS = ["controlling", "controlled", "note", "valid_from", "ended_on", "end_reason"]


@transaction.atomic
def control_link_end(*, link: ControlLink, actor, ended_on: date, reason: str = "") -> ControlLink:
    """Ends a control link from a day on; the link stays, so the single undertaking of any
    earlier day (and every ceiling checked then) can still be traced."""
    if not is_staff_role(actor):
        raise FundingError(_("Only the cluster or project management can change control links."))
    link = ControlLink.objects.select_for_update().get(pk=link.pk)
    if link.ended_on is not None:
        raise FundingError(_("This control link has already ended."))
    if ended_on < link.valid_from:
        raise FundingError(
            _("The control cannot end before it began (%(day)s).")
            % {"day": link.valid_from.strftime("%d.%m.%Y")}
        )
    before = audit.values(link, CONTROL_LINK_FIELDS)
    link.ended_on, link.end_reason, link.ended_by = ended_on, reason.strip(), actor
    link.save(update_fields=["ended_on", "end_reason", "ended_by"])
    audit.record(
        actor=actor,
        action=ControlLinkAction.ENDED,
        obj=link,
        before=before,
        after=audit.values(link, CONTROL_LINK_FIELDS),
        reason=link.end_reason,
    )
    return link


# --- declarations -----------------------------------------------------------------------


@transaction.atomic
def declaration_record(
    *,
    company: Company,
    declared_on: date,
    actor,
    signatory: str = "",
    prior_aid: list[dict] | tuple = (),
    today: date | None = None,
) -> Declaration:
    """Records a de-minimis declaration with the prior aid it lists.

    A company user declares for their own company; staff record it on the company's behalf.
    `prior_aid`: dicts with grantor, granted_on, amount, legal_basis.

    A declaration that leaves out prior aid the declaration in force lists does not lower what
    the ceiling counts: it waits for a project manager's confirmation (they are told by mail
    and on the funding overview), and until then the aid of both counts.
    """
    today = today or timezone.localdate()
    if has_role(actor, Role.COMPANY_USER):
        if actor.company_id != company.pk:
            raise FundingError(_("You can only declare for your own company."))
        on_behalf = False
    elif is_staff_role(actor):
        on_behalf = True
    else:
        raise FundingError(_("You cannot record a declaration."))
    if declared_on > today:
        raise FundingError(_("The declaration cannot be dated in the future."))
    for aid in prior_aid:
        if aid["granted_on"] > declared_on:
            raise FundingError(
                _("Prior aid must have been granted before the declaration (%(grantor)s).")
                % {"grantor": aid["grantor"]}
            )
        if Decimal(aid["amount"]) < 0:
            raise FundingError(_("An amount of aid cannot be negative."))
    # One declaration of a company at a time: each is compared with the one in force.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    in_force = selectors.declaration_in_force(company.pk)
    listed = [
        rules.DeclaredAid(aid["grantor"].strip(), aid["granted_on"], Decimal(aid["amount"]))
        for aid in prior_aid
    ]
    left_out = (
        rules.left_out(selectors.declared_aid(in_force), listed, declared_on) if in_force else []
    )
    declaration = Declaration.objects.create(
        company=company,
        declared_on=declared_on,
        signatory=signatory.strip(),
        on_behalf=on_behalf,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        needs_confirmation=bool(left_out),
    )
    PriorAid.objects.bulk_create(
        PriorAid(
            declaration=declaration,
            grantor=aid["grantor"].strip(),
            granted_on=aid["granted_on"],
            amount=Decimal(aid["amount"]),
            legal_basis=aid["legal_basis"].strip(),
        )
        for aid in prior_aid
    )
    audit.record(
        actor=actor,
        action=(DeclarationAction.RECORDED_FOR_REVIEW if left_out else DeclarationAction.RECORDED),
        obj=declaration,
        before={"prior_aid": _aid_lines(selectors.declared_aid(in_force))} if in_force else {},
        after={
            "declared_on": declared_on,
            "signatory": declaration.signatory,
            "prior_aid": _aid_lines(listed),
        },
    )
    if left_out:
        mails.review_requested(declaration=declaration, in_force=in_force, left_out=left_out)
    return declaration


def _aid_lines(aid) -> list[str]:
    return [f"{a.granted_on:%d.%m.%Y} {a.grantor}: {eur(a.amount)}" for a in aid]


@transaction.atomic
def declaration_confirm(*, declaration: Declaration, actor, reason: str) -> Declaration:
    """A project manager lets a declaration that lists less prior aid take over."""
    if not has_role(actor, Role.PROJECT_MANAGER):
        raise FundingError(_("Only the SEFEX project management can confirm a declaration."))
    reason = (reason or "").strip()
    if not reason:
        raise FundingError(_("Please say why the prior aid left out no longer counts."))
    Company.objects.select_for_update().filter(pk=declaration.company_id).first()
    states = selectors.declaration_states(declaration.company_id)
    if states.get(declaration.pk) != rules.PENDING:
        raise FundingError(_("This declaration does not wait for a confirmation."))
    DeclarationConfirmation.objects.create(
        declaration=declaration, confirmed_by=actor, reason=reason
    )
    audit.record(actor=actor, action=DeclarationAction.CONFIRMED, obj=declaration, reason=reason)
    return declaration


# --- the booking check (sefex hook) -----------------------------------------------------


def workshop_value(workshop: Workshop) -> Decimal:
    programme = workshop.programme
    return rules.aid_value(
        workshop.duration_hours, programme.hourly_value, programme.company_contribution_per_hour
    )


def booking_check(*, workshop: Workshop, starts_at, ends_at, actor, today: date | None = None):
    """Refuses a booking without a current declaration or above the de-minimis ceiling."""
    scheme = selectors.scheme_for(workshop.programme_id)
    if scheme is None:
        return  # this programme grants no de-minimis aid
    day = timezone.localdate(starts_at)
    if (
        selectors.current_declaration(
            workshop.company_id,
            for_day=day,
            valid_days=scheme.declaration_valid_days,
            today=today,
        )
        is None
    ):
        raise FundingError(
            _(
                "%(company)s has no current de-minimis declaration. Please record the "
                "declaration before booking the workshop."
            )
            % {"company": workshop.company},
            code="no_declaration",
        )
    if selectors.regulation_at(day) is None:
        # Fail closed: without a regulation there is no ceiling to check against.
        raise FundingError(
            _("No de-minimis regulation applies on %(day)s. Please ask the cluster management.")
            % {"day": day.strftime("%d.%m.%Y")},
            code="no_regulation",
        )
    group = selectors.group_of(workshop.company_id)
    _lock_group(group)
    value = workshop_value(workshop)
    rows = selectors.grant_rows(group, exclude_workshop_id=workshop.pk)
    result = rules.assess(
        rules.Grant(day, value), selectors.as_grants(rows), selectors.regulation_rules()
    )
    if result.exceeds:
        raise FundingError(
            _(
                "This workshop (aid value %(value)s) would raise the de-minimis aid of the "
                "single undertaking to %(total)s in the period ending %(day)s, above the "
                "ceiling of %(ceiling)s (Regulation %(regulation)s). The booking was refused."
            )
            % {
                "value": eur(value),
                "total": eur(result.total),
                "day": result.day.strftime("%d.%m.%Y"),
                "ceiling": eur(result.ceiling),
                "regulation": result.rule.code,
            },
            code="ceiling",
        )


# --- aid records (sefex hook) -----------------------------------------------------------


def _next_number(year: int) -> str:
    NumberSequence.objects.bulk_create([NumberSequence(year=year)], ignore_conflicts=True)
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"DM-{year}-{sequence.last:04d}"


def _company_snapshot(company: Company) -> dict:
    sector = company.sectors.order_by("number").first()
    address = ", ".join(
        p for p in (company.street, " ".join(p for p in (company.postcode, company.city) if p)) if p
    )
    identifier = company.register_number or company.vat_id
    return {
        "company_name": company.legal_name,
        "company_address": address,
        "company_identifier": identifier,
        "nace_code": sector.wz2025 if sector else "",
        "wz2008_code": sector.wz2008 if sector else "",
    }


@transaction.atomic
def aid_record_create(*, workshop: Workshop, actor=None) -> AidRecord | None:
    """The aid a held workshop granted; safe to call twice (the second call returns the first
    record). None when the programme grants no de-minimis aid or no regulation applies."""
    existing = AidRecord.objects.filter(workshop_id=workshop.pk).first()
    if existing:
        return existing
    scheme = selectors.scheme_for(workshop.programme_id)
    if scheme is None or workshop.held_on is None:
        return None
    regulation = selectors.regulation_at(workshop.held_on)
    if regulation is None:
        return None
    programme = workshop.programme
    hours = Decimal(workshop.duration_hours)
    contribution = (hours * programme.company_contribution_per_hour).quantize(rules.CENT)
    record = AidRecord.objects.create(
        number=_next_number(workshop.held_on.year),
        workshop=workshop,
        company=workshop.company,
        regulation=regulation,
        grant_date=workshop.held_on,
        grantor=scheme.grantor,
        instrument=scheme.instrument,
        hours=hours,
        hourly_value=programme.hourly_value,
        contribution=min(contribution, hours * programme.hourly_value),
        value=workshop_value(workshop),
        module_name=workshop.module.name,
        participants=workshop.participants.count(),
        **_company_snapshot(workshop.company),
    )
    transaction.on_commit(lambda: _queue_certificate(record.pk))
    return record


def _queue_certificate(record_id: int) -> None:
    from .tasks import certificate_issue  # tasks import this module

    certificate_issue.delay(record_id)


@transaction.atomic
def aid_record_participants_refresh(*, workshop_id: int) -> None:
    """Keeps the participant count in step while the project manager edits the participants.
    (Erasing a person removes no count: deletions send no m2m signal, see apps.py.)"""
    count = Workshop.participants.through.objects.filter(workshop_id=workshop_id).count()
    AidRecord.objects.filter(workshop_id=workshop_id).update(participants=count)


# --- certificates -----------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, record: AidRecord) -> bytes:
    """The certificate PDF: rendered and stored the first time, the same bytes ever after."""
    record = AidRecord.objects.select_for_update().select_related("regulation").get(pk=record.pk)
    if record.certificate_pdf:
        return bytes(record.certificate_pdf)
    from .pdf import certificate_pdf

    content = certificate_pdf(record)
    record.certificate_pdf = content
    record.certificate_sha256 = hashlib.sha256(content).hexdigest()
    record.save(update_fields=["certificate_pdf", "certificate_sha256"])
    return content
