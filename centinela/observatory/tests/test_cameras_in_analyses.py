"""The camera network in the analyses: cameras in service count in placement (what they already watch needs no new
camera), and an impact study can take the ground around chosen cameras as its treated area."""
import numpy as np
import pytest

from centinela.cameras.models import Device
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.territory.models import Place
from centinela.observatory.tests.conftest import FORMS, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera(registry):
    # at the place of the centre with the most incidents within 150 m
    from centinela.observatory import selectors

    incidents = selectors.incident_arrays(_staff())
    places = list(Place.objects.filter(parish__code="110101"))
    px, py = selectors.project([p.lon for p in places], [p.lat for p in places])

    def near(i):
        return int((np.hypot(incidents.x - px[i], incidents.y - py[i]) <= 150).sum())

    place = places[max(range(len(places)), key=near)]
    return make_device(make_system(make_site(place=place)), code="CAM-OBS-1", camera_type=Device.CameraType.PANNING, range_m=300,
                       lifecycle="operational")


def _staff():
    from centinela.accounts.models import User

    return User.objects.get(username="tecnico")


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
    assert job.result["stats"]["areas_km2"]["treated"] == pytest.approx(3.1416 * 0.2 ** 2, rel=0.02)
