"""The audit trail page: for the cluster management, searchable and filterable by who, action,
object type and period, paginated, with a fixed number of queries."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.actions import AdminAction
from core.models import AuditEvent
from members.audit import HoldingAction, LoginAction
from members.models import Company, User

URL = reverse("core:audit")


def _event(actor, action, obj, days_ago=0, **values):
    event = audit.record(actor=actor, action=action, obj=obj, **values)
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return event


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("company_user_a", 403), ("project_manager", 403), ("cluster_manager", 200)],
)
def test_only_the_cluster_management_reads_the_trail(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status


def test_the_staff_navigation_links_it(client, cluster_manager, project_manager):
    client.force_login(cluster_manager)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(project_manager)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_filters_by_who_action_object_type_period_and_text(
    client, cluster_manager, project_manager, company_a, company_user_a
):
    AuditEvent.objects.all().delete()  # the personas' own creation
    old = _event(cluster_manager, AdminAction.CHANGED, company_a, days_ago=40, reason="Umzug")
    login = _event(cluster_manager, LoginAction.DEACTIVATED, company_user_a, days_ago=2)
    mine = _event(project_manager, AdminAction.CHANGED, company_a, days_ago=1)
    client.force_login(cluster_manager)

    def shown(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {row["event"].pk for row in response.context["rows"]}

    assert shown() == {old.pk, login.pk, mine.pk}
    assert shown(actor="pm@example") == {mine.pk}
    assert shown(action=LoginAction.DEACTIVATED) == {login.pk}
    company_type = ContentType.objects.get_for_model(Company).pk
    assert shown(content_type=company_type) == {old.pk, mine.pk}
    assert shown(content_type=company_type, object_id=company_a.pk) == {old.pk, mine.pk}
    day = timezone.localdate()
    assert shown(date_from=(day - timedelta(days=3)).isoformat()) == {login.pk, mine.pk}
    assert shown(date_to=(day - timedelta(days=30)).isoformat()) == {old.pk}
    assert shown(q="umzug") == {old.pk}
    assert shown(q=str(company_user_a)) == {login.pk}
    # Junk in the filters is ignored with a note, never a server error.
    response = client.get(URL, {"date_from": "2026-13-45", "action": "nope", "content_type": "x"})
    assert response.status_code == 200 and response.context["filter"].form.errors


def test_rows_say_what_changed_in_words(client, cluster_manager, company_a):
    _event(
        cluster_manager,
        AdminAction.CHANGED,
        company_a,
        before={"city": "Heilbronn", "sectors": []},
        after={"city": "Neckarsulm", "sectors": ["Gießereien"]},
    )
    client.force_login(cluster_manager)
    body = client.get(URL, {"action": AdminAction.CHANGED}).content.decode()
    assert "In der Administration geändert" in body
    assert "<del>Heilbronn</del> → <ins>Neckarsulm</ins>" in body
    assert "Ort" in body and "Gießereien" in body


@pytest.mark.parametrize("events", [3, 60])
def test_the_page_runs_a_fixed_number_of_queries(
    client, cluster_manager, company_a, company_b, events, django_assert_num_queries
):
    users = [User.objects.create_user(email=f"u{n}@example.org", is_staff=True) for n in range(3)]
    for number in range(events):
        _event(
            users[number % 3],
            HoldingAction.ADDED if number % 2 else AdminAction.CHANGED,
            company_a if number % 2 else company_b,
            after={"share": number},
        )
    client.force_login(cluster_manager)
    client.get(URL)
    # permissions (user's, groups'), object types, count, the page of events with who and
    # object type (session, login and roles from the cache)
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(events + 1, 50)
    assert client.get(URL, {"page": 2}).status_code == 200
