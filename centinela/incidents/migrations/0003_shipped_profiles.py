from django.db import migrations


def load(apps, schema_editor):
    from centinela.incidents.profiles import ensure_shipped_profiles

    ensure_shipped_profiles(apps.get_model("incidents", "ImportProfile"), apps.get_model("incidents", "Source"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_taxonomy")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
