"""How long funding evidence is kept by law, and the refusal to delete it before then.

- De-minimis: records of individual aid are kept for ten fiscal years from the grant
  (Art. 6(4) Reg. (EU) 2023/2831; Art. 6(4) Reg. (EU) 1407/2013 likewise). The agency's fiscal
  year is the calendar year, so a record granted in 2026 is kept until 31.12.2036. A
  declaration is evidence for every aid granted while it could be in force: it is kept as long
  as the latest aid to its company granted on or after it.
- ERDF: documents are kept for five years from 31 December of the year of the last payment to
  the project (Art. 82 Reg. (EU) 2021/1060), a date per funded project (ErdfProject). Held
  workshops of a programme a project counts, their aid records, and attended registrations of
  the forums of a project whose forum attendance counts are that evidence. Until the last
  payment is entered, they are kept without end; shared by several projects, the longest wins.

The guard runs on every ORM deletion (pre_delete fires for QuerySet.delete and cascades too),
so neither a staff page, the admin, the privacy jobs nor a shell deletes early.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import ProtectedError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.models import Registration
from funding.models import AidRecord, Declaration, DeclarationConfirmation, ErdfProject, PriorAid
from sefex.models import Workshop

DEMINIMIS_YEARS = 10
DEMINIMIS_RULE = gettext_lazy(
    "de-minimis records are kept for ten fiscal years from the grant"
    " (Art. 6(4) Reg. (EU) 2023/2831)"
)
ERDF_RULE = gettext_lazy(
    "ERDF evidence is kept for five years from 31 December of the year of the last payment to"
    " the project (Art. 82 Reg. (EU) 2021/1060)"
)
HELD_STATES = [Workshop.State.HELD, Workshop.State.DOCUMENTED, Workshop.State.CLOSED]


@dataclass(frozen=True)
class Keeping:
    rule: str
    until: date | None  # None: until the date is known (kept)

    def holds_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


class RetentionProtected(ProtectedError):
    """Deleting evidence inside its keeping period (a ProtectedError, so callers that handle
    PROTECT handle this too)."""


def _deminimis_until(grant_day: date) -> date:
    return date(grant_day.year + DEMINIMIS_YEARS, 12, 31)


def erdf_keeping(projects) -> Keeping | None:
    """The keeping of evidence held by these ERDF projects: until the latest of their dates,
    without end while one has no date; None if there is no project."""
    dates = list(projects.values_list("last_payment_on", flat=True))
    if not dates:
        return None
    if None in dates:
        return Keeping(str(ERDF_RULE), None)
    return Keeping(str(ERDF_RULE), date(max(dates).year + ErdfProject.KEEPING_YEARS, 12, 31))


def programme_projects(programme_id: int | None):
    """The ERDF projects counting a programme's held workshops as support."""
    return ErdfProject.objects.filter(programme_id=programme_id)


def forum_projects(forum_id: int):
    """The ERDF projects counting attendance at this forum as support."""
    return ErdfProject.objects.filter(forums=forum_id, forums_count=True)


def _erdf(programme_id: int | None) -> Keeping | None:
    return erdf_keeping(programme_projects(programme_id)) if programme_id else None


def _longest(*keepings: Keeping | None) -> Keeping | None:
    found = [keeping for keeping in keepings if keeping]
    if not found:
        return None
    endless = [keeping for keeping in found if keeping.until is None]
    return endless[0] if endless else max(found, key=lambda keeping: keeping.until)


def aid_record_keeping(record: AidRecord) -> Keeping:
    programme_id = Workshop.objects.filter(pk=record.workshop_id).values("programme_id")
    deminimis = Keeping(str(DEMINIMIS_RULE), _deminimis_until(record.grant_date))
    return _longest(deminimis, _erdf(programme_id[0]["programme_id"]) if programme_id else None)


def declaration_keeping(declaration: Declaration) -> Keeping:
    last_grant = (
        AidRecord.objects.filter(
            company_id=declaration.company_id, grant_date__gte=declaration.declared_on
        )
        .order_by("-grant_date")
        .values_list("grant_date", flat=True)
        .first()
    )
    return Keeping(str(DEMINIMIS_RULE), _deminimis_until(last_grant or declaration.declared_on))


def workshop_keeping(workshop: Workshop) -> Keeping | None:
    """A held workshop is ERDF evidence, and kept at least as long as its aid record."""
    if workshop.state not in HELD_STATES:
        return None
    record = AidRecord.objects.filter(workshop_id=workshop.pk).first()
    return _longest(_erdf(workshop.programme_id), aid_record_keeping(record) if record else None)


def registration_keeping(registration: Registration) -> Keeping | None:
    """Attendance at a forum of a project where it counts as support is ERDF evidence."""
    if registration.state != Registration.State.ATTENDED:
        return None
    return erdf_keeping(forum_projects(registration.forum_id))


def project_keeping(project: ErdfProject) -> Keeping | None:
    """A project holding evidence keeps it: it is not deleted before its evidence may be."""
    held = project.programme_id and Workshop.objects.filter(
        programme_id=project.programme_id, state__in=HELD_STATES
    )
    attended = project.forums_count and Registration.objects.filter(
        forum__erdf_projects=project, state=Registration.State.ATTENDED
    )
    if (held and held.exists()) or (attended and attended.exists()):
        return Keeping(str(ERDF_RULE), project.keep_until)
    return None


def keeping_of(instance) -> Keeping | None:
    """The legal keeping of a model instance, or None if no funding rule applies to it."""
    if isinstance(instance, AidRecord):
        return aid_record_keeping(instance)
    if isinstance(instance, Declaration):
        return declaration_keeping(instance)
    if isinstance(instance, PriorAid | DeclarationConfirmation):
        return declaration_keeping(Declaration.objects.get(pk=instance.declaration_id))
    if isinstance(instance, Workshop):
        return workshop_keeping(instance)
    if isinstance(instance, Registration):
        return registration_keeping(instance)
    if isinstance(instance, ErdfProject):
        return project_keeping(instance)
    return None


def refusal(instance, keeping: Keeping) -> str:
    until = (
        formats.date_format(keeping.until, "d.m.Y")
        if keeping.until
        else _("the date of the last payment is entered")
    )
    return _("Not deleted: %(record)s must be kept until %(until)s, because %(rule)s.") % {
        "record": f"{instance._meta.verbose_name} {instance}",
        "until": until,
        "rule": keeping.rule,
    }


def deletion_check(instance, *, today: date | None = None) -> None:
    """Raises RetentionProtected while the instance's keeping period holds."""
    keeping = keeping_of(instance)
    if keeping and keeping.holds_on(today or timezone.localdate()):
        raise RetentionProtected(refusal(instance, keeping), [instance])
