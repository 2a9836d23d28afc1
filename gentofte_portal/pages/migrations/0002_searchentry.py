"""The public search table (SearchEntry). On PostgreSQL: a stored, generated ``search_vector`` (``danish``
configuration; title and keywords weight A, body B) with a GIN index, and a trigram index on the title for
misspellings, compounds and substrings (gentofte_portal.common.search). On SQLite only the table. Its rows are
built by ``manage.py rebuild_search_index`` (run it once after this migration on existing data)."""

from django.db import migrations, models

VECTOR = (
    "setweight(to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(keywords, '')), 'A') || "
    "setweight(to_tsvector('danish'::regconfig, coalesce(body, '')), 'B')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"ALTER TABLE pages_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute("CREATE INDEX pages_searchentry_search_vector ON pages_searchentry USING gin (search_vector)")
    schema_editor.execute(
        "CREATE INDEX pages_searchentry_title_trgm ON pages_searchentry USING gin (title gin_trgm_ops)"
    )
    # The planner estimates a title pattern (ILIKE, <%) by running it over the column's sampled values: with the
    # default 100 of them that took 1.2 ms of every search's planning at load-data scale 1, with 10 it takes 0.35 ms
    # and the plans stay the same.
    schema_editor.execute("ALTER TABLE pages_searchentry ALTER COLUMN title SET STATISTICS 10")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS pages_searchentry_title_trgm")
    schema_editor.execute("ALTER TABLE pages_searchentry DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0001_initial'),
        ('meetings', '0007_attachment_text_search'),  # pg_trgm
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('object_id', models.PositiveIntegerField()),
                ('committee_id', models.PositiveIntegerField()),
                ('term_id', models.PositiveIntegerField(null=True)),
                ('meeting_id', models.PositiveIntegerField(null=True)),
                ('date', models.DateField(null=True)),
                ('title', models.TextField(blank=True)),
                ('keywords', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('shown_from', models.DateTimeField(null=True)),
                ('shown_until', models.DateTimeField(null=True)),
                ('url', models.CharField(max_length=300)),
                ('details', models.JSONField(default=dict)),
            ],
            options={
                'db_table': 'pages_searchentry',
                'indexes': [models.Index(fields=['meeting_id'], name='pages_searchentry_meeting'), models.Index(fields=['committee_id'], name='pages_searchentry_committee')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='pages_searchentry_kind_object')],
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
