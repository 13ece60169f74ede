"""Restore: a snapshot into an empty database (and media folder), all or nothing.

Everything is checked before anything is touched: the manifest, every file's SHA-256, that
this code knows every migration of the snapshot (a newer release's snapshot is refused), and
that the target is empty (unless `force`). PostgreSQL is restored by one psql transaction
(pg_restore writes the SQL), so a failure leaves the target as it was; then `migrate` brings
an older snapshot forward."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from .snapshots import (
    MEDIA_DIR,
    Manifest,
    SnapshotError,
    app_version,
    client_program,
    engine_name,
    files_listed,
    postgres_env,
)


def version_tuple(text: str) -> tuple[int, ...]:
    """'0.10.2' -> (0, 10, 2); anything unreadable counts as newer than every release."""
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (10**6,)


def snapshot_check(directory: Path) -> Manifest:
    """The manifest of a snapshot that may be restored here; SnapshotError says why not."""
    if not directory.is_dir():
        raise SnapshotError(_("%(path)s is no directory.") % {"path": directory})
    manifest = Manifest.read(directory)
    found = files_listed(directory)
    for name, expected in manifest.files.items():
        if name not in found:
            raise SnapshotError(
                _("The file %(name)s of the snapshot is missing. Nothing was restored.")
                % {"name": name}
            )
        if found[name]["sha256"] != expected["sha256"]:
            raise SnapshotError(
                _(
                    "The file %(name)s does not match its SHA-256 in the manifest: the snapshot"
                    " was changed or damaged. Nothing was restored."
                )
                % {"name": name}
            )
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise SnapshotError(
            _(
                "The snapshot holds files its manifest does not list (%(names)s)."
                " Nothing was restored."
            )
            % {"names": ", ".join(extra[:5])}
        )
    if manifest.database_file not in manifest.files:
        raise SnapshotError(_("The manifest lists no database file. Nothing was restored."))
    if version_tuple(manifest.app_version) > version_tuple(app_version()):
        raise SnapshotError(
            _("The snapshot comes from version %(found)s, newer than this one (%(here)s).")
            % {"found": manifest.app_version, "here": app_version()}
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = [name for name in manifest.migrations if name not in known]
    if unknown:
        raise SnapshotError(
            _("The snapshot has migrations this version does not know (%(names)s).")
            % {"names": ", ".join(unknown[:5])}
        )
    if manifest.engine != engine_name():
        raise SnapshotError(
            _("The snapshot is of a %(found)s database; the target is %(target)s.")
            % {"found": manifest.engine, "target": engine_name()}
        )
    return manifest


def target_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def media_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.is_dir() else []


def target_check(*, force: bool) -> list[str]:
    """The tables in the target; refused unless it is empty or `force` says to replace it."""
    tables = target_tables()
    if force:
        return tables
    if tables:
        raise SnapshotError(
            _(
                "The target database %(name)s is not empty (%(count)s tables). Restore into an"
                " empty database, or replace its content with --force. Nothing was restored."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )
    if media_files():
        raise SnapshotError(
            _(
                "The media folder %(path)s is not empty. Restore into an empty one, or replace"
                " its files with --force. Nothing was restored."
            )
            % {"path": settings.MEDIA_ROOT}
        )
    return tables


def _postgres_restore(dump: Path, drop: list[str]) -> None:
    env = os.environ | postgres_env(connection.settings_dict)
    connection.close()
    quote = connection.ops.quote_name
    prefix = "".join(f"DROP TABLE IF EXISTS {quote(table)} CASCADE;\n" for table in drop)
    script = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [
            client_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file=-",
            dump,
        ],
        env=env,
        capture_output=True,
        check=False,
    )
    if script.returncode:
        raise SnapshotError(_("pg_restore failed: %(error)s") % {"error": script.stderr.decode()})
    result = subprocess.run(  # noqa: S603
        [
            client_program("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
        ],
        input=prefix.encode() + script.stdout,
        env=env,
        capture_output=True,
        check=False,
    )
    if result.returncode:
        raise SnapshotError(
            _("The restore failed and was rolled back: %(error)s")
            % {"error": result.stderr.decode().strip()}
        )


def _sqlite_restore(copy: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    temporary = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(copy, temporary)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, target)


def _media_restore(directory: Path, manifest: Manifest) -> None:
    media = Path(settings.MEDIA_ROOT)
    for name in manifest.files:
        if not name.startswith(f"{MEDIA_DIR}/"):
            continue
        target = media / name.removeprefix(f"{MEDIA_DIR}/")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(directory / name, temporary)
        os.replace(temporary, target)


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def restore(directory: Path, *, force: bool = False, migrate_stdout=None) -> Manifest:
    """Checks, then restores `directory` into the configured database and MEDIA_ROOT."""
    manifest = snapshot_check(directory)
    tables = target_check(force=force)
    database_file = directory / manifest.database_file
    if manifest.engine == "postgresql":
        _postgres_restore(database_file, tables)
    else:
        _sqlite_restore(database_file)
    _media_restore(directory, manifest)
    connection.close()
    call_command("migrate", interactive=False, verbosity=1, stdout=migrate_stdout)
    return manifest


def counts_compared(manifest: Manifest) -> list[tuple[str, int | None, int | None]]:
    """(table, rows in the snapshot, rows now) for every table of either."""
    now = row_counts()
    return [
        (table, manifest.row_counts.get(table), now.get(table))
        for table in sorted(set(now) | set(manifest.row_counts))
    ]
