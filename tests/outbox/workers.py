"""Real Celery worker processes on Redis against the test database, for crash tests."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def worker_env(smtp_port: int) -> dict:
    """The worker sees what the test sees: its test database, Redis and the SMTP sink."""
    db = connection.settings_dict
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="metalldialog.settings.test",
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        LOG_LEVEL="WARNING",
    )
    return env


def start_worker(env: dict, name: str, concurrency: int = 2) -> subprocess.Popen:
    # Own session: SIGKILL to the group takes the pool children too, like a dying machine.
    return subprocess.Popen(  # noqa: S603 - fixed argv, our own celery
        [
            CELERY,
            "-A",
            "metalldialog",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_workers(env: dict, names: list[str], concurrency: int = 2):
    processes = [start_worker(env, name, concurrency) for name in names]
    try:
        yield processes
    finally:
        for process in processes:
            kill(process, signal.SIGKILL)


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Polls `condition` (bounded); returns its last truthy value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
