"""Two clusters of one agency and their managers: the metal cluster's, the plastics cluster's,
and an agency-wide one. Alpha belongs to both clusters, Metallbau Beta to the metal cluster
only, Kunststoff Gamma to the plastics cluster only; each cluster has a forum with
registrations."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.roles import Role
from forums import services as forum_services
from members.models import Relationship
from members.services import user_create
from tests.conftest import PASSWORD
from tests.factories import ForumFactory, RelationshipFactory, company_with_contacts


@pytest.fixture
def agency_wide(db):
    user = user_create(email="agentur@example.org", role=Role.CLUSTER_MANAGER, password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.AGENCY_WIDE.value))
    return user


@pytest.fixture
def both_clusters(metall, kunststoff):
    company = company_with_contacts("Alpha Kunststoff und Metall GmbH", contacts=2, cluster=metall)
    RelationshipFactory(company=company, cluster=kunststoff, kind=Relationship.Kind.PARTNER)
    return company


@pytest.fixture
def metal_only(metall):
    return company_with_contacts("Metallbau Beta GmbH", contacts=2, cluster=metall)


@pytest.fixture
def plastics_only(kunststoff):
    return company_with_contacts("Kunststoff Gamma GmbH", contacts=2, cluster=kunststoff)


@pytest.fixture
def metal_forum(metall, both_clusters, metal_only):
    forum = ForumFactory(cluster=metall, title="Metall-Forum Schweißen")
    for company in (both_clusters, metal_only):
        forum_services.registration_create(forum=forum, contact=company.contacts.first())
    return forum


@pytest.fixture
def plastics_forum(kunststoff, both_clusters, plastics_only):
    forum = ForumFactory(cluster=kunststoff, title="Kunststoff-Forum Spritzguss")
    for company in (both_clusters, plastics_only):
        forum_services.registration_create(forum=forum, contact=company.contacts.last())
    return forum


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
