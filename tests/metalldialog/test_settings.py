"""Production settings: the README's example env passes `check --deploy` without a warning."""

import os
import subprocess
import sys
from pathlib import Path

from .production import readme_production_env

ROOT = Path(__file__).resolve().parents[2]


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
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=readme_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_secret_key_default_outside_debug():
    env = readme_production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_any_setting(tmp_path):
    result = _manage("check", env={"DJANGO_DEBUG": "true", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_collectstatic_with_the_production_manifest_storage(production_collectstatic):
    # Whitenoise's manifest storage fails on a reference to a missing file (a source map).
    var_dir, result = production_collectstatic
    assert result.returncode == 0, result.stderr
    assert (var_dir / "staticfiles" / "staticfiles.json").exists()


def _without_mail_server() -> dict[str, str]:
    env = readme_production_env()
    del env["EMAIL_URL"]
    return env


def test_check_deploy_requires_a_mail_server(tmp_path):
    result = _manage("check", "--deploy", env=_without_mail_server())
    assert result.returncode != 0
    assert "metalldialog.E001" in result.stderr + result.stdout
    assert "EMAIL_URL" in result.stderr + result.stdout
    # Debug mode (make run) prints the mails on purpose; the settings load without it.
    debug = _manage("check", env={"DJANGO_DEBUG": "true", "VAR_DIR": str(tmp_path)})
    assert debug.returncode == 0, debug.stderr
    assert _manage("check", env=_without_mail_server()).returncode == 0


def _start(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("EMAIL_URL", None)
    return subprocess.run(  # noqa: S603 - fixed command
        argv,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_web_server_refuses_to_start_without_a_mail_server():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    result = _start(
        [gunicorn, "metalldialog.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"],
        env=_without_mail_server(),
    )
    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stderr


def test_worker_refuses_to_start_without_a_mail_server():
    celery = str(Path(sys.executable).with_name("celery"))
    env = {
        **_without_mail_server(),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    }
    result = _start([celery, "-A", "metalldialog", "worker", "--pool=solo"], env=env)
    assert result.returncode != 0
    assert "The worker refuses to start" in result.stderr + result.stdout
    assert "EMAIL_URL is not set" in result.stderr + result.stdout


def _setting(name: str, env: dict[str, str]) -> str:
    result = _manage(
        "shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_forwarded_proto_is_trusted_only_behind_a_proxy():
    """Without a proxy that sets it, X-Forwarded-Proto is anybody's claim to be on https."""
    env = readme_production_env()
    alone = {k: v for k, v in env.items() if k != "DJANGO_BEHIND_PROXY"}
    assert _setting("SECURE_PROXY_SSL_HEADER", alone) == "None"
    behind = {**env, "DJANGO_BEHIND_PROXY": "true"}
    assert _setting("SECURE_PROXY_SSL_HEADER", behind) == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_compose_publishes_web_and_mail_catcher_on_this_machine_only():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    published = {name: service.get("ports", []) for name, service in compose["services"].items()}
    assert published["web"] == ["127.0.0.1:8000:8000"]
    assert published["mailpit"] == ["127.0.0.1:8025:8025"]
    for name, ports in published.items():
        assert all(str(port).startswith("127.0.0.1:") for port in ports), name
