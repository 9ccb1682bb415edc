"""Every method, end to end on a small synthetic registry: the form queues a job, the worker runs the engine, the
result (table + map layer in lon/lat) is kept on the job, and its page shows a map, the table and downloads."""

import csv
import io
import json

import pytest
from django.urls import reverse

from centinela.observatory.tests.conftest import FORMS, run
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


def _data(name):
    data = dict(FORMS[name])
    if name == "impact":
        data["treated_parishes"] = [str(Parish.objects.get(code="110101").pk)]
    return data


@pytest.mark.parametrize("name", list(FORMS))
def test_each_method_runs_from_its_page_and_shows_map_table_and_downloads(registry, client_for, name, request):
    if name == "coverage":
        request.getfixturevalue("camera")  # a camera to be covered by
    client = client_for("tecnico")
    assert client.get(reverse(f"observatory:{name}")).status_code == 200
    job = run(client, name, _data(name))
    assert job.status == "done", job.error
    assert job.progress == 1.0
    result = job.result
    assert result["n"] > 0 and result["synthetic"] is True
    assert result["table"]["rows"], "the table has rows"
    features = result["geojson"]["features"]
    assert features, "the map layer has features"
    lon, lat = _first_coordinate(features[0]["geometry"])
    assert -79.4 < lon < -79.0 and -4.2 < lat < -3.8, "map layers are in lon/lat around Loja"

    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    assert 'id="map"' in page and 'id="analysis-layers"' in page and "analysis_map.js" in page
    assert 'class="list analysis-table"' in page
    assert "Datos sintéticos" in page
    csv_response = client.get(reverse("observatory:download", args=[job.pk, "csv"]))
    assert "-sinteticos.csv" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    assert len(rows[0]) == len(result["table"]["header"]) + 1 and len(rows) == len(result["table"]["rows"]) + 1
    assert rows[0][-1] == "datos_sinteticos" and {r[-1] for r in rows[1:]} == {"sí"}
    assert not set(rows[0]) & set(result["table"]["header"]), "every engine column key is named in Spanish"
    geo_response = client.get(reverse("observatory:download", args=[job.pk, "geojson"]))
    assert "-sinteticos.geojson" in geo_response["Content-Disposition"]
    geo = json.loads(geo_response.content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(features)
    assert geo["properties"]["synthetic"] is True
    whole = json.loads(client.get(reverse("observatory:download", args=[job.pk, "json"])).getvalue())
    assert whole["method"] == name and whole["params"] == job.params


def _first_coordinate(geometry):
    coords = geometry["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return coords[0], coords[1]


def test_the_near_repeat_table_states_its_convention_and_marks_significant_cells(registry, client_for):
    client = client_for("directora")
    job = run(client, "near_repeat", FORMS["near_repeat"])
    knox = job.result["knox"]
    assert knox["row_labels"][0] == "0" and knox["col_labels"][0] == "0-7"
    assert len(knox["row_labels"]) == 5 and len(knox["col_labels"]) == 4  # same place, 3 bands, beyond x 3 + beyond
    page = client.get(reverse("observatory:result", args=[job.pk])).content.decode()
    assert "knox-table" in page and "semiabiertas" in page
    # the resolution of the exact edges, and the engine's statement of it in the JSON
    assert "al centímetro" in page and knox["distance_resolution"] == "cm" and knox["time_resolution"] == "s"
    assert knox["metric"] == "manhattan"
    # the seeded near repeats (within 80 m and a few days) make the closest cells significant
    assert knox["p_value"][1][0] <= 0.05 and knox["ratio"][1][0] > 1
    assert "knox-cell significant" in page


def test_gistar_maps_only_significant_cells_with_their_category(registry, client_for):
    job = run(client_for("tecnico"), "gistar", FORMS["gistar"])
    categories = {f["properties"]["category"] for f in job.result["geojson"]["features"]}
    assert categories and "not significant" not in categories
    assert any(c.startswith("hot") for c in categories)


def test_placement_picks_the_asked_number_of_sites(registry, client_for):
    job = run(client_for("tecnico"), "placement", FORMS["placement"])
    assert len(job.result["geojson"]["features"]) == 5
    assert job.result["stats"]["share"] > 0


def test_the_forms_default_to_the_year_up_to_the_latest_incident(registry, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from centinela.incidents.models import Incident

    latest = timezone.localtime(Incident.objects.latest("occurred_at").occurred_at).date()
    form = client_for("tecnico").get(reverse("observatory:kde")).context["form"]
    assert form["end"].value() == latest and form["start"].value() == latest - timedelta(days=364)
    form = client_for("tecnico").get(reverse("observatory:accuracy")).context["form"]
    assert form["test_end"].value() == latest


def test_the_near_repeat_form_defaults_to_the_engines_metric():
    from analysis.knox import DEFAULT_METRIC
    from centinela.observatory.methods.near_repeat import NearRepeatForm

    assert NearRepeatForm.base_fields["metric"].initial == DEFAULT_METRIC["near_repeat"] == "manhattan"
