from tests.funding.conftest import _regulations, module, programme  # noqa: F401 - funding fixtures
