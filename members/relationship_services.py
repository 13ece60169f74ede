"""Writes of a company's relationships to the clusters (member, partner, ...), each dated."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from core import audit

from .audit import RelationshipAction
from .models import Cluster, Company, Relationship


@transaction.atomic
def relationship_start(
    *,
    company: Company,
    cluster: Cluster,
    kind: str,
    valid_from: date,
    note: str = "",
    actor=None,
) -> Relationship:
    """Starts a new relationship to a cluster; the one in force ends the day before."""
    Company.objects.select_for_update().filter(pk=company.pk).first()
    open_rows = Relationship.objects.filter(company=company, cluster=cluster, valid_to__isnull=True)
    for current in open_rows:
        if current.valid_from >= valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The new relationship must start after the current one (since %(date)s)."
                    )
                    % {"date": formats.date_format(current.valid_from)}
                }
            )
        current.valid_to = valid_from - timedelta(days=1)
        current.save(update_fields=["valid_to"])
    if Relationship.objects.filter(
        company=company, cluster=cluster, valid_to__gte=valid_from
    ).exists():
        raise ValidationError(
            {"valid_from": _("This overlaps an earlier relationship to the same cluster.")}
        )
    relationship = Relationship(
        company=company, cluster=cluster, kind=kind, valid_from=valid_from, note=note
    )
    relationship.full_clean()
    audit.save_and_record(
        relationship,
        actor=actor,
        action=RelationshipAction.STARTED,
        after=audit.values(relationship, ["cluster", "kind", "valid_from"]),
    )
    return relationship


@transaction.atomic
def relationship_end(*, relationship: Relationship, valid_to: date, actor=None) -> Relationship:
    if valid_to < relationship.valid_from:
        raise ValidationError({"valid_to": _("The end cannot lie before the start.")})
    relationship.valid_to = valid_to
    audit.save_and_record(
        relationship,
        actor=actor,
        action=RelationshipAction.ENDED,
        update_fields=["valid_to"],
        after={"valid_to": valid_to},
    )
    return relationship
