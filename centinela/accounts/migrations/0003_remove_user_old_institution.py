from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_institution_fk")]

    operations = [migrations.RemoveField("user", "old_institution")]
