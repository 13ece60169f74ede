"""Reference data every installation needs: the sector list (DOMAIN.md) and first topics."""

from django.db import migrations

TOPICS = [
    ("industrie-4-0", "Industrie 4.0"),
    ("energieeffizienz", "Energieeffizienz"),
    ("fachkraefte", "Fachkräfte und Ausbildung"),
    ("additive-fertigung", "Additive Fertigung"),
    ("automatisierung", "Automatisierung und Robotik"),
    ("nachhaltigkeit", "Nachhaltigkeit und CO2-Bilanz"),
]

# (number, name, WZ 2008, WZ 2025) from DOMAIN.md
SECTORS = [
    (1, "Metallerzeugung und Halbzeuge", "24.1-24.4", "24.1-24.4"),
    (2, "Gießereien", "24.5", "24.5"),
    (3, "Stahl- und Metallbau, Tanks und Behälter", "25.1-25.3", "25.1-25.3"),
    (4, "Umformtechnik: Schmieden, Pressen, Stanzen, Pulvermetallurgie", "25.50", "25.40"),
    (5, "Oberflächenveredlung und Wärmebehandlung", "25.61", "25.51/25.52"),
    (6, "Zerspanung, CNC-Lohnfertigung, Schweißen", "25.62", "25.53"),
    (7, "Werkzeug-, Formen- und Vorrichtungsbau", "25.73", "25.63"),
    (8, "Schlösser, Beschläge, Schneidwaren", "25.71/25.72", "25.61/25.62"),
    (9, "Drahtwaren, Federn, Verbindungselemente", "25.93/25.94", "25.93/25.94"),
    (10, "Sonstige Metallwaren", "25.99", "25.99"),
    (11, "Maschinen- und Anlagenbau, Werkzeugmaschinen", "28", "28"),
    (12, "Antriebs- und Fluidtechnik", "28.12-28.15", "28.12-28.15"),
    (13, "Automobilzulieferer", "29.32", "29.32"),
    (14, "Reparatur und Installation von Maschinen", "33.1/33.2", "33.1/33.2"),
    (15, "Metallhandel, Ingenieurdienstleistungen, Prüflabore, Forschung",
     "46.72, 71.12, 71.20", "46.72, 71.12, 71.20"),
]


def forwards(apps, schema_editor):
    Sector = apps.get_model("members", "Sector")
    Topic = apps.get_model("members", "Topic")
    for slug, name in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    for number, name, wz2008, wz2025 in SECTORS:
        Sector.objects.update_or_create(
            number=number, defaults={"name": name, "wz2008": wz2008, "wz2025": wz2025}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
