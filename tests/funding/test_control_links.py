"""Control links keep their history: ended with a date, never deleted, and the single undertaking
of a day is made of the links in force on that day."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from funding import selectors, services
from funding.models import ControlLink

pytestmark = pytest.mark.django_db


def test_the_group_of_a_day_uses_the_links_in_force_that_day(project_manager, company_a, company_b):
    link = services.control_link_add(
        controlling=company_a,
        controlled=company_b,
        actor=project_manager,
        valid_from=date(2024, 3, 1),
    )
    services.control_link_end(
        link=link, actor=project_manager, ended_on=date(2025, 7, 1), reason="verkauft"
    )
    both = frozenset({company_a.pk, company_b.pk})
    assert selectors.group_of(company_a.pk, on=date(2024, 2, 29)) == {company_a.pk}
    assert selectors.group_of(company_a.pk, on=date(2024, 3, 1)) == both
    assert selectors.group_of(company_b.pk, on=date(2025, 6, 30)) == both
    assert selectors.group_of(company_b.pk, on=date(2025, 7, 1)) == {company_b.pk}
    with pytest.raises(ValueError):
        link.delete()
    assert ControlLink.objects.get().end_reason == "verkauft"


def test_a_new_link_may_follow_an_ended_one_but_not_overlap(project_manager, company_a, company_b):
    link = services.control_link_add(
        controlling=company_a,
        controlled=company_b,
        actor=project_manager,
        valid_from=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.control_link_end(link=link, actor=project_manager, ended_on=date(2023, 12, 31))
    services.control_link_end(link=link, actor=project_manager, ended_on=date(2025, 1, 1))
    with pytest.raises(ValidationError):  # overlaps the ended one
        services.control_link_add(
            controlling=company_b,
            controlled=company_a,
            actor=project_manager,
            valid_from=date(2024, 6, 1),
        )
    services.control_link_add(
        controlling=company_b,
        controlled=company_a,
        actor=project_manager,
        valid_from=date(2025, 1, 1),
    )
    assert ControlLink.objects.count() == 2
    assert selectors.group_of(company_a.pk, on=date(2026, 1, 1)) == {company_a.pk, company_b.pk}
