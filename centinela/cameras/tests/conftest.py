"""Fixtures shared by the camera tests."""

from datetime import date

import pytest

from centinela.cameras import services
from centinela.cameras.models import Outage
from centinela.cameras.tests.test_inventory_factories import make_device, make_system
from centinela.cameras.tests.test_sightings import at, incident, offset
from centinela.incidents.models import Incident
from centinela.territory.models import Parish


@pytest.fixture
def hand_made():
    """2021 in El Sagrario and El Valle: one incident seen by a working camera, one in view while the camera was
    down, one out of view, one in El Valle; besides, a discarded one in view and one of 2020 in view."""
    camera = make_device(
        make_system(installed_on=date(2019, 1, 1)),
        code="CAM-C-1",
        lifecycle="operational",
        installed_on=date(2019, 1, 1),
    )
    Outage.objects.create(device=camera, started_at=at(2021, 5, 1), ended_at=at(2021, 5, 2))
    valle = Parish.objects.get(code="110104")
    made = {
        "seen": incident(*offset(camera, 90, 20), at(2021, 3, 1, 20)),
        "down": incident(*offset(camera, 90, 20), at(2021, 5, 1, 12)),
        "out": incident(*offset(camera, 270, 40), at(2021, 6, 1, 12)),
        "valle": incident(valle.centre_lon, valle.centre_lat, at(2021, 7, 1, 12)),
        "discarded": incident(*offset(camera, 90, 20), at(2021, 8, 1, 12), status=Incident.Status.DISCARDED),
        "last_year": incident(*offset(camera, 90, 20), at(2020, 8, 1, 12)),
    }
    assert made["valle"].parish == valle
    services.link_incidents()
    return made
