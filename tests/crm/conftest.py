import pytest

from core.roles import Role
from members.services import user_create
from tests.conftest import PASSWORD


@pytest.fixture
def colleague(db):
    """A second member of the cluster team, to assign tasks to."""
    return user_create(
        email="kollegin@cluster.example",
        role=Role.CLUSTER_MANAGER,
        password=PASSWORD,
        first_name="Carla",
        last_name="Kollegin",
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
