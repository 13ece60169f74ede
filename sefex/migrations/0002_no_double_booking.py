"""No double booking, enforced by PostgreSQL: a project manager and a company each hold at most
one workshop at any moment.

Exclusion constraints need the btree_gist extension (for the "=" on the id columns inside a GiST
index). They are PostgreSQL-only, so this migration does nothing on SQLite (`make run`), where
the services' check under the write lock keeps the rule. The constraints live outside Django's
model state on purpose: Meta.constraints would make SQLite try to create them.
"""

from django.db import migrations

BOOKED = "('scheduled', 'held', 'documented', 'closed')"
CONSTRAINTS = {
    "sefex_workshop_manager_no_overlap": "project_manager_id",
    "sefex_workshop_company_no_overlap": "company_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE sefex_workshop ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            f"WHERE (state IN {BOOKED})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE sefex_workshop DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sefex", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
