"""Full-text search in Danish (/soeg/) on PostgreSQL: a stored, generated ``search_vector`` for committees (name
A, purpose B) and mandates (the text sections, B) with GIN indexes, and a trigram index on committee names
(gentofte_portal.common.search). On SQLite this migration does nothing."""

from django.db import migrations

VECTORS = {
    "committees_committee": "setweight(to_tsvector('danish'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('danish'::regconfig, coalesce(purpose, '')), 'B')",
    "committees_mandate": "setweight(to_tsvector('danish'::regconfig, coalesce(background, '') || ' ' || "
    "coalesce(purpose, '') || ' ' || coalesce(task, '') || ' ' || coalesce(composition_note, '') || ' ' || "
    "coalesce(working_method, '')), 'B')",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, expression in VECTORS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS committees_committee_name_word_trgm ON committees_committee "
        "USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS committees_committee_name_word_trgm")
    for table in VECTORS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("committees", "0006_remove_deliverable_approved_item")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
