"""`make run` keeps its data in SQLite: a script run in `manage.py shell` against a freshly
migrated SQLite file, with the settings `make run` uses (debug, no Redis)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_script_on_sqlite(tmp_path: Path, script: str) -> str:
    """Migrates a new SQLite database in tmp_path, runs the script there, returns its output."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CELERY_BROKER_URL": f"filesystem://{tmp_path}",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["shell", "-c", script]):
        done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [*manage, *command], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
    return done.stdout
