"""A log with one row per statement that writes to the member tables an invitation audience is
computed from (PostgreSQL triggers): its row count is an exact, cheap version of those tables
for the invitation page's cache (forums.audience_cache), whatever their size."""

from django.db import migrations

# The tables written by the members app that the audience and its filter read.
LOGGED_TABLES = (
    "members_contact",
    "members_company",
    "members_relationship",
    "members_cluster",
    "members_sector",
    "members_topic",
    "members_company_sectors",
    "members_contact_topics",
)

CREATE = """
CREATE TABLE IF NOT EXISTS forums_audience_change (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION forums_audience_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO forums_audience_change (table_name) VALUES (TG_TABLE_NAME);
    RETURN NULL;
END
$$;
"""
TRIGGER = """
CREATE TRIGGER forums_audience_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION forums_audience_changed();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # `make run` on SQLite: the page is not cached there
    schema_editor.execute(CREATE)
    for table in LOGGED_TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LOGGED_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS forums_audience_changed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS forums_audience_changed() CASCADE")
    schema_editor.execute("DROP TABLE IF EXISTS forums_audience_change")


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_merge_public_source_and_attendee_list"),
        ("members", "0012_company_wz_codes"),
    ]

    operations = [migrations.RunPython(create, drop)]
