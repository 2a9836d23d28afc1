"""The accessibility statement moves from the project package (app label gentofte_portal) to the pages app."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["accessibilitystatement", "historicalaccessibilitystatement"]


def _relabel(apps, old, new):
    # Permissions and the audit log's entries point at the content type: relabelled, they follow the model.
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "gentofte_portal", "pages")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "pages", "gentofte_portal")


class Migration(migrations.Migration):

    initial = True

    # The statement's tables were made by gentofte_portal 0002 when it lived in the project package; this takes
    # them over as they are (state only, nothing created or dropped).
    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('gentofte_portal', '0003_document_queued_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessibilityStatement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField(help_text='Markdown: # Overskrift, **fed**, lister og links. Anden HTML fjernes.', verbose_name='erklæring')),
                        ('body_en', models.TextField(blank=True, help_text='Vises for brugere, der har valgt engelsk. Tom: den danske tekst vises.', verbose_name='erklæring på engelsk')),
                        ('body_html', models.TextField(blank=True, editable=False)),
                        ('body_en_html', models.TextField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='senest opdateret')),
                    ],
                    options={
                        'verbose_name': 'tilgængelighedserklæring',
                        'verbose_name_plural': 'tilgængelighedserklæringer',
                        'db_table': 'gentofte_portal_accessibilitystatement',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAccessibilityStatement',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('body', models.TextField(help_text='Markdown: # Overskrift, **fed**, lister og links. Anden HTML fjernes.', verbose_name='erklæring')),
                        ('body_en', models.TextField(blank=True, help_text='Vises for brugere, der har valgt engelsk. Tom: den danske tekst vises.', verbose_name='erklæring på engelsk')),
                        ('body_html', models.TextField(blank=True, editable=False)),
                        ('body_en_html', models.TextField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='senest opdateret')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical tilgængelighedserklæring',
                        'verbose_name_plural': 'historical tilgængelighedserklæringer',
                        'db_table': 'gentofte_portal_historicalaccessibilitystatement',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
