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

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


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
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("centinela."):
            try:
                importlib.import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
    _discovered = True


def get(name: str) -> Kind:
    autodiscover()
    return KINDS[name]
