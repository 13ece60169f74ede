"""The date of the last payment moves from the programme's keeping onto its ERDF projects (a
programme kept without a project gets one, so its workshops stay protected), and back."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding.models import ErdfProject
from sefex.models import Programme

from .data import funded_programme

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("operations", "0001_initial")]
AFTER = [("operations", "0002_erdf_keeping_per_project")]


def _keeping_model(executor):
    return executor.loader.project_state(BEFORE).apps.get_model("operations", "ErdfKeeping")


def test_the_dates_move_onto_the_projects_and_back():
    shared, alone, unpaid = funded_programme(), funded_programme(), funded_programme()
    Programme.objects.filter(pk=alone.pk).update(name="SEFEX alt", funding_start=date(2016, 1, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        # Only operations went back: the projects have their date field already.
        first = ErdfProject.objects.create(name="EFRE I", period="2021-2027", programme=shared)
        second = ErdfProject.objects.create(name="EFRE II", period="2021-2027", programme=shared)
        open_one = ErdfProject.objects.create(
            name="EFRE offen", period="2021-2027", programme=unpaid
        )
        keeping = _keeping_model(executor)
        keeping.objects.create(programme_id=shared.pk, last_payment_on=date(2029, 6, 30))
        keeping.objects.create(programme_id=alone.pk, last_payment_on=date(2023, 12, 1))
        keeping.objects.create(programme_id=unpaid.pk, last_payment_on=None)
        MigrationExecutor(connection).migrate(AFTER)

        assert {
            p.pk: p.last_payment_on
            for p in ErdfProject.objects.all()
            if p.pk in {first.pk, second.pk, open_one.pk}
        } == {first.pk: date(2029, 6, 30), second.pk: date(2029, 6, 30), open_one.pk: None}
        made = ErdfProject.objects.get(programme=alone)
        assert made.last_payment_on == date(2023, 12, 1)
        assert made.period == ErdfProject.Period.P2014 and not made.forums_count
        assert made.name.startswith("SEFEX alt (EFRE")

        # Back: one keeping per programme, the longest of its projects'.
        ErdfProject.objects.filter(pk=second.pk).update(last_payment_on=date(2031, 1, 5))
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = {
            row.programme_id: row.last_payment_on for row in _keeping_model(executor).objects.all()
        }
        assert back == {
            shared.pk: date(2031, 1, 5),
            alone.pk: date(2023, 12, 1),
            unpaid.pk: None,
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
