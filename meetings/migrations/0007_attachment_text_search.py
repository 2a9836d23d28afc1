"""Full-text search in Danish (/soeg/): the bilag's extracted text, and on PostgreSQL a stored, generated
``search_vector`` per searched table (``danish`` configuration; titles weight A, body text B) with a GIN index,
plus trigram indexes on the titles for misspellings and compounds (gentofte_portal.common.search).

An item's decision has its own vector: it may be searched only once the referat is published. On SQLite only the
two fields are added.
"""

from django.db import migrations, models

VECTORS = {
    "meetings_agendaitem": {
        "search_vector": "setweight(to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || "
        "coalesce(case_number, '')), 'A') || setweight(to_tsvector('danish'::regconfig, coalesce(summary, '') || "
        "' ' || coalesce(recommendation, '') || ' ' || coalesce(earlier_decisions, '')), 'B')",
        "decision_vector": "setweight(to_tsvector('danish'::regconfig, coalesce(decision, '')), 'B')",
    },
    "meetings_attachment": {
        "search_vector": "setweight(to_tsvector('danish'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('danish'::regconfig, coalesce(text, '')), 'B')",
    },
    "meetings_minutes": {
        "search_vector": "setweight(to_tsvector('danish'::regconfig, coalesce(remarks, '') || ' ' || "
        "coalesce(correction_note, '')), 'B')",
    },
}
TRIGRAM = {"meetings_agendaitem_title_word_trgm": ("meetings_agendaitem", "title"),
           "meetings_attachment_title_word_trgm": ("meetings_attachment", "title")}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in VECTORS.items():
        for column, expression in columns.items():
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} tsvector "
                f"GENERATED ALWAYS AS ({expression}) STORED"
            )
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} USING gin ({column})")
    for name, (table, column) in TRIGRAM.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for table, columns in VECTORS.items():
        for column in columns:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_agendaitem_publish_level")]

    operations = [
        migrations.AddField(
            model_name="attachment", name="text", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddField(
            model_name="attachment",
            name="text_extracted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
