"""The benchmark harness: a bench database, gunicorn, wrk, and one result line per measure."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
# A full run reports the median of three rounds per side; the smoke run one short round.
ROUNDS = 3
# Counts in a result line that must be 0, or the measure is broken.
MUST_BE_ZERO = ("errors", "overbooked", "duplicates", "missing")


@dataclass
class Load:
    """What wrk measured for one path."""

    req_s: float
    p99_ms: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx answers


@dataclass
class Result:
    name: str
    req_s: float
    p99_ms: float
    baseline: str
    baseline_req_s: float
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.req_s / self.baseline_req_s if self.baseline_req_s else 0.0

    def line(self) -> str:
        parts = [
            f"bench: {self.name}",
            f"req_s={self.req_s:.1f}",
            f"p99_ms={self.p99_ms:.1f}",
            f"baseline={self.baseline}",
            f"baseline_req_s={self.baseline_req_s:.1f}",
            f"ratio={self.ratio:.2f}",
            *(f"{key}={value}" for key, value in self.extra.items()),
        ]
        return " ".join(parts)

    def problems(self) -> list[str]:
        """The counts that must be 0 and are not, e.g. ["errors=3"]."""
        return [
            f"{key}={self.extra[key]}"
            for key in MUST_BE_ZERO
            if key in self.extra and self.extra[key] != 0
        ]


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


def bench_database_url(url: str) -> str:
    """The checkout's database with "_bench" appended: parallel checkouts, each with its own
    DATABASE_URL, never drop each other's bench database."""
    address, _, query = url.partition("?")
    head, _, name = address.rpartition("/")
    return f"{head}/{name}_bench" + (f"?{query}" if query else "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _duration_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> Load:
    req_s = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return Load(
        req_s=req_s,
        p99_ms=_duration_ms(p99.group(1)) if p99 else 0.0,
        requests=requests,
        errors=errors,
    )


def listening_sockets(port: int) -> int:
    """How many sockets listen on this loopback port (Linux): with --reuse-port, one per
    gunicorn worker that is ready."""
    with open("/proc/net/tcp") as table:  # number, local address, remote, state, ...
        rows = [row.split() for row in table.readlines()[1:]]
    return sum(1 for row in rows if row[1].endswith(f":{port:04X}") and row[3] == "0A")  # LISTEN


class Context:
    """What a measure gets: the server's address, logins, and wrk."""

    def __init__(self, *, smoke: bool = False):
        # The smoke run (in `make test`) goes through the same code at a tiny size, so a
        # measure broken by a change in the app fails the tests instead of the next bench.
        self.smoke = smoke
        self.seconds = 1 if smoke else SECONDS
        self.rounds = 1 if smoke else ROUNDS
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server: subprocess.Popen | None = None

    def size(self, full: int, smoke: int) -> int:
        """A measure's size: `full` in `make bench`, `smoke` in the smoke run."""
        return smoke if self.smoke else full

    # --- in-process helpers (Django is set up against the bench database) ---------
    def client(self, email: str):
        """A Django test client logged in as the user, for in-process checks (query counts)."""
        from django.test import Client

        from members.models import User
        from metalldialog.second_factor import second_factor_required, totp_enable

        user = User.objects.get(email=email)
        if second_factor_required(user):
            # Staff log in with an authenticator app; without one they reach only its set-up.
            totp_enable(user=user, secret="BENCHBENCHBENCHBENCHBENCHBENCH22")
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        return client

    def session_cookie(self, email: str) -> str:
        """A logged-in session for the user, as a Cookie header value; with a CSRF cookie, as
        a browser has one from its first page on (without it every page that shows a form
        would make a new CSRF secret and set it, which no browser causes after its first)."""
        from django.conf import settings
        from django.middleware.csrf import get_token
        from django.test import RequestFactory

        client = self.client(email)
        first_page = RequestFactory().get("/")
        get_token(first_page)  # the secret a browser's first page would have set
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = first_page.META["CSRF_COOKIE"]
        return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"

    def get(
        self, path: str, *, cookie: str | None = None, headers: dict | None = None
    ) -> tuple[int, str]:
        """One request, to check that a measure loads the page it means to."""
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.base_url + path, headers={"Cookie": cookie or "", **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    # --- load -------------------------------------------------------------------
    def wrk(
        self,
        path: str,
        *,
        cookie: str | None = None,
        seconds: int | None = None,
        connections: int = CONNECTIONS,
        script: str | None = None,
    ) -> Load:
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{int(seconds or self.seconds)}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        if script:
            command += ["-s", script]
        output = subprocess.run(  # noqa: S603 - fixed command
            [*command, self.base_url + path], capture_output=True, text=True, check=True
        ).stdout
        return parse_wrk(output)

    def compare(
        self,
        name: str,
        path: str,
        *,
        baseline: str,
        baseline_path: str,
        cookie: str | None = None,
        baseline_cookie: str | None = None,
        extra: dict | None = None,
    ) -> Result:
        """Baseline and measure in alternation, `ctx.rounds` times each; the medians of both."""
        if not self.smoke:
            self.wrk(baseline_path, cookie=baseline_cookie, seconds=1)  # warm up both
            self.wrk(path, cookie=cookie, seconds=1)
        base_runs, runs = [], []
        for _ in range(self.rounds):
            base_runs.append(self.wrk(baseline_path, cookie=baseline_cookie))
            runs.append(self.wrk(path, cookie=cookie))
        errors = sum(r.errors for r in runs) + sum(r.errors for r in base_runs)
        # A round in which no request came back within wrk's timeout measured nothing.
        errors += sum(1 for r in [*runs, *base_runs] if r.requests == 0)
        return Result(
            name=name,
            req_s=median(r.req_s for r in runs),
            p99_ms=max(r.p99_ms for r in runs),
            baseline=baseline,
            baseline_req_s=median(r.req_s for r in base_runs),
            extra={**(extra or {}), "errors": errors},
        )

    # --- server -----------------------------------------------------------------
    def start_server(self, workers: int = 2, threads: int = 4) -> None:
        """gunicorn with a listening socket per worker (SO_REUSEPORT), so the kernel spreads
        wrk's connections over the workers. With one shared socket the worker that woke first
        often accepted all of them (kept alive for the whole round) while the other idled: a
        round then measured one core instead of two, about a fifth of the rounds, and a ratio
        swung with whichever side that happened to."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self._server = subprocess.Popen(  # noqa: S603 - fixed command
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--reuse-port",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if listening_sockets(self.port) >= workers:
                return
            if self._server.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start {workers} workers within 60 s")

    def stop_server(self) -> None:
        if self._server and self._server.poll() is None:
            self._server.send_signal(signal.SIGTERM)
            try:
                self._server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._server.kill()
