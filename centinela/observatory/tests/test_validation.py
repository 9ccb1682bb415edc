"""Bad parameters are refused on the form, in Spanish, before any job is queued, and what was typed is kept; the
engine's own refusals (InputError) become the job's error message."""

import pytest
from django.urls import reverse

from centinela.jobs import services
from centinela.jobs.models import Job
from centinela.observatory.tests.conftest import FORMS

pytestmark = pytest.mark.django_db


def _post(client, name, **changes):
    data = {**FORMS[name], **changes}
    response = client.post(reverse(f"observatory:{name}"), data)
    assert response.status_code == 200, "refused: the form comes back"
    return response.content.decode(), response.context["form"]


def test_negative_bands_and_zero_permutations_are_refused_before_queuing(registry, client_for):
    page, form = _post(client_for("tecnico"), "near_repeat", distance_band="-100", permutations="0", time_bands="0")
    assert form.errors["distance_band"] == ["Indique un número mayor que cero."]
    assert form.errors["permutations"] == ["Indique un número mayor que cero."]
    assert form.errors["time_bands"] == ["Indique un número mayor que cero."]
    assert 'value="-100"' in page  # what was typed is kept
    assert not Job.objects.exists()


def test_an_empty_period_is_refused(registry, client_for):
    client = client_for("tecnico")
    _page, form = _post(client, "kde", start="2024-05-01", end="2024-04-01")
    assert form.errors["end"] == ["El periodo está vacío: su último día es anterior a su primer día."]
    _page, form = _post(client, "impact", treated_parishes=["1"], after_start="2024-02-01")
    assert form.errors["after_start"] == [
        "El periodo posterior debe empezar cuando haya terminado el periodo anterior."
    ]
    _page, form = _post(client, "accuracy", test_start="2024-03-01")
    assert form.errors["test_start"] == ["El periodo de prueba debe empezar después del periodo de entrenamiento."]
    assert not Job.objects.exists()


def test_a_period_without_incidents_is_refused(registry, client_for):
    _page, form = _post(client_for("tecnico"), "gistar", start="2020-01-01", end="2020-12-31")
    assert "Solo 0 incidentes cumplen estos filtros" in form.non_field_errors()[0]
    assert not Job.objects.exists()


def test_more_cameras_than_candidate_sites_is_refused(registry, client_for):
    _page, form = _post(client_for("tecnico"), "placement", k="200", spacing="2000")
    assert form.errors["k"][0].startswith("Solo hay ")
    assert not Job.objects.exists()


def test_impact_needs_a_treated_area(registry, client_for):
    _page, form = _post(client_for("tecnico"), "impact")
    assert form.errors["cameras"] == ["Elija el área intervenida: cámaras, parroquias o barrios."]


def test_the_engines_refusal_is_the_jobs_error_message(registry, users):
    # a job queued without the form (e.g. through the API one day) still fails with a clear message
    params = {**FORMS["near_repeat"], "distance_band": 100, "same_location": 1, "time_band": -7}
    job = services.submit(users["tecnico"], "observatory.near_repeat", params)
    services.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Un parámetro del análisis está fuera de rango: revise los valores del formulario."


def test_too_few_incidents_at_run_time_is_the_jobs_error_message(db, users):
    job = services.submit(users["tecnico"], "observatory.kde", FORMS["kde"])
    services.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Solo 0 incidentes cumplen estos filtros (se necesitan al menos 1)."


def test_near_repeat_edges_finer_than_the_engines_resolution_are_refused_on_the_form(registry, client_for):
    """The engine compares distances in whole centimetres and times in whole seconds: an edge between two of them
    is a field error in Spanish before anything is queued, not a failed job."""
    client = client_for("tecnico")
    _page, form = _post(client, "near_repeat", distance_band="100.005", same_location="0.001", time_band="0.00001")
    assert form.errors["distance_band"] == ["Use un número entero de centímetros (como mucho dos decimales)."]
    assert form.errors["same_location"] == ["Use un número entero de centímetros (como mucho dos decimales)."]
    assert form.errors["time_band"] == ["Use un número entero de segundos (0,5 días son 43.200 segundos)."]
    assert not Job.objects.exists()
    response = client.post(
        reverse("observatory:near_repeat"), {**FORMS["near_repeat"], "distance_band": "100.25", "time_band": "0.5"}
    )
    assert response.status_code == 302 and Job.objects.count() == 1  # centimetres and half days are whole units
