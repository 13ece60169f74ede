"""Writes of the funding app: one transaction each, keyword-only.

Declarations, control links and certificates; the aid a workshop grants (booking check, grant,
waiver, holding) is in aid_services.py.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role, has_role, is_staff_role
from members.models import Company

from . import mails, rules, selectors
from .audit import ControlLinkAction, DeclarationAction
from .formatting import eur
from .models import (
    AidRecord,
    ControlLink,
    Declaration,
    DeclarationConfirmation,
    PriorAid,
)


class FundingError(ValidationError):
    """A refusal; the message is for the person who tried."""


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


# --- certificates -----------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, record: AidRecord) -> bytes:
    """The certificate PDF: rendered and stored the first time, the same bytes ever after."""
    record = (
        AidRecord.objects.select_for_update(of=("self",))
        .select_related("regulation", "corrects")
        .get(pk=record.pk)
    )
    if not record.certificate_ready:
        raise FundingError(_("The certificate is issued once the workshop has been held."))
    if record.certificate_pdf:
        return bytes(record.certificate_pdf)
    from .pdf import certificate_pdf

    content = certificate_pdf(record)
    record.certificate_pdf = content
    record.certificate_sha256 = hashlib.sha256(content).hexdigest()
    record.save(update_fields=["certificate_pdf", "certificate_sha256"])
    return content
