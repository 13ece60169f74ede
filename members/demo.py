"""Demo data of the members app: two clusters and about 260 companies with contacts.

Deterministic (fixed Faker seed) so a demo looks the same on every machine.
"""

import random
from datetime import date

from django.db import transaction
from faker import Faker

from .models import Cluster, Company, Contact, Relationship, Sector

COMPANY_COUNT = 260

# Places of the Heilbronn-Franken region with their postcodes.
PLACES = [
    ("74072", "Heilbronn"),
    ("74076", "Heilbronn"),
    ("74078", "Heilbronn"),
    ("74172", "Neckarsulm"),
    ("74177", "Bad Friedrichshall"),
    ("74206", "Bad Wimpfen"),
    ("74189", "Weinsberg"),
    ("74211", "Leingarten"),
    ("74193", "Schwaigern"),
    ("74336", "Brackenheim"),
    ("74348", "Lauffen am Neckar"),
    ("74354", "Besigheim"),
    ("74906", "Bad Rappenau"),
    ("75031", "Eppingen"),
    ("74613", "Öhringen"),
    ("74653", "Künzelsau"),
    ("74219", "Möckmühl"),
    ("74821", "Mosbach"),
    ("74360", "Ilsfeld"),
    ("74226", "Nordheim"),
    ("74232", "Abstatt"),
    ("74235", "Erlenbach"),
    ("74182", "Obersulm"),
    ("74245", "Löwenstein"),
]
LEGAL_FORMS = ["GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "GmbH & Co. KG", "AG", "e.K.", "KG"]
TRADES = [
    "Metallbau",
    "Präzisionstechnik",
    "Zerspanungstechnik",
    "Stanztechnik",
    "Oberflächentechnik",
    "Werkzeugbau",
    "Maschinenbau",
    "Härterei",
    "Gießerei",
    "Federnwerk",
    "Antriebstechnik",
    "Blechbearbeitung",
    "Schweißtechnik",
    "Umformtechnik",
    "Anlagenbau",
    "Feinmechanik",
]
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _ascii(name: str) -> str:
    return name.lower().translate(UMLAUTS).replace(" ", "")


FUNCTIONS = [f for f in Contact.Function.values if f != Contact.Function.OTHER]


def _relationship_plan(index: int) -> list[tuple[str, str]]:
    """Which cluster relationships the index-th company has (cluster slug, kind)."""
    plan = []
    if index < 45:
        plan.append(("metall", Relationship.Kind.MEMBER))
    elif index < 200:
        plan.append(("metall", Relationship.Kind.PARTNER))
    elif index < 240:
        plan.append(("metall", Relationship.Kind.PROSPECT))
    else:
        plan.append(("metall", Relationship.Kind.FORMER))
    if index % 6 == 0:
        plan.append(
            (
                "kunststoff",
                Relationship.Kind.MEMBER if index % 12 == 0 else Relationship.Kind.PARTNER,
            )
        )
    return plan


@transaction.atomic
def seed_members() -> dict:
    """Creates clusters, companies, relationships and contacts unless they exist already."""
    metall, created = Cluster.objects.get_or_create(
        slug="metall",
        defaults={
            "name": "MetallDIALOG",
            "description": "Netzwerk der Metallindustrie im Raum Heilbronn-Franken",
        },
    )
    if not created:
        return {"created": False}
    kunststoff = Cluster.objects.create(
        slug="kunststoff",
        name="Kunststoffcluster",
        description="Netzwerk der Kunststoffverarbeitung im Raum Heilbronn-Franken",
    )
    clusters = {"metall": metall, "kunststoff": kunststoff}
    fake = Faker("de_DE")
    fake.seed_instance(2017)
    rng = random.Random(2017)  # noqa: S311 - demo data, not security
    sectors = list(Sector.objects.order_by("number"))

    companies = []
    for _ in range(COMPANY_COUNT):
        family = fake.unique.last_name()
        trade = rng.choice(TRADES)
        postcode, city = rng.choice(PLACES)
        domain = f"{_ascii(family)}-{_ascii(trade)[:8]}.example"
        companies.append(
            Company(
                legal_name=f"{family} {trade} {rng.choice(LEGAL_FORMS)}",
                short_name=f"{family} {trade}",
                street=fake.street_address(),
                postcode=postcode,
                city=city,
                website=f"https://www.{domain}",
            )
        )
    Company.objects.bulk_create(companies)

    relationships, contacts, sector_links = [], [], []
    SectorLink = Company.sectors.through
    for index, company in enumerate(companies):
        sector = sectors[index % len(sectors)]
        sector_links.append(SectorLink(company_id=company.pk, sector_id=sector.pk))
        if index % 5 == 0:
            extra = sectors[(index * 7 + 3) % len(sectors)]
            if extra != sector:
                sector_links.append(SectorLink(company_id=company.pk, sector_id=extra.pk))
        for slug, kind in _relationship_plan(index):
            start = date(rng.randint(2008, 2024), rng.randint(1, 12), 1)
            end = None
            if kind == Relationship.Kind.FORMER:
                end = date(min(start.year + rng.randint(2, 8), 2025), 12, 31)
            relationships.append(
                Relationship(
                    company=company,
                    cluster=clusters[slug],
                    kind=kind,
                    valid_from=start,
                    valid_to=end,
                )
            )
        domain = company.website.removeprefix("https://www.")
        for number in range(rng.randint(2, 4)):
            female = rng.random() < 0.4
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name()
            function = Contact.Function.MANAGEMENT if number == 0 else rng.choice(FUNCTIONS)
            contacts.append(
                Contact(
                    company=company,
                    salutation=Contact.Salutation.MS if female else Contact.Salutation.MR,
                    title="Dr." if rng.random() < 0.08 else "",
                    first_name=first,
                    last_name=last,
                    function=function,
                    email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                    phone=fake.phone_number(),
                    language=Contact.Language.ENGLISH
                    if rng.random() < 0.05
                    else Contact.Language.GERMAN,
                )
            )
    SectorLink.objects.bulk_create(sector_links)
    Relationship.objects.bulk_create(relationships)
    Contact.objects.bulk_create(contacts)
    return {"created": True, "companies": len(companies), "contacts": len(contacts)}
