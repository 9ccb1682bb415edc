from django.db import migrations


def load(apps, schema_editor):
    from centinela.incidents.taxonomy import CATEGORIES, SOURCES

    Category = apps.get_model("incidents", "Category")
    Source = apps.get_model("incidents", "Source")
    for code, name, group in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    for code, name in SOURCES:
        Source.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
