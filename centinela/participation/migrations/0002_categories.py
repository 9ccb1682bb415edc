from django.db import migrations


def load(apps, schema_editor):
    from centinela.participation.categories import ensure_categories

    ensure_categories(apps.get_model("participation", "ReportCategory"))


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
