"""What each partner list shows and exports: one column list per list, for the page and the files alike."""

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centinela.lib.choices import display
from centinela.lib.exports import Column
from centinela.partners.filters import STATUS_CHOICES

STATUS_LABELS = dict(STATUS_CHOICES)


def _yes_no(value):
    return _("yes") if value else _("no")


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def agreement_status_badge(agreement):
    status = agreement.status()
    return format_html('<span class="badge agreement-{}">{}</span>', status, STATUS_LABELS[status])


INSTITUTION = [
    Column("name", _("Name"), lambda i: i.name, link=True),
    Column("short_name", _("Short name"), lambda i: i.short_name),
    Column("kind", _("Type"), lambda i: i.kind, display=lambda i: display(i, "kind")),
    Column("council_member", _("Council member"), lambda i: _yes_no(i.is_council_member)),
    Column("agreements", _("Agreements"), lambda i: getattr(i, "agreement_count", None)),
    Column("website", _("Website"), lambda i: i.website, on_page=False),
    Column("active", _("Active"), lambda i: _yes_no(i.active)),
]

AGREEMENT = [
    Column("code", _("Code"), lambda a: a.code, link=True),
    Column("title", _("Title"), lambda a: a.title),
    Column("counterpart", _("Counterpart"), lambda a: a.counterpart.name),
    Column("signed_on", _("Signed on"), lambda a: a.signed_on, display=lambda a: _date(a.signed_on)),
    Column("valid_until", _("Valid until"), lambda a: a.valid_until, display=lambda a: _date(a.valid_until)),
    Column(
        "status",
        _("Status"),
        lambda a: a.status(),
        display=agreement_status_badge,
        text=lambda a: str(STATUS_LABELS[a.status()]),
    ),
    Column("purpose", _("Object"), lambda a: a.purpose, on_page=False),
]

IN_KIND = [
    Column("institution", _("Partner"), lambda i: i.name, link=True),
    Column("kind", _("Type"), lambda i: i.kind, display=lambda i: display(i, "kind")),
    Column("contributions", _("Contributions"), lambda i: i.in_kind_count),
    Column(
        "total_usd",
        _("Total (USD)"),
        lambda i: float(i.in_kind_total),
        display=lambda i: floatformat(i.in_kind_total, "2g"),
    ),
]
