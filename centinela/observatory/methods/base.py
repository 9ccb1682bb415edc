"""What an analysis method declares, in one place, so that the views, the job kinds and the URLs need not know any
method by name: its words (title, the question it answers, how it works, references), its form, the function its job
kind runs, and how its result is shown (summary lines, conventions, map layers, column names, anything else the page
needs) and exported. The registry in `methods/__init__.py` lists one `Method` per module of this package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


def _nothing(*_args) -> list:
    return []


def _no_context(_data) -> dict:
    return {}


@dataclass(frozen=True)
class Method:
    name: str  # the job kind is "observatory.<name>"; existing jobs are found by it: never rename
    url_name: str  # observatory:<url_name>
    path: str  # the form's address under /observatorio/analisis/ (Spanish, as the menu links it)
    title: object
    question: object
    how: object
    references: tuple[str, ...]
    form: type  # an AnalysisForm: checks everything before a job is queued; params() is the job's input
    run: Callable  # run(job, user, params, progress) -> the job's JSON result (see jobs.py)
    layers: Callable  # layers(data, geo) -> the result's own map layers, [{label, style, data}]
    # summary(data, stats) -> [(label, value)]: the summary lines after the count of incidents
    summary: Callable = _nothing
    # conventions(data) -> [str]: the notes after the one on coordinates and dates
    conventions: Callable = _nothing
    # page(data) -> extra context of the result page (near repeat: its Knox table)
    page: Callable = _no_context
    # a template of the method's own part of the result page (near repeat: observatory/methods/near_repeat.html,
    # its Knox table), included after the page's heading with the page's context, page(data) included
    result_template: str = ""
    # the sample of incidents drawn over the result's own layers (when the result has "points")
    points_label: object = _("Incidents analysed")
    points_style: str = "points"
    # column names of this method's tables where a key means something else than in labels.COLUMNS (page and
    # CSV/XLSX downloads); the GeoJSON download is the result's "geojson", the JSON download the whole result
    columns: dict = field(default_factory=dict)
