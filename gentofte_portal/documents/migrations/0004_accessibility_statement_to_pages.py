"""The accessibility statement now belongs to the pages app (pages 0001 takes its tables over): gone from this
app's state, its tables kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gentofte_portal', '0003_document_queued_at'),
        ('pages', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AccessibilityStatement'),
                migrations.DeleteModel(name='HistoricalAccessibilityStatement'),
            ],
            database_operations=[],
        ),
    ]
