"""The result pages and downloads speak Spanish (column headers and coded values; the JSON keeps the engine's keys),
Gi*'s p-value method is a real choice (exact or Monte Carlo), the near-repeat same-location threshold comes from
the form, and the camera-coverage analysis counts incidents in view of a camera working at the incident's time."""

import csv
import io
import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.observatory.tests.conftest import FORMS, run

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def _download(client, job, fmt, **query):
    url = reverse("observatory:download", args=[job.pk, fmt])
    return client.get(url, query)


# --- Spanish tables ----------------------------------------------------------------------------------------------


def test_gistar_table_page_csv_and_xlsx_in_spanish_json_keeps_the_engine_keys(registry, client_for):
    from openpyxl import load_workbook

    client = client_for("tecnico")
    job = run(client, "gistar", FORMS["gistar"])
    assert job.status == "done", job.error
    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    table = page[page.index('class="list analysis-table"') :]
    assert "<th>Celda</th>" in table and "<th>Categoría</th>" in table and "<th>Puntuación z</th>" in table
    assert "<th>category</th>" not in table and "<th>p_sim</th>" not in table
    assert "No significativo" in table or "Punto caliente" in table
    assert "not significant" not in table and "hot 99%" not in table

    rows = _csv(_download(client, job, "csv"))
    head = rows[0]
    assert head[:3] == ["Celda", "Fila de la cuadrícula", "Columna de la cuadrícula"]
    assert head[-2:] == ["Categoría", "datos_sinteticos"]
    categories = {r[-2] for r in rows[1:]}
    assert categories and categories <= {
        "No significativo",
        "Punto caliente, 99 % de confianza",
        "Punto caliente, 95 % de confianza",
        "Punto caliente, 90 % de confianza",
        "Punto frío, 99 % de confianza",
        "Punto frío, 95 % de confianza",
        "Punto frío, 90 % de confianza",
    }
    assert {r[head.index("Significativo")] for r in rows[1:]} <= {"sí", "no"}

    response = _download(client, job, "xlsx")
    assert response["Content-Disposition"].endswith('-sinteticos.xlsx"')
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.values)
    assert list(values[0]) == head and len(values) == len(rows)
    assert values[1][-1] == "sí"

    whole = json.loads(_download(client, job, "json").getvalue())
    assert whole["table"]["header"][-1] == "category" and whole["synthetic"] is True
    assert "-sinteticos.json" in _download(client, job, "json")["Content-Disposition"]


def test_kde_summary_names_the_rule_and_the_kernel_in_spanish(registry, client_for):
    client = client_for("tecnico")
    job = run(client, "kde", FORMS["kde"])
    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    summary = page[page.index("analysis-summary") : page.index("Descargas")]
    assert "Cuártico" in summary and "Regla de ArcGIS Pro" in summary
    assert "arcgis" not in summary and "quartic" not in summary
    head = _csv(_download(client, job, "csv"))[0]
    assert head == [
        "Celda",
        "Fila de la cuadrícula",
        "Columna de la cuadrícula",
        "X (m, UTM 17S)",
        "Y (m, UTM 17S)",
        "Incidentes",
        "Densidad (incidentes por km²)",
        "datos_sinteticos",
    ]


def test_near_repeat_csv_headers_in_spanish(registry, client_for):
    client = client_for("tecnico")
    job = run(client, "near_repeat", FORMS["near_repeat"])
    head = _csv(_download(client, job, "csv"))[0]
    assert head[:6] == [
        "Distancia (m)",
        "Días entre ambos",
        "Distancia desde (m)",
        "Distancia hasta (m, sin incluir)",
        "Días desde",
        "Días hasta (sin incluir)",
    ]
    assert "distance_from_m" not in head


def test_real_data_have_no_synthetic_marks(registry, client_for):
    from centinela.incidents.models import Incident, Source

    real, _created = Source.objects.get_or_create(code="ecu911", defaults={"name": "ECU 911"})
    Incident.objects.update(source=real)
    client = client_for("tecnico")
    job = run(client, "kde", FORMS["kde"])
    assert job.result["synthetic"] is False
    response = _download(client, job, "csv")
    assert "sinteticos" not in response["Content-Disposition"]
    assert "datos_sinteticos" not in _csv(response)[0]
    geo = json.loads(_download(client, job, "geojson").getvalue())
    assert "synthetic" not in (geo.get("properties") or {})
    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    assert "synthetic-banner" not in page


# --- Gi*: exact or Monte Carlo -----------------------------------------------------------------------------------


def _p_sim(job):
    header = job.result["table"]["header"]
    return [row[header.index("p_sim")] for row in job.result["table"]["rows"]]


def test_gistar_exact_p_values_ignore_permutations_and_say_so(registry, client_for):
    client = client_for("tecnico")
    one = run(client, "gistar", {**FORMS["gistar"], "p_method": "exact", "permutations": 99, "seed": 1})
    two = run(client, "gistar", {**FORMS["gistar"], "p_method": "exact", "permutations": 999, "seed": 7})
    assert one.result["stats"]["p_method"] == "exact" and one.result["stats"]["permutations"] == 0
    assert _p_sim(one) == _p_sim(two), "exact p-values do not depend on permutations or seed"
    # not multiples of 1/(permutations + 1): they are no Monte Carlo estimate
    assert any(abs(p * 100 - round(p * 100)) > 1e-6 for p in _p_sim(one))
    page = client.get(reverse("observatory:result", args=[one.pk])).content.decode()
    assert "Método de los valores p" in page and "Exacto (permutación condicional" in page
    assert "no se aplica (valores p exactos)" in page
    form_page = client.get(reverse("observatory:gistar")).content.decode()
    assert 'data-applies-when="p_method=mc"' in form_page and "analysis_form.js" in form_page


def test_gistar_monte_carlo_uses_permutations_and_seed(registry, client_for):
    client = client_for("tecnico")
    params = {**FORMS["gistar"], "p_method": "mc", "permutations": 199, "seed": 3, "fdr": ""}
    one = run(client, "gistar", params)
    again = run(client, "gistar", params)
    other = run(client, "gistar", {**params, "seed": 4})
    stats = one.result["stats"]
    assert stats["p_method"] == "mc" and stats["permutations"] == 199 and stats["seed"] == 3
    p = _p_sim(one)
    assert all(abs(v * 200 - round(v * 200)) < 1e-9 for v in p), "Monte Carlo p-values are k / (199 + 1)"
    assert p == _p_sim(again), "the same seed gives the same p-values"
    assert p != _p_sim(other), "another seed draws other permutations"
    page = client.get(reverse("observatory:result", args=[one.pk])).content.decode()
    assert "Monte Carlo (permutaciones aleatorias)" in page


def test_gistar_form_refuses_a_bad_method(registry, client_for):
    response = client_for("tecnico").post(reverse("observatory:gistar"), {**FORMS["gistar"], "p_method": "auto"})
    assert response.status_code == 200 and "p_method" in response.context["form"].errors


# --- near repeat: same location ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "100", "150"])
def test_same_location_must_be_above_zero_and_below_the_distance_band(registry, client_for, value):
    response = client_for("tecnico").post(
        reverse("observatory:near_repeat"), {**FORMS["near_repeat"], "same_location": value}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "same_location" in errors
    if float(value) >= 100:
        assert "por debajo de la banda de distancia" in str(errors["same_location"])


def test_same_location_threshold_reaches_the_table(registry, client_for):
    client = client_for("tecnico")
    narrow = run(client, "near_repeat", FORMS["near_repeat"])
    wide = run(client, "near_repeat", {**FORMS["near_repeat"], "same_location": 30})
    assert narrow.result["knox"]["same_location"] == 1.0 and wide.result["knox"]["same_location"] == 30.0
    # pairs under 30 m move from the first distance band to the same-location row
    same_narrow = sum(narrow.result["knox"]["observed"][0])
    same_wide = sum(wide.result["knox"]["observed"][0])
    assert same_wide > same_narrow
    assert sum(map(sum, wide.result["knox"]["observed"])) == sum(map(sum, narrow.result["knox"]["observed"]))
    page = client.get(reverse("observatory:result", args=[wide.pk])).content.decode()
    assert "(a menos de 30.0 m)" in page


# --- camera coverage ---------------------------------------------------------------------------------------------


def test_coverage_counts_incidents_in_view_of_a_camera_working_then(camera, client_for):
    from centinela.cameras import services as camera_services
    from centinela.cameras.models import Outage, Sighting
    from centinela.incidents.models import Incident

    tz = timezone.get_default_timezone()
    Outage.objects.create(
        device=camera,
        started_at=timezone.make_aware(datetime(2024, 2, 1), tz),
        ended_at=timezone.make_aware(datetime(2024, 3, 1), tz),
        reason="prueba",
    )
    # the cameras app's own sightings, made afresh: the reference the analysis must agree with
    Sighting.objects.all().delete()
    camera_services.link_incidents()
    seen_by_app = Incident.objects.filter(sightings__camera_working=True).distinct().count()
    in_view_by_app = Incident.objects.filter(sightings__device=camera).distinct().count()

    client = client_for("tecnico")
    assert client.get(reverse("observatory:coverage")).status_code == 200
    job = run(client, "coverage", FORMS["coverage"])
    assert job.status == "done", job.error
    stats = job.result["stats"]
    total = Incident.objects.count()
    assert stats["total"] == total and stats["cameras"] == 1
    assert stats["seen"] == seen_by_app and 0 < stats["seen"] < in_view_by_app, "the outage's incidents are not seen"
    assert stats["share"] == pytest.approx(seen_by_app / total)
    [row] = job.result["table"]["rows"]
    assert row[0] == "CAM-OBS-1" and row[3] == in_view_by_app and row[4] == seen_by_app
    parishes = job.result["tables"]["parishes"]["rows"]
    assert sum(r[1] for r in parishes) == total and sum(r[2] for r in parishes) == seen_by_app
    # the map: the camera's sector, and the incidents coloured in / out of view
    assert len(job.result["geojson"]["features"]) == 1
    points = job.result["points"]["features"]
    assert sum(f["properties"]["seen"] for f in points) == seen_by_app

    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    assert "Incidentes vistos por parroquia" in page and "<th>Parroquia</th>" in page
    assert "<th>Cámara</th>" in page and "<th>Vistos por una cámara en funcionamiento</th>" in page
    rows = _csv(_download(client, job, "csv", tabla="parishes"))
    assert rows[0] == [
        "Parroquia",
        "Incidentes",
        "Vistos por una cámara en funcionamiento",
        "Proporción vista",
        "datos_sinteticos",
    ]
    assert _download(client, job, "csv", tabla="nothing").status_code == 404


def test_coverage_without_cameras_sees_nothing(registry, client_for):
    job = run(client_for("tecnico"), "coverage", FORMS["coverage"])
    assert job.status == "done", job.error
    assert job.result["stats"]["seen"] == 0 and job.result["stats"]["cameras"] == 0
