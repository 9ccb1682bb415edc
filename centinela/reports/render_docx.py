"""The report as a Word document (python-docx), section for section as the web version."""
from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from centinela.reports.formatting import day, join, money, number, percent, short_day
from centinela.reports.selectors import AnnualReport

NAVY = RGBColor(0x15, 0x43, 0x60)


def _shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_fill)
    props.append(shading)


def _table(doc, header: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(), footer=None, widths=None):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, "EBF5FB")
    for values in rows + ([footer] if footer else []):
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values)):
            cell.text = str(text)
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if footer is values:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8.5)
    if widths:
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    doc.add_paragraph()
    return table


def _picture(doc, png: bytes, caption: str, width_cm: float = 16) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph(caption)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.runs[0].italic = True
    p.runs[0].font.size = Pt(8.5)


def render(report: AnnualReport, charts) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    props = doc.core_properties
    props.title, props.author, props.subject = report.title, report.institution, report.canton
    props.language = "es-EC"
    if report.generated_at:
        props.created = props.modified = report.generated_at

    head = doc.add_paragraph()
    run = head.add_run(report.institution.upper())
    run.bold, run.font.color.rgb = True, NAVY
    doc.add_heading(report.title, level=0)
    period = _("Period: January to December %(year)s") % {"year": report.year}
    doc.add_paragraph(period + (" · " + join(report.plans) if report.plans else ""))

    doc.add_heading("1. " + _("Institutional purpose"), level=1)
    doc.add_paragraph(report.purpose or _("No institutional purpose recorded in the plan."))
    if report.objectives:
        doc.add_heading(_("Objectives of the plan"), level=2)
        for line in report.objectives:
            doc.add_paragraph(line)

    t = report.totals
    doc.add_heading("2. " + _("The year in figures"), level=1)
    doc.add_paragraph(report.summary)
    _table(doc, [_("Figure"), _("Value")], [
        [_("Activities scheduled"), number(t.activities)],
        [_("Activities done"), f"{number(t.done)} ({percent(t.percent_done)})"],
        [_("Planned budget"), money(t.budget_planned)],
        [_("Executed budget"), f"{money(t.budget_executed)} ({percent(t.percent_executed)})"],
        [_("In-kind contributions of partners"), money(t.in_kind)],
        [_("Trainings held"), number(t.trainings)],
        [_("People trained"), number(t.people_trained)],
    ], numeric={1})

    doc.add_heading("3. " + _("Programmes"), level=1)
    if not report.programmes:
        doc.add_paragraph(_("No cantonal plan was recorded for this year."))
    for n, p in enumerate(report.programmes, 1):
        doc.add_heading(f"3.{n}. {p.code} · {p.name}", level=2)
        meta = doc.add_paragraph(p.kind)
        meta.runs[0].italic = True
        if p.objective:
            para = doc.add_paragraph()
            para.add_run(_("Objective") + ": ").bold = True
            para.add_run(p.objective)
        for paragraph in p.narrative:
            doc.add_paragraph(paragraph)
        _table(doc, [_("Activities scheduled"), _("Carried out"), "%", _("Planned budget"), _("Executed budget"), "%", _("In kind")],
               [[number(p.activities), number(p.done), percent(p.percent_done), money(p.budget_planned),
                 money(p.budget_executed), percent(p.percent_executed), money(p.in_kind)]], numeric=set(range(7)))
        if p.indicators:
            _table(doc, [_("Indicator"), _("Scope"), _("Target"), _("Actual"), _("Achieved")],
                   [[f"{i.code} · {i.name}" + (f" ({i.unit})" if i.unit else ""), i.scope, number(i.target),
                     number(i.actual), percent(i.percent)] for i in p.indicators],
                   numeric={2, 3, 4}, widths=[7, 3.2, 2, 2, 2])

    doc.add_heading("4. " + _("Planned versus executed, per programme"), level=1)
    _table(
        doc, [_("Programme"), _("Activities scheduled"), _("Carried out"), "%", _("Planned budget"), _("Executed budget"), "%", _("In kind")],
        [[f"{p.code} · {p.name}", number(p.activities), number(p.done), percent(p.percent_done), money(p.budget_planned),
          money(p.budget_executed), percent(p.percent_executed), money(p.in_kind)] for p in report.programmes],
        footer=[_("Total"), number(t.activities), number(t.done), percent(t.percent_done), money(t.budget_planned),
                money(t.budget_executed), percent(t.percent_executed), money(t.in_kind)],
        numeric=set(range(1, 8)),
    )
    for c in charts:
        if c.key == "budget":
            _picture(doc, c.png, c.title)

    doc.add_heading("5. " + _("Coverage per parish"), level=1)
    doc.add_paragraph(_("Preventive trainings held in the year and the distinct people who attended them, by the parish each training was for."))
    _table(doc, [_("Parish"), _("Type"), _("Trainings"), _("People trained"), _("Women"), _("Parish presidents")],
           [[r.name, r.kind, number(r.trainings), number(r.people), number(r.women), number(r.presidents)] for r in report.parishes],
           numeric={2, 3, 4, 5})
    for c in charts:
        if c.key != "budget":
            _picture(doc, c.png, c.title)

    if report.surveillance:
        doc.add_heading(_("The video-surveillance network"), level=2)
        _table(doc, [_("Figure"), _("Value")], [list(r) for r in report.surveillance.rows], numeric={1})

    doc.add_heading("6. " + _("Partners and their contributions"), level=1)
    _table(doc, [_("Institution"), _("Type"), _("Role"), _("Activities"), _("In kind"), _("What was contributed")],
           [[r.name, r.kind, "; ".join(r.roles), number(r.activities), money(r.in_kind), "; ".join(r.contributions)]
            for r in report.partners] or [[_("None recorded."), "", "", "", "", ""]],
           numeric={3, 4})

    doc.add_heading("7. " + _("Agreements"), level=1)
    if not report.agreements:
        doc.add_paragraph(_("No agreements in force this year."))
    for a in report.agreements:
        doc.add_heading(f"{a.code} · {a.title}", level=2)
        counterpart, signed_on, valid_until = _("Counterpart"), _("Signed on"), _("valid until")
        line = f"{counterpart}: {a.counterpart} · {signed_on} {day(a.signed_on)}"
        if a.valid_until:
            line += f" · {valid_until} {day(a.valid_until)}"
        doc.add_paragraph(line)
        doc.add_paragraph(a.purpose)
        _table(doc, [_("Party"), _("Obligation"), _("Fulfilled by")],
               [[o.party, o.description, "; ".join(o.fulfilled_by) or "—"] for o in a.obligations], widths=[3, 7, 6])

    doc.add_heading("8. " + _("Council sessions"), level=1)
    if not report.sessions:
        doc.add_paragraph(_("No council sessions recorded this year."))
    for s in report.sessions:
        session, place, agenda, attending = _("Session"), _("Place"), _("Agenda"), _("Attending")
        doc.add_heading(f"{session} {s.title} · {day(s.held_at)}", level=2)
        if s.place:
            doc.add_paragraph(f"{place}: {s.place}")
        doc.add_paragraph(f"{agenda}: {s.agenda}")
        if s.present:
            doc.add_paragraph(f"{attending}: {join(s.present)}")
        if s.resolutions:
            _table(doc, [_("No."), _("Resolution"), _("Responsible"), _("Status")],
                   [[r.number, r.text, r.owner, r.status + (f" ({short_day(r.done_on)})" if r.done_on else "")]
                    for r in s.resolutions], widths=[2.6, 8, 3.4, 2.6])

    if report.photos:
        doc.add_heading("9. " + _("Photographic record"), level=1)
        for ph in report.photos:
            _picture(doc, ph.data, f"{ph.title}. {ph.caption}", width_cm=11)

    foot = doc.add_paragraph(_("Generated by Centinela on %(when)s from the council's records.") % {"when": day(report.generated_at)})
    foot.runs[0].italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
