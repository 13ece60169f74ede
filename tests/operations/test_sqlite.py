"""`make run` keeps its data in SQLite: the online backup copies it while the app runs, and
restore brings it back into an empty file, refusing a file that has tables."""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

from .conftest import ROOT


def _manage(*args, var_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MEDIA_ROOT"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base",
        "DJANGO_DEBUG": "true",
        "VAR_DIR": str(var_dir),
    }
    return subprocess.run(  # noqa: S603 - the test's own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_make_runs_sqlite_database_is_backed_up_and_restored(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    source.mkdir(), target.mkdir()  # as `make run` makes var/
    assert _manage("migrate", "-v", "0", var_dir=source).returncode == 0
    made = _manage(
        "shell",
        "-c",
        "from members.models import Company; Company.objects.create(legal_name='Alpha GmbH')",
        var_dir=source,
    )
    assert made.returncode == 0, made.stderr
    (source / "media" / "sefex").mkdir(parents=True)
    (source / "media" / "sefex" / "protokoll.pdf").write_bytes(b"%PDF-1.7 Protokoll")

    backup = _manage("backup", "--output", str(tmp_path / "backups"), var_dir=source)
    assert backup.returncode == 0, backup.stderr
    [snapshot] = (tmp_path / "backups").iterdir()
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["row_counts"]["members_company"] == 1
    assert set(manifest["files"]) == {"database.sqlite3", "media/sefex/protokoll.pdf"}

    restored = _manage("restore", str(snapshot), var_dir=target)
    assert restored.returncode == 0, restored.stderr
    assert "Jede Tabelle hat die Zeilenzahl der Sicherung." in restored.stdout
    with closing(sqlite3.connect(target / "db.sqlite3")) as db:
        assert db.execute("SELECT legal_name FROM members_company").fetchall() == [("Alpha GmbH",)]
    assert (target / "media" / "sefex" / "protokoll.pdf").read_bytes() == b"%PDF-1.7 Protokoll"

    again = _manage("restore", str(snapshot), var_dir=target)
    assert again.returncode == 1
    assert "ist nicht leer" in again.stderr
