"""The staff start page's tasks due and sleeping members without a follow-up: the same number
of queries with one or with many of each, and each entry links to where it is done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm import services
from members.models import Cluster, Company, Relationship
from tests.metalldialog.test_start import CLUSTER_MANAGER_QUERIES

pytestmark = pytest.mark.django_db


def _sleeping_member(name: str) -> Company:
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    company = Company.objects.create(legal_name=name, city="Heilbronn")
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.MEMBER, valid_from="2020-01-01"
    )
    return company


def test_tasks_due_and_sleeping_members_in_fixed_queries(
    client, cluster_manager, django_assert_num_queries
):
    client.force_login(cluster_manager)
    for size, tag in ((1, "A"), (4, "B")):
        for index in range(size):
            company = _sleeping_member(f"{tag}{index} Schlaf GmbH")
            services.task_create(
                actor=cluster_manager,
                company=_sleeping_member(f"{tag}{index} Aufgabe GmbH"),
                title=f"Anruf {tag}{index}",
                due_on=timezone.localdate() - timedelta(days=index),
                assignee=cluster_manager,
            )
        with django_assert_num_queries(CLUSTER_MANAGER_QUERIES):
            page = client.get("/").content.decode()
    assert 'data-total="tasks">5<' in page and "Anruf B3" in page
    assert 'data-total="sleeping">5<' in page  # those with an open task are not listed
    assert f'href="/members/{company.pk}/"' in page
    _sleeping_member("Noch eine Schlaf GmbH")
    assert 'data-total="sleeping">5+<' in client.get("/").content.decode()  # five, and more
    assert 'action="/crm/tasks/' in page and 'action="/crm/companies/' in page
    assert "Aufgabe GmbH</a>" not in page.split('id="todo-sleeping"')[1].split("</section>")[0]
