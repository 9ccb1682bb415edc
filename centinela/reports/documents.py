"""Building the yearly report in one of its formats: the one entry point for the page and the command."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from centinela.reports import charts, render_docx, render_html, render_pdf, selectors

FORMATS = {
    "html": ("text/html; charset=utf-8", render_html.render),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx.render),
    "pdf": ("application/pdf", render_pdf.render),
}


@dataclass
class Document:
    content: bytes
    content_type: str
    filename: str


def filename(year: int, fmt: str) -> str:
    return _("accountability-report") + f"-{year}.{fmt}"


def build(year: int, fmt: str, user=None) -> Document:
    """The report of `year` as `fmt` (html, docx or pdf), read through `user`'s scope when given."""
    content_type, render = FORMATS[fmt]
    report = selectors.annual_report(year, user)
    return Document(render(report, charts.build_charts(report)), content_type, filename(year, fmt))
