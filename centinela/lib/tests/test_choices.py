"""lib.choices.display gives what Django's get_<field>_display gives, for every choice field of every model of ours,
every value (and one that is not a choice, and none), in both languages."""

import pytest
from django.apps import apps
from django.utils import translation

from centinela.lib.choices import display

FIELDS = [
    (model, field)
    for model in apps.get_models()
    if model.__module__.startswith("centinela.")
    for field in model._meta.concrete_fields
    if field.choices
]


def test_there_are_choice_fields_to_compare():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("language", ["es-ec", "en"])
def test_the_label_is_djangos(language):
    with translation.override(language):
        for model, field in FIELDS:
            for value in [v for v, _label in field.flatchoices] + ["not-a-choice", None]:
                obj = model(**{field.attname: value})
                expected = getattr(obj, f"get_{field.name}_display")()
                got = display(obj, field.name)
                assert got == expected and type(got) is type(expected), (model, field.name, value)
