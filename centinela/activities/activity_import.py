"""Importing activities from CSV/XLSX in the very format the activity list exports (so exports re-import cleanly):
a row with an `id` that exists updates that activity, a row without creates one. All rows valid, or nothing."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, scope
from centinela.activities.models import Activity
from centinela.lib.imports import Importer, Problem, Row
from centinela.lib.tables import read_rows
from centinela.territory.models import Parish, Place

REQUIRED = ["title", "programme", "kind", "starts_at", "status"]


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


def activity_importer(user) -> Importer:
    def parse(path):
        try:
            raw = read_rows(path)
        except ValueError as exc:
            return [], [Problem(None, "", _("The file cannot be read as CSV or XLSX: %(e)s") % {"e": exc})]
        if raw and (missing := [h for h in REQUIRED if h not in raw[0][1]]):
            return [], [Problem(None, "", _("Missing columns: %(c)s") % {"c": ", ".join(missing)})]
        return [Row(number, data.get("title") or data.get("id", ""), data) for number, data in raw], []

    def validate(rows):
        problems = []
        programmes = {}
        from centinela.activities.selectors import programme_choices

        for p in programme_choices(user):
            programmes.setdefault(p.code, []).append(p)
        for row in rows:
            d = row.data
            add = lambda msg: problems.append(Problem(row.number, row.label, msg))  # noqa: E731
            missing = [h for h in REQUIRED if not d.get(h)]
            if missing:
                add(_("Empty: %(c)s") % {"c": ", ".join(missing)})
                continue
            try:
                starts = _datetime(d["starts_at"])
                ends = _datetime(d["ends_at"]) if d.get("ends_at") else None
            except ValueError as exc:
                add(_("Date not understood: %(v)s (use YYYY-MM-DD HH:MM)") % {"v": exc})
                continue
            try:
                planned, executed = _money(d.get("budget_planned")), _money(d.get("budget_executed"))
            except InvalidOperation:
                add(_("Budgets must be numbers of zero or more."))
                continue
            candidates = [p for p in programmes.get(d["programme"], []) if p.plan.starts_on <= starts.date() <= p.plan.ends_on]
            if not candidates:
                add(_("No programme %(c)s in a plan covering %(d)s.") % {"c": d["programme"], "d": starts.date()})
                continue
            activity = None
            if d.get("id"):
                activity = scope(user, Activity.objects.all()).filter(pk=d["id"]).first()
                if activity is None:
                    add(_("Activity no. %(id)s does not exist or is not yours to change.") % {"id": d["id"]})
                    continue
            detail_kinds = (Activity.Kind.TRAINING, Activity.Kind.OPERATION, Activity.Kind.CAMPAIGN)
            if activity is None and d["kind"] in detail_kinds:
                add(_("New trainings, operations and campaigns are created on their own pages (they carry details)."))
                continue
            if activity is not None and activity.kind != d["kind"]:
                add(_("The type of an activity cannot be changed by import."))
                continue
            activity = activity or Activity()
            activity.programme = candidates[0]
            activity.title, activity.kind, activity.status = d["title"], d["kind"], d["status"]
            activity.status_reason, activity.description = d.get("status_reason", ""), d.get("description", "")
            activity.starts_at, activity.ends_at = starts, ends
            activity.budget_planned, activity.budget_executed = planned, executed
            activity.parish = Parish.objects.filter(code=d["parish"]).first() if d.get("parish") else None
            if d.get("parish") and activity.parish is None:
                add(_("Unknown parish code %(c)s.") % {"c": d["parish"]})
                continue
            activity.place = Place.objects.filter(name=d["place"]).first() if d.get("place") else None
            if d.get("place") and activity.place is None:
                add(_("Unknown place %(p)s.") % {"p": d["place"]})
                continue
            if activity.parish is None and activity.place and activity.place.parish_id:
                activity.parish = activity.place.parish
            try:
                activity.full_clean()
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    add(f"{field}: {' '.join(errors)}")
                continue
            if not can(user, "change" if activity.pk else "add", activity):
                add(_("You may not record activities of this parish."))
                continue
            row.data["object"] = activity
        return problems

    def preview(rows):
        updates = sum(1 for r in rows if r.data["object"].pk)
        return {"update": updates, "create": len(rows) - updates, "repaired": 0}

    def apply(rows):
        for row in rows:
            row.data["object"].save()
        return {"saved": len(rows)}

    return Importer(parse=parse, validate=validate, preview=preview, apply=apply)
