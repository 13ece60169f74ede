"""Only cluster managers see the cockpit; project managers the SEFEX part; companies nothing."""

import pytest

from .conftest import login


@pytest.mark.parametrize("path", ["/cockpit/", "/cockpit/sefex/"])
def test_anonymous_goes_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/cockpit/", "/cockpit/sefex/", "/cockpit/?cluster=metall"])
def test_company_users_are_refused(client, company_user_a, company_user_b, path):
    for user in (company_user_a, company_user_b):
        assert login(client, user).get(path).status_code == 403


def test_project_manager_sees_only_the_sefex_part(world_factory, pm_client):
    world_factory(3)
    response = pm_client.get("/cockpit/")
    assert response.status_code == 302 and response["Location"] == "/cockpit/sefex/"
    response = pm_client.get("/cockpit/sefex/?cluster=metall")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="table-workshops-state"' in html and 'id="overdue-total"' in html
    assert 'id="table-funnel"' not in html and 'id="failed-total"' not in html
    assert "Forum metall" not in html


def test_cluster_manager_sees_both(world_factory, cm_client):
    world_factory(3)
    assert cm_client.get("/cockpit/").status_code == 200
    assert cm_client.get("/cockpit/sefex/").status_code == 200


def test_home_links_the_cockpit(cm_client, pm_client, cluster_manager, project_manager, client):
    html = login(client, cluster_manager).get("/").content.decode()
    assert 'id="open-cockpit" href="/cockpit/"' in html
    html = login(client, project_manager).get("/").content.decode()
    assert 'id="open-cockpit" href="/cockpit/sefex/"' in html
