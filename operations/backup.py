"""Backup: one consistent snapshot of the database and the media files.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump (custom format) dumps
exactly that snapshot and the row counts of the manifest are read in the same transaction, so
they match the dump whatever is written meanwhile. SQLite (`make run`): the online backup API
copies the file while the app runs. The snapshot is written under a hidden name and renamed
when complete, so a directory with a visible name is always a whole snapshot.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BackupRun
from .snapshots import (
    MEDIA_DIR,
    POSTGRES_DUMP,
    PREFIX,
    SQLITE_COPY,
    Manifest,
    SnapshotError,
    app_version,
    client_program,
    engine_name,
    files_listed,
    postgres_env,
)


def _postgres_dump(target: Path) -> tuple[list[str], dict[str, int], str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                client_program("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target / POSTGRES_DUMP}",
            ],
            env=os.environ | postgres_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SnapshotError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
        cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY id")
        migrations = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return migrations, counts, server_version


def sqlite_counts(path: Path) -> tuple[list[str], dict[str, int]]:
    """The migration state and row counts of an SQLite file (the copy, not the live one)."""
    with closing(sqlite3.connect(path)) as db:
        migrations = [
            name
            for (name,) in db.execute(
                "SELECT app || '.' || name FROM django_migrations ORDER BY id"
            )
        ]
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    return migrations, counts


def _sqlite_copy(target: Path) -> tuple[list[str], dict[str, int], str]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target / SQLITE_COPY)) as copy:
        connection.connection.backup(copy)
    return (*sqlite_counts(target / SQLITE_COPY), sqlite3.sqlite_version)


def _media_copy(target: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / MEDIA_DIR)


def backup_create(output: Path, *, now=None) -> Path:
    """Writes one snapshot into `output` and returns its directory."""
    now = now or timezone.now()
    output.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    final = output / name
    if final.exists():
        raise SnapshotError(_("%(path)s exists already.") % {"path": final})
    partial = output / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        engine = engine_name()
        if engine == "postgresql":
            migrations, counts, server_version = _postgres_dump(partial)
            database_file = POSTGRES_DUMP
        else:
            migrations, counts, server_version = _sqlite_copy(partial)
            database_file = SQLITE_COPY
        _media_copy(partial)
        Manifest(
            created_at=now.isoformat(),
            app_version=app_version(),
            engine=engine,
            database_file=database_file,
            server_version=server_version,
            migrations=migrations,
            row_counts=counts,
            files=files_listed(partial),
        ).write(partial)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    size = sum(path.stat().st_size for path in final.rglob("*") if path.is_file())
    BackupRun.objects.create(finished_at=timezone.now(), name=name, size=size)
    return final
