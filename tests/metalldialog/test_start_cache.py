"""The staff's start page comes from the cache while nothing it lists changed, shows a change
at once after its commit, serves each browser only its own forms (CSRF token) and works with
the cache away. Committed transactions, as in production: the cache is kept after the commit."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm import services as crm_services
from crm.models import Task
from members.models import Company
from metalldialog import start_cache

pytestmark = pytest.mark.django_db(transaction=True)


def _task(manager, title: str) -> Task:
    company = Company.objects.create(legal_name=f"{title} GmbH", city="Heilbronn")
    return crm_services.task_create(
        actor=manager,
        company=company,
        title=title,
        due_on=timezone.localdate() - timedelta(days=1),
        assignee=manager,
    )


def _list_queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    return page, sum('"crm_task"' in q["sql"] for q in queries.captured_queries)


def test_served_from_the_cache_until_a_listed_row_changes(cluster_manager):
    client = Client()
    client.force_login(cluster_manager)
    _task(cluster_manager, "Anruf Alpha")
    page, reads = _list_queries(client)
    assert "Anruf Alpha" in page and reads > 0
    page, reads = _list_queries(client)
    assert "Anruf Alpha" in page and reads == 0  # from the cache

    _task(cluster_manager, "Anruf Beta")  # committed: the next visit shows it
    page, reads = _list_queries(client)
    assert "Anruf Beta" in page and reads > 0

    task = Task.objects.get(title="Anruf Alpha")
    crm_services.task_done(actor=cluster_manager, task=task)
    page, _reads = _list_queries(client)
    assert "Anruf Alpha" not in page and "Anruf Beta" in page


def test_each_browser_gets_forms_with_its_own_token(cluster_manager):
    task = _task(cluster_manager, "Anruf Gamma")
    first = Client(enforce_csrf_checks=True)
    first.force_login(cluster_manager)
    assert "Anruf Gamma" in first.get("/").content.decode()  # rendered and cached for it

    second = Client(enforce_csrf_checks=True)
    second.force_login(cluster_manager)  # another login: another CSRF secret
    page = second.get("/").content.decode()
    form = page.split(f'action="/crm/tasks/{task.pk}/done/"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = second.post(f"/crm/tasks/{task.pk}/done/", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302  # not 403: the token belongs to this browser
    task.refresh_from_db()
    assert task.is_done


def test_renders_with_the_cache_away(cluster_manager):
    _task(cluster_manager, "Anruf Delta")
    request = RequestFactory().get("/")
    request.user = cluster_manager
    request.session = {}
    away = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=away):
        html = start_cache.staff_section(request)
    assert "Anruf Delta" in html
