"""`make run`: the web server, a Celery worker and Celery beat; Ctrl-C stops all three."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from metalldialog.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Runs web server, Celery worker and Celery beat together for development."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "metalldialog"]
        commands = {
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}"],
            "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2", "--pool=threads"],
            "beat": [*celery, "beat", "--loglevel=INFO"],
        }
        (settings.VAR_DIR / "mail").mkdir(parents=True, exist_ok=True)
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self._print_banner(port)
        stop = False

        def request_stop(signum, frame):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            while not stop:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit code {proc.returncode}).")
                        stop = True
                time.sleep(0.5)
        finally:
            for proc in processes.values():
                if proc.poll() is None:
                    proc.terminate()
            deadline = time.monotonic() + 10
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("All processes stopped.")

    def _print_banner(self, port):
        lines = [
            "",
            f"metalldialog runs at http://127.0.0.1:{port}/",
            f"Mails are printed here and kept in {settings.VAR_DIR / 'mail'}.",
            "Demo logins (password for all: " + DEMO_PASSWORD + "):",
            *(f"  {role:<30} {email}" for role, email in DEMO_LOGINS),
            f"Staff logins then ask for an authenticator code: key {DEMO_TOTP_SECRET}",
            "(add it to an authenticator app, or see the current code with",
            "`DJANGO_DEBUG=true .venv/bin/python manage.py demo_totp`).",
            "Press Ctrl-C to stop web server, worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))
