"""Small pieces of the narrative that need no database."""

import pytest
from django.utils import translation

from centinela.reports.formatting import join, money, number
from centinela.reports.narrative import spanish_plural, women_count


@pytest.mark.parametrize(
    "name, plural",
    [
        ("Fumigación", "fumigaciones"),
        ("Limpieza", "limpiezas"),
        ("Control", "controles"),
        ("Revisión de alumbrado", "revisiones de alumbrado"),
        ("Minga", "mingas"),
        ("Luz", "luces"),
        ("ECU", "ECUes"),
    ],
)
def test_spanish_plural_of_a_type_name(name, plural):
    assert spanish_plural(name) == plural


def test_spanish_figures_and_lists():
    with translation.override("es-ec"):
        assert money(12345.5) == "$\u00a012.345,50"
        assert number(25850) == "25.850" and number("17669.70") == "17.669,70"
        assert join(["a", "b", "c"]) == "a, b y c" and join(["a"]) == "a" and join([]) == ""


def test_the_number_of_women_agrees_with_its_noun():
    with translation.override("es-ec"):
        assert (women_count(1), women_count(0), women_count(9)) == ("1 mujer", "0 mujeres", "9 mujeres")
