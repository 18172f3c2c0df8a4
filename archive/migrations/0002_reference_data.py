"""Load the shipped gazetteer, topics and outlets (archive/data/*.json)."""
from django.db import migrations


def load(apps, schema_editor):
    from archive.importing.gazetteer import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
