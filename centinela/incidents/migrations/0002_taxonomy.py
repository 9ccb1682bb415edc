from django.db import migrations


def load(apps, schema_editor):
    from centinela.incidents.taxonomy import ensure_taxonomy

    ensure_taxonomy(apps.get_model("incidents", "Category"), apps.get_model("incidents", "Source"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
