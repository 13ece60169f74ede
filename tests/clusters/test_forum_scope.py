"""A cluster manager sees and acts on the forums of their clusters only: every staff page of
another cluster's forum or registration answers 404, as an unknown id does; the lists show
their clusters' forums; the agency-wide login and the agency administrator see both."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import Role
from forums.models import Registration
from members.models import User
from tests.clusters.conftest import client_of

pytestmark = pytest.mark.django_db

FORUM_PAGES = [
    ("forums:detail", "get"),
    ("forums:edit", "get"),
    ("forums:edit", "post"),
    ("forums:publish", "post"),
    ("forums:cancel", "get"),
    ("forums:reschedule", "get"),
    ("forums:close", "get"),
    ("forums:staff_registrations", "get"),
    ("forums:staff_add", "post"),
    ("forums:staff_checkin", "get"),
    ("forums:staff_participants_pdf", "get"),
    ("forums:staff_feedback", "get"),
    ("forums:staff_invitations", "get"),
    ("forums:staff_invitations_csv", "get"),
    ("forums:staff_invitations_confirm", "get"),
    ("forums:staff_invitations_send", "post"),
    ("forums:ics", "get"),
]
REGISTRATION_PAGES = [
    ("forums:staff_checkin_toggle", "post", ()),
    ("forums:staff_checkin_undo", "get", ()),
    ("forums:staff_checkin_row", "get", ()),
    ("forums:registration_cancel", "get", ()),
    ("forums:registration_cancel", "post", ()),
    ("forums:staff_registration_action", "post", ("confirm",)),
    ("forums:staff_registration_action", "post", ("cancel",)),
]


def _answer(client, name, method, *args):
    return getattr(client, method)(reverse(name, args=args))


@pytest.mark.parametrize(("name", "method"), FORUM_PAGES)
def test_another_clusters_forum_answers_404(
    name, method, metal_manager, plastics_manager, metal_forum, plastics_forum
):
    for manager, foreign in ((plastics_manager, metal_forum), (metal_manager, plastics_forum)):
        before = list(Registration.objects.order_by("pk").values_list("pk", "state"))
        answer = _answer(client_of(manager), name, method, foreign.pk)
        assert answer.status_code == 404, (manager.email, name, method)
        assert list(Registration.objects.order_by("pk").values_list("pk", "state")) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_another_clusters_export_answers_404(fmt, plastics_manager, metal_manager, metal_forum):
    url = reverse("forums:staff_export", args=[metal_forum.pk, fmt])
    assert client_of(plastics_manager).get(url).status_code == 404
    assert client_of(metal_manager).get(url).status_code == 200


@pytest.mark.parametrize(("name", "method", "extra"), REGISTRATION_PAGES)
def test_another_clusters_registration_answers_404(
    name, method, extra, plastics_manager, metal_forum
):
    registration = metal_forum.registrations.first()
    before = (registration.state, registration.attended_at)
    answer = _answer(client_of(plastics_manager), name, method, registration.pk, *extra)
    assert answer.status_code == 404
    registration.refresh_from_db()
    assert (registration.state, registration.attended_at) == before


def test_own_clusters_pages_answer(metal_manager, metal_forum):
    client = client_of(metal_manager)
    for name, method in FORUM_PAGES:
        if method == "get":
            assert _answer(client, name, method, metal_forum.pk).status_code == 200, name


def _titles(response) -> str:
    return response.content.decode()


def test_lists_show_the_own_clusters_forums(
    metal_manager, plastics_manager, agency_wide, metal_forum, plastics_forum
):
    for url in (reverse("forums:staff_list"), reverse("forums:list")):
        metal = _titles(client_of(metal_manager).get(url))
        plastics = _titles(client_of(plastics_manager).get(url))
        both = _titles(client_of(agency_wide).get(url))
        assert metal_forum.title in metal and plastics_forum.title not in metal, url
        assert plastics_forum.title in plastics and metal_forum.title not in plastics, url
        assert metal_forum.title in both and plastics_forum.title in both, url


def test_the_agency_administrator_with_the_role_sees_both(metal_forum, plastics_forum):
    admin = User.objects.create_superuser(email="chef@example.org", password="x-long-pass-1")
    admin.groups.add(Group.objects.get(name=Role.CLUSTER_MANAGER.value))
    client = client_of(admin)
    for forum in (metal_forum, plastics_forum):
        url = reverse("forums:staff_registrations", args=[forum.pk])
        assert client.get(url).status_code == 200


def test_pending_badge_counts_the_own_clusters(
    metal_manager, plastics_manager, metal_forum, plastics_forum
):
    metal_forum.registrations.update(state=Registration.State.PENDING)
    url = reverse("forums:staff_pending_badge")
    assert ">2<" in client_of(metal_manager).get(url).content.decode().replace(" ", "")
    assert ">2<" not in client_of(plastics_manager).get(url).content.decode().replace(" ", "")


def test_new_forum_offers_only_the_own_clusters(metal_manager, kunststoff, metall):
    page = client_of(metal_manager).get(reverse("forums:create"))
    choices = [str(c) for c in page.context["form"].fields["cluster"].queryset]
    assert choices == [metall.name]


def test_a_manager_without_grants_sees_no_forum(metal_forum, plastics_forum):
    from members.services import user_create

    nobody = user_create(email="neu@example.org", role=Role.CLUSTER_MANAGER, password="x-pass-1234")
    client = client_of(nobody)
    page = client.get(reverse("forums:staff_list")).content.decode()
    assert metal_forum.title not in page and plastics_forum.title not in page
    url = reverse("forums:staff_registrations", args=[metal_forum.pk])
    assert client.get(url).status_code == 404


def test_project_manager_is_agency_wide(project_manager, metal_forum, plastics_forum):
    client = client_of(project_manager)
    page = client.get(reverse("forums:list")).content.decode()
    assert metal_forum.title in page and plastics_forum.title in page
    for forum in (metal_forum, plastics_forum):
        assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 200
    assert client.get(reverse("cockpit:sefex") + "?cluster=metall").status_code == 200
    assert client.get(reverse("cockpit:sefex") + "?cluster=kunststoff").status_code == 200


def test_staff_list_queries_do_not_grow_with_forums(
    metal_manager, metall, kunststoff, django_assert_max_num_queries
):
    from tests.factories import ForumFactory

    client = client_of(metal_manager)
    url = reverse("forums:staff_list")
    client.get(url)  # roles and grants cached, session read
    ForumFactory(cluster=metall)
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    ForumFactory.create_batch(5, cluster=metall)
    ForumFactory.create_batch(5, cluster=kunststoff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["forums"]) == 6


def test_mails_about_another_clusters_forum_answer_404(
    metal_manager, plastics_manager, agency_wide, metal_forum, plastics_forum
):
    from django.contrib.contenttypes.models import ContentType

    from outbox.models import Mail

    forum_type = ContentType.objects.get_for_model(type(metal_forum))

    def mail_about(forum):
        return Mail.objects.create(
            kind="forum_invitation",
            content_type=forum_type,
            object_id=forum.pk,
            scope_type=forum_type,
            scope_id=forum.pk,
            recipient_email=f"p{forum.pk}@example.org",
            subject=f"Einladung: {forum.title}",
            text_body="…",
        )

    metal_mail, plastics_mail = mail_about(metal_forum), mail_about(plastics_forum)
    plastics = client_of(plastics_manager)
    listed = plastics.get(reverse("outbox:mail_list")).content.decode()
    assert plastics_mail.subject in listed and metal_mail.subject not in listed
    assert plastics.get(reverse("outbox:mail_detail", args=[metal_mail.pk])).status_code == 404
    assert plastics.get(reverse("outbox:mail_detail", args=[plastics_mail.pk])).status_code == 200
    retry = plastics.post(reverse("outbox:mail_retry", args=[metal_mail.pk]))
    assert retry.status_code == 404
    wide = client_of(agency_wide)
    assert wide.get(reverse("outbox:mail_detail", args=[metal_mail.pk])).status_code == 200


def test_a_cluster_bound_manager_costs_no_more_queries_than_an_agency_wide_one(
    plastics_manager, agency_wide, metal_forum, plastics_forum, both_clusters
):
    """The grants come from the cache like the roles: scoping adds conditions, not queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [
        reverse("forums:staff_list"),
        reverse("forums:staff_registrations", args=[plastics_forum.pk]),
        reverse("members:company", args=[both_clusters.pk]),
        reverse("cockpit:dashboard") + "?refresh=1",
        "/",
    ]
    counts = {}
    for who in (plastics_manager, agency_wide):
        client = client_of(who)
        for url in pages:
            client.get(url)  # the session's first request reads roles and grants
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[who.email, url] = len(queries)
    for url in pages:
        assert counts[plastics_manager.email, url] == counts[agency_wide.email, url], url
