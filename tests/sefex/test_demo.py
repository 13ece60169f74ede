"""Demo data: workshops in every state across 2017-2018 and now, with minutes and assessments;
a second run changes nothing."""

from django.utils import timezone

from sefex.demo import seed_sefex
from sefex.models import (
    ActionItem,
    AvailabilityRule,
    Finding,
    MaturityAssessment,
    Programme,
    ProposedSlot,
    Workshop,
)
from sefex.selectors import overdue_q

from .conftest import add_company


def _counts():
    return [
        m.objects.count()
        for m in (
            Programme,
            Workshop,
            ProposedSlot,
            Finding,
            ActionItem,
            MaturityAssessment,
            AvailabilityRule,
        )
    ]


def test_demo_covers_every_state_and_period_once(project_manager):
    for index in range(14):
        add_company(f"Demo{index:02d} GmbH")
    result = seed_sefex()
    assert result["created"] is True
    first = _counts()
    assert seed_sefex() == {"created": False}
    assert _counts() == first

    states = set(Workshop.objects.values_list("state", flat=True))
    assert states == set(Workshop.State.values)
    years = {w.starts_at.year for w in Workshop.objects.exclude(starts_at=None)}
    this_year = timezone.localdate().year
    assert {2017, 2018} <= years
    assert years & {this_year - 1, this_year, this_year + 1}
    for year in (2017, 2018):
        held = Workshop.objects.filter(starts_at__year=year, state__in=["documented", "closed"])
        assert held.exists()
        for workshop in held:
            assert workshop.agenda and workshop.findings.exists()
            assert workshop.action_items.exists()
            assert MaturityAssessment.objects.filter(workshop=workshop).exists()
    # Current workshops with minutes and an assessment too, and a choice waiting.
    assert MaturityAssessment.objects.filter(workshop__starts_at__year__gte=this_year - 1).exists()
    assert Workshop.objects.get(state="proposed").slots.count() == 3
    # A company with several assessed workshops shows a progression on its chart.
    assert MaturityAssessment.objects.values("workshop__company").distinct().count() >= 5
    # Nothing of the finished programme waits for anyone; the running one has an item a few
    # days overdue, with an owner, for the start pages to show.
    old = Workshop.objects.filter(programme__is_active=False)
    assert not old.filter(state__in=["requested", "proposed", "scheduled", "held"]).exists()
    assert not ActionItem.objects.filter(workshop__in=old, state="open").exists()
    overdue = ActionItem.objects.filter(overdue_q(timezone.localdate()))
    assert overdue.count() == 1
    item = overdue.get()
    assert item.owner and item.owner.company_id == item.workshop.company_id
    assert (timezone.localdate() - item.due_on).days < 14
