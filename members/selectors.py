"""Read queries of the members app."""

import re
from datetime import date

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Cluster,
    Company,
    Contact,
    Relationship,
    Sector,
    SmeClass,
    SmeFigures,
    SmeHolding,
    Topic,
)

FILTER_CHOICES_KEY = "members:filter-choices"
FILTER_CHOICES_SECONDS = 300


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


# What a company's own record lacks, in the order the start page lists it.
COMPANY_GAPS = ("address", "sectors", "production", "contact_email", "identifier")


def company_gaps(company: Company) -> list[str]:
    """Which of COMPANY_GAPS the company's data lacks (one query)."""
    row = (
        Company.objects.filter(pk=company.pk)
        .annotate(
            sector_count=Count("sectors"),
            reachable=Exists(
                Contact.objects.filter(company=OuterRef("pk"), receives_invitations=True).exclude(
                    email=""
                )
            ),
        )
        .values(
            "street",
            "postcode",
            "city",
            "production",
            "register_number",
            "vat_id",
            "sector_count",
            "reachable",
        )
        .get()
    )
    missing = {
        "address": not (row["street"] and row["postcode"] and row["city"]),
        "sectors": not row["sector_count"],
        "production": not row["production"],
        "contact_email": not row["reachable"],
        "identifier": not (row["register_number"] or row["vat_id"]),
    }
    return [gap for gap in COMPANY_GAPS if missing[gap]]


def company_contacts(company: Company) -> QuerySet[Contact]:
    return company.contacts.order_by("last_name", "first_name")


# --- Relationships, SME class and search: shared by the directory and contact lists ---


def current_relationship_q(today=None, prefix: str = "") -> Q:
    """The relationship rows in force today (``prefix`` to reach them through a relation)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": today}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today})
    )


def relationship_exists(company_ref: str, *, cluster=None, kind: str | None = None) -> Exists:
    """True where the company has a current relationship of this cluster and/or kind.

    One subquery for both, so "member of cluster X" means one relationship row, not a
    membership somewhere and some relationship to X.
    """
    rows = Relationship.objects.filter(current_relationship_q(), company_id=OuterRef(company_ref))
    if cluster is not None:
        rows = rows.filter(cluster=cluster)
    if kind:
        rows = rows.filter(kind=kind)
    return Exists(rows)


def companies_by_sme_class(queryset: QuerySet[Company], classes) -> QuerySet[Company]:
    """Companies whose current SME class (``Company.sme_class``) is one of these."""
    return queryset.filter(sme_class__in=list(classes))


def sme_class_at(company: Company, on: date) -> str:
    """The SME class valid on a day: from the last fiscal year closed before it.

    Falls back to the earliest recorded year for a day before any recorded year,
    and answers "" when no figures exist. (ERDF counts a firm with its class at support.)
    """
    figures = SmeFigures.objects.filter(company=company)
    row = (
        figures.filter(fiscal_year__lt=on.year).order_by("-fiscal_year").values("sme_class").first()
        or figures.order_by("fiscal_year").values("sme_class").first()
    )
    return row["sme_class"] if row else ""


SEARCH_TERMS_MAX = 8


def search_terms(text: str) -> list[str]:
    """Words only: safe to put into a raw tsquery as prefixes."""
    return re.findall(r"\w+", text or "")[:SEARCH_TERMS_MAX]


def _uses_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def company_search_vector():
    """The document searched for a company; the same expression as its GIN index (0006)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("legal_name", "short_name", "city", config="simple")


def contact_search_vector():
    """The document searched for a contact; the same expression as its GIN index (0006)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("first_name", "last_name", "email", config="simple")


def _companies_matching(term: str, postgres: bool):
    """Ids of companies whose name, short name or city, or one of whose contacts, match."""
    if postgres:
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(f"{term}:*", search_type="raw", config="simple")
        by_company = Company.objects.annotate(_doc=company_search_vector()).filter(_doc=query)
        by_contact = Contact.objects.annotate(_doc=contact_search_vector()).filter(_doc=query)
    else:
        by_company = Company.objects.filter(
            Q(legal_name__icontains=term) | Q(short_name__icontains=term) | Q(city__icontains=term)
        )
        by_contact = Contact.objects.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    return by_company.values("pk"), by_contact.values("company_id")


def search_companies_or_contacts(queryset: QuerySet, text: str, *, company_ref: str, prefix: str):
    """Every word must match: company name, short name or city, or a contact's name or
    e-mail. For a list of companies, any of its contacts counts; for a list of contacts,
    the contact itself or its company.

    PostgreSQL: full-text prefix search (config "simple": names are not stemmed) on GIN
    indexes; each word becomes two index lookups whose ids the rows must be in.
    SQLite (``make run``): case-insensitive substring match.
    ``company_ref`` is the field holding the company's id in the queryset's rows ("pk" for
    companies, "company_id" for contacts); ``prefix`` is kept for callers' symmetry.
    """
    contacts_listed = queryset.model is Contact
    postgres = _uses_postgres(queryset)
    for term in search_terms(text):
        by_company, by_contact = _companies_matching(term, postgres)
        if contacts_listed:
            match = Q(company_id__in=by_company) | Q(pk__in=by_contact.values("pk"))
        else:
            match = Q(**{f"{company_ref}__in": by_company}) | Q(
                **{f"{company_ref}__in": by_contact}
            )
        queryset = queryset.filter(match)
    return queryset


# --- Lists ------------------------------------------------------------------------


def filter_choices() -> dict[str, list[tuple[int, str]]]:
    """Clusters, sectors and active topics as (id, name), for the list filters.

    Cached: every directory, contact list and invitation page shows all three, and they
    change rarely; saving or deleting one drops the cache (members.apps).
    """
    choices = cache.get(FILTER_CHOICES_KEY)
    if choices is None:
        choices = {
            "cluster": list(Cluster.objects.values_list("pk", "name")),
            "sector": list(Sector.objects.values_list("pk", "name")),
            "topic": list(Topic.objects.filter(is_active=True).values_list("pk", "name")),
        }
        cache.set(FILTER_CHOICES_KEY, choices, FILTER_CHOICES_SECONDS)
    return choices


def filter_choices_forget() -> None:
    cache.delete(FILTER_CHOICES_KEY)


def company_directory(queryset: QuerySet[Company] | None = None) -> QuerySet:
    """The directory's rows as dicts, ordered; paginate, then pass a page to ``directory_rows``.

    Plain values, no model instances: the busiest staff list stays cheap at 10,000 companies.
    """
    queryset = Company.objects.all() if queryset is None else queryset
    contact_count = (
        Contact.objects.filter(company_id=OuterRef("pk"))
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.annotate(contact_count=Coalesce(Subquery(contact_count), 0))
        .values("pk", "legal_name", "postcode", "city", "sme_class", "contact_count")
        .order_by("legal_name", "pk")
    )


def contact_list(queryset: QuerySet[Contact] | None = None) -> QuerySet[Contact]:
    queryset = Contact.objects.all() if queryset is None else queryset
    return queryset.select_related("company").order_by("last_name", "first_name", "pk")


def contacts_invitable(queryset: QuerySet[Contact] | None = None) -> QuerySet[Contact]:
    """Contacts a forum invitation may go to: chosen by their company, with an address that
    works, not opted out."""
    queryset = Contact.objects.all() if queryset is None else queryset
    return queryset.filter(
        receives_invitations=True, opted_out_at__isnull=True, undeliverable_at__isnull=True
    ).exclude(email="")


# --- One company ------------------------------------------------------------------


def company_relationships(company: Company, within: Q | None = None) -> QuerySet[Relationship]:
    """The company's relationships; `within` narrows them to a cluster manager's clusters
    (members.clusters: each cluster keeps its own history, the master data is shared)."""
    return (
        company.relationships.filter(within or Q())
        .select_related("cluster")
        .order_by("cluster__name", "-valid_from")
    )


def company_sme_figures(company: Company) -> QuerySet[SmeFigures]:
    return company.sme_figures.prefetch_related(
        Prefetch("holdings", queryset=SmeHolding.objects.select_related("other_company"))
    ).order_by("-fiscal_year")


def company_contacts_detail(company: Company) -> QuerySet[Contact]:
    return company_contacts(company).prefetch_related("topics")


def directory_rows(companies) -> list[dict]:
    """The directory table's cells as plain strings, for one page of ``company_directory``.

    Two more queries whatever the page size (current relationships, sectors), read as
    values and joined here: cheaper than prefetching into model instances and resolving
    lookups, translations and URLs per row in the template.
    """
    from django.urls import reverse

    companies = list(companies)
    ids = [c["pk"] for c in companies]
    kinds = {value: str(label) for value, label in Relationship.Kind.choices}
    classes = {value: str(label) for value, label in SmeClass.choices}
    relationships: dict[int, list[str]] = {}
    for company_id, cluster, kind in (
        Relationship.objects.filter(current_relationship_q(), company_id__in=ids)
        .order_by("cluster__name")
        .values_list("company_id", "cluster__name", "kind")
    ):
        relationships.setdefault(company_id, []).append(f"{cluster}: {kinds.get(kind, kind)}")
    sectors: dict[int, list[str]] = {}
    for company_id, name in (
        Company.sectors.through.objects.filter(company_id__in=ids)
        .order_by("sector__number")
        .values_list("company_id", "sector__name")
    ):
        sectors.setdefault(company_id, []).append(name)
    # One reverse() for the page; the id is put into the pattern per row.
    placeholder = 2_147_483_647
    url = reverse("members:company", args=[placeholder]).replace(str(placeholder), "{}")
    return [
        {
            "url": url.format(c["pk"]),
            "name": c["legal_name"],
            "place": f"{c['postcode']} {c['city']}".strip(),
            "relationships": relationships.get(c["pk"], []),
            "sectors": sectors.get(c["pk"], []),  # names: the numbers say nothing to people
            "sme_class": classes.get(c["sme_class"], "–"),
            "contacts": c["contact_count"],
        }
        for c in companies
    ]
