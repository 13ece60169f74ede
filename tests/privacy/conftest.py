from tests.funding.conftest import module, programme, regulations_in_place  # noqa: F401 - funding fixtures
