"""Reads of the competence directory: the search, one company's profile, request counts."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from members.models import Company, Contact

from .choices import Kind
from .models import Enquiry, Profile, ProfileEntry


def _has_entry(kind: str, code: str):
    return Exists(ProfileEntry.objects.filter(profile_id=OuterRef("pk"), kind=kind, code=code))


def profile_search(
    *,
    process: str = "",
    material: str = "",
    certification: str = "",
    postcode: str = "",
    q: str = "",
) -> QuerySet[Profile]:
    """Published profiles matching every given filter (a postcode matches by its start,
    "74" finds the Heilbronn region); two queries with the entries."""
    profiles = Profile.objects.filter(published=True)
    for kind, code in (
        (Kind.PROCESS, process),
        (Kind.MATERIAL, material),
        (Kind.CERTIFICATION, certification),
    ):
        if code:
            profiles = profiles.filter(_has_entry(kind, code))
    if postcode:
        profiles = profiles.filter(company__postcode__startswith=postcode)
    if q:
        profiles = profiles.filter(
            Q(company__legal_name__icontains=q) | Q(summary__icontains=q) | Q(products__icontains=q)
        )
    return (
        profiles.select_related("company")
        .prefetch_related("entries")
        .only(
            "summary",
            "products",
            "capacity",
            "published",
            "company__legal_name",
            "company__postcode",
            "company__city",
        )
        .order_by("company__legal_name", "pk")
    )


def company_profile(company: Company) -> Profile | None:
    return (
        Profile.objects.filter(company=company)
        .select_related("contact")
        .prefetch_related("entries")
        .first()
    )


def request_contacts(company: Company) -> QuerySet[Contact]:
    """Who may receive contact requests: the company's contacts with an address."""
    return company.contacts.exclude(email="").order_by("last_name", "first_name", "pk")


def enquiries_sent_since(company_id: int, since) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(sender_company_id=company_id, created_at__gte=since)


def enquiry_counts(company: Company, *, days: int = 365) -> dict:
    """Requests the company received and sent in the last `days` (one query)."""
    since = timezone.now() - timedelta(days=days)
    counts = Enquiry.objects.filter(
        Q(profile__company=company) | Q(sender_company=company), created_at__gte=since
    ).aggregate(
        received=Count("pk", filter=Q(profile__company=company)),
        sent=Count("pk", filter=Q(sender_company=company)),
    )
    counts["days"] = days
    return counts
