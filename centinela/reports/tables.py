"""The report's tables, once for both documents: each function gives a table's header, its rows of formatted text, its
footer and which columns hold numbers; render_pdf and render_docx only lay them out (column widths, fonts, shading)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from centinela.reports.formatting import money, number, percent, short_day
from centinela.reports.selectors import AnnualReport


@dataclass
class TableRows:
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)
    footer: list[str] | None = None


def _figures(rows) -> TableRows:
    return TableRows([_("Figure"), _("Value")], [list(r) for r in rows], {1})


def year_in_figures(report: AnnualReport) -> TableRows:
    t = report.totals
    return _figures(
        [
            [_("Activities scheduled"), number(t.activities)],
            [_("Activities done"), f"{number(t.done)} ({percent(t.percent_done)})"],
            [_("Planned budget"), money(t.budget_planned)],
            [_("Executed budget"), f"{money(t.budget_executed)} ({percent(t.percent_executed)})"],
            [_("In-kind contributions of partners"), money(t.in_kind)],
            [_("Trainings held"), number(t.trainings)],
            [_("People trained"), number(t.people_trained)],
        ]
    )


def _execution(x) -> list[str]:
    """A programme's (or the year's) activities and budget, planned and carried out."""
    return [
        number(x.activities),
        number(x.done),
        percent(x.percent_done),
        money(x.budget_planned),
        money(x.budget_executed),
        percent(x.percent_executed),
        money(x.in_kind),
    ]


def _execution_header() -> list[str]:
    return [
        _("Activities scheduled"),
        _("Carried out"),
        "%",
        _("Planned budget"),
        _("Executed budget"),
        "%",
        _("In kind"),
    ]


def programme_execution(p) -> TableRows:
    return TableRows(_execution_header(), [_execution(p)], set(range(7)))


def programme_indicators(p) -> TableRows:
    return TableRows(
        [_("Indicator"), _("Scope"), _("Target"), _("Actual"), _("Achieved")],
        [
            [
                f"{i.code} · {i.name}" + (f" ({i.unit})" if i.unit else ""),
                i.scope,
                number(i.target),
                number(i.actual),
                percent(i.percent),
            ]
            for i in p.indicators
        ],
        {2, 3, 4},
    )


def surveillance(report: AnnualReport) -> TableRows:
    return _figures(report.surveillance.rows)


def budget(report: AnnualReport) -> TableRows:
    return TableRows(
        [_("Programme"), *_execution_header()],
        [[f"{p.code} · {p.name}", *_execution(p)] for p in report.programmes],
        set(range(1, 8)),
        footer=[_("Total"), *_execution(report.totals)],
    )


def parishes(report: AnnualReport) -> TableRows:
    return TableRows(
        [_("Parish"), _("Type"), _("Trainings"), _("People trained"), _("Women"), _("Parish presidents")],
        [
            [r.name, r.kind, number(r.trainings), number(r.people), number(r.women), number(r.presidents)]
            for r in report.parishes
        ],
        {2, 3, 4, 5},
    )


def citizen_reports(report: AnnualReport) -> TableRows:
    return _figures(report.participation.rows)


def report_categories(report: AnnualReport) -> TableRows:
    return TableRows(
        [
            _("Category"),
            _("Reports received"),
            _("Reports resolved"),
            _("Resolved within the time limit"),
            _("Share resolved within the time limit"),
        ],
        [list(r) for r in report.participation.categories],
        {1, 2, 3, 4},
    )


def resolutions(session) -> TableRows:
    return TableRows(
        [_("No."), _("Resolution"), _("Responsible"), _("Status")],
        [
            [r.number, r.text, r.owner, r.status + (f" ({short_day(r.done_on)})" if r.done_on else "")]
            for r in session.resolutions
        ],
    )


def obligations(agreement) -> TableRows:
    return TableRows(
        [_("Party"), _("Obligation"), _("Fulfilled by")],
        [[o.party, o.description, "; ".join(o.fulfilled_by) or "—"] for o in agreement.obligations],
    )


def partners(report: AnnualReport) -> TableRows:
    return TableRows(
        [_("Institution"), _("Type"), _("Role"), _("Activities"), _("In kind"), _("What was contributed")],
        [
            [r.name, r.kind, "; ".join(r.roles), number(r.activities), money(r.in_kind), "; ".join(r.contributions)]
            for r in report.partners
        ]
        or [[_("None recorded."), "", "", "", "", ""]],
        {3, 4},
    )
