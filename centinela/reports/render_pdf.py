"""The report as a PDF (reportlab platypus), section for section as the web version.

Standard Helvetica (WinAnsi) covers Spanish, so no font is embedded and the text stays searchable and extractable.
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
    Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from centinela.reports.formatting import day, join, money, number, percent, short_day
from centinela.reports.selectors import AnnualReport

NAVY = colors.HexColor("#154360")
PALE = colors.HexColor("#ebf5fb")
WIDTH = A4[0] - 4.4 * cm


def _styles():
    base = getSampleStyleSheet()
    s = {
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=9.5, leading=13, spaceAfter=5),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName="Helvetica-Bold", fontSize=15, textColor=NAVY, spaceBefore=10),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=11.5, textColor=NAVY, spaceBefore=8),
        "title": ParagraphStyle("title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=24, leading=30, textColor=NAVY),
        "cover": ParagraphStyle("cover", parent=base["BodyText"], fontName="Helvetica", fontSize=12, alignment=TA_CENTER, leading=16),
        "meta": ParagraphStyle("meta", parent=base["BodyText"], fontName="Helvetica-Oblique", fontSize=8.5, textColor=colors.HexColor("#566573")),
        "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10),
        "num": ParagraphStyle("num", fontName="Helvetica", fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=10),
        "caption": ParagraphStyle("caption", fontName="Helvetica-Oblique", fontSize=8, leading=10, alignment=TA_CENTER),
    }
    return s


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(s, header, rows, *, numeric=frozenset(), widths=None, footer=None):
    data = [[_p(h, s["head"]) for h in header]]
    for values in rows + ([footer] if footer else []):
        data.append([_p(v, s["num"] if i in numeric else s["cell"]) for i, v in enumerate(values)])
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
    if footer:
        style.append(("BACKGROUND", (0, -1), (-1, -1), PALE))
    table.setStyle(TableStyle(style))
    return [table, Spacer(1, 8)]


def _image(png: bytes, width_px: int, height_px: int, caption: str, s, max_width=WIDTH):
    width = min(max_width, WIDTH)
    return [KeepTogether([Image(io.BytesIO(png), width=width, height=width * height_px / width_px), _p(caption, s["caption"])]),
            Spacer(1, 8)]


def render(report: AnnualReport, charts, *, compress: bool = True) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=report.title, author=report.institution, subject=report.canton, creator="Centinela",
        pageCompression=1 if compress else 0, invariant=1, lang="es-EC",
    )
    footer_text = f"{report.institution} · {report.title}"

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#707b7c"))
        canvas.drawString(2.2 * cm, 1.2 * cm, footer_text)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.2 * cm, _("Page %(n)s") % {"n": document.page})
        canvas.restoreState()

    story = [
        Spacer(1, 5 * cm),
        _p(report.institution.upper(), s["cover"]),
        Spacer(1, 0.8 * cm),
        _p(report.title, s["title"]),
        _p(_("Period: January to December %(year)s") % {"year": report.year}, s["cover"]),
    ]
    if report.plans:
        story.append(_p(join(report.plans), s["cover"]))
    story.append(PageBreak())

    story += [_p("1. " + _("Institutional purpose"), s["h1"]),
              _p(report.purpose or _("No institutional purpose recorded in the plan."), s["body"])]
    if report.objectives:
        story.append(_p(_("Objectives of the plan"), s["h2"]))
        story += [_p(o, s["body"]) for o in report.objectives]

    t = report.totals
    story += [_p("2. " + _("The year in figures"), s["h1"]), _p(report.summary, s["body"])]
    story += _table(s, [_("Figure"), _("Value")], [
        [_("Activities scheduled"), number(t.activities)],
        [_("Activities done"), f"{number(t.done)} ({percent(t.percent_done)})"],
        [_("Planned budget"), money(t.budget_planned)],
        [_("Executed budget"), f"{money(t.budget_executed)} ({percent(t.percent_executed)})"],
        [_("In-kind contributions of partners"), money(t.in_kind)],
        [_("Trainings held"), number(t.trainings)],
        [_("People trained"), number(t.people_trained)],
    ], numeric={1}, widths=[3, 2])

    story.append(_p("3. " + _("Programmes"), s["h1"]))
    if not report.programmes:
        story.append(_p(_("No cantonal plan was recorded for this year."), s["body"]))
    for n, p in enumerate(report.programmes, 1):
        story += [_p(f"3.{n}. {p.code} · {p.name}", s["h2"]), _p(p.kind, s["meta"])]
        if p.objective:
            objective = _("Objective")
            story.append(Paragraph(f"<b>{escape(objective)}:</b> {escape(p.objective)}", s["body"]))
        story += [_p(paragraph, s["body"]) for paragraph in p.narrative]
        story += _table(s, [_("Activities scheduled"), _("Carried out"), "%", _("Planned budget"), _("Executed budget"), "%", _("In kind")],
                        [[number(p.activities), number(p.done), percent(p.percent_done), money(p.budget_planned),
                          money(p.budget_executed), percent(p.percent_executed), money(p.in_kind)]], numeric=set(range(7)),
                        widths=[1.9, 1.6, 1.1, 2.4, 2.4, 1.1, 2.3])
        if p.indicators:
            story += _table(s, [_("Indicator"), _("Scope"), _("Target"), _("Actual"), _("Achieved")],
                            [[f"{i.code} · {i.name}" + (f" ({i.unit})" if i.unit else ""), i.scope, number(i.target),
                              number(i.actual), percent(i.percent)] for i in p.indicators],
                            numeric={2, 3, 4}, widths=[7, 3, 2, 2, 2])

    story.append(_p("4. " + _("Planned versus executed, per programme"), s["h1"]))
    story += _table(
        s, [_("Programme"), _("Activities scheduled"), _("Carried out"), "%", _("Planned budget"), _("Executed budget"), "%", _("In kind")],
        [[f"{p.code} · {p.name}", number(p.activities), number(p.done), percent(p.percent_done), money(p.budget_planned),
          money(p.budget_executed), percent(p.percent_executed), money(p.in_kind)] for p in report.programmes],
        footer=[_("Total"), number(t.activities), number(t.done), percent(t.percent_done), money(t.budget_planned),
                money(t.budget_executed), percent(t.percent_executed), money(t.in_kind)],
        numeric=set(range(1, 8)), widths=[3.9, 1.8, 1.6, 1.1, 2.4, 2.4, 1.1, 2.3],
    )
    for c in charts:
        if c.key == "budget":
            story += _image(c.png, c.width_px, c.height_px, c.title, s)

    story += [_p("5. " + _("Coverage per parish"), s["h1"]),
              _p(_("Preventive trainings held in the year and the distinct people who attended them, by the parish each training was for."), s["body"])]
    story += _table(s, [_("Parish"), _("Type"), _("Trainings"), _("People trained"), _("Women"), _("Parish presidents")],
                    [[r.name, r.kind, number(r.trainings), number(r.people), number(r.women), number(r.presidents)] for r in report.parishes],
                    numeric={2, 3, 4, 5})
    for c in charts:
        if c.key != "budget":
            story += _image(c.png, c.width_px, c.height_px, c.title, s)

    if report.surveillance:
        story.append(_p(_("The video-surveillance network"), s["h2"]))
        story += _table(s, [_("Figure"), _("Value")], [list(r) for r in report.surveillance.rows], numeric={1})

    story.append(_p("6. " + _("Partners and their contributions"), s["h1"]))
    story += _table(s, [_("Institution"), _("Type"), _("Role"), _("Activities"), _("In kind"), _("What was contributed")],
                    [[r.name, r.kind, "; ".join(r.roles), number(r.activities), money(r.in_kind), "; ".join(r.contributions)]
                     for r in report.partners] or [[_("None recorded."), "", "", "", "", ""]],
                    numeric={3, 4}, widths=[3.2, 1.7, 2.7, 1.9, 2.2, 3.9])

    story.append(_p("7. " + _("Agreements"), s["h1"]))
    if not report.agreements:
        story.append(_p(_("No agreements in force this year."), s["body"]))
    for a in report.agreements:
        counterpart, signed_on, valid_until = _("Counterpart"), _("Signed on"), _("valid until")
        line = f"{counterpart}: {a.counterpart} · {signed_on} {day(a.signed_on)}"
        if a.valid_until:
            line += f" · {valid_until} {day(a.valid_until)}"
        story += [_p(f"{a.code} · {a.title}", s["h2"]), _p(line, s["body"]), _p(a.purpose, s["body"])]
        story += _table(s, [_("Party"), _("Obligation"), _("Fulfilled by")],
                        [[o.party, o.description, "; ".join(o.fulfilled_by) or "—"] for o in a.obligations], widths=[2.5, 6, 6])

    story.append(_p("8. " + _("Council sessions"), s["h1"]))
    if not report.sessions:
        story.append(_p(_("No council sessions recorded this year."), s["body"]))
    for sess in report.sessions:
        session, place, agenda, attending = _("Session"), _("Place"), _("Agenda"), _("Attending")
        story.append(_p(f"{session} {sess.title} · {day(sess.held_at)}", s["h2"]))
        if sess.place:
            story.append(_p(f"{place}: {sess.place}", s["body"]))
        story.append(_p(f"{agenda}: {sess.agenda}", s["body"]))
        if sess.present:
            story.append(_p(f"{attending}: {join(sess.present)}", s["body"]))
        if sess.resolutions:
            story += _table(s, [_("No."), _("Resolution"), _("Responsible"), _("Status")],
                            [[r.number, r.text, r.owner, r.status + (f" ({short_day(r.done_on)})" if r.done_on else "")]
                             for r in sess.resolutions], widths=[2.4, 7.5, 3.2, 2.4])

    if report.photos:
        story.append(_p("9. " + _("Photographic record"), s["h1"]))
        from PIL import Image as PILImage

        for ph in report.photos:
            w, h = PILImage.open(io.BytesIO(ph.data)).size
            story += _image(ph.data, w, h, f"{ph.title}. {ph.caption}", s, max_width=11 * cm)

    story.append(_p(_("Generated by Centinela on %(when)s from the council's records.") % {"when": day(report.generated_at)}, s["meta"]))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
