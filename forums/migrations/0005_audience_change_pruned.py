"""How many rows of the audience change log were pruned: the log's version is its row count
plus this number (forums.audience_cache), so old rows can go without the version moving back
or repeating."""

from django.db import migrations

# One row, always there (the primary key can only be true). PostgreSQL only, as the log is:
# on SQLite (`make run`) the page is not cached and neither table exists.
CREATE = """
CREATE TABLE IF NOT EXISTS forums_audience_pruned (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    pruned bigint NOT NULL DEFAULT 0 CHECK (pruned >= 0)
);
INSERT INTO forums_audience_pruned DEFAULT VALUES ON CONFLICT DO NOTHING;
"""
DROP = "DROP TABLE IF EXISTS forums_audience_pruned"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_audience_change_log")]

    operations = [migrations.RunPython(create, drop)]
