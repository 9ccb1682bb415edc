"""Activity list columns: what the page shows and exports; the export's keys are what the importer reads back."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.activities.models import Activity
from centinela.lib.choices import display
from centinela.lib.exports import Column
from centinela.territory.labels import label


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


ACTIVITY = [
    Column("id", _("No."), lambda a: a.pk),
    Column("title", _("Title"), lambda a: a.title, link=True),
    Column("programme", _("Programme"), lambda a: a.programme_code),  # rows from selectors.activity_rows_for
    Column("kind", _("Type"), lambda a: a.kind, display=lambda a: label(Activity, "kind", a.kind)),
    Column("starts_at", _("Starts"), lambda a: _local(a.starts_at)),
    Column("ends_at", _("Ends"), lambda a: _local(a.ends_at)),
    Column(
        "parish",
        _("Parish"),
        lambda a: a.parish_code if a.parish_id else "",
        display=lambda a: a.parish_name if a.parish_id else "",
    ),
    Column("place", _("Place"), lambda a: a.place_name if a.place_id else ""),
    Column("status", _("Status"), lambda a: a.status, display=lambda a: label(Activity, "status", a.status)),
    Column("status_reason", _("Reason"), lambda a: a.status_reason),
    Column("budget_planned", _("Planned (USD)"), lambda a: float(a.budget_planned)),
    Column("budget_executed", _("Executed (USD)"), lambda a: float(a.budget_executed)),
    Column("description", _("Description"), lambda a: a.description, on_page=False),
]


PLAN = [
    Column("name", _("Name"), lambda p: p.name, link=True),
    Column("level", _("Level"), lambda p: p.level, display=lambda p: display(p, "level")),
    Column(
        "parish",
        _("Parish"),
        lambda p: p.parish.code if p.parish else "",
        display=lambda p: p.parish.name if p.parish else "",
    ),
    Column("starts_on", _("From"), lambda p: p.starts_on),
    Column("ends_on", _("To"), lambda p: p.ends_on),
    Column("parent", _("Part of"), lambda p: p.parent.name if p.parent else ""),
]
