"""The report as HTML: the body shared by the page (/informes/anual/) and a standalone file with images inline."""

from __future__ import annotations

import base64
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from centinela.reports.selectors import AnnualReport


def _data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def context(report: AnnualReport, charts) -> dict:
    """Images travel inside the page (data URIs): evidence files are private, and a saved page must stay whole."""
    return {
        "report": report,
        "charts": [
            {"key": c.key, "title": c.title, "width": c.width_px, "src": _data_uri(c.png, "image/png")} for c in charts
        ],
        "photos": [
            {"title": p.title, "caption": p.caption, "src": _data_uri(p.data, p.content_type)} for p in report.photos
        ],
    }


def _report_css() -> str:
    """The page links reports/annual_report.css (its Content-Security-Policy allows no inline style); the downloaded
    document is opened from disk, without the site, so it carries the same rules inside."""
    path = finders.find("reports/annual_report.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def render(report: AnnualReport, charts) -> bytes:
    return render_to_string(
        "reports/annual_report_document.html", {**context(report, charts), "report_css": _report_css()}
    ).encode("utf-8")
