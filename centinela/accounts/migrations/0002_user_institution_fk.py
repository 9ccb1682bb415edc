"""A user's institution becomes a partners.Institution (it was a kind among six choices), so that a liaison acts for
their own institution. Each old value is mapped to the institution it named, found by short name or name, and
created when the install has none (nothing is lost). A parish president's "parish council" is said by the role and
the parish already: they get no institution (and get the value back going back); anyone else of a parish council
gets the "GAD parroquial" of their parish.
The old column is dropped by the next migration (in its own transaction: PostgreSQL refuses to alter a table
with pending foreign-key checks). Reversible: going back maps each institution to the kind it was made from (or "other")."""
import django.db.models.deletion
from django.db import migrations, models

# old value -> (names to look for, in order, by short name or name; the name and short name to create otherwise)
KNOWN = {
    "ccsc": (["CCSC", "Concejo Cantonal de Seguridad Ciudadana de Loja", "Concejo Cantonal de Seguridad Ciudadana"],
             "Concejo Cantonal de Seguridad Ciudadana", "CCSC"),
    "police": (["Policía", "Policía Nacional"], "Policía Nacional", "Policía"),
    "ecu911": (["ECU 911", "SIS ECU 911"], "SIS ECU 911", "ECU 911"),
    "fire": (["Bomberos", "Cuerpo de Bomberos de Loja", "Cuerpo de Bomberos"], "Cuerpo de Bomberos", "Bomberos"),
    "other": (["Otra institución"], "Otra institución", ""),
}


def _find_or_create(Institution, names, name, short_name):
    for candidate in names:
        found = (Institution.objects.filter(short_name__iexact=candidate).order_by("pk").first()
                 or Institution.objects.filter(name__iexact=candidate).order_by("pk").first())
        if found is not None:
            return found
    found, _created = Institution.objects.get_or_create(
        name=name, defaults={"short_name": short_name, "kind": "public", "notes": "Creada al migrar las cuentas."})
    return found


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Institution = apps.get_model("partners", "Institution")
    for user in User.objects.exclude(old_institution="").select_related("parish"):
        if user.old_institution == "parish" and user.role == "parish_president":
            continue
        if user.old_institution == "parish":
            parish = user.parish.name if user.parish_id else ""
            name = f"GAD parroquial {parish}".strip()
            user.institution = _find_or_create(Institution, [name], name, "")
        else:
            names, name, short = KNOWN.get(user.old_institution, KNOWN["other"])
            user.institution = _find_or_create(Institution, names, name, short)
        user.save(update_fields=["institution"])


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(institution=None, role="parish_president").update(old_institution="parish")
    for user in User.objects.exclude(institution=None).select_related("institution"):
        inst = user.institution
        value = "other"
        if inst.name.startswith("GAD parroquial"):
            value = "parish"
        for key, (names, _name, _short) in KNOWN.items():
            if inst.short_name in names or inst.name in names:
                value = key
                break
        user.old_institution = value
        user.save(update_fields=["old_institution"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("partners", "0002_agreement_warning"),
    ]

    operations = [
        migrations.RenameField("user", "institution", "old_institution"),
        migrations.AddField(
            model_name="user",
            name="institution",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="users",
                to="partners.institution", verbose_name="institution",
                help_text="Required for institutional liaisons: the institution they act for.",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
