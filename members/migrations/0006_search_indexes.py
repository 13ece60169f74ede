"""GIN indexes for the directory's full-text search, on PostgreSQL only.

The expressions are those of members.selectors.company_search_vector and
contact_search_vector, so the planner uses them. They are not in Meta.indexes because
SQLite (``make run``) has neither GIN nor tsvector; the search falls back to LIKE there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("company", GinIndex(SearchVector("legal_name", "short_name", "city", config="simple"), name="company_search_idx")),
    ("contact", GinIndex(SearchVector("first_name", "last_name", "email", config="simple"), name="contact_search_idx")),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES:
        schema_editor.add_index(apps.get_model("members", model_name), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES:
        schema_editor.remove_index(apps.get_model("members", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_directory_indexes")]

    operations = [migrations.RunPython(create, drop)]
