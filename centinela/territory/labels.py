"""label(Model, field, value): the label of a choice field's value in the request's language, as
lib.choices.display(obj, field) gives it, from a table made once per model, field and language. display() translates
the label again on every call (a lazy string's gettext); a list of 50 rows with two such columns did it 100 times a
page. Translations do not change while a process runs, so each language's table is made once."""

from __future__ import annotations

import functools

from django.utils.encoding import force_str
from django.utils.translation import get_language, override


@functools.cache
def _labels(model, name: str, language: str | None) -> dict:
    with override(language):
        return {value: force_str(label) for value, label in model._meta.get_field(name).flatchoices}


def label(model, name: str, value):
    try:
        return _labels(model, name, get_language()).get(value, value)
    except TypeError:  # an unhashable value: shown as display() would, as itself
        return value
