"""The label of a choice field's value, as `obj.get_<field>_display()` gives it, for rows and map features. Django's
method rebuilds a hashable copy of the field's choices on every call, translating each label to hash it: on a list of
50 rows with two such columns that cost more than the list's query (issue 10's web load). Here the choices are read
once per field; the label is still translated on each call, in the language of the request."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.encoding import force_str


@functools.cache
def _choices(model: Any, name: str):
    field = model._meta.get_field(name)
    return field.attname, dict(field.flatchoices)


def display(obj, name: str):
    """obj.get_<name>_display()"""
    attname, labels = _choices(obj.__class__, name)
    value = getattr(obj, attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value: Django's own way
        return getattr(obj, f"get_{name}_display")()
    return force_str(label, strings_only=True)
