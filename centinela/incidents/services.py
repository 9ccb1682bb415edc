"""Changing the incident registry: import profiles and imports."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centinela.incidents.importer import FIELDS, import_incidents  # noqa: F401  (the one import entry point)
from centinela.incidents.models import ImportProfile, Incident, Source


@transaction.atomic
def save_profile(name: str, source_code: str, columns: dict, *, date_format: str = "",
                 category_values: dict | None = None, default_precision: str = "exact") -> ImportProfile:
    """Create or replace the profile called `name`."""
    source = Source.objects.filter(code=source_code).first()
    if source is None:
        raise ValidationError(_("Unknown source: %(c)s") % {"c": source_code})
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    if default_precision not in Incident.Precision.values:
        raise ValidationError(_("Unknown precision: %(v)s") % {"v": default_precision})
    profile, _created = ImportProfile.objects.update_or_create(name=name, defaults={
        "source": source, "columns": columns, "date_format": date_format,
        "category_values": category_values or {}, "default_precision": default_precision,
    })
    return profile
