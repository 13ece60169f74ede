"""factory_boy factories for the main models, with German fake data (Faker de_DE).

Tests name what matters to them and let the factory fill in the rest:
`CompanyFactory(legal_name="Alpha GmbH")`, `ContactFactory(company=company)`,
`ForumFactory(cluster=cluster, capacity=10)`. The personas of tests/conftest.py stay as they are.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from forums.models import Forum
from members.models import Cluster, Company, Contact, Relationship
from sefex.models import Workshop

GERMAN = "de_DE"


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("slug",)

    slug = "metall"
    name = "MetallDIALOG"


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    legal_name = factory.Faker("company", locale=GERMAN)
    street = factory.Faker("street_address", locale=GERMAN)
    postcode = factory.Faker("numerify", text="7####", locale=GERMAN)
    city = factory.Faker("city", locale=GERMAN)


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    company = factory.SubFactory(CompanyFactory)
    cluster = factory.SubFactory(ClusterFactory)
    kind = Relationship.Kind.MEMBER
    valid_from = "2020-01-01"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.Faker("first_name", locale=GERMAN)
    last_name = factory.Faker("last_name", locale=GERMAN)
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")


class ForumFactory(DjangoModelFactory):
    """A published forum two weeks ahead, three hours long, with room for ten."""

    class Meta:
        model = Forum

    cluster = factory.SubFactory(ClusterFactory)
    title = "Metall-Forum Industrie 4.0"
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + timedelta(days=14)
    )
    ends_at = factory.LazyAttribute(lambda forum: forum.starts_at + timedelta(hours=3))
    venue_name = "Alpha Präzisionstechnik"
    venue_street = "Hafenstraße 1"
    venue_postcode = "74076"
    venue_city = "Heilbronn"
    capacity = 10
    seats_per_company = 2
    audience = Forum.Audience.NETWORK
    state = Forum.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def company_with_contacts(
    name: str,
    *,
    contacts: int,
    cluster=None,
    kind=Relationship.Kind.MEMBER,
    person: str = "Person",
    **fields,
) -> Company:
    """A company called `name` with `contacts` people (Person0 <p0@<first word>.example>, …),
    and a relationship of `kind` to `cluster` when both are given; contacts in one query."""
    company = CompanyFactory(legal_name=name, **fields)
    if cluster is not None and kind:
        RelationshipFactory(company=company, cluster=cluster, kind=kind)
    word = name.split()[0]
    Contact.objects.bulk_create(
        ContactFactory.build(
            company=company,
            last_name=word,
            first_name=f"{person}{i}",
            email=f"p{i}@{word.lower()}.example",
        )
        for i in range(contacts)
    )
    return company


def held_workshop(company, module, manager, day: date) -> Workshop:
    """A closed (held) workshop of the module's programme on that day, 9 to 13 o'clock in
    Berlin, written directly: no de-minimis record, so only ERDF makes it evidence."""
    start = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    return Workshop.objects.create(
        programme=module.programme,
        company=company,
        module=module,
        state=Workshop.State.CLOSED,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        held_on=day,
        duration_hours=4,
        project_manager=manager,
    )
