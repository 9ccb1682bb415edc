"""What the incident list shows and exports. The exact point and the address only for those who may see them
(selectors.sees_exact_location); no victim data exists to show. Rows come from selectors.incident_rows_for, which
gives each incident its category's, source's, parish's and barrio's names and codes as its own attributes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.incidents.forms import FIELD_LABELS
from centinela.incidents.models import Category, Incident
from centinela.incidents.selectors import sees_exact_location
from centinela.lib.exports import Column
from centinela.territory.labels import label


def _local(value):
    return timezone.localtime(value) if value else None


def _shown(value, time_known: bool = True):
    """A date and time as the list shows it; a date whose time the source did not give says so (not 00:00)."""
    if not value:
        return ""
    if not time_known:
        unknown = _("time unknown")  # outside the f-string: xgettext reads only plain calls
        return f"{timezone.localtime(value):%d/%m/%Y} · {unknown}"
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


BASE = [
    Column(
        "occurred_at",
        _("Occurred at"),
        lambda i: _local(i.occurred_at),
        link=True,
        display=lambda i: _shown(i.occurred_at, i.time_known),
    ),
    Column("category", _("Category"), lambda i: i.category_code, display=lambda i: i.category_name),
    Column(
        "group", _("Group"), lambda i: i.category_group, display=lambda i: label(Category, "group", i.category_group)
    ),
    Column("source", _("Source"), lambda i: i.source_code, display=lambda i: i.source_name),
    Column("source_ref", _("Source reference"), lambda i: i.source_ref),
    Column("parish", _("Parish"), lambda i: i.parish_name if i.parish_id else ""),
    Column("barrio", _("Barrio"), lambda i: i.barrio_name if i.barrio_id else ""),
    Column("status", _("Status"), lambda i: i.status, display=lambda i: label(Incident, "status", i.status)),
    Column("reported_at", _("Reported at"), lambda i: _local(i.reported_at), on_page=False),
    # exports carry whether the time is known (a date alone holds 00:00 of its day)
    Column(
        "time_known",
        _("Time known"),
        lambda i: i.time_known,
        on_page=False,
        text=lambda i: _("yes") if i.time_known else _("no"),  # files: "sí" / "no" (open data keeps true/false)
    ),
]
LOCATION = [
    Column("lat", _("Latitude"), lambda i: i.lat, on_page=False),
    Column("lon", _("Longitude"), lambda i: i.lon, on_page=False),
    Column(
        "precision",
        _("Precision"),
        lambda i: i.precision,
        on_page=False,
        display=lambda i: label(Incident, "precision", i.precision),  # files write the code as its label
    ),
    Column("address", _("Address"), lambda i: i.address, on_page=False),
]


def _profile_columns(profile) -> str:
    """ "Columna de fecha y hora: Fecha; ...": each field as the import page names it, then the file's column."""
    return "; ".join(f"{FIELD_LABELS.get(k, k)}: {v}" for k, v in profile.columns.items())


PROFILE = [
    Column("name", _("Name"), lambda p: p.name, link=True),
    Column("source", _("Source"), lambda p: p.source.name),
    Column("columns", _("Columns"), lambda p: _profile_columns(p)),
    Column("date_format", _("Date format"), lambda p: p.date_format),
]


def incident_columns(user) -> list[Column]:
    return BASE + (LOCATION if sees_exact_location(user) else [])
