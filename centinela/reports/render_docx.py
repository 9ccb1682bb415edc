"""The report as a Word document (python-docx), chapter for chapter as the web version: a cover, a table of contents
(a Word field, filled in when the document is opened), the chapters, and a footer with the slogan and page number."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from centinela.reports import tables
from centinela.reports.formatting import day, join
from centinela.reports.selectors import AnnualReport

NAVY = RGBColor(0x15, 0x43, 0x60)


def _shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_fill)
    props.append(shading)


def _table(doc, t: tables.TableRows, *, widths=None):
    """One of the report's tables (reports.tables) laid out: header shaded and bold, numbers to the right."""
    header, rows, numeric, footer = t.header, t.rows, t.numeric, t.footer
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


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC ...): Word computes it when the document opens (updateFields below)."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            if not text:
                continue
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.append(el)


def _footer(doc, report: AnnualReport) -> None:
    """Every page after the cover: institution, slogan and page number (the header stays free for notices)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.text = ""
    p.add_run(f"{report.institution} · {report.title}" + (f" · «{report.slogan}»" if report.slogan else "") + " · ")
    p.add_run(_("Page") + " ")
    _field(p, "PAGE", "1")
    for run in p.runs:
        run.font.size = Pt(8)


def _chapter(doc, n, title: str) -> None:
    doc.add_heading(f"{n}. {title}", level=1)


def _bullets(doc, items) -> None:
    for item in items:
        doc.add_paragraph(str(item), style="List Bullet")


def signature_block(doc, report: AnnualReport) -> None:
    """The end of the report, after the last chapter: the place of the approval and signatures."""


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
    _footer(doc, report)
    _update_fields_on_open(doc)
    if report.demo_notice:  # in the section's headers: on every page, the cover (its own header) included
        for header in (section.header, section.first_page_header):
            header.paragraphs[0].add_run(report.demo_notice).bold = True

    # cover
    head = doc.add_paragraph()
    run = head.add_run(report.institution.upper())
    run.bold, run.font.color.rgb = True, NAVY
    doc.add_heading(report.title, level=0)
    period = _("Period: January to December %(year)s") % {"year": report.year}
    doc.add_paragraph(period + (" · " + join(report.plans) if report.plans else ""))
    if report.slogan:
        slogan = doc.add_paragraph()
        slogan.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = slogan.add_run(f"«{report.slogan}»")
        run.bold, run.italic, run.font.size, run.font.color.rgb = True, True, Pt(16), NAVY
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # contents
    doc.add_heading(_("Contents"), level=1)
    _field(
        doc.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        _("The table of contents appears when the word processor updates the document's fields (F9)."),
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    t = report.totals
    _chapter(doc, 1, _("Presentation"))
    doc.add_heading(_("Institutional purpose"), level=3)
    doc.add_paragraph(report.purpose or _("No institutional purpose recorded in the plan."))
    doc.add_heading(_("The year in figures"), level=3)
    doc.add_paragraph(report.summary)
    _table(doc, tables.year_in_figures(report))

    _chapter(doc, 2, _("Legal basis and competences"))
    doc.add_paragraph(
        _(
            "The council renders account of its year under these norms; its competences are those the municipal "
            "government gives it under COOTAD article 54, letter n, and its creating ordinance."
        )
    )
    _bullets(doc, report.legal_basis)
    if report.council_legal_basis_missing:
        note = doc.add_paragraph(
            _(
                "The municipal ordinance that creates the council is not recorded in Centinela: the council adds "
                "it in the field “legal basis of the council” of its plan."
            )
        )
        note.runs[0].italic = True

    _chapter(doc, 3, _("Objectives"))
    if report.objectives:
        doc.add_heading(_("Objectives of the plan"), level=3)
        for line in report.objectives:
            doc.add_paragraph(line)
    else:
        doc.add_paragraph(_("No objectives recorded in the plan."))

    _chapter(doc, 4, _("Fulfilment of the annual plan"))
    if not report.programmes:
        doc.add_paragraph(_("No cantonal plan was recorded for this year."))
    for n, p in enumerate(report.programmes, 1):
        doc.add_heading(f"4.{n}. {p.code} · {p.name}", level=2)
        meta = doc.add_paragraph(p.kind)
        meta.runs[0].italic = True
        if p.objective:
            para = doc.add_paragraph()
            para.add_run(_("Objective") + ": ").bold = True
            para.add_run(p.objective)
        for paragraph in p.narrative:
            doc.add_paragraph(paragraph)
        _table(doc, tables.programme_execution(p))
        if p.indicators:
            _table(doc, tables.programme_indicators(p), widths=[7, 3.2, 2, 2, 2])
    if report.surveillance:
        doc.add_heading(f"4.{len(report.programmes) + 1}. " + _("The video-surveillance network"), level=2)
        _table(doc, tables.surveillance(report))

    _chapter(doc, 5, _("Budget and its execution"))
    if t.budget_planned or t.budget_executed:
        doc.add_paragraph(
            _(
                "The budget planned and executed is the sum of the activities of the plan, as recorded in Centinela; "
                "the partners' in-kind contributions are valued apart and are not part of the council's budget."
            )
        )
        _table(doc, tables.budget(report))
        for c in charts:
            if c.key == "budget":
                _picture(doc, c.png, c.title)
    else:
        doc.add_paragraph(
            _("No budget was recorded for the activities of the plan this year, so none can be reported.")
        )

    _chapter(doc, 6, _("Citizen participation"))
    doc.add_heading("6.1. " + _("Coverage per parish"), level=2)
    doc.add_paragraph(
        _(
            "Preventive trainings held in the year and the distinct people they trained, by the parish each "
            "training was for (those who came with the speakers to inform are not counted)."
        )
    )
    _table(doc, tables.parishes(report))
    for c in charts:
        if c.key != "budget":
            _picture(doc, c.png, c.title)
    n = 2
    if report.participation:
        doc.add_heading(f"6.{n}. " + _("Citizen reports"), level=2)
        n += 1
        _table(doc, tables.citizen_reports(report))
        _table(doc, tables.report_categories(report))
    doc.add_heading(f"6.{n}. " + _("Council sessions"), level=2)
    if not report.sessions:
        doc.add_paragraph(_("No council sessions recorded this year."))
    for s in report.sessions:
        session, place, agenda, attending = _("Session"), _("Place"), _("Agenda"), _("Attending")
        doc.add_heading(f"{session} {s.title} · {day(s.held_at)}", level=3)
        if s.place:
            doc.add_paragraph(f"{place}: {s.place}")
        doc.add_paragraph(f"{agenda}: {s.agenda}")
        if s.present:
            doc.add_paragraph(f"{attending}: {join(s.present)}")
        if s.resolutions:
            _table(doc, tables.resolutions(s), widths=[2.6, 8, 3.4, 2.6])

    _chapter(doc, 7, _("Agreements and partners"))
    if not report.agreements:
        doc.add_paragraph(_("No agreements in force this year."))
    for n, a in enumerate(report.agreements, 1):
        doc.add_heading(f"7.{n}. {a.code} · {a.title}", level=2)
        counterpart, signed_on, valid_until = _("Counterpart"), _("Signed on"), _("valid until")
        line = f"{counterpart}: {a.counterpart} · {signed_on} {day(a.signed_on)}"
        if a.valid_until:
            line += f" · {valid_until} {day(a.valid_until)}"
        doc.add_paragraph(line)
        doc.add_paragraph(a.purpose)
        _table(doc, tables.obligations(a), widths=[3, 7, 6])
    doc.add_heading(f"7.{len(report.agreements) + 1}. " + _("Partners and their contributions"), level=2)
    _table(doc, tables.partners(report))

    _chapter(doc, 8, _("Difficulties"))
    _bullets(doc, report.difficulties)

    _chapter(doc, 9, _("Conclusions and challenges for the next year"))
    doc.add_heading(_("Conclusions"), level=3)
    _bullets(doc, report.conclusions)
    doc.add_heading(_("Challenges for %(year)s") % {"year": report.year + 1}, level=3)
    _bullets(doc, report.challenges)

    if report.photos:
        doc.add_heading(_("Annex. Photographic record"), level=1)
        for ph in report.photos:
            _picture(doc, ph.data, f"{ph.title}. {ph.caption}", width_cm=11)

    signature_block(doc, report)
    foot = doc.add_paragraph(
        _("Generated by Centinela on %(when)s from the council's records.") % {"when": day(report.generated_at)}
    )
    foot.runs[0].italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
