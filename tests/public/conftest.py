"""Fixtures of the public pages' tests (tests/conftest.py empties the cache for each test)."""

import pytest

from tests.forums.conftest import (  # noqa: F401 - fixtures
    add_company,
    build_forum,
    cluster,
    committed,
    forum,
    make_company,
    make_forum,
    task_queue,
)


@pytest.fixture
def open_forum(cluster):  # noqa: F811 - the fixture above
    return build_forum(cluster, audience="open", title="Metall-Forum Additive Fertigung")


@pytest.fixture
def member_company(cluster):  # noqa: F811
    return add_company(cluster, "Alpha GmbH")
