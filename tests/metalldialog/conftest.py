"""Fixtures of the tests of the production configuration."""

import os
import subprocess
import sys

import pytest

from .production import ROOT, readme_production_env


@pytest.fixture(scope="session")
def production_collectstatic(tmp_path_factory) -> tuple[object, subprocess.CompletedProcess]:
    """collectstatic under the production storage (hashed names, compressed copies) into a
    fresh VAR_DIR, run once per session: on a loaded machine it takes minutes.
    Returns (VAR_DIR, the finished command)."""
    var_dir = tmp_path_factory.mktemp("production-var")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("EMAIL_URL", None)
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base",
        **readme_production_env(),
        "VAR_DIR": str(var_dir),
    }
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return var_dir, result
