import pytest

from centinela.observatory.tests.test_indicators import CISNE, SAGRARIO, add


@pytest.fixture
def registry(db):
    """400 synthetic incidents around Loja's centre over 120 days from 2024-01-01 (hot spots and near repeats)."""
    from centinela.observatory.tests.seed import seed_incidents

    seed_incidents(400)


@pytest.fixture
def camera(registry):
    """A panning camera in service (300 m around) at the centre's place with the most incidents within 150 m."""
    import numpy as np

    from centinela.accounts.models import User
    from centinela.cameras.models import Device
    from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
    from centinela.observatory import selectors
    from centinela.territory.models import Place

    incidents = selectors.incident_arrays(User.objects.get(username="tecnico"))
    places = list(Place.objects.filter(parish__code="110101"))
    px, py = selectors.project([p.lon for p in places], [p.lat for p in places])

    def near(i):
        return int((np.hypot(incidents.x - px[i], incidents.y - py[i]) <= 150).sum())

    place = places[max(range(len(places)), key=near)]
    return make_device(
        make_system(make_site(place=place)),
        code="CAM-OBS-1",
        camera_type=Device.CameraType.PANNING,
        range_m=300,
        lifecycle="operational",
    )


@pytest.fixture
def march(db):
    from centinela.territory.models import Parish, ParishPopulation

    cisne = Parish.objects.get(code=CISNE)
    ParishPopulation.objects.create(parish=cisne, year=2010, population=1628, source="INEC (test figure)")
    add(
        [
            # March 2024
            (SAGRARIO, "robo-motos", (2024, 3, 2, 10)),
            (SAGRARIO, "robo-motos", (2024, 3, 15, 22)),
            (SAGRARIO, "contravenciones", (2024, 3, 31, 23, 30)),  # 04:30 UTC on 1 April: still March, Sunday 23 h
            (CISNE, "robo-personas", (2024, 3, 5, 8)),
            (CISNE, "robo-personas", (2024, 3, 6, 8)),
            (SAGRARIO, "robo-motos", (2024, 3, 20, 12), "discarded"),  # never counted
            # February 2024 (previous period)
            (SAGRARIO, "robo-motos", (2024, 2, 10, 9)),
            # March 2023 (a year before)
            (CISNE, "robo-personas", (2023, 3, 1, 1)),
            (CISNE, "robo-personas", (2023, 3, 2, 1)),
            (CISNE, "robo-personas", (2023, 3, 3, 1)),
            (CISNE, "contravenciones", (2023, 3, 4, 1)),
        ]
    )


PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}
FORMS = {
    "kde": {**PERIOD, "cell": 100, "kernel": "quartic"},
    "gistar": {
        **PERIOD,
        "cell": 200,
        "kind": "queen",
        "order": 1,
        "p_method": "exact",
        "permutations": 99,
        "seed": 0,
        "fdr": 0.05,
    },
    "near_repeat": {
        **PERIOD,
        "distance_band": 100,
        "distance_bands": 3,
        "time_band": 7,
        "time_bands": 3,
        "same_location": 1,
        "metric": "manhattan",
        "permutations": 99,
        "seed": 0,
    },
    "coverage": {**PERIOD},
    "placement": {**PERIOD, "k": 5, "radius": 150, "spacing": 150, "count_existing": "on", "solver": "exact"},
    "impact": {
        "treated_parishes": [],
        "distance": 150,
        "buffer": 300,
        "before_start": "2024-01-01",
        "before_end": "2024-02-29",
        "after_start": "2024-03-01",
        "after_end": "2024-04-30",
    },
    "accuracy": {
        "train_start": "2024-01-01",
        "train_end": "2024-03-15",
        "test_start": "2024-03-16",
        "test_end": "2024-04-30",
        "predictor": "kde",
        "cell": 100,
        "area_share": 5,
    },
}


def run(client, name, data):
    """Post the method's form, run the queued job here, return the job."""
    from django.urls import reverse

    from centinela.jobs import services
    from centinela.jobs.models import Job

    response = client.post(reverse(f"observatory:{name}"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    services.run_pending()
    job.refresh_from_db()
    return job
