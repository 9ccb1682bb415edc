# The case- and accent-insensitive search of every list (centinela.lib.search) folds accents on PostgreSQL with the
# unaccent extension. It ships with PostgreSQL (Debian's postgresql package) and is trusted (PostgreSQL 13+), so the
# database's owner creates it: the production install's own role does, no superuser needed. SQLite: nothing to do.
# Going back leaves the extension in place (harmless; Django's UnaccentExtension would ask SQLite for pg_extension).

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_remove_user_old_institution")]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop, elidable=False)]
