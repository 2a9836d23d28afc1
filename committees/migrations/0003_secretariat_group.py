from django.db import migrations

SECRETARIAT = "Sekretariat"


def create_group(apps, schema_editor):
    """Staff who draft mandates and agendas belong to this group; permissions.is_secretariat() checks it."""
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=SECRETARIAT)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_mandates"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
