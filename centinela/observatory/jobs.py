"""The observatory's analyses as background jobs: one kind per method of the registry (`methods/`), named
"observatory.<method name>" (jobs already in the database find their method by it). Each method's `run` reads the
incidents the person who asked may see (their scope, at run time), runs the engine (`analysis/`) with a progress
callback and, when `DASK_SCHEDULER` is set, on that Dask cluster, and keeps a compact JSON result on the job: summary
figures, the table rows (CSV download), a GeoJSON layer in lon/lat (grids: only non-zero or significant cells) and
the parameters used. Here: what every kind does around it (the language, the asker still active, the engine's
refusals in words)."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.io import InputError
from centinela.jobs.registry import JobError, job_kind
from centinela.observatory.methods import METHODS

# The engine speaks English (it is a library, used from the CLI too). Its refusals that the data can cause, once the
# forms have checked the parameters, are told to the person in the site's language; anything else keeps the
# engine's detail behind a translated lead.
ENGINE_MESSAGES = [
    (
        r"the grid would have|cells is more than the|neighbours per cell on",
        gettext_lazy("The grid would have too many cells: choose larger cells or a smaller area."),
    ),
    (
        r"kernel .* needs ~",
        gettext_lazy("The density surface would take too long: choose larger cells or a smaller bandwidth."),
    ),
    (r"Gi\* needs at least 3 values", gettext_lazy("Hot spots need a grid of at least 3 cells: choose smaller cells.")),
    (
        r"all values are equal",
        gettext_lazy(
            "Every cell of the grid has the same count, so there are no hot or cold spots to find: choose "
            "smaller cells or a longer period."
        ),
    ),
    (
        r"the values sum to zero|no points: the input is empty|there are no demand points",
        gettext_lazy("No incidents fall inside the area analysed."),
    ),
    (
        r"exact permutation p-values need",
        gettext_lazy("Exact p-values cannot be computed for these counts: choose the Monte Carlo method."),
    ),
    (
        r"must be (a positive|a whole|at least|at most|between|one of)",
        gettext_lazy("A parameter of the analysis is out of range: check the form's values."),
    ),
    (r"there are no candidate sites", gettext_lazy("There are no candidate sites for new cameras.")),
    (r"cannot choose \d+ sites among", gettext_lazy("More new cameras were asked for than there are candidate sites.")),
]


def engine_message(exc: InputError) -> str:
    """The engine's refusal, in the site's language."""
    detail = str(exc)
    for pattern, message in ENGINE_MESSAGES:
        if re.search(pattern, detail):
            return str(message)
    return _("The analysis cannot run on these data (%(detail)s).") % {"detail": detail}


def _result_url(job):
    return reverse("observatory:result", args=[job.pk])


def analysis(name: str, label):
    """`@job_kind` for an observatory method, run in the site's language with the scheduler from the settings."""

    def register(func):
        def run(job, progress):
            with translation.override(settings.LANGUAGE_CODE):
                user = job.created_by
                if user is None or not user.is_active:
                    raise JobError(_("The account that asked for this analysis is no longer active."))
                progress(0.02, _("Reading the incidents"))
                try:
                    result = func(job, user, job.params, progress)
                except InputError as exc:
                    raise JobError(engine_message(exc)) from exc
                result.setdefault("method", name)
                result["params"] = job.params
                progress(1.0, _("Done"))
                return result

        run.__name__ = func.__name__
        job_kind(f"observatory.{name}", label=label, result_url=_result_url)(run)
        return func

    return register


for _method in METHODS:
    analysis(_method.name, _method.title)(_method.run)
