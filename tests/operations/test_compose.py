"""The compose file's backup service, the image's PostgreSQL client and the command the
service runs (Docker does not run here: the command is run as the container would)."""

import json
import re
import shlex
import subprocess

import pytest
import yaml
from django.db import connection

from .conftest import ROOT, manage

pytestmark = pytest.mark.django_db(transaction=True)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _backup_arguments() -> list[str]:
    command = _compose()["services"]["backup"]["command"]
    found = re.search(r"python manage\.py (backup [^;]*);", command)
    assert found, command
    return shlex.split(found.group(1))


def test_the_backup_service_runs_daily_into_its_volume_with_the_app_image():
    compose = _compose()
    backup, web = compose["services"]["backup"], compose["services"]["web"]
    assert backup["build"] == web["build"] == "."
    assert backup["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert "sleep 86400" in backup["command"]
    assert "backups:/backups" in backup["volumes"]
    assert "media:/app/var/media:ro" in backup["volumes"]  # reads the uploads, never writes
    assert "backups" in compose["volumes"]
    arguments = _backup_arguments()
    assert arguments[arguments.index("--output") + 1] == "/backups"
    assert arguments[arguments.index("--keep") + 1] == "daily=7,weekly=4,monthly=12"


def test_the_image_has_the_postgresql_client_of_the_servers_major_version():
    server_image = _compose()["services"]["postgres"]["image"]
    major = re.fullmatch(r"postgres:(\d+)(\.\d+)?", server_image).group(1)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"postgresql-client-{major}" in dockerfile
    assert re.findall(r"postgresql-client-\d+", dockerfile) == [f"postgresql-client-{major}"]


def test_this_machines_pg_dump_matches_its_server():
    """pg_dump refuses a newer server; the restore test needs them to match."""
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True)  # noqa: S607
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    assert re.search(r"\) (\d+)\.", client.stdout).group(1) == str(server_major)


def test_the_command_of_the_backup_service_writes_a_snapshot_and_rotates(tmp_path, company_a):
    arguments = _backup_arguments()
    arguments[arguments.index("--output") + 1] = str(tmp_path)
    old = tmp_path / "metalldialog-20200101T020000Z"
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    result = manage(
        *arguments, media=tmp_path / "no-media", database=connection.settings_dict["NAME"]
    )
    assert result.returncode == 0, result.stderr
    snapshots = [path for path in tmp_path.iterdir() if path.name != old.name]
    assert len(snapshots) == 1
    manifest = json.loads((snapshots[0] / "manifest.json").read_text())
    assert manifest["row_counts"]["members_company"] == 1
    # One snapshot per month for 12 months: the one of 2020 is kept (the newest 12 months
    # that have one), until newer months push it out.
    assert old.exists()
    for month in range(1, 13):
        folder = tmp_path / f"metalldialog-2021{month:02d}01T020000Z"
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    assert (
        manage(
            *arguments, media=tmp_path / "no-media", database=connection.settings_dict["NAME"]
        ).returncode
        == 0
    )
    assert not old.exists()
