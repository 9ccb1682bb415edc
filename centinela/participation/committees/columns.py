"""What the committee list and the agreements board show and export: one column list for the page and the files.
No member's personal data is in either."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centinela.lib.choices import display
from centinela.lib.exports import Column


def _yes_no(value):
    return _("yes") if value else _("no")


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _overdue_badge(c):
    if not c.n_overdue:
        return "0"
    return format_html('<span class="badge overdue">{}</span>', c.n_overdue)


COMMITTEE = [
    Column("name", _("Committee"), lambda c: c.name, link=True),
    Column("parish", _("Parish"), lambda c: c.barrio.parish.name),
    Column("barrio", _("Barrio"), lambda c: c.barrio.name),
    Column("founded_on", _("Founded on"), lambda c: c.founded_on, display=lambda c: _date(c.founded_on)),
    Column("active", pgettext_lazy("committee", "Active"), lambda c: _yes_no(c.active)),
    Column("members", _("Members"), lambda c: c.n_members),
    Column("meetings", _("Meetings"), lambda c: c.n_meetings),
    Column("last_meeting", _("Last meeting"), lambda c: c.last_meeting, display=lambda c: _date(c.last_meeting)),
    Column("open_agreements", _("Open agreements"), lambda c: c.n_open),
    Column("overdue_agreements", _("Overdue agreements"), lambda c: c.n_overdue, display=_overdue_badge),
    Column("notes", _("Notes"), lambda c: c.notes, on_page=False),
]


def _status(a):
    label = display(a, "status")
    if a.is_overdue():
        return format_html(
            '<span class="badge agreement-{}">{}</span> <span class="badge overdue">{}</span>',
            a.status,
            label,
            _("overdue"),
        )
    return format_html('<span class="badge agreement-{}">{}</span>', a.status, label)


AGREEMENT = [
    Column("agreement", pgettext_lazy("committee", "Agreement"), lambda a: a.text, link=True),
    Column("committee", _("Committee"), lambda a: a.meeting.committee.name),
    Column("parish", _("Parish"), lambda a: a.meeting.committee.barrio.parish.name),
    Column("barrio", _("Barrio"), lambda a: a.meeting.committee.barrio.name),
    Column("meeting_on", _("Meeting"), lambda a: a.meeting.held_on, display=lambda a: _date(a.meeting.held_on)),
    Column("responsible", _("Responsible"), lambda a: a.responsible),
    Column("due_on", _("Due on"), lambda a: a.due_on, display=lambda a: _date(a.due_on)),
    Column("status", _("Status"), lambda a: display(a, "status"), display=_status),
    Column("overdue", _("Overdue"), lambda a: _yes_no(a.is_overdue()), on_page=False),
    Column("follow_ups", _("Follow-ups"), lambda a: a.n_follow_ups),
    Column(
        "last_follow_up", _("Last follow-up"), lambda a: a.last_follow_up, display=lambda a: _date(a.last_follow_up)
    ),
    Column("updated_at", _("Updated at"), lambda a: timezone.localtime(a.updated_at), on_page=False),
]
