"""The agency's two clusters as fixtures for any test (registered in tests/conftest.py): the
metal cluster, the plastics cluster, and a cluster manager bound to each."""

import pytest

from core.roles import Role
from members.grants import cluster_grants_set
from members.models import Cluster
from members.services import user_create
from tests.conftest import PASSWORD


@pytest.fixture
def metall(db):
    return Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})[0]


@pytest.fixture
def kunststoff(db):
    return Cluster.objects.get_or_create(slug="kunststoff", defaults={"name": "Kunststoffcluster"})[
        0
    ]


def cluster_manager_of(email: str, *clusters):
    user = user_create(email=email, role=Role.CLUSTER_MANAGER, password=PASSWORD)
    cluster_grants_set(login=user, clusters=clusters)
    return user


@pytest.fixture
def metal_manager(metall):
    return cluster_manager_of("metall@example.org", metall)


@pytest.fixture
def plastics_manager(kunststoff):
    return cluster_manager_of("kunststoff@example.org", kunststoff)
