"""fanout: 10,000 forum invitations from the send action to the last mail accepted by a local
SMTP sink, through the real path (HTTP POST of the invitation page, outbox batch, one Celery
worker with concurrency 2 on Redis, rendering, rows, claims, SMTP), against a plain smtplib
loop sending the same 10,000 messages over one connection in the same run.

req_s is mails per second; p99_ms is the 99th percentile of the time from the start (the
POST, or the loop's first mail) until a mail was accepted. The sink runs in its own process
and counts by envelope recipient: duplicates= and missing= must both be 0. Rounds alternate
(measure, baseline, measure, baseline), each round inviting the same contacts to another forum;
the figures are averages. BENCH_FANOUT_MAILS / BENCH_FANOUT_ROUNDS change the size.
"""

import multiprocessing
import os
import re
import signal
import smtplib
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter

from bench.harness import ROOT, Context, Result, free_port, median

NAME = "fanout"
EMAIL = "bench-fanout@example.org"
MAIN_SLUG, WARM_SLUG = "bench-fanout", "bench-fanout-warm"
TIMEOUT = 600


def _sizes(ctx: Context) -> tuple[int, int, int]:
    """Mails a round, rounds, mails of the warm-up. Rounds alternate (measure, baseline, ...);
    each round invites the same contacts to another forum."""
    mails = int(os.environ.get("BENCH_FANOUT_MAILS", "10000"))
    rounds = int(os.environ.get("BENCH_FANOUT_ROUNDS", str(ctx.rounds)))
    return ctx.size(mails, 30), ctx.size(rounds, 1), ctx.size(40, 5)


# --- the SMTP sink, in its own process ------------------------------------------------------


def _sink_main(port: int, conn) -> None:
    from aiosmtpd.controller import Controller

    counts: Counter = Counter()
    accepted: list[float] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            accepted.append(time.monotonic())
            for rcpt in envelope.rcpt_tos:
                counts[rcpt.lower()] += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    conn.send("ready")
    while True:
        command = conn.recv()
        if command == "count":
            conn.send(len(accepted))
        elif command == "stats":
            conn.send(
                {
                    "messages": len(accepted),
                    "unique": len(counts),
                    "duplicates": sum(c - 1 for c in counts.values() if c > 1),
                    "accepted": list(accepted),
                }
            )
        elif command == "reset":
            counts.clear()
            accepted.clear()
            conn.send("ok")
        else:
            break
    controller.stop()


class Sink:
    def __init__(self):
        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_sink_main, args=(self.port, child), daemon=True)
        self._process.start()
        assert self._conn.recv() == "ready"

    def ask(self, command: str):
        self._conn.send(command)
        return self._conn.recv()

    def wait_for(self, n: int, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while self.ask("count") < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the sink got {self.ask('count')} of {n} mails in {timeout}s")
            time.sleep(0.02)

    def stop(self) -> None:
        self._conn.send("stop")
        self._process.join(timeout=10)


# --- data -------------------------------------------------------------------------------


def _cluster_with_contacts(slug: str, n: int, per_company: int = 40):
    from members.models import Cluster, Company, Contact, Relationship

    cluster = Cluster.objects.create(slug=slug, name=f"Bench {slug}")
    companies = Company.objects.bulk_create(
        Company(legal_name=f"{slug} {i:04d} GmbH", city="Heilbronn")
        for i in range((n + per_company - 1) // per_company)
    )
    Relationship.objects.bulk_create(
        Relationship(company=c, cluster=cluster, kind="member", valid_from="2020-01-01")
        for c in companies
    )
    contacts = []
    for i in range(n):
        company = companies[i // per_company]
        contacts.append(
            Contact(
                company=company,
                first_name=f"Vorname{i}",
                last_name=f"Nachname{i}",
                email=f"c{i:05d}@{slug}.example",
                language="en" if i % 10 == 0 else "de",
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    return cluster


def _forum(cluster, title: str, capacity: int):
    from datetime import timedelta

    from django.utils import timezone

    from forums.models import Forum

    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    return Forum.objects.create(
        cluster=cluster,
        title=title,
        description="Praxisberichte und Werksführung.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue_name="Bench AG",
        venue_street="Hafenstraße 1",
        venue_postcode="74076",
        venue_city="Heilbronn",
        capacity=capacity,
        state=Forum.State.PUBLISHED,
        published_at=timezone.now(),
    )


def setup(ctx: Context) -> None:
    from core.roles import Role
    from members.grants import agency_wide_grant
    from members.services import user_create

    mails, rounds, warm_mails = _sizes(ctx)
    manager = user_create(email=EMAIL, role=Role.CLUSTER_MANAGER, password="bench-password-1")
    agency_wide_grant(login=manager)  # every cluster
    main = _cluster_with_contacts(MAIN_SLUG, mails)
    for number in range(rounds):
        _forum(main, f"Metall-Forum {MAIN_SLUG} {number + 1}", mails)
    warm = _cluster_with_contacts(WARM_SLUG, warm_mails)
    _forum(warm, f"Metall-Forum {WARM_SLUG}", warm_mails)


# --- the two sides ------------------------------------------------------------------------


def _start_worker(smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    return subprocess.Popen(  # noqa: S603 - fixed command
        [
            str(ROOT / ".venv" / "bin" / "celery")
            if (ROOT / ".venv" / "bin" / "celery").exists()
            else "celery",
            "-A",
            "metalldialog",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "--hostname=bench-fanout@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
        start_new_session=True,
    )


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _post_send(ctx: Context, cookie: str, forum_pk: int, cluster_pk: int) -> float:
    """Opens the question before the send like the cluster manager ("N Einladungen jetzt
    senden?"), then answers it; returns t0."""
    query = urllib.parse.urlencode({"audience": "all", "cluster": cluster_pk})
    page_url = f"{ctx.base_url}/forums/manage/{forum_pk}/invitations/confirm/?{query}"
    with urllib.request.urlopen(  # noqa: S310 - loopback
        urllib.request.Request(page_url, headers={"Cookie": cookie}), timeout=120
    ) as response:
        body = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    expected = re.search(r'name="expected" value="(\d+)"', body).group(1)
    cookies = cookie + (f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else "")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "expected": expected}).encode()
    send_url = f"{ctx.base_url}/forums/manage/{forum_pk}/invitations/send/?{query}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    started = time.monotonic()
    try:
        opener.open(
            urllib.request.Request(send_url, data=data, headers={"Cookie": cookies}), timeout=120
        )
    except urllib.error.HTTPError as answer:  # the redirect back to the page
        if answer.code != 302:
            raise
    return started


def _as_bytes(mail, parts: dict) -> bytes:
    from outbox.messages import mail_message

    return mail_message(mail, parts=parts).message().as_bytes(linesep="\r\n")


def _p99_ms(accepted: list[float], started: float) -> float:
    latencies = sorted(t - started for t in accepted)
    return latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0


def _baseline(sink: Sink, messages: list[tuple[str, str, bytes]]) -> tuple[float, float]:
    sink.ask("reset")
    started = time.monotonic()
    smtp = smtplib.SMTP("127.0.0.1", sink.port)
    for sender, recipient, data in messages:
        smtp.sendmail(sender, [recipient], data)
    smtp.quit()
    sink.wait_for(len(messages))
    stats = sink.ask("stats")
    elapsed = max(stats["accepted"]) - started
    return len(messages) / elapsed, _p99_ms(stats["accepted"], started)


def run(ctx: Context) -> Result:
    from django.conf import settings
    from django.db import close_old_connections

    from forums.models import Forum
    from members.models import Cluster
    from metalldialog.celery import app as celery_app
    from outbox.models import Mail

    mails, _rounds, warm_mails = _sizes(ctx)
    sink = Sink()
    cookie = ctx.session_cookie(EMAIL)
    # Other measures' setups (the demo data of `home`) leave mail tasks in the broker; the
    # worker must start with nothing but this measure's work.
    celery_app.control.purge()
    worker = _start_worker(sink.port)
    try:
        warm = Cluster.objects.get(slug=WARM_SLUG)
        warm_forum = Forum.objects.get(cluster=warm)
        _post_send(ctx, cookie, warm_forum.pk, warm.pk)  # worker up, imports and connections warm
        sink.wait_for(warm_mails, timeout=120)

        main = Cluster.objects.get(slug=MAIN_SLUG)
        runs, base_runs, duplicates, missing = [], [], 0, 0
        for forum in Forum.objects.filter(cluster=main).order_by("pk"):
            sink.ask("reset")
            started = _post_send(ctx, cookie, forum.pk, main.pk)
            sink.wait_for(mails, timeout=ctx.size(TIMEOUT, 60))
            stats = sink.ask("stats")
            elapsed = max(stats["accepted"]) - started
            first = min(stats["accepted"]) - started
            runs.append((mails / elapsed, _p99_ms(stats["accepted"], started), elapsed, first))
            duplicates += stats["duplicates"]
            missing += mails - stats["unique"]

            # The baseline sends the very messages the outbox sent, built beforehand.
            close_old_connections()
            rows = Mail.objects.filter(object_id=forum.pk, kind="forum_invitation").order_by("pk")
            parts: dict = {}  # the calendar entry's MIME part, built once, as the outbox does
            messages = [
                (settings.DEFAULT_FROM_EMAIL, m.recipient_email, _as_bytes(m, parts)) for m in rows
            ]
            base_runs.append(_baseline(sink, messages))
    finally:
        _stop_worker(worker)
        sink.stop()
    return Result(
        name=NAME,
        req_s=median(r[0] for r in runs),
        p99_ms=max(r[1] for r in runs),
        baseline="smtplib-loop",
        baseline_req_s=median(r[0] for r in base_runs),
        extra={
            "mails": mails,
            "rounds": len(runs),
            "seconds": "/".join(f"{r[2]:.1f}" for r in runs),
            # From the POST to the first mail at the sink: the send action and the first chunk.
            "first_ms": "/".join(f"{r[3] * 1000:.0f}" for r in runs),
            "duplicates": duplicates,
            "missing": missing,
        },
    )
