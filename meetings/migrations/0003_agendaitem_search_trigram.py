"""Trigram indexes for the site search (/soeg/) over agenda items, on PostgreSQL only.

meetings.selectors.items_search filters with ``icontains`` on title, Sags ID and resumé, which Django writes as
``UPPER(col::text) LIKE UPPER('%q%')``. Without an index that is a sequential scan of every item (about 200 ms at
100,000 items); GIN indexes with pg_trgm on exactly those expressions let PostgreSQL find the matching rows.
The indexes are not in the model's Meta (they are PostgreSQL-specific); on SQLite this migration does nothing.
pg_trgm is a trusted extension, so the database's owner may create it.
"""

from django.db import migrations

INDEXES = {
    "meetings_item_title_trgm": "UPPER(title::text)",
    "meetings_item_case_number_trgm": "UPPER(case_number::text)",
    "meetings_item_summary_trgm": "UPPER(summary::text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON meetings_agendaitem USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_attachment_history")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
