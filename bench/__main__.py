"""`make bench`: set up the bench database, start gunicorn, run every measure.

Usage: python -m bench [measure ...]   (default: all measures in bench/measures/)
Each measure is a module in bench/measures/ with NAME, an optional setup(ctx) that
loads its data in-process, and run(ctx) -> Result. The last lines are one
`bench: <name> ...` line per measure.
"""

import importlib
import os
import pkgutil
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

import bench.settings  # noqa: E402,F401 - sets the bench database defaults first


def _recreate_database() -> None:
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
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
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
    return [found[n] for n in names] if names else list(found.values())


def main() -> None:
    from django.core.management import call_command

    from bench.harness import Context

    measures = _measures(sys.argv[1:])
    _recreate_database()
    django.setup()
    call_command("migrate", verbosity=0)
    ctx = Context()
    for measure in measures:
        if hasattr(measure, "setup"):
            print(f"bench: setting up {measure.NAME} ...", flush=True)
            measure.setup(ctx)
    ctx.start_server()
    results = []
    try:
        for measure in measures:
            print(f"bench: running {measure.NAME} ...", flush=True)
            results.append(measure.run(ctx))
    finally:
        ctx.stop_server()
    print()
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
