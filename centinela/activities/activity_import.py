"""Importing activities from CSV/XLSX in the very format the activity list exports (so exports re-import cleanly):
a row with an `id` that exists updates that activity, a row without creates one. All rows valid, or nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, scope
from centinela.activities.columns import ACTIVITY
from centinela.activities.models import Activity
from centinela.lib.exports import choice_lookup, column_aliases, header_of
from centinela.lib.imports import Importer, Problem, Row, RowError
from centinela.lib.tables import normalise, read_rows
from centinela.territory.models import Parish, Place

REQUIRED = ["title", "programme", "kind", "starts_at", "status"]
# the preview checks every row in the web request (the apply is a job: activities/jobs.py): 2,000 rows take about
# 3.5 s to check on the 2-core server, far inside gunicorn's 120 s; a larger file is split (docs/architecture.md,
# "Every confirmation is a job")
MAX_ROWS = 2000


def _datetime(text: str):
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return timezone.make_aware(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(text)


def _money(text: str) -> Decimal:
    value = Decimal((text or "0").replace(",", "."))
    if value < 0:
        raise InvalidOperation
    return value


def _field_label(name: str) -> str:
    """A model field as the file's header calls it (the export's label), else as the form does."""
    column = next((c for c in ACTIVITY if c.key == name), None)
    if column is not None:
        return str(column.label)
    try:
        return str(Activity._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a non-field error ("__all__")
        return _("Row")


class ActivityImporter(Importer):
    """Rows as the activity list exports them; each row's first problem is its only one (the checks build on each
    other), except the model's own validation, which names every field at once."""

    required = REQUIRED

    def __init__(self, user):
        super().__init__()
        self.user = user

    def parse(self, path):
        try:
            raw = read_rows(path, aliases=column_aliases(ACTIVITY))
        except ValueError as exc:
            return [], [Problem(None, "", _("The file cannot be read as CSV or XLSX: %(e)s") % {"e": exc})]
        if raw and (missing := [h for h in self.required if h not in raw[0][1]]):
            named = ", ".join(header_of(c) for c in ACTIVITY if c.key in missing)
            return [], [Problem(None, "", _("Missing columns: %(c)s") % {"c": named})]
        if len(raw) > MAX_ROWS:
            return [], [Problem(None, "", _("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})]
        return [Row(number, data.get("title") or data.get("id", ""), data) for number, data in raw], []

    def audit_target(self):
        return Activity  # a file may touch activities of several plans: the entry names the model and the file

    def prepare(self, rows):
        from centinela.activities.selectors.plans import programme_choices

        self.programmes: dict[str, list] = {}
        for p in programme_choices(self.user):
            self.programmes.setdefault(p.code, []).append(p)
        # the parishes by code and by name (the export writes the name), read once: the first in the list's order
        self.parish_by_code: dict[str, Parish] = {}
        self.parish_by_name: dict[str, Parish] = {}
        for parish in Parish.objects.all():
            self.parish_by_code.setdefault(parish.code, parish)
            self.parish_by_name.setdefault(normalise(parish.name), parish)
        # type and status as codes or labels in any language of the site
        self.choices = {"kind": choice_lookup(Activity.Kind.choices), "status": choice_lookup(Activity.Status.choices)}

    def _parish(self, text: str):
        return self.parish_by_code.get(text) or self.parish_by_name.get(normalise(text))

    def validate_row(self, row):
        d = row.data
        self._check_required(d)
        self._decode_choices(d)
        starts, ends = self._parse_dates(d)
        planned, executed = self._parse_budgets(d)
        programme = self._match_programme(d, starts)
        activity = self._existing_activity(d)
        self._check_kind(d, activity)
        activity = activity or Activity()
        activity.programme = programme
        activity.title, activity.kind, activity.status = d["title"], d["kind"], d["status"]
        activity.status_reason, activity.description = d.get("status_reason", ""), d.get("description", "")
        activity.starts_at, activity.ends_at = starts, ends
        activity.budget_planned, activity.budget_executed = planned, executed
        self._locate(d, activity)
        self._full_clean(activity)
        self._check_permission(activity)
        row.data["object"] = activity
        return ()

    def _decode_choices(self, d):
        """Type and status as the export writes them (their labels, in any language of the site) or as codes."""
        for key, message in (("kind", _("Unknown type %(v)s.")), ("status", _("Unknown status %(v)s."))):
            value = self.choices[key].get(normalise(d[key]))
            if value is None:
                raise RowError(message % {"v": d[key]})
            d[key] = value

    def _check_required(self, d):
        missing = [h for h in self.required if not d.get(h)]
        if missing:
            raise RowError(_("Empty: %(c)s") % {"c": ", ".join(missing)})

    @staticmethod
    def _parse_dates(d):
        try:
            return _datetime(d["starts_at"]), _datetime(d["ends_at"]) if d.get("ends_at") else None
        except ValueError as exc:
            raise RowError(_("Date not understood: %(v)s (use YYYY-MM-DD HH:MM)") % {"v": exc}) from None

    @staticmethod
    def _parse_budgets(d):
        try:
            return _money(d.get("budget_planned")), _money(d.get("budget_executed"))
        except InvalidOperation:
            raise RowError(_("Budgets must be numbers of zero or more.")) from None

    def _match_programme(self, d, starts):
        """The first of the user's programmes with the row's code in a plan covering its start."""
        candidates = [
            p for p in self.programmes.get(d["programme"], []) if p.plan.starts_on <= starts.date() <= p.plan.ends_on
        ]
        if not candidates:
            raise RowError(
                _("No programme %(c)s in a plan covering %(d)s.") % {"c": d["programme"], "d": starts.date()}
            )
        return candidates[0]

    def _existing_activity(self, d):
        """The activity the row's id names (None for a row without one): it must be the user's to change."""
        if not d.get("id"):
            return None
        activity = scope(self.user, Activity.objects.all()).filter(pk=d["id"]).first()
        if activity is None:
            raise RowError(_("Activity no. %(id)s does not exist or is not yours to change.") % {"id": d["id"]})
        return activity

    @staticmethod
    def _check_kind(d, activity):
        detail_kinds = (Activity.Kind.TRAINING, Activity.Kind.OPERATION, Activity.Kind.CAMPAIGN)
        if activity is None and d["kind"] in detail_kinds:
            raise RowError(
                _("New trainings, operations and campaigns are created on their own pages (they carry details).")
            )
        if activity is not None and activity.kind != d["kind"]:
            raise RowError(_("The type of an activity cannot be changed by import."))

    def _locate(self, d, activity):
        """Parish by code or name (the export writes its name) and place by name; a place's parish when the row
        names no parish."""
        activity.parish = self._parish(d["parish"]) if d.get("parish") else None
        if d.get("parish") and activity.parish is None:
            raise RowError(_("Unknown parish %(c)s.") % {"c": d["parish"]})
        activity.place = Place.objects.filter(name=d["place"]).first() if d.get("place") else None
        if d.get("place") and activity.place is None:
            raise RowError(_("Unknown place %(p)s.") % {"p": d["place"]})
        if activity.parish is None and activity.place and activity.place.parish_id:
            activity.parish = activity.place.parish

    @staticmethod
    def _full_clean(activity):
        try:
            activity.full_clean()
        except ValidationError as exc:
            raise RowError(
                *(f"{_field_label(field)}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
            ) from None

    def _check_permission(self, activity):
        if not can(self.user, "change" if activity.pk else "add", activity):
            raise RowError(_("You may not record activities of this parish."))

    def preview(self, rows):
        updates = sum(1 for r in rows if r.data["object"].pk)
        return {"update": updates, "create": len(rows) - updates, "repaired": 0}

    def apply(self, rows):
        for row in rows:
            row.data["object"].save()
        return {"saved": len(rows)}


def activity_importer(user, *, skip: frozenset[int] = frozenset()) -> ActivityImporter:
    """The entry point of the upload page and of scripts; `skip`: the rows the user chose to leave out."""
    importer = ActivityImporter(user)
    importer.skip = frozenset(skip)
    return importer
