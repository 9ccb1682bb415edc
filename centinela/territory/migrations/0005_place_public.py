"""Places get a `public` mark: only public places are found, by name and point, by the public report page's place
search. The gazetteer's places (loaded by load_gazetteer, matched as it matches them: by name and type) are public;
every other place (an activity's venue someone created in the app) is not until the council's staff mark it so."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def gazetteer_places() -> set[tuple[str, str]]:
    path = Path(settings.GAZETTEER_DIR) / "gazetteer.json"
    if not path.exists():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(row["name"], row["kind"]) for row in data.get("places", [])}


def mark_gazetteer_places_public(apps, schema_editor):
    Place = apps.get_model("territory", "Place")
    known = gazetteer_places()
    public = [pk for pk, name, kind in Place.objects.values_list("pk", "name", "kind") if (name, kind) in known]
    Place.objects.filter(pk__in=public).update(public=True)


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0004_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="place",
            name="public",
            field=models.BooleanField(
                default=False,
                help_text="Anyone may find it by name, with its point, in the public report page's place search.",
                verbose_name="in the public place search",
            ),
        ),
        migrations.RunPython(mark_gazetteer_places_public, migrations.RunPython.noop),
    ]
