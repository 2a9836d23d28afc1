"""Full-text search in Danish (/soeg/) on PostgreSQL: a stored, generated ``search_vector`` for calls (title A,
text B) with a GIN index, and a trigram index on the title (gentofte_portal.common.search). Nothing on SQLite."""

from django.db import migrations

EXPRESSION = (
    "setweight(to_tsvector('danish'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('danish'::regconfig, coalesce(text, '')), 'B')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "ALTER TABLE recruitment_call ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS recruitment_call_search_vector ON recruitment_call USING gin (search_vector)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS recruitment_call_title_word_trgm ON recruitment_call USING gin (title gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS recruitment_call_title_word_trgm")
    schema_editor.execute("ALTER TABLE recruitment_call DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0002_lot_draws")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
