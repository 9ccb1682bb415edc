"""Save an import profile: manage.py incident_profile NAME --source CODE --map field=column ... [--value x=code]"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.incidents.services import save_profile


def _pairs(items, what):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(_("Expected %(w)s=value, got %(v)s") % {"w": what, "v": item})
        out[key.strip()] = value.strip()
    return out


class Command(BaseCommand):
    help = "Create or replace an incident import profile."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--source", required=True, help="source code (ecu911, policia, fiscalia, ...)")
        parser.add_argument(
            "--map",
            action="append",
            metavar="FIELD=COLUMN",
            help="source_ref, occurred_at, reported_at, category, lon, lat, address, precision",
        )
        parser.add_argument("--value", action="append", metavar="FILE_VALUE=CATEGORY_CODE")
        parser.add_argument("--date-format", default="", help="strftime format, e.g. %%d/%%m/%%Y %%H:%%M")
        parser.add_argument("--precision", default="exact")

    def handle(self, *args, **o):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            profile = save_profile(
                o["name"],
                o["source"],
                _pairs(o["map"], "field"),
                date_format=o["date_format"],
                category_values=_pairs(o["value"], "value"),
                default_precision=o["precision"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_("Profile %(name)s saved.") % {"name": profile.name})
