"""Fixtures of the competence directory: member companies with logins and profiles."""

import pytest

from atlas import services
from atlas.choices import Kind
from members.models import Cluster, Company, Contact, Relationship
from tests.conftest import company_login


def member(name: str, postcode: str, city: str) -> Company:
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    company = Company.objects.create(legal_name=name, postcode=postcode, city=city)
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.MEMBER, valid_from="2020-01-01"
    )
    return company


def publish(company: Company, *, processes=(), materials=(), certifications=(), **values):
    """A published profile whose requests go to a contact with an address."""
    contact = Contact.objects.create(
        company=company,
        first_name="Vera",
        last_name="Vertrieb",
        email=f"vertrieb@{company.legal_name.split()[0].lower()}.example",
    )
    return services.profile_save(
        actor=None,
        company=company,
        values={"contact": contact, "published": True, "summary": "Lohnfertigung", **values},
        entries={
            Kind.PROCESS: list(processes),
            Kind.MATERIAL: list(materials),
            Kind.CERTIFICATION: list(certifications),
        },
    )


@pytest.fixture
def alpha(db):
    return member("Alpha Präzisionstechnik GmbH", "74076", "Heilbronn")


@pytest.fixture
def beta(db):
    return member("Beta Stanztechnik GmbH", "74172", "Neckarsulm")


@pytest.fixture
def gamma(db):
    return member("Gamma Gießerei KG", "70173", "Stuttgart")


@pytest.fixture
def user_alpha(alpha):
    return company_login(alpha, "uwe@alpha.example", "Uwe", "Alpha")


@pytest.fixture
def user_beta(beta):
    return company_login(beta, "berta@beta.example", "Berta", "Beta")
