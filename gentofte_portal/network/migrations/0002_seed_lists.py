"""The lists members choose from, to start with (the seeds' own words: seed 001 asks for a network matched "ud fra
deres interesser og kompetencer"); the Sekretariat keeps them in the admin from then on."""

from django.db import migrations

COMPETENCES = [
    "Data",
    "Ledelse",
    "Digitalisering",
    "Innovation",
    "Borgerinddragelse",
    "Økonomi",
    "Jura",
    "Kommunikation",
    "Byplanlægning",
    "Klima og miljø",
    "Sundhed",
    "Undervisning og pædagogik",
]
INTERESTS = [
    "Børn og unge",
    "Ældre",
    "Byudvikling",
    "Trafik og mobilitet",
    "Natur og klima",
    "Kultur og fritid",
    "Idræt",
    "Erhverv",
    "Sundhed og trivsel",
    "Fællesskaber og frivillighed",
]


def seed(apps, schema_editor):
    for model, names in (("Competence", COMPETENCES), ("Interest", INTERESTS)):
        Model = apps.get_model("network", model)
        for position, name in enumerate(names, start=1):
            Model.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
