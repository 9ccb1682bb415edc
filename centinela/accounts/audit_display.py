"""The audit trail as its readers know the records: field names as the forms call them, choices by their label,
yes/no, dates as dates, related records by their name, empty values as a dash (issue 13, item 1).

django-auditlog stores what changed as strings of the raw values ("status: pending → not_done", "parish: None → 3");
`describe_changes` turns one entry into "Estado: Pendiente → No cumplido; Parroquia: — → El Sagrario". Reverse
relations and automatic keys, which auditlog lists when a record is created, say nothing to a reader and are left
out. Fields in `hide` say only that they changed.

A page (or an export) of entries names its related records with one query per related model, not one per value:
`with_names(entries)` reads them for a list of entries, `Described(queryset)` for each slice and chunk of a list
view (lib.views.list_view's `rows`)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import AUDIT_LABELS as REQUEST_LABELS
from centinela.lib.imports import AUDIT_LABELS

EMPTY = "—"
HIDDEN = gettext_lazy("changed (hidden)")
# auditlog masks a masked field's text by its first half: an empty cédula or phone reads "**ne" (from "None").
MASKED_NOTHING = {"**ne", "None", ""}


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _said(field) -> bool:
    """Fields worth a reader's line: not reverse relations, not the automatic primary key."""
    if field is None:
        return True
    if field.auto_created and not field.concrete:
        return False  # the other side of a relation (a committee's "agreements", a user's "jobs")
    return not (field.primary_key and isinstance(field, models.AutoField))


def field_label(field, name: str) -> str:
    if field is None:
        # an import's entry (the file and its rows: lib.imports) or a data-protection request's (its reference)
        return str(AUDIT_LABELS.get(name) or REQUEST_LABELS.get(name) or name)
    return str(capfirst(field.verbose_name))


def _related(field, raw, names):
    key = (field.related_model, raw)
    if key not in names:
        found = field.related_model._base_manager.filter(pk=raw).first() if str(raw).isdigit() else None
        names[key] = str(found) if found is not None else f"{capfirst(field.related_model._meta.verbose_name)} {raw}"
    return names[key]


def _related_ids(entry):
    """(related model, raw id) of each related record the entry's changes mention."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    for name, change in (entry.changes_dict or {}).items():
        field = _field(model, name)
        if isinstance(field, models.ForeignKey) and isinstance(change, (list, tuple)) and len(change) == 2:
            for raw in change:
                if raw is not None and str(raw).isdigit():
                    yield field.related_model, str(raw)


def with_names(entries: list, names: dict | None = None) -> list:
    """The entries, each carrying (as `audit_names`, which `describe_changes` reads) the names of every related
    record the list mentions: one query per related model for the whole list. Returns the list."""
    names = {} if names is None else names
    wanted: dict = {}
    for entry in entries:
        for related, raw in _related_ids(entry):
            if (related, raw) not in names:
                wanted.setdefault(related, set()).add(raw)
    for related, ids in wanted.items():
        found = {str(obj.pk): str(obj) for obj in related._base_manager.filter(pk__in=sorted(ids, key=int))}
        for raw in ids:
            names[(related, raw)] = found.get(raw, f"{capfirst(related._meta.verbose_name)} {raw}")
    for entry in entries:
        entry.audit_names = names
    return entries


class Described:
    """A queryset of log entries read a slice (a page) or a chunk (an export) at a time, each read `with_names`."""

    CHUNK = 2000

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return with_names([self.queryset[key]])[0]
        return with_names(list(self.queryset[key]))

    def __iter__(self) -> Iterator:
        chunk: list = []
        for entry in self.queryset.iterator(chunk_size=self.CHUNK):
            chunk.append(entry)
            if len(chunk) == self.CHUNK:
                yield from with_names(chunk)
                chunk = []
        yield from with_names(chunk)


def value_label(field, raw, names) -> str:
    """One recorded value as the interface shows it."""
    if raw is None or str(raw) in MASKED_NOTHING:
        return EMPTY
    text = str(raw)
    if field is None:
        return text
    if field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(text, text))
    if isinstance(field, models.BooleanField):
        return {"True": _("yes"), "False": _("no")}.get(text, text)
    if isinstance(field, models.ForeignKey):
        return _related(field, text, names)
    if isinstance(field, models.FileField):
        return text.rsplit("/", 1)[-1]  # the file's name, not the storage folder
    if isinstance(field, models.DateTimeField):
        when = parse_datetime(text)
        if when is not None:
            return formats.date_format(localtime(when) if is_aware(when) else when, "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(text)
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    return text


def describe_changes(entry, *, hide=(), names=None) -> str:
    if names is None:  # the names read for the entry's page (`with_names`), else read here, one by one
        names = getattr(entry, "audit_names", None)
        names = {} if names is None else names
    model = entry.content_type.model_class() if entry.content_type_id else None
    parts = []
    for name, change in (entry.changes_dict or {}).items():
        field = _field(model, name)
        if not _said(field):
            continue
        label = field_label(field, name)
        if name in hide:
            parts.append(f"{label}: {HIDDEN}")
        elif isinstance(change, dict):  # many-to-many: the operation and the objects
            verb = _("added") if change.get("operation") == "add" else _("removed")
            parts.append(f"{label}: {verb} {', '.join(map(str, change.get('objects', [])))}")
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            parts.append(f"{label}: {value_label(field, change[0], names)} → {value_label(field, change[1], names)}")
        else:
            parts.append(f"{label}: {change}")
    return "; ".join(parts)
