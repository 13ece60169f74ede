"""`make bench`: set up the bench database, start gunicorn, run every measure.

Usage: python -m bench [--smoke] [measure ...]   (default: all measures in bench/measures/)
Each measure is a module in bench/measures/ with NAME, an optional setup(ctx) that
loads its data in-process, and run(ctx) -> Result. The last lines are one
`bench: <name> ...` line per measure.

--smoke (in `make test`): every measure at a tiny size, one short round per side; ends with
`bench smoke: N measures ok`, or exits 1 when a measure crashed, printed no line, or counted
errors, overbooked, duplicates or missing above 0.
"""

import argparse
import hashlib
import importlib
import os
import pkgutil
import sys
import time
import traceback

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
# Cache keys of this run only (inherited by the server and the worker): the figures and lists
# an earlier run cached name rows of a database that is gone.
os.environ["CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}-{int(time.time())}"

import django  # noqa: E402

import bench.settings  # noqa: E402,F401 - sets the bench database defaults first


def _admin_connection():
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    )
    conn.autocommit = True
    return conn


def _schema_fingerprint() -> str:
    """What the migrated schema depends on: the project's migrations and the pinned packages."""
    from bench.harness import ROOT

    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _recreate_database() -> None:
    """A fresh, migrated bench database. The migrated empty schema is kept as a template
    database (named after the schema's fingerprint), so a run without new migrations copies
    it in a second instead of migrating for many."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    name = settings.DATABASES["default"]["NAME"]
    template = f"{name}_tpl_{_schema_fingerprint()}"
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        cursor.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0)
        connections.close_all()
        # Older templates of this database go; the new one is a copy of the fresh schema.
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}\\_tpl\\_%"]
        )
        for (old,) in cursor.fetchall():
            cursor.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
    conn.close()


def _measures(names: list[str]):
    import bench.measures as package

    found = {
        module.NAME: module
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
        for module in [importlib.import_module(f"bench.measures.{info.name}")]
    }
    unknown = set(names) - set(found)
    if unknown:
        sys.exit(f"unknown measure(s): {', '.join(sorted(unknown))}; known: {', '.join(found)}")
    # Always in the order of their names: the demo data of `home` expects to come before the
    # logins other measures make.
    return [m for m in found.values() if not names or m.NAME in names]


def _attempt(failures: dict, name: str, step, *args):
    """Runs one step of a measure; a crash is noted and the other measures go on."""
    started = time.monotonic()
    try:
        return step(*args)
    except Exception:  # noqa: BLE001 - every crash of a measure is a failure to report
        traceback.print_exc()
        failures[name] = "crashed (traceback above)"
        return None
    finally:
        print(f"bench: ... {name} {step.__name__} took {time.monotonic() - started:.1f} s")


def main() -> None:
    from bench.harness import Context, Result

    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one short round")
    parser.add_argument("measures", nargs="*")
    args = parser.parse_args()

    measures = _measures(args.measures)
    started = time.monotonic()
    django.setup()
    _recreate_database()
    ctx = Context(smoke=args.smoke)
    failures: dict[str, str] = {}
    for measure in measures:
        if hasattr(measure, "setup"):
            print(f"bench: setting up {measure.NAME} ...", flush=True)
            _attempt(failures, measure.NAME, measure.setup, ctx)
    ctx.start_server()
    results = []
    try:
        for measure in measures:
            if measure.NAME in failures:
                continue
            print(f"bench: running {measure.NAME} ...", flush=True)
            result = _attempt(failures, measure.NAME, measure.run, ctx)
            if result is None:
                failures.setdefault(measure.NAME, "printed no line")
            elif not isinstance(result, Result) or result.name != measure.NAME:
                failures[measure.NAME] = f"returned {result!r} instead of its result line"
            else:
                results.append(result)
                if result.problems():
                    failures[measure.NAME] = "counted " + " ".join(result.problems())
    finally:
        ctx.stop_server()
    print()
    for result in results:
        print(result.line())
    if failures:
        for name, why in failures.items():
            print(f"bench: {name} FAILED: {why}")
    if args.smoke:
        if failures:
            sys.exit(f"bench smoke: {len(failures)} of {len(measures)} measures failed")
        print(f"bench: smoke run took {time.monotonic() - started:.0f} s")
        print(f"bench smoke: {len(measures)} measures ok")
    elif failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
