"""Which function runs each kind of job. An app declares its kinds in a `jobs.py` module:

    from centinela.jobs.registry import job_kind

    @job_kind("incidents.import", label=_("Incident import"), result_url=lambda job: reverse(...))
    def run_import(job, progress):   # progress(fraction, message="") -> None
        ...
        return {"created": 10}        # JSON-serialisable result, kept on the job

A handler raises `JobError` (or analysis.io.InputError) with a message for the user; anything else is recorded as
an internal failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


class JobError(Exception):
    """A failure to show the user as it is (bad parameters, empty data...)."""


@dataclass
class Kind:
    name: str
    label: str
    func: Callable
    result_url: Callable | None = None


KINDS: dict[str, Kind] = {}
_discovered = False


def job_kind(name: str, *, label, result_url: Callable | None = None):
    def register(func):
        KINDS[name] = Kind(name, label, func, result_url)
        return func

    return register


def autodiscover() -> None:
    """Import every app's `jobs` module once (each registers its kinds): Django's own autodiscovery, as the admin's."""
    global _discovered
    if _discovered:
        return
    autodiscover_modules("jobs")
    _discovered = True


def get(name: str) -> Kind:
    autodiscover()
    return KINDS[name]
