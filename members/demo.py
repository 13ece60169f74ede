"""Demo data of the members app: two clusters and about 260 companies with contacts,
identifiers, SME figures for three fiscal years and a few linked groups.

Deterministic (fixed Faker seed) so a demo looks the same on every machine.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from faker import Faker

from . import sme
from .identity import identity_forget
from .models import (
    Agency,
    Cluster,
    Company,
    Contact,
    Relationship,
    Sector,
    SmeFigures,
    SmeHolding,
    Topic,
)
from .services import company_sme_refresh

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
    # "Hans-J." would give "hans-j..name@": no dots from names in addresses.
    return name.lower().translate(UMLAUTS).replace(" ", "").replace(".", "")


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


# Two clusters of one agency, each with its own name, colour, sender and imprint.
CLUSTER_IDENTITIES = {
    "metall": {
        "name": "MetallDIALOG",
        "short_name": "MetallDIALOG",
        "description": "Netzwerk der Metallindustrie im Raum Heilbronn-Franken",
        "colour": "#0d47a1",
        "sender_name": "MetallDIALOG – WFG Raum Heilbronn",
        "sender_email": "metalldialog@wfg-heilbronn.example",
        "reply_to": "team-metall@wfg-heilbronn.example",
        "address": "Koepffstraße 17, 74076 Heilbronn",
        "city": "Heilbronn",
        "imprint": (
            "**Wirtschaftsförderung Raum Heilbronn GmbH**, Clustermanagement MetallDIALOG  \n"
            "Geschäftsführung: Dr. Maria Muster · Amtsgericht Stuttgart HRB 100001"
        ),
        "privacy_notice": "Für MetallDIALOG verantwortlich: Team Metall, "
        "datenschutz-metall@wfg-heilbronn.example.",
    },
    "kunststoff": {
        "name": "Kunststoffcluster",
        "short_name": "Kunststoff",
        "description": "Netzwerk der Kunststoffverarbeitung im Raum Heilbronn-Franken",
        "colour": "#1b5e20",
        "sender_name": "Kunststoffcluster Heilbronn-Franken",
        "sender_email": "kunststoff@wfg-heilbronn.example",
        "reply_to": "team-kunststoff@wfg-heilbronn.example",
        "address": "Weipertstraße 8, 74076 Heilbronn",
        "city": "Heilbronn",
        "imprint": (
            "**Wirtschaftsförderung Raum Heilbronn GmbH**, Clustermanagement Kunststoff  \n"
            "Ansprechpartner: Jonas Beispiel · Amtsgericht Stuttgart HRB 100001"
        ),
        "privacy_notice": "Für den Kunststoffcluster verantwortlich: Team Kunststoff, "
        "datenschutz-kunststoff@wfg-heilbronn.example.",
    },
}


AGENCY_IMPRINT = (
    "**Wirtschaftsförderung Raum Heilbronn GmbH**  \n"
    "Geschäftsführung: Dr. Maria Muster · Amtsgericht Stuttgart HRB 100001  \n"
    "USt-IdNr. DE000000000"
)


@transaction.atomic
def seed_members() -> dict:
    """Creates clusters, companies, relationships and contacts unless they exist already."""
    metall, created = Cluster.objects.get_or_create(
        slug="metall", defaults=CLUSTER_IDENTITIES["metall"]
    )
    if not created:
        # Installations seeded before SME figures existed get them now.
        seed_sme_figures()
        return {"created": False}
    kunststoff = Cluster.objects.create(slug="kunststoff", **CLUSTER_IDENTITIES["kunststoff"])
    clusters = {"metall": metall, "kunststoff": kunststoff}
    Agency.objects.filter(pk=1, imprint="").update(imprint=AGENCY_IMPRINT)
    identity_forget()
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
    for index, company in enumerate(companies):
        company.legal_form = company.legal_name.split(company.short_name, 1)[-1].strip()
        company.register_number = f"HRB {700000 + index * 37}"
        company.vat_id = f"DE{811000000 + index * 1013}"
        company.production = PRODUCTION_PLAN[index % len(PRODUCTION_PLAN)]
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
            if kind == Relationship.Kind.FORMER:
                # History: a member until the end of a year, a former member since.
                end = date(min(start.year + rng.randint(2, 8), 2025), 12, 31)
                relationships.append(
                    Relationship(
                        company=company,
                        cluster=clusters[slug],
                        kind=Relationship.Kind.MEMBER,
                        valid_from=start,
                        valid_to=end,
                    )
                )
                start = end + timedelta(days=1)
            relationships.append(
                Relationship(company=company, cluster=clusters[slug], kind=kind, valid_from=start)
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
                    # Most companies let everyone get invitations; some pick a few.
                    receives_invitations=number == 0 or rng.random() < 0.7,
                )
            )
    SectorLink.objects.bulk_create(sector_links)
    Relationship.objects.bulk_create(relationships)
    Contact.objects.bulk_create(contacts)
    topics = list(Topic.objects.order_by("pk"))
    TopicLink = Contact.topics.through
    TopicLink.objects.bulk_create(
        TopicLink(contact_id=contact.pk, topic_id=topics[(i * 5) % len(topics)].pk)
        for i, contact in enumerate(contacts)
        if topics and i % 3 == 0
    )
    seed_sme_figures()
    return {"created": True, "companies": len(companies), "contacts": len(contacts)}


PRODUCTION_PLAN = [
    Company.Production.CONTRACT,
    Company.Production.CONTRACT,
    Company.Production.BOTH,
    Company.Production.PRODUCTS,
]
SME_YEARS = (2022, 2023, 2024)
# Size profiles (work units, turnover in EUR m, balance sheet in EUR m), mostly SMEs.
PROFILES = [
    (Decimal(6), Decimal("1.2"), Decimal("0.9")),
    (Decimal(18), Decimal("3.5"), Decimal("2.4")),
    (Decimal(35), Decimal("7.8"), Decimal("5.1")),
    (Decimal(48), Decimal("9.5"), Decimal("8.0")),
    (Decimal(120), Decimal("24"), Decimal("17")),
    (Decimal(240), Decimal("48"), Decimal("40")),
    (Decimal(420), Decimal("95"), Decimal("70")),
]
LINKED_GROUPS = 4  # parents with one or two linked subsidiaries


def seed_sme_figures() -> int:
    """Figures for three fiscal years of every company without any; a few linked groups.

    Bulk-created with classes computed in Python (fast); the group parents then go
    through the service so their holdings count.
    """
    if SmeFigures.objects.exists():
        return 0
    rng = random.Random(2003)  # noqa: S311 - demo data, not security
    companies = list(Company.objects.order_by("pk").only("pk"))
    rows = []
    current = {}
    for index, company in enumerate(companies):
        staff, turnover, balance = PROFILES[index % len(PROFILES)]
        sizes = []
        per_year = []
        for year in SME_YEARS:
            growth = Decimal(1 + rng.uniform(-0.12, 0.18)).quantize(Decimal("0.01"))
            staff = (staff * growth).quantize(Decimal("0.1"))
            turnover = (turnover * growth).quantize(Decimal("0.01"))
            balance = (balance * growth).quantize(Decimal("0.01"))
            figures = SmeFigures(
                company_id=company.pk,
                fiscal_year=year,
                staff_units=staff,
                turnover=turnover * sme.MILLION,
                balance_sheet=balance * sme.MILLION,
                public_share=Decimal(30) if index % 97 == 5 else Decimal(0),
            )
            figures.size_class = sme.size_class(
                sme.Figures(figures.staff_units, figures.turnover, figures.balance_sheet),
                figures.public_share,
            )
            sizes.append((year, figures.size_class))
            per_year.append(figures)
        effective = sme.effective_classes(sizes)
        for figures in per_year:
            figures.sme_class = effective[figures.fiscal_year]
        rows.extend(per_year)
        current[company.pk] = per_year[-1].sme_class
    SmeFigures.objects.bulk_create(rows, batch_size=1000)
    for company in companies:
        company.sme_class = current[company.pk]
    Company.objects.bulk_update(companies, ["sme_class"], batch_size=1000)

    # Linked groups: company 10*k holds the next one or two in full control.
    holdings = []
    parents = []
    by_company_year = {(f.company_id, f.fiscal_year): f for f in rows}
    for group in range(LINKED_GROUPS):
        parent = companies[10 + group * 10]
        parents.append(parent)
        for offset in range(1, 2 + group % 2):
            child = companies[10 + group * 10 + offset]
            for year in SME_YEARS:
                holdings.append(
                    SmeHolding(
                        figures=by_company_year[(parent.pk, year)],
                        kind=SmeHolding.Kind.LINKED,
                        direction=SmeHolding.Direction.HOLDS,
                        share=Decimal(100 if offset == 1 else 60),
                        other_company_id=child.pk,
                    )
                )
    # One partner enterprise outside the directory.
    partner_figures = by_company_year[(companies[3].pk, SME_YEARS[-1])]
    holdings.append(
        SmeHolding(
            figures=partner_figures,
            kind=SmeHolding.Kind.PARTNER,
            direction=SmeHolding.Direction.HELD_BY,
            share=Decimal(30),
            other_name="Beteiligungsgesellschaft Neckar GmbH",
            staff_units=Decimal(40),
            turnover=Decimal(8) * sme.MILLION,
            balance_sheet=Decimal(6) * sme.MILLION,
        )
    )
    parents.append(companies[3])
    SmeHolding.objects.bulk_create(holdings)
    for parent in parents:
        company_sme_refresh(company=parent)
    return len(rows)
