"""Production settings: the README's example env passes `check --deploy` without a warning."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_production_env() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```dotenv\n(.*?)```", readme, re.DOTALL).group(1)
    pairs = (line.split("=", 1) for line in block.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}


def _manage(*args, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("EMAIL_URL", None)
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readme_production_env_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_readme_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_secret_key_default_outside_debug():
    env = _readme_production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_any_setting(tmp_path):
    result = _manage("check", env={"DJANGO_DEBUG": "true", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_collectstatic_with_the_production_manifest_storage(tmp_path):
    # Whitenoise's manifest storage fails on a reference to a missing file (a source map).
    env = {**_readme_production_env(), "VAR_DIR": str(tmp_path)}
    result = _manage("collectstatic", "--no-input", "-v", "0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()
