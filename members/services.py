"""Writes of the members app: one transaction each, keyword-only."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role

from . import sme_selectors
from .audit import CompanyAction, ContactAction, HoldingAction, LoginAction
from .models import (
    Company,
    Contact,
    Sector,
    SmeClass,
    SmeFigures,
    SmeHolding,
    Topic,
    User,
)
from .relationship_services import relationship_end, relationship_start  # noqa: F401 - API


def _contact_for_new_login(*, company: Company, email: str, first_name: str, last_name: str):
    """The company's contact with this address that has no login yet, else a new one (without
    forum invitations: making a login subscribes nobody)."""
    contact = (
        Contact.objects.filter(company=company, email__iexact=email, login__isnull=True)
        .order_by("pk")
        .first()
    )
    if contact is None:
        contact = Contact(
            company=company,
            first_name=first_name,
            last_name=last_name or email.split("@")[0],
            email=email,
            receives_invitations=False,
        )
        # A login made without a name (tests, scripts) still gets its person; staff add the
        # first name later.
        contact.full_clean(exclude=["first_name"])
        contact.save()
    return contact


@transaction.atomic
def user_create(
    *,
    email: str,
    role: Role,
    password: str | None = None,
    company: Company | None = None,
    contact: Contact | None = None,
    first_name: str = "",
    last_name: str = "",
    actor=None,
) -> User:
    """Creates a login with one role and records it in the audit trail.

    A company login belongs to one contact of its company: pass the contact, or the company
    (then its contact with the same address is used, or one is made). Staff logins have
    neither. Without a password the person sets one through a link (see logins.services).
    `actor` is who created it (None: the system, e.g. the demo data).
    """
    email = email.strip()
    if role == Role.COMPANY_USER:
        if contact is not None:
            if company is not None and company.pk != contact.company_id:
                raise ValidationError(_("The contact must work at the login's company."))
            company = contact.company
        if company is None:
            raise ValidationError(_("A company user must belong to a company."))
    elif company is not None or contact is not None:
        raise ValidationError(_("Only company users belong to a company."))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address exists already."))
    if role == Role.COMPANY_USER and contact is None:
        contact = _contact_for_new_login(
            company=company, email=email, first_name=first_name, last_name=last_name
        )
    if contact is not None and User.objects.filter(contact=contact).exists():
        raise ValidationError(_("%(name)s has a login already.") % {"name": contact.full_name})
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                company=company,
                contact=contact,
                first_name=first_name or (contact.first_name if contact else ""),
                last_name=last_name or (contact.last_name if contact else ""),
                # Staff roles work in the Django admin too.
                is_staff=role != Role.COMPANY_USER,
            )
    except IntegrityError as exc:  # the same address or person, a moment ago
        raise ValidationError(
            _("A login for this person or address was created a moment ago.")
        ) from exc
    user.groups.add(Group.objects.get(name=role.value))
    audit.record(
        actor=actor,
        action=LoginAction.CREATED,
        obj=user,
        after={
            "email": user.email,
            "company": company,
            "contact": contact,
            "groups": [role.label],
            "is_active": True,
        },
    )
    return user


@transaction.atomic
def user_close(*, user: User, actor=None) -> User:
    """Closes a login for good and removes the person from it (erasure): no password, no
    name, a placeholder address. Its sessions end at their next request, because Django
    ties a session to the password."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-user-{user.pk}@anonymised.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    audit.record(actor=actor, action=LoginAction.CLOSED, obj=user, after={"is_active": False})
    return user


# --- SME figures ----------------------------------------------------------------


def companies_sme_recompute(company_ids) -> None:
    """Recomputes the yearly and current SME class of these companies and of every company
    connected to them by holdings (their group figures may have changed). Four queries plus
    the writes."""
    rows = SmeHolding.objects.values("figures__company_id", "other_company_id")
    connected = sme_selectors.connected_companies(list(company_ids), list(rows))
    explanations = sme_selectors.explain(sorted(connected))
    years = list(SmeFigures.objects.filter(company_id__in=connected))
    changed = []
    for figures in years:
        result = explanations[figures.company_id].year(figures.fiscal_year)
        if (figures.size_class, figures.sme_class) != (result.size_class, result.sme_class):
            figures.size_class, figures.sme_class = result.size_class, result.sme_class
            changed.append(figures)
    SmeFigures.objects.bulk_update(changed, ["size_class", "sme_class"])
    for company_id, explanation in explanations.items():
        current = sme_selectors.current_class(explanation)
        Company.objects.filter(pk=company_id).exclude(sme_class=current).update(sme_class=current)


def company_sme_refresh(*, company: Company) -> str:
    """Recomputes the company's SME class and that of every company its holdings connect it to
    (a group's members get consistent classes)."""
    companies_sme_recompute([company.pk])
    company.refresh_from_db(fields=["sme_class"])
    return company.sme_class


@transaction.atomic
def sme_figures_save(
    *,
    company: Company,
    fiscal_year: int,
    staff_units: Decimal,
    turnover: Decimal,
    balance_sheet: Decimal,
    public_share: Decimal = Decimal(0),
    consolidated: bool = False,
    actor=None,
) -> SmeFigures:
    """Creates or replaces one fiscal year's figures and recomputes the SME class."""
    Company.objects.select_for_update().filter(pk=company.pk).first()
    figures, _created = SmeFigures.objects.update_or_create(
        company=company,
        fiscal_year=fiscal_year,
        defaults={
            "staff_units": staff_units,
            "turnover": turnover,
            "balance_sheet": balance_sheet,
            "public_share": public_share,
            "consolidated": consolidated,
            # Placeholder until the recompute below sets the real values.
            "size_class": SmeClass.LARGE,
            "sme_class": SmeClass.LARGE,
        },
    )
    company_sme_refresh(company=company)
    figures.refresh_from_db()
    after = audit.values(figures, ["fiscal_year", "staff_units", "turnover", "balance_sheet"])
    audit.record(actor=actor, action=CompanyAction.SME_FIGURES_SAVED, obj=company, after=after)
    return figures


@transaction.atomic
def sme_figures_delete(*, figures: SmeFigures, actor=None) -> None:
    company = figures.company
    Company.objects.select_for_update().filter(pk=company.pk).first()
    before = {"fiscal_year": figures.fiscal_year}
    audit.record(actor=actor, action=CompanyAction.SME_FIGURES_DELETED, obj=company, before=before)
    figures.delete()
    company_sme_refresh(company=company)


@transaction.atomic
def sme_holding_add(
    *,
    figures: SmeFigures,
    kind: str,
    direction: str,
    share: Decimal,
    other_company: Company | None = None,
    other_name: str = "",
    staff_units: Decimal | None = None,
    turnover: Decimal | None = None,
    balance_sheet: Decimal | None = None,
    control: str = "",
    investor_exception: bool = False,
    actor=None,
) -> SmeHolding:
    """Records a holding of one fiscal year (audited: holdings make enterprises partners or
    linked) and recomputes the SME classes."""
    if other_company is None and not other_name:
        raise ValidationError(_("Name the other enterprise or choose it from the directory."))
    if other_company is not None and other_company.pk == figures.company_id:
        raise ValidationError(_("A company cannot hold a share in itself."))
    if other_company is None and staff_units is None:
        raise ValidationError(_("Enter the other enterprise's figures."))
    if kind == SmeHolding.Kind.LINKED and not control and share > 50:
        control = SmeHolding.Control.VOTES  # the majority of the votes speaks for itself
    holding_check(kind=kind, share=share, control=control, investor_exception=investor_exception)
    holding = SmeHolding.objects.create(
        figures=figures,
        kind=kind,
        direction=direction,
        share=share,
        other_company=other_company,
        other_name=other_name,
        staff_units=staff_units,
        turnover=turnover,
        balance_sheet=balance_sheet,
        control=control if kind == SmeHolding.Kind.LINKED else "",
        investor_exception=investor_exception,
    )
    audit.record(
        actor=actor,
        action=HoldingAction.ADDED,
        obj=holding,
        after=audit.values(holding, HOLDING_FIELDS),
    )
    company_sme_refresh(company=figures.company)
    return holding


def holding_check(*, kind: str, share: Decimal, control: str, investor_exception: bool) -> None:
    """Annex Art. 3 of Recommendation 2003/361/EC: more than 50 % of the votes is control, and
    control needs a form; an Art. 3(2) investor keeps the enterprise autonomous only without
    control."""
    if kind == SmeHolding.Kind.PARTNER and share > 50:
        raise ValidationError(
            _(
                "A holding of more than 50 percent gives the majority of the voting rights: record "
                "it as a linked enterprise."
            )
        )
    if kind == SmeHolding.Kind.LINKED:
        if not control:
            raise ValidationError(
                _("Up to 50 percent, say how the control is exercised (Art. 3(3)).")
            )
        if control == SmeHolding.Control.VOTES and share <= 50:
            raise ValidationError(
                _("A majority of the voting rights needs a share of more than 50 percent.")
            )
        if investor_exception:
            raise ValidationError(
                _("An investor that controls the enterprise does not leave it autonomous.")
            )


HOLDING_FIELDS = [
    "figures",
    "kind",
    "direction",
    "share",
    "control",
    "investor_exception",
    "other_company",
    "other_name",
]


@transaction.atomic
def sme_holding_delete(*, holding: SmeHolding, actor=None) -> None:
    company = holding.figures.company
    audit.record(
        actor=actor,
        action=HoldingAction.REMOVED,
        obj=holding,
        before=audit.values(holding, HOLDING_FIELDS),
    )
    holding.delete()
    company_sme_refresh(company=company)


# --- Companies, contacts, relationships -------------------------------------------


@transaction.atomic
def company_save(
    *, company: Company, sectors: Iterable[Sector] | None = None, actor=None
) -> Company:
    """Creates or updates a company (validated first); the trail records who (the field
    changes are in the company's history)."""
    company.full_clean(exclude=["sectors"])
    action = CompanyAction.CHANGED if company.pk else CompanyAction.CREATED
    audit.save_and_record(company, actor=actor, action=action)
    if sectors is not None:
        company.sectors.set(sectors)
    return company


@transaction.atomic
def contact_save(*, contact: Contact, topics: Iterable[Topic] | None = None, actor=None) -> Contact:
    contact.full_clean()
    action = ContactAction.CHANGED if contact.pk else ContactAction.CREATED
    audit.save_and_record(contact, actor=actor, action=action)
    if topics is not None:
        contact.topics.set(topics)
    return contact


CONTACT_CREATED_FIELDS = ("company", "first_name", "last_name", "email", "function")


@transaction.atomic
def contact_create(
    *,
    company: Company,
    first_name: str,
    last_name: str,
    email: str,
    function: str = Contact.Function.OTHER,
    receives_invitations: bool = False,
    actor=None,
) -> Contact:
    """Adds a person to a company (validated) and records it in the audit trail.

    One address names one person of a company, so a second contact with an address the
    company already has is refused with a message that points to the existing one. New
    contacts receive no forum invitations unless asked: being added subscribes nobody.
    """
    email = email.strip()
    # Two people adding the same colleague at once: the second waits here, then sees the first.
    Company.objects.select_for_update(no_key=True).filter(pk=company.pk).first()
    existing = Contact.objects.filter(company=company, email__iexact=email).first()
    if email and existing is not None:
        raise ValidationError(
            {
                "email": _("This e-mail address already belongs to %(name)s of %(company)s.")
                % {"name": existing.full_name, "company": company.legal_name}
            }
        )
    contact = Contact(
        company=company,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        function=function,
        receives_invitations=receives_invitations,
    )
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action=ContactAction.CREATED,
        obj=contact,
        after=audit.values(contact, CONTACT_CREATED_FIELDS),
    )
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor=None) -> None:
    """Removes a colleague. Records that must outlive them (PROTECT) make this fail politely."""
    try:
        with transaction.atomic():
            audit.record(actor=actor, action=ContactAction.DELETED, obj=contact)
            contact.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "%(name)s cannot be removed: forum or workshop records refer to this person. "
                "Untick the forum invitations instead."
            )
            % {"name": contact.full_name}
        ) from exc


@transaction.atomic
def company_invitation_recipients_set(*, company: Company, contacts: Iterable[Contact]) -> int:
    """The company chooses which colleagues receive forum invitations; returns how many do."""
    chosen = {c.pk for c in contacts}
    own = set(company.contacts.values_list("pk", flat=True))
    if chosen - own:
        raise ValidationError(_("Only your own company's contacts can be chosen."))
    for contact in company.contacts.select_for_update():
        wanted = contact.pk in chosen
        if contact.receives_invitations != wanted:
            contact.receives_invitations = wanted
            # save() so the change appears in the contact's history with who did it
            contact.save(update_fields=["receives_invitations", "updated_at"])
    return len(chosen)


@transaction.atomic
def contact_opt_out(*, contact: Contact, at: datetime | None = None) -> Contact:
    """One-click opt-out: effective at once; a second click keeps the first time."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.opted_out_at is None:
        locked.opted_out_at = at or timezone.now()
        audit.save_and_record(
            locked,
            actor=None,  # the person's own click, or a report of their mail provider
            action=ContactAction.OPTED_OUT,
            update_fields=["opted_out_at", "updated_at"],
        )
    return locked


@transaction.atomic
def contact_opt_in(*, contact: Contact, actor=None) -> Contact:
    """Staff lift an opt-out when the person asks for mail again."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.opted_out_at is not None:
        locked.opted_out_at = None
        audit.save_and_record(
            locked,
            actor=actor,
            action=ContactAction.OPTED_IN,
            update_fields=["opted_out_at", "updated_at"],
        )
    return locked


# --- Import -------------------------------------------------------------------------


def company_import(*, content: bytes, filename: str, dry_run: bool):
    """Imports companies with contacts from CSV/XLSX: every row or none (see imports.py).

    With ``dry_run`` the rows are written inside a transaction that is rolled back, so the
    preview shows exactly what a real run would do.
    """
    from .imports import run_import

    return run_import(content, filename, dry_run=dry_run)
