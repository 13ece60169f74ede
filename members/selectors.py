"""Read queries of the members app."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Cluster, Company, Contact, Relationship


def cluster_overview() -> list[dict]:
    """Per cluster, how many companies currently stand in each relationship (one query)."""
    today = timezone.localdate()
    current = Q(relationships__valid_to__isnull=True) | Q(relationships__valid_to__gte=today)
    counts = {
        kind: Count(
            "relationships__company",
            filter=current & Q(relationships__kind=kind, relationships__valid_from__lte=today),
            distinct=True,
        )
        for kind in Relationship.Kind.values
    }
    rows = Cluster.objects.annotate(**counts).values("pk", "name", *Relationship.Kind.values)
    return [
        {
            "name": row["name"],
            "counts": [(label, row[value]) for value, label in Relationship.Kind.choices],
        }
        for row in rows
    ]


def company_totals() -> dict:
    return {
        "companies": Company.objects.count(),
        "contacts": Contact.objects.count(),
    }


def company_contacts(company: Company) -> QuerySet[Contact]:
    return company.contacts.order_by("last_name", "first_name")
