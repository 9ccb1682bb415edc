"""The kinds of things a user is told about, one module each (as participation's channels). Add one: a module here
with a `Source` subclass decorated with `@register`, imported below."""

from centinela.notifications.sources import (  # noqa: F401  (each registers its source)
    committee_agreements,
    jobs,
    reports,
    resolutions,
    tickets,
)
from centinela.notifications.sources.base import SOURCES, Item, Source, register

__all__ = ["SOURCES", "Item", "Source", "register"]
