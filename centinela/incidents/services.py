"""Changing the incident registry: incidents entered by hand, their status, import profiles and imports."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.incidents.importer import FIELDS, MAPPED, import_incidents  # noqa: F401  (the one import entry point)
from centinela.incidents.models import ImportProfile, Incident, Source
from centinela.lib.records import save_checked

# Who can move where: a report is verified or discarded once; nothing goes back silently.
TRANSITIONS = {
    Incident.Status.REPORTED: [Incident.Status.VERIFIED, Incident.Status.DISCARDED],
    Incident.Status.VERIFIED: [],
    Incident.Status.DISCARDED: [],
}


def check_point(lon: float, lat: float) -> None:
    """The point must lie in the canton; the coordinates are said to look swapped only when swapping them puts the
    point in the canton."""
    from centinela.territory.selectors import in_canton

    if in_canton(lon, lat):
        return
    values = {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}"}
    if in_canton(lat, lon):
        raise ValidationError(
            {"lat": _("The point %(lon)s, %(lat)s is outside the canton: longitude and latitude look swapped") % values}
        )
    raise ValidationError({"lat": _("The point %(lon)s, %(lat)s is outside the canton.") % values})


def save_incident(user, incident: Incident) -> Incident:
    """Create or edit an incident by hand: the point must be in the canton; parish and barrio follow from it (so
    the permission check knows whose parish it is: a parish president saves only their own parish's)."""
    from centinela.territory.selectors import locate

    if incident.lon is not None and incident.lat is not None:
        check_point(incident.lon, incident.lat)
        location = locate(incident.lon, incident.lat)
        incident.parish, incident.barrio = location.parish, location.barrio
    return save_checked(user, incident)


def create_incident(user, incident: Incident) -> Incident:
    """save_incident, and for a new incident the incidents_created signal (cameras link it to what saw it)."""
    from centinela.incidents.signals import incidents_created

    created = incident.pk is None
    save_incident(user, incident)
    if created:
        incidents_created.send(sender=Incident, ids=[incident.pk])
    return incident


@transaction.atomic
def change_status(user, incident: Incident, status: str) -> Incident:
    """Verify or discard a reported incident (audited as any change of the record)."""
    require(user, "change", incident)
    if status not in TRANSITIONS.get(incident.status, []):
        raise ValidationError(
            {
                "status": _("An incident that is %(from)s cannot become %(to)s.")
                % {"from": incident.get_status_display(), "to": dict(Incident.Status.choices).get(status, status)}
            }
        )
    incident.status = status
    incident.save(update_fields=["status"])
    return incident


def save_profile_record(user, profile: ImportProfile) -> ImportProfile:
    """An import profile edited on its page (staff only: profiles belong to no parish)."""

    def check(obj):
        unknown = sorted(set(obj.columns) - set(MAPPED))
        if unknown:
            raise ValidationError({"columns": _("Unknown fields: %(f)s") % {"f": ", ".join(unknown)}})
        if obj.default_precision not in Incident.Precision.values:
            raise ValidationError({"default_precision": _("Unknown precision: %(v)s") % {"v": obj.default_precision}})

    return save_checked(user, profile, check)


@transaction.atomic
def save_profile(
    name: str,
    source_code: str,
    columns: dict,
    *,
    date_format: str = "",
    category_values: dict | None = None,
    default_precision: str = "exact",
) -> ImportProfile:
    """Create or replace the profile called `name`."""
    source = Source.objects.filter(code=source_code).first()
    if source is None:
        raise ValidationError(_("Unknown source: %(c)s") % {"c": source_code})
    unknown = sorted(set(columns) - set(MAPPED))
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    if default_precision not in Incident.Precision.values:
        raise ValidationError(_("Unknown precision: %(v)s") % {"v": default_precision})
    profile, _created = ImportProfile.objects.update_or_create(
        name=name,
        defaults={
            "source": source,
            "columns": columns,
            "date_format": date_format,
            "category_values": category_values or {},
            "default_precision": default_precision,
        },
    )
    return profile
