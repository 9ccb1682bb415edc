"""The engine's refusals reach the person in Spanish: the patterns match the engine's real messages, and a job the
data cannot support fails with a Spanish message (and nothing else half-done)."""

import numpy as np
import pytest
from django.utils import translation

from analysis import hotspots, placement
from analysis.io import InputError
from centinela.observatory.jobs import ENGINE_MESSAGES, engine_message
from centinela.observatory.tests.conftest import FORMS, run


def _refusal(call):
    with pytest.raises(InputError) as caught:
        call()
    return caught.value


REAL_REFUSALS = {
    "grid": lambda: hotspots.grid_neighbours(5000, 5000),
    "equal": lambda: hotspots.gistar(np.ones(5), hotspots.grid_neighbours(1, 5)),
    "too few": lambda: hotspots.gistar(np.array([1.0, 2.0]), hotspots.grid_neighbours(1, 2)),
    "zero": lambda: hotspots.gistar(np.zeros(5), hotspots.grid_neighbours(1, 5)),
    "sites": lambda: placement.mclp(np.ones((3, 2), dtype=bool), None, 3),
}


@pytest.mark.parametrize("name", list(REAL_REFUSALS))
def test_each_real_refusal_is_told_in_spanish(name):
    exc = _refusal(REAL_REFUSALS[name])
    with translation.override("es"):
        message = engine_message(exc)
    assert not message.startswith("El análisis no puede ejecutarse"), f"no pattern for: {exc}"
    assert str(exc) not in message
    with translation.override("en"):
        english = engine_message(exc)
    assert english != message, "the Spanish catalogue has this message"


def test_an_unknown_refusal_keeps_the_detail_behind_a_spanish_lead():
    with translation.override("es"):
        message = engine_message(InputError("something new"))
    assert message == "El análisis no puede ejecutarse con estos datos (something new)."


def test_patterns_are_distinct():
    assert len({p for p, _ in ENGINE_MESSAGES}) == len(ENGINE_MESSAGES)


@pytest.mark.django_db
def test_a_job_the_data_cannot_support_fails_in_spanish(client_for):
    from centinela.observatory.tests.seed import seed_incidents

    seed_incidents(30, half_width=40.0)  # all inside one 5 km cell
    job = run(client_for("tecnico"), "gistar", {**FORMS["gistar"], "cell": 5000})
    assert job.status == "failed"
    assert job.error == "Los puntos calientes necesitan una cuadrícula de al menos 3 celdas: elija celdas más pequeñas."
    assert job.result is None
