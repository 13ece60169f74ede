"""Every endpoint through company B's token: company A's data answers 404 or stays out of lists.
The same requests through A's token or the cluster manager's show it (so the tests can fail)."""

import pytest

from forums.models import Registration

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_companies(world, company_a, company_b, a_api, b_api, cm_api):
    assert ids(b_api.get("/api/companies/")) == {company_b.pk}
    assert b_api.get(f"/api/companies/{company_a.pk}/").status_code == 404
    assert ids(b_api.get("/api/companies/", {"q": "Alpha"})) == set()
    assert a_api.get(f"/api/companies/{company_a.pk}/").status_code == 200
    assert ids(cm_api.get("/api/companies/")) == {company_a.pk, company_b.pk}


def test_contacts(world, a_api, b_api, cm_api, company_user_a, company_user_b):
    anna, bruno = world["anna"], world["bruno"]
    # Each company login is one of its company's contacts (the login model).
    own_b = {bruno.pk, company_user_b.contact_id}
    assert ids(b_api.get("/api/contacts/")) == own_b
    assert b_api.get(f"/api/contacts/{anna.pk}/").status_code == 404
    assert a_api.get(f"/api/contacts/{anna.pk}/").json()["last_name"] == "Alpha"
    assert ids(cm_api.get("/api/contacts/")) == {anna.pk, company_user_a.contact_id} | own_b


def test_calendar_feed_of_a_foreign_contact(world, a_api, b_api):
    anna = world["anna"]
    assert b_api.post(f"/api/contacts/{anna.pk}/calendar-feed/").status_code == 404
    assert a_api.post(f"/api/contacts/{anna.pk}/calendar-feed/").status_code == 201


def test_registrations(world, a_api, b_api, cm_api, pm_api):
    registration = world["registration"]
    assert ids(b_api.get("/api/registrations/")) == set()
    assert ids(b_api.get("/api/registrations/", {"forum": world["forum"].pk})) == set()
    assert b_api.get(f"/api/registrations/{registration.pk}/").status_code == 404
    assert ids(a_api.get("/api/registrations/")) == {registration.pk}
    assert ids(cm_api.get("/api/registrations/")) == {registration.pk}
    # The project management does not see forum registrations on the pages either.
    assert ids(pm_api.get("/api/registrations/")) == set()


def test_cancel_foreign_registration(world, b_api):
    registration = world["registration"]
    assert b_api.post(f"/api/registrations/{registration.pk}/cancel/").status_code == 404
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED


def test_register_foreign_contact(world, b_api):
    response = b_api.post(
        "/api/registrations/", {"forum": world["forum"].pk, "contact": world["anna"].pk}
    )
    assert response.status_code == 404
    assert Registration.objects.count() == 1


def test_project_manager_cannot_register(world, pm_api):
    response = pm_api.post(
        "/api/registrations/", {"forum": world["forum"].pk, "contact": world["anna"].pk}
    )
    assert response.status_code == 403


def test_forums_drafts_hidden_outside_cluster_management(world, b_api, cm_api):
    draft, forum = world["draft"], world["forum"]
    assert ids(b_api.get("/api/forums/")) == {forum.pk}
    assert b_api.get(f"/api/forums/{draft.pk}/").status_code == 404
    assert ids(cm_api.get("/api/forums/")) == {forum.pk, draft.pk}
    response = b_api.post("/api/registrations/", {"forum": draft.pk, "contact": world["bruno"].pk})
    assert response.status_code == 404


def test_workshops(world, company_a, a_api, b_api, pm_api):
    workshop = world["workshop"]
    assert ids(b_api.get("/api/workshops/")) == set()
    # Filtering by a foreign company is refused like an unknown id (test_filter_scope.py).
    assert b_api.get("/api/workshops/", {"company": company_a.pk}).status_code == 400
    assert b_api.get(f"/api/workshops/{workshop.pk}/").status_code == 404
    assert ids(a_api.get("/api/workshops/")) == {workshop.pk}
    assert ids(pm_api.get("/api/workshops/")) == {workshop.pk}


def test_reference_data_is_shared(world, b_api):
    assert b_api.get("/api/clusters/").json()["count"] == 1
    assert b_api.get("/api/sectors/").status_code == 200
    assert b_api.get("/api/topics/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/companies/",
        "/api/contacts/",
        "/api/clusters/",
        "/api/sectors/",
        "/api/topics/",
        "/api/forums/",
        "/api/registrations/",
        "/api/workshops/",
    ],
)
def test_anonymous_gets_401(anon, path):
    assert anon.get(path).status_code == 401
