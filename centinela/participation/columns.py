"""What the report inbox shows and exports: one column list for the page and the files alike. The reporter's
contact goes into exports only for those who may see personal data (LOPDP)."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import can_see_personal_data
from centinela.lib.choices import display
from centinela.lib.exports import Column
from centinela.participation.selectors import point_for, public_point


def _local(value):
    return timezone.localtime(value) if value else None


def _shown(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes_no(value):
    return _("yes") if value else _("no")


def status_badge(report):
    return format_html('<span class="badge report-{}">{}</span>', report.status, display(report, "status"))


BASE = [
    Column("code", _("Code"), lambda r: r.code, link=True),
    Column("received_at", _("Received at"), lambda r: _local(r.created_at), display=lambda r: _shown(r.created_at)),
    Column("category", _("Category"), lambda r: r.category.name),
    Column("parish", _("Parish"), lambda r: r.parish.name if r.parish_id else ""),
    Column("barrio", _("Barrio"), lambda r: r.barrio.name if r.barrio_id else ""),
    Column("status", _("Status"), lambda r: r.status, display=status_badge, text=lambda r: display(r, "status")),
    Column(
        "institution",
        _("Assigned institution"),
        lambda r: r.assigned_institution.name if r.assigned_institution_id else "",
    ),
    Column("published", _("Published"), lambda r: _yes_no(r.published)),
    Column("flagged", _("To moderate"), lambda r: _yes_no(r.flagged)),
]
# after the points (_points): exported only
BASE_TAIL = [
    Column("public_text", _("Public text"), lambda r: r.public_text, on_page=False),
    Column("anonymous", _("Anonymous"), lambda r: _yes_no(r.anonymous), on_page=False),
    Column("updated_at", _("Updated at"), lambda r: _local(r.updated_at), on_page=False),
]

CONTACT = [
    Column("contact_name", _("Contact name"), lambda r: r.contact_name, on_page=False),
    Column("contact_phone", _("Contact phone"), lambda r: r.contact_phone, on_page=False),
    Column("contact_email", _("Contact e-mail"), lambda r: r.contact_email, on_page=False),
]


def _points(user) -> list[Column]:
    """Latitude and longitude, exact or rounded by role (selectors.point_for)."""
    return [
        Column("lat", _("Latitude"), lambda r: point_for(user, r)[1], on_page=False),
        Column("lon", _("Longitude"), lambda r: point_for(user, r)[0], on_page=False),
    ]


def report_columns(user) -> list[Column]:
    return BASE + _points(user) + BASE_TAIL + (CONTACT if can_see_personal_data(user) else [])


def _public_point(index):
    return lambda r: public_point(r)[index]


# The open data: no personal data, no reporter's words (only the moderated public text), points rounded; rows of
# sensitive categories never reach these columns (they are counted per barrio: SENSITIVE_COUNT_HEADER).
PUBLIC = [
    Column("code", _("Code"), lambda r: r.code),
    Column("received_on", _("Received on"), lambda r: timezone.localtime(r.created_at).date()),
    Column("category", _("Category"), lambda r: r.category.name),
    Column("status", _("Status"), lambda r: display(r, "status")),
    Column("parish", _("Parish"), lambda r: r.parish.name if r.parish_id else ""),
    Column("barrio", _("Barrio"), lambda r: r.barrio.name if r.barrio_id else ""),
    Column("public_text", _("Description"), lambda r: r.public_text),
    Column("lat", _("Latitude"), _public_point(1)),
    Column("lon", _("Longitude"), _public_point(0)),
]
# The counts of sensitive reports (selectors.sensitive_counts): one row per barrio and category ("barrio"; an empty
# barrio: reports of the parish in no barrio), then, for the whole table, each parish's total ("parish_total") and
# the canton's ("canton_total"). A hidden count is empty with suppressed 1 (as the incidents' open data); the
# months covered, whole and complete, are month_from..month_to (YYYY-MM; month_from empty: from the first report).
SENSITIVE_COUNT_HEADER = ["level", "parish", "barrio", "category", "count", "suppressed", "month_from", "month_to"]


def sensitive_count_rows(counts: dict):
    months = [counts["first"].strftime("%Y-%m") if counts["first"] else "", counts["last"].strftime("%Y-%m")]

    def row(level, parish, barrio, category, n):
        return [level, parish, barrio, category, "" if n is None else n, 1 if n is None else 0, *months]

    for c in counts["rows"]:
        yield row("barrio", c["parish"], c["barrio"], c["category"], c["count"])
    if counts["whole"]:
        for t in counts["parishes"]:
            yield row("parish_total", t["parish"], "", "", t["count"])
        yield row("canton_total", "", "", "", counts["total"])
