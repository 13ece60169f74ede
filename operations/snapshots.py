"""A snapshot on disk: one directory with the database file, the media files and
`manifest.json` (the app's version, the migration state, row counts per table and the SHA-256
of every file). Backup writes it, restore reads and checks it; this module is what both share.
"""

import hashlib
import json
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "metalldialog-"
POSTGRES_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA_DIR = "media"


class SnapshotError(Exception):
    """A snapshot or a target that must not be used; the message says why, for a person."""


def app_version() -> str:
    """The version in pyproject.toml, which ships with the code (also in the image)."""
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def files_listed(root: Path) -> dict[str, dict]:
    """Every file under root (the manifest excepted) with its size and SHA-256."""
    listed = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            relative = path.relative_to(root).as_posix()
            listed[relative] = {"sha256": file_sha256(path), "size": path.stat().st_size}
    return listed


@dataclass
class Manifest:
    created_at: str
    app_version: str
    engine: str  # "postgresql" or "sqlite"
    database_file: str
    server_version: str = ""
    migrations: list[str] = field(default_factory=list)  # "app.name", applied at the snapshot
    row_counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    format: int = FORMAT

    def write(self, directory: Path) -> None:
        (directory / MANIFEST).write_text(
            json.dumps(self.__dict__, indent=2, sort_keys=True), encoding="utf-8"
        )

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / MANIFEST
        if not path.is_file():
            raise SnapshotError(
                _("%(path)s has no manifest.json: it is no snapshot.") % {"path": directory}
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(**data)
        except (ValueError, TypeError) as error:
            raise SnapshotError(
                _("The manifest of %(path)s cannot be read (%(error)s).")
                % {"path": directory, "error": error}
            ) from error
        if manifest.format != FORMAT:
            raise SnapshotError(
                _("The snapshot has format %(found)s; this version reads format %(known)s.")
                % {"found": manifest.format, "known": FORMAT}
            )
        return manifest


def engine_name() -> str:
    vendor = settings.DATABASES["default"]["ENGINE"]
    return "sqlite" if vendor.endswith("sqlite3") else "postgresql"


def postgres_env(settings_dict: dict) -> dict[str, str]:
    """libpq's environment variables for pg_dump, pg_restore and psql (no password on argv)."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
    }
    return {key: str(value) for key, value in values.items() if value}


def client_program(name: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore, psql)."""
    path = shutil.which(name)
    if not path:
        raise SnapshotError(
            _(
                "%(program)s is not installed: install the PostgreSQL client of the"
                " server's major version."
            )
            % {"program": name}
        )
    return path
