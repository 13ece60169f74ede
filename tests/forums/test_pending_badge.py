"""The navigation's count of registrations awaiting approval (a fragment loaded after the page)."""

import pytest
from django.test import Client
from django.urls import reverse

from forums import services
from forums.models import Forum, Registration

pytestmark = pytest.mark.django_db
URL = reverse("forums:staff_pending_badge")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_cluster_manager_sees_how_many_wait(make_forum, make_company, cluster_manager):
    assert _client(cluster_manager).get(URL).content.decode().strip() == ""
    forum = make_forum(audience=Forum.Audience.OPEN)
    prospects = make_company("Gamma GmbH", kind="prospect", contacts=2)
    for contact in prospects.contacts.all():
        services.registration_create(forum=forum, contact=contact)
    assert Registration.objects.filter(state="pending").count() == 2
    cancelled = make_forum(audience=Forum.Audience.OPEN, title="Abgesagt")
    services.registration_create(
        forum=cancelled, contact=make_company("Delta GmbH", kind="prospect").contacts.first()
    )
    services.forum_cancel(forum=cancelled, actor=cluster_manager)
    badge = _client(cluster_manager).get(URL).content.decode()
    assert ">2<" in badge and "warten auf Freigabe" in badge
    page = _client(cluster_manager).get(reverse("forums:staff_list")).content.decode()
    assert URL in page


def test_others_get_no_count(company_user_a, project_manager):
    assert Client().get(URL).status_code == 302
    assert _client(company_user_a).get(URL).status_code == 403
    assert _client(project_manager).get(URL).status_code == 403
