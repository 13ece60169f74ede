"""Demo data: every held demo workshop gets its aid record, every company with a workshop a
declaration before it, scheduled workshops a current one; a second run adds nothing. The
whole demo (metalldialog.demo.seed) runs with funding last."""

from funding.demo import seed_funding
from funding.models import AidRecord, AidScheme, Declaration
from metalldialog.demo import seed
from sefex.models import Programme, Workshop

from .conftest import add_company

HELD = (Workshop.State.HELD, Workshop.State.DOCUMENTED, Workshop.State.CLOSED)


def _counts():
    return [m.objects.count() for m in (AidScheme, Declaration, AidRecord)]


def test_demo_records_every_held_workshop_once(project_manager):
    from sefex.demo import seed_sefex

    for index in range(14):
        add_company(f"Demo{index:02d} GmbH")
    seed_sefex()
    result = seed_funding()
    assert result["created"] is True
    held = Workshop.objects.filter(state__in=HELD)
    assert AidRecord.objects.count() == held.count() > 0
    assert AidScheme.objects.count() == Programme.objects.count()
    for workshop in held:
        record = workshop.aid_records.get(superseded=False)
        # Demo workshops have no booking in their history before they were held.
        assert record.grant_date == workshop.held_on
        assert Declaration.objects.filter(
            company=workshop.company, declared_on__lte=workshop.held_on
        ).exists()
        # 2017/2018 under 1407/2013, from 2024 under 2023/2831
        expected = "1407/2013" if workshop.held_on.year < 2024 else "2023/2831"
        assert record.regulation.code == expected
    first = _counts()
    assert seed_funding()["created"] is False
    assert _counts() == first


def test_whole_demo_seeds_funding_and_is_idempotent(db):
    report = seed()
    assert any(line.startswith("funding: ") and "aid records" in line for line in report)
    first = _counts()
    assert "funding: already there" in seed()
    assert _counts() == first
