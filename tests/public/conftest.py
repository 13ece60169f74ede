"""Fixtures of the public pages' tests: the forums' fixtures and an empty page cache."""

import pytest
from django.core.cache import cache

from tests.forums.conftest import add_company, build_forum, cluster, forum, make_forum  # noqa: F401


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_forum(cluster):  # noqa: F811 - the fixture above
    return build_forum(cluster, audience="open", title="Metall-Forum Additive Fertigung")


@pytest.fixture
def member_company(cluster):  # noqa: F811
    return add_company(cluster, "Alpha GmbH")
