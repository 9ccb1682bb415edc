"""The report as a PDF (reportlab platypus), chapter for chapter as the web version: a cover, a table of contents,
then the chapters of the CPCCS accountability format, every page after the cover numbered and carrying the slogan.

Standard Helvetica (WinAnsi) covers Spanish, so no font is embedded and the text stays searchable and extractable.
Layout rules the tests check (test_report_layout): no word is ever split (no hyphenation, splitLongWords off), a
heading is kept with what follows it, and a chapter starts on a new page only when little room is left.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from centinela.reports import tables
from centinela.reports.formatting import day, join
from centinela.reports.selectors import AnnualReport

NAVY = colors.HexColor("#154360")
PALE = colors.HexColor("#ebf5fb")
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.2 * cm, 2 * cm, 2.2 * cm
WIDTH = A4[0] - 2 * MARGIN_X
CHAPTER_ROOM = 7 * cm  # a chapter heading with less room than this below it starts the next page
SECTION_ROOM = 4 * cm


def _styles():
    base = getSampleStyleSheet()
    s = {
        "body": ParagraphStyle(
            "body", parent=base["BodyText"], fontName="Helvetica", fontSize=9.5, leading=13, spaceAfter=5
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base["Heading1"],
            fontName="Helvetica-Bold",
            fontSize=15,
            textColor=NAVY,
            spaceBefore=10,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=11.5,
            textColor=NAVY,
            spaceBefore=8,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName="Helvetica-Bold",
            fontSize=10,
            textColor=NAVY,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "slogan": ParagraphStyle(
            "slogan",
            parent=base["BodyText"],
            fontName="Helvetica-BoldOblique",
            fontSize=16,
            leading=22,
            alignment=TA_CENTER,
            textColor=NAVY,
        ),
        "toc_title": ParagraphStyle(
            "toc_title", parent=base["Heading1"], fontName="Helvetica-Bold", fontSize=15, textColor=NAVY
        ),
        "bullet": ParagraphStyle(
            "bullet",
            parent=base["BodyText"],
            fontName="Helvetica",
            fontSize=9.5,
            leading=13,
            spaceAfter=4,
            leftIndent=12,
            bulletIndent=2,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName="Helvetica-Bold",
            fontSize=24,
            leading=30,
            textColor=NAVY,
            spaceAfter=14,
        ),
        "cover": ParagraphStyle(
            "cover", parent=base["BodyText"], fontName="Helvetica", fontSize=12, alignment=TA_CENTER, leading=16
        ),
        "meta": ParagraphStyle(
            "meta",
            parent=base["BodyText"],
            fontName="Helvetica-Oblique",
            fontSize=8.5,
            textColor=colors.HexColor("#566573"),
        ),
        "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10),
        "num": ParagraphStyle("num", fontName="Helvetica", fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=10),
        "caption": ParagraphStyle("caption", fontName="Helvetica-Oblique", fontSize=8, leading=10, alignment=TA_CENTER),
    }
    for style in s.values():  # no word is ever split across lines: no hyphenation, long words not broken
        style.splitLongWords = 0
        style.hyphenationLang = ""
        style.embeddedHyphenation = 0
    return s


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(s, t: tables.TableRows, *, widths=None):
    """One of the report's tables (reports.tables) laid out: header shaded, numbers to the right, a shaded footer."""
    data = [[_p(h, s["head"]) for h in t.header]]
    for values in t.rows + ([t.footer] if t.footer else []):
        data.append([_p(v, s["num"] if i in t.numeric else s["cell"]) for i, v in enumerate(values)])
    if widths:
        widths = [w * WIDTH / sum(widths) for w in widths]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#aab7b8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if t.footer:
        style.append(("BACKGROUND", (0, -1), (-1, -1), PALE))
    table.setStyle(TableStyle(style))
    return [table, Spacer(1, 8)]


def _image(png: bytes, width_px: int, height_px: int, caption: str, s, max_width=WIDTH):
    width = min(max_width, WIDTH)
    return [
        KeepTogether(
            [Image(io.BytesIO(png), width=width, height=width * height_px / width_px), _p(caption, s["caption"])]
        ),
        Spacer(1, 8),
    ]


class _Heading(Paragraph):
    """A chapter or section heading: it feeds the table of contents and the PDF's bookmarks."""

    def __init__(self, text, style, level: int, key: str):
        super().__init__(escape(text), style)
        self.toc_level, self.toc_text, self.toc_key = level, text, key


class _ReportDoc(BaseDocTemplate):
    def __init__(self, out, report: AnnualReport, **kwargs):
        super().__init__(out, **kwargs)
        self.report = report
        self.total_pages = 0  # from the previous pass of multiBuild: "page n of m"
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, A4[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frame], onPage=self._body_page),
            ]
        )

    def afterFlowable(self, flowable):
        if isinstance(flowable, _Heading):
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_text, self.page, flowable.toc_key))
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(flowable.toc_text, flowable.toc_key, level=flowable.toc_level)

    def build(self, flowables, **kwargs):
        super().build(flowables, **kwargs)
        self.total_pages = self.page  # multiBuild builds twice at least: the last pass prints the right total

    # Page furniture: a header band (the demo-data notice, on every page of a report that includes such data) and
    # the footer with the institution, the slogan and the page number.
    def _cover_page(self, canvas, doc):
        self.page_header(canvas, doc)

    def _body_page(self, canvas, doc):
        self.page_header(canvas, doc)
        self.page_footer(canvas, doc)

    def page_header(self, canvas, doc):
        demo_notice(canvas, self.report)

    def page_footer(self, canvas, doc):
        report = self.report
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#aab7b8"))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, 1.55 * cm, A4[0] - MARGIN_X, 1.55 * cm)
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#707b7c"))
        canvas.drawString(MARGIN_X, 1.15 * cm, f"{report.institution} · {report.title}")
        if report.slogan:
            canvas.setFont("Helvetica-Oblique", 7.5)
            canvas.drawCentredString(A4[0] / 2, 0.8 * cm, f"«{report.slogan}»")
            canvas.setFont("Helvetica", 7.5)
        label = (
            _("Page %(n)s of %(total)s") % {"n": doc.page, "total": self.total_pages}
            if self.total_pages
            else _("Page %(n)s") % {"n": doc.page}
        )
        canvas.drawRightString(A4[0] - MARGIN_X, 1.15 * cm, label)
        canvas.restoreState()


def _chapter(n, title: str, s) -> list:
    return [CondPageBreak(CHAPTER_ROOM), _Heading(f"{n}. {title}", s["h1"], 0, f"cap-{n}")]


def _section(number: str, title: str, s) -> list:
    return [CondPageBreak(SECTION_ROOM), _Heading(f"{number}. {title}", s["h2"], 1, f"sec-{number}")]


def _bullets(items, s) -> list:
    return [Paragraph(escape(str(item)), s["bullet"], bulletText="•") for item in items]


def render(report: AnnualReport, charts, *, compress: bool = True) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = _ReportDoc(
        out,
        report,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=report.title,
        author=report.institution,
        subject=report.canton,
        creator="Centinela",
        pageCompression=1 if compress else 0,
        invariant=1,
        lang="es-EC",
    )
    story = _cover(report, s) + _contents(s)
    story += _presentation(report, s)
    story += _legal_basis(report, s)
    story += _objectives(report, s)
    story += _plan_fulfilment(report, s)
    story += _budget(report, charts, s)
    story += _participation(report, charts, s)
    story += _agreements(report, s)
    story += _chapter(8, _("Difficulties"), s) + _bullets(report.difficulties, s)
    story += _chapter(9, _("Conclusions and challenges for the next year"), s)
    story += [_p(_("Conclusions"), s["h3"])] + _bullets(report.conclusions, s)
    story += [_p(_("Challenges for %(year)s") % {"year": report.year + 1}, s["h3"])] + _bullets(report.challenges, s)
    if report.photos:
        story += _photos(report, s)
    story += signature_block(report, s)
    story.append(Spacer(1, 6))
    story.append(
        _p(
            _("Generated by Centinela on %(when)s from the council's records.") % {"when": day(report.generated_at)},
            s["meta"],
        )
    )
    doc.multiBuild(story)
    return out.getvalue()


def _cover(report: AnnualReport, s) -> list:
    story = [
        Spacer(1, 4.5 * cm),
        _p(report.institution.upper(), s["cover"]),
        Spacer(1, 0.8 * cm),
        _p(report.title, s["title"]),
        _p(_("Period: January to December %(year)s") % {"year": report.year}, s["cover"]),
    ]
    if report.plans:
        story.append(_p(join(report.plans), s["cover"]))
    if report.canton:
        story.append(_p(_("Canton %(canton)s") % {"canton": report.canton}, s["cover"]))
    if report.slogan:
        story += [Spacer(1, 3 * cm), _p(f"«{report.slogan}»", s["slogan"])]
    return story + [NextPageTemplate("body"), PageBreak()]


def _contents(s) -> list:
    toc = TableOfContents()
    toc.levelStyles = [
        ParagraphStyle("toc0", fontName="Helvetica-Bold", fontSize=10.5, leading=15, leftIndent=0, spaceBefore=4),
        ParagraphStyle("toc1", fontName="Helvetica", fontSize=9, leading=12, leftIndent=14),
    ]
    for style in toc.levelStyles:
        style.splitLongWords = 0
    toc.dotsMinLevel = 0
    return [_p(_("Contents"), s["toc_title"]), toc, PageBreak()]


def _presentation(report: AnnualReport, s) -> list:
    story = _chapter(1, _("Presentation"), s)
    story.append(_p(_("Institutional purpose"), s["h3"]))
    story.append(_p(report.purpose or _("No institutional purpose recorded in the plan."), s["body"]))
    story += [_p(_("The year in figures"), s["h3"]), _p(report.summary, s["body"])]
    story += _table(s, tables.year_in_figures(report), widths=[3, 2])
    return story


def _legal_basis(report: AnnualReport, s) -> list:
    story = _chapter(2, _("Legal basis and competences"), s)
    story.append(
        _p(
            _(
                "The council renders account of its year under these norms; its competences are those the municipal "
                "government gives it under COOTAD article 54, letter n, and its creating ordinance."
            ),
            s["body"],
        )
    )
    story += _bullets(report.legal_basis, s)
    if report.council_legal_basis_missing:
        story.append(
            _p(
                _(
                    "The municipal ordinance that creates the council is not recorded in Centinela: the council adds "
                    "it in the field “legal basis of the council” of its plan."
                ),
                s["meta"],
            )
        )
    return story


def _objectives(report: AnnualReport, s) -> list:
    story = _chapter(3, _("Objectives"), s)
    if report.objectives:
        story.append(_p(_("Objectives of the plan"), s["h3"]))
        story += [_p(o, s["body"]) for o in report.objectives]
    else:
        story.append(_p(_("No objectives recorded in the plan."), s["body"]))
    return story


def _plan_fulfilment(report: AnnualReport, s) -> list:
    story = _chapter(4, _("Fulfilment of the annual plan"), s)
    if not report.programmes:
        story.append(_p(_("No cantonal plan was recorded for this year."), s["body"]))
    for n, p in enumerate(report.programmes, 1):
        story += _section(f"4.{n}", f"{p.code} · {p.name}", s)
        story.append(_p(p.kind, s["meta"]))
        if p.objective:
            objective = _("Objective")
            story.append(Paragraph(f"<b>{escape(objective)}:</b> {escape(p.objective)}", s["body"]))
        story += [_p(paragraph, s["body"]) for paragraph in p.narrative]
        story += _table(s, tables.programme_execution(p), widths=[1.9, 1.6, 1.1, 2.4, 2.4, 1.1, 2.3])
        if p.indicators:
            story += _table(s, tables.programme_indicators(p), widths=[7, 3, 2, 2, 2])
    if report.surveillance:
        story += _section(f"4.{len(report.programmes) + 1}", _("The video-surveillance network"), s)
        story += _table(s, tables.surveillance(report))
    return story


def _budget(report: AnnualReport, charts, s) -> list:
    t = report.totals
    story = _chapter(5, _("Budget and its execution"), s)
    if not t.budget_planned and not t.budget_executed:
        story.append(
            _p(
                _("No budget was recorded for the activities of the plan this year, so none can be reported."),
                s["body"],
            )
        )
        return story
    story.append(
        _p(
            _(
                "The budget planned and executed is the sum of the activities of the plan, as recorded in Centinela; "
                "the partners' in-kind contributions are valued apart and are not part of the council's budget."
            ),
            s["body"],
        )
    )
    story += _table(s, tables.budget(report), widths=[3.3, 2.3, 2.0, 1.1, 2.4, 2.4, 1.1, 2.0])
    for c in charts:
        if c.key == "budget":
            story += _image(c.png, c.width_px, c.height_px, c.title, s)
    return story


def _participation(report: AnnualReport, charts, s) -> list:
    story = _chapter(6, _("Citizen participation"), s)
    story += _section("6.1", _("Coverage per parish"), s)
    story.append(
        _p(
            _(
                "Preventive trainings held in the year and the distinct people they trained, by the parish each "
                "training was for (those who came with the speakers to inform are not counted)."
            ),
            s["body"],
        )
    )
    story += _table(s, tables.parishes(report))
    for c in charts:
        if c.key != "budget":
            story += _image(c.png, c.width_px, c.height_px, c.title, s)
    n = 2
    if report.participation:
        story += _section(f"6.{n}", _("Citizen reports"), s)
        n += 1
        story += _table(s, tables.citizen_reports(report))
        story += _table(s, tables.report_categories(report))
    story += _section(f"6.{n}", _("Council sessions"), s)
    if not report.sessions:
        story.append(_p(_("No council sessions recorded this year."), s["body"]))
    for sess in report.sessions:
        session, place, agenda, attending = _("Session"), _("Place"), _("Agenda"), _("Attending")
        story.append(_p(f"{session} {sess.title} · {day(sess.held_at)}", s["h3"]))
        if sess.place:
            story.append(_p(f"{place}: {sess.place}", s["body"]))
        story.append(_p(f"{agenda}: {sess.agenda}", s["body"]))
        if sess.present:
            story.append(_p(f"{attending}: {join(sess.present)}", s["body"]))
        if sess.resolutions:
            story += _table(s, tables.resolutions(sess), widths=[2.4, 7.5, 3.2, 2.4])
    return story


def _agreements(report: AnnualReport, s) -> list:
    story = _chapter(7, _("Agreements and partners"), s)
    if not report.agreements:
        story.append(_p(_("No agreements in force this year."), s["body"]))
    for n, a in enumerate(report.agreements, 1):
        counterpart, signed_on, valid_until = _("Counterpart"), _("Signed on"), _("valid until")
        line = f"{counterpart}: {a.counterpart} · {signed_on} {day(a.signed_on)}"
        if a.valid_until:
            line += f" · {valid_until} {day(a.valid_until)}"
        story += _section(f"7.{n}", f"{a.code} · {a.title}", s)
        story += [_p(line, s["body"]), _p(a.purpose, s["body"])]
        story += _table(s, tables.obligations(a), widths=[2.5, 6, 6])
    story += _section(f"7.{len(report.agreements) + 1}", _("Partners and their contributions"), s)
    story += _table(s, tables.partners(report), widths=[3.2, 2.4, 2.7, 1.9, 2.2, 3.6])
    return story


def _photos(report: AnnualReport, s) -> list:
    from PIL import Image as PILImage

    story = [CondPageBreak(CHAPTER_ROOM), _Heading(_("Annex. Photographic record"), s["h1"], 0, "anexo-fotos")]
    for ph in report.photos:
        w, h = PILImage.open(io.BytesIO(ph.data)).size
        story += _image(ph.data, w, h, f"{ph.title}. {ph.caption}", s, max_width=11 * cm)
    return story


# --- the approval's marks (reports.services): a demo notice on every page, the director's signature at the end ------


def demo_notice(canvas, report: AnnualReport) -> None:
    """On every page of a report that includes demo or synthetic data, at its top: it is not an official report."""
    if not report.demo_notice:
        return
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#b03a2e"))
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 1.1 * cm, report.demo_notice)
    canvas.restoreState()


def signature_block(report: AnnualReport, s) -> list:
    """The approval of a frozen version: who approved it, in what role, and when."""
    sig = report.signature
    if sig is None:
        return []
    rows = [
        [_p(_("Approved by"), s["head"]), _p(sig.name, s["cell"])],
        [_p(_("Role"), s["head"]), _p(sig.role, s["cell"])],
        [_p(_("Date of approval"), s["head"]), _p(day(sig.signed_at), s["cell"])],
    ]
    table = Table([["", ""], *rows], colWidths=[4 * cm, 8 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEABOVE", (1, 1), (1, 1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Spacer(1, 1 * cm),
        KeepTogether([_p(_("Approval"), s["h2"]), Spacer(1, 1.2 * cm), table]),
    ]
