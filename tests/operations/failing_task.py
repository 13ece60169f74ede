"""A task that fails, loaded only into the test's worker (celery worker --include)."""

from celery import shared_task


@shared_task(name="tests.operations.fail")
def fail(address: str, name: str):
    raise RuntimeError(f"Versand an {address} ({name}) fehlgeschlagen")
