"""Demo data of the competence directory: the first company (demo login A) and some others
publish their profiles; the second company (demo login B) keeps a draft nobody else sees."""

import random

from members.models import Company

from .choices import Certification, Kind, Material, Process
from .models import Profile
from .services import profile_save

PUBLISHED = 8
SUMMARIES = [
    "Lohnfertigung von Dreh- und Frästeilen in kleinen und mittleren Serien.",
    "Blechbearbeitung vom Zuschnitt bis zur einbaufertigen Baugruppe.",
    "Schweißkonstruktionen und Stahlbau für den Maschinen- und Anlagenbau.",
    "Oberflächentechnik und Wärmebehandlung für Automobilzulieferer.",
]


def seed_atlas() -> dict:
    if Profile.objects.exists():
        return {"created": False}
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    companies = list(Company.objects.order_by("pk")[: PUBLISHED + 2])
    created = 0
    for index, company in enumerate(companies):
        contact = company.contacts.exclude(email="").order_by("pk").first()
        if contact is None:
            continue
        profile_save(
            actor=None,
            company=company,
            values={
                "summary": SUMMARIES[index % len(SUMMARIES)],
                "products": "Spannvorrichtungen und Greifersysteme" if index % 3 == 0 else "",
                "capacity": rng.choice(Profile.Capacity.values),
                "contact": contact,
                # The second company (demo login B) keeps its profile to itself.
                "published": index != 1,
            },
            entries={
                Kind.PROCESS: rng.sample(Process.values, 4),
                Kind.MATERIAL: rng.sample(Material.values, 3),
                Kind.CERTIFICATION: [Certification.ISO_9001]
                + rng.sample(Certification.values[1:], 1),
            },
        )
        created += 1
    return {"created": True, "profiles": created}
