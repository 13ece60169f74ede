"""Who a circular reaches: the staff's filter within the circular's cluster, with the outbox's
checks for advertising mail (no address, double opt-in for non-members, opt-out, bounced).

The same mechanism as forum invitations (outbox.audience); a circular adds only its cluster.
"""

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from members.filters import ContactFilter
from members.models import Contact, Relationship
from members.selectors import current_relationship_q
from outbox import audience as shared
from outbox.audience import Check, Summary

from .models import Circular


def filter_data(circular: Circular) -> QueryDict:
    return QueryDict(circular.audience_query or "")


def matching_contacts(data) -> tuple[ContactFilter, QuerySet[Contact]]:
    return shared.matching_contacts(data)


def _outside_cluster(circular: Circular) -> Q:
    # Any current relationship counts: a circular may go to partners and prospects too
    # (the double opt-in check below keeps non-members without consent out).
    in_cluster = Relationship.objects.filter(
        current_relationship_q(), cluster_id=circular.cluster_id
    ).values("company_id")
    return ~Q(company_id__in=in_cluster)


def reasons(circular: Circular) -> list[Check]:
    """(key, label, condition) in the order they are checked; the first that holds counts."""
    built = circular.__dict__.get("audience_reasons")
    if built is None:
        label = _("Not in the network of %(cluster)s") % {"cluster": circular.cluster.name}
        built = circular.__dict__["audience_reasons"] = [
            ("cluster", label, _outside_cluster(circular)),
            shared.no_address_check(),
            *shared.legal_basis_checks(),
            *shared.opt_out_checks(),
        ]
    return built


def summary(circular: Circular, queryset: QuerySet[Contact]) -> Summary:
    return shared.summarise(queryset, reasons(circular))


def recipients(circular: Circular, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    return shared.recipients(queryset, reasons(circular))


def language_counts(circular: Circular, queryset: QuerySet[Contact]) -> dict[str, int]:
    """Recipients per language ({"de": 12, "en": 3}), in one query."""
    chosen = recipients(circular, queryset).order_by().values("pk")
    rows = (
        Contact.objects.filter(pk__in=chosen).order_by().values("language").annotate(n=Count("pk"))
    )
    return {(row["language"] or "de"): row["n"] for row in rows}


def first_recipient_per_language(
    circular: Circular, queryset: QuerySet[Contact], languages
) -> dict[str, Contact]:
    """One recipient per language for the previews (one query per language shown)."""
    # The recipients as a subquery: a filter on the language inside it would change which
    # contact of a shared address counts as its first.
    chosen = Contact.objects.filter(pk__in=recipients(circular, queryset).order_by().values("pk"))
    found = {}
    for language in languages:
        contact = chosen.filter(language=language).select_related("company").order_by("pk").first()
        if contact is not None:
            found[language] = contact
    return found
