"""The camera network in the analyses: cameras in service count in placement (what they already watch needs no new
camera), and an impact study can take the ground around chosen cameras as its treated area."""

import pytest

from centinela.observatory.tests.conftest import FORMS, run

pytestmark = pytest.mark.django_db


def test_cameras_in_service_count_in_placement(camera, client_for):
    job = run(client_for("tecnico"), "placement", FORMS["placement"])
    assert job.status == "done", job.error
    stats = job.result["stats"]
    assert stats["existing_cameras"] == 1 and stats["existing_weight"] > 0
    assert 0 < stats["seen_now_share"] < 1
    assert len(job.result["existing"]["features"]) == 1
    alone = run(client_for("tecnico"), "placement", {**FORMS["placement"], "count_existing": ""})
    assert alone.result["stats"]["existing_cameras"] == 0 and alone.result["stats"]["existing_weight"] == 0


def test_impact_around_chosen_cameras(camera, client_for):
    job = run(client_for("tecnico"), "impact", {**FORMS["impact"], "cameras": [str(camera.pk)], "distance": 200})
    assert job.status == "done", job.error
    areas = {f["properties"]["area"] for f in job.result["geojson"]["features"]}
    assert areas == {"treated", "buffer", "control"}
    counts = job.result["stats"]["counts"]
    assert sum(counts["treated"]) > 0 and sum(counts["control"]) > 0
    assert job.result["stats"]["areas_km2"]["treated"] == pytest.approx(3.1416 * 0.2**2, rel=0.02)
