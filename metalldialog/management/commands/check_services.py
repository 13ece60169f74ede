"""Stops `make test` at once, with a hint, when PostgreSQL or Redis is not reachable."""

import psycopg2
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PG_HINT = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_HINT = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


class Command(BaseCommand):
    help = (
        "Checks that the configured PostgreSQL and Redis answer; creates the database if missing."
    )

    def handle(self, *args, **options):
        problems = []
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            problems.append("DATABASE_URL must point to PostgreSQL for the tests.")
        else:
            params = {
                "host": db["HOST"] or "127.0.0.1",
                "port": db["PORT"] or 5432,
                "user": db["USER"] or None,
                "password": db["PASSWORD"] or None,
                "connect_timeout": 3,
            }
            try:
                conn = psycopg2.connect(dbname="postgres", **params)
            except psycopg2.OperationalError as exc:
                problems.append(
                    f"PostgreSQL at {params['host']}:{params['port']} is not reachable "
                    f"({str(exc).strip()}).\n  Start it with: {PG_HINT}"
                )
            else:
                self._ensure_database(conn, db["NAME"])
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except (redis.RedisError, ValueError) as exc:
            problems.append(
                f"Redis at {settings.REDIS_URL or '(REDIS_URL not set)'} is not reachable "
                f"({exc}).\n  Start it with: {REDIS_HINT}"
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("PostgreSQL and Redis are reachable.")

    def _ensure_database(self, conn, name):
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')  # noqa: S608 - name comes from settings
        conn.close()
