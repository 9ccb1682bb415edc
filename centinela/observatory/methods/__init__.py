"""The table of the analysis methods the observatory offers, in the order the index page lists them. Each module of
this package declares one method in full (its words, form, job, result page and downloads: see `base.Method`); the
views, the job kinds (`observatory/jobs.py`) and the URLs read only this table, so adding a method is a module here
and a line below."""

from __future__ import annotations

from centinela.observatory.methods import accuracy, coverage, gistar, impact, kde, near_repeat, placement
from centinela.observatory.methods.base import Method

METHODS: list[Method] = [
    kde.METHOD,
    gistar.METHOD,
    near_repeat.METHOD,
    coverage.METHOD,
    placement.METHOD,
    impact.METHOD,
    accuracy.METHOD,
]
BY_NAME = {m.name: m for m in METHODS}
