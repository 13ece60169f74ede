"""Fixtures of the operations tests: a scratch PostgreSQL database beside the test database,
and a way to run manage.py in a separate process against it (as an operator would)."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def _admin_execute(sql: str) -> None:
    # Outside a transaction (transactional tests run in autocommit), as CREATE DATABASE needs.
    with connection.cursor() as cursor:
        cursor.execute(sql)


def database_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return (
        f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def scratch_database(transactional_db):
    """An empty database named after the test database (so parallel runs do not meet)."""
    name = f"{connection.settings_dict['NAME']}_restore"
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(f'CREATE DATABASE "{name}"')
    yield name
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database: str | None = None, media: Path | None = None):
    """Runs manage.py in its own process; returns the completed process (output as text)."""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "metalldialog.settings.test"}
    if database:
        env["DATABASE_URL"] = database_url(database)
    if media:
        env["MEDIA_ROOT"] = str(media)
    return subprocess.run(  # noqa: S603 - the test's own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@contextmanager
def connected_to(name: str):
    """The default connection points at another database inside the block."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
