"""One date format per language (metalldialog/formats): 24.12.2026 and 24.12.2026, 14:30 in
German, 24 Dec 2026 and 24 Dec 2026, 14:30 in English; templates name the format."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from members.models import Cluster, Relationship

CHRISTMAS = datetime(2026, 12, 24, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
# A format string that spells out a whole date (a day, a month and a year) by hand.
HAND_MADE_DATE = re.compile(r'\|date:"(?=[^"]*[dj])(?=[^"]*[mnMFbN])(?=[^"]*[Yy])[^"]*"')


@pytest.mark.parametrize(
    "language,day,moment",
    [("de", "24.12.2026", "24.12.2026, 14:30"), ("en", "24 Dec 2026", "24 Dec 2026, 14:30")],
)
def test_one_format_per_language(language, day, moment):
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(CHRISTMAS.date(), name) == day
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            assert formats.date_format(CHRISTMAS, name) == moment


def test_no_template_spells_out_a_date_format():
    folder = Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(folder)}: {match.group(0)}"
        for path in folder.rglob("*")
        if path.suffix in (".html", ".txt")
        for match in HAND_MADE_DATE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "use a named format (SHORT_DATE_FORMAT, …):\n" + "\n".join(found)


def test_the_english_company_page_shows_english_dates(client, cluster_manager, company_a):
    other = Cluster.objects.create(name="Kunststoff", slug="kunststoff")
    Relationship.objects.create(
        company=company_a,
        cluster=other,
        kind=Relationship.Kind.PARTNER,
        valid_from=date(2024, 5, 1),
    )
    client.force_login(cluster_manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("members:company", args=[company_a.pk])).content.decode()
    assert "1 May 2024" in page
    assert not re.search(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", page), "a German date on an English page"
