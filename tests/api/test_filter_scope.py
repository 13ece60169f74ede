"""List filters accept only what the requester may see: a foreign forum, contact or company
answers exactly like an id that does not exist (no oracle for other companies' ids). The same
filter by an id the requester may see works (so the test can fail)."""

import pytest

pytestmark = pytest.mark.django_db
UNKNOWN = 987654321


def _same_answer(api, path, name, foreign_id):
    foreign = api.get(path, {name: foreign_id})
    unknown = api.get(path, {name: UNKNOWN})
    assert foreign.status_code == unknown.status_code == 400
    # The id in the message is the one sent; otherwise the answers are the same.
    assert foreign.json() == {
        key: [m.replace(str(UNKNOWN), str(foreign_id)) for m in messages]
        for key, messages in unknown.json().items()
    }


def test_foreign_contact_in_a_filter_is_an_unknown_contact(world, a_api, b_api):
    anna = world["anna"]
    _same_answer(b_api, "/api/registrations/", "contact", anna.pk)
    assert a_api.get("/api/registrations/", {"contact": anna.pk}).status_code == 200


def test_draft_forum_in_a_filter_is_an_unknown_forum(world, b_api, cm_api):
    draft = world["draft"]
    _same_answer(b_api, "/api/registrations/", "forum", draft.pk)
    assert cm_api.get("/api/registrations/", {"forum": draft.pk}).status_code == 200


def test_foreign_company_in_a_filter_is_an_unknown_company(world, company_a, a_api, b_api):
    _same_answer(b_api, "/api/workshops/", "company", company_a.pk)
    assert a_api.get("/api/workshops/", {"company": company_a.pk}).status_code == 200


def test_the_schema_still_lists_the_filters(cm_api):
    schema = cm_api.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/registrations/"]["get"]["parameters"]}
    assert {"forum", "contact"} <= parameters
