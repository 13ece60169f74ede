"""Reads for the logins pages; a fixed number of queries each."""

from members.models import Company, Contact, User


def company_logins(company: Company):
    """The company's logins with their person, newest first."""
    return list(
        User.objects.filter(company=company)
        .select_related("contact", "company_administrator")
        .order_by("-is_active", "contact__last_name", "contact__first_name", "email")
    )


def company_people(company: Company) -> list[Contact]:
    """Every contact of the company with its login, if it has one (one query)."""
    return list(
        Contact.objects.filter(company=company)
        .select_related("login__company_administrator")
        .order_by("last_name", "first_name", "pk")
    )
