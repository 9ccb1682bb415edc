"""Incidents linked to the cameras that saw them: inside the view sector only, with whether the camera was working
at the time (installation, reactivation, lifecycle history, outages), made when incidents are created (the
incidents_created signal), never twice, made again when a camera turns; staff link and unlink by hand."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.cameras import services
from centinela.cameras.coverage import GEOD
from centinela.cameras.models import Outage, Sighting, StatusChange
from centinela.cameras.tests.test_inventory_factories import make_device, make_system
from centinela.incidents.models import Category, Incident, Source
from centinela.incidents.signals import incidents_created
from centinela.territory.selectors import locate_ids

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(*args):
    return timezone.make_aware(datetime(*args), TZ)


def offset(device, azimuth, metres):
    site = device.system.site
    lon, lat, _ = GEOD.fwd(site.lon, site.lat, azimuth, metres)
    return lon, lat


def incident(lon, lat, when, *, ref=None, status=Incident.Status.VERIFIED, create=True):
    parish_ids, _ = locate_ids([lon], [lat])
    obj = Incident(
        source=Source.objects.get(code="ecu911"),
        source_ref=ref or f"T-{Incident.objects.count() + 1}",
        occurred_at=when,
        category=Category.objects.get(code="robo-personas"),
        lon=lon,
        lat=lat,
        parish_id=int(parish_ids[0]) or None,
        status=status,
    )
    if create:
        obj.save()
    return obj


@pytest.fixture
def camera():
    # looking east (90°) with a 90° angle and 60 m of range, installed in 2019, operational
    return make_device(
        make_system(installed_on=date(2019, 1, 1)),
        code="CAM-S-1",
        bearing=Decimal("90"),
        field_of_view=Decimal("90"),
        range_m=60,
        lifecycle="operational",
        installed_on=date(2019, 1, 1),
    )


def test_an_incident_inside_the_sector_is_linked_and_one_behind_the_camera_is_not(camera):
    inside = incident(*offset(camera, 90, 30), at(2021, 3, 1, 20, 0))
    behind = incident(*offset(camera, 270, 30), at(2021, 3, 1, 20, 0))
    beyond = incident(*offset(camera, 90, 90), at(2021, 3, 1, 20, 0))
    assert services.link_incidents() == 1
    s = Sighting.objects.get()
    assert (s.incident, s.device, s.automatic, s.camera_working) == (inside, camera, True, True)
    assert abs(s.distance_m - 30) < 1
    assert not Sighting.objects.filter(incident__in=[behind, beyond]).exists()
    assert services.link_incidents() == 0 and Sighting.objects.count() == 1  # never twice


def test_a_camera_in_an_outage_at_the_time_was_not_working(camera):
    Outage.objects.create(device=camera, started_at=at(2021, 3, 1, 18, 0), ended_at=at(2021, 3, 1, 22, 0))
    Outage.objects.create(device=camera, started_at=at(2021, 5, 1, 0, 0), ended_at=None)  # still open
    during = incident(*offset(camera, 90, 20), at(2021, 3, 1, 20, 0))
    after = incident(*offset(camera, 90, 20), at(2021, 3, 1, 23, 0))
    open_ = incident(*offset(camera, 90, 20), at(2021, 6, 1, 12, 0))
    services.link_incidents()
    working = dict(Sighting.objects.values_list("incident_id", "camera_working"))
    assert working == {during.pk: False, after.pk: True, open_.pk: False}


def test_the_lifecycle_history_and_the_installation_decide_too(camera):
    StatusChange.objects.create(device=camera, at=at(2021, 1, 1), from_status="operational", to_status="maintenance")
    StatusChange.objects.create(device=camera, at=at(2021, 2, 1), from_status="maintenance", to_status="operational")
    before_install = incident(*offset(camera, 90, 20), at(2018, 6, 1, 12, 0))
    early = incident(*offset(camera, 90, 20), at(2020, 6, 1, 12, 0))
    fixing = incident(*offset(camera, 90, 20), at(2021, 1, 15, 12, 0))
    back = incident(*offset(camera, 90, 20), at(2021, 2, 15, 12, 0))
    services.link_incidents()
    working = dict(Sighting.objects.values_list("incident_id", "camera_working"))
    assert before_install.pk not in working  # the camera was not there yet
    assert working == {early.pk: True, fixing.pk: False, back.pk: True}


def test_a_reactivated_camera_was_abandoned_before_its_reactivation(camera):
    camera.reactivated_on = date(2020, 7, 22)
    camera.save()
    before = incident(*offset(camera, 90, 20), at(2020, 7, 21, 23, 0))
    after = incident(*offset(camera, 90, 20), at(2020, 7, 22, 0, 30))
    services.link_incidents()
    assert dict(Sighting.objects.values_list("incident_id", "camera_working")) == {before.pk: False, after.pk: True}


def test_incidents_created_in_bulk_are_linked_through_the_signal(camera):
    objs = [
        incident(*offset(camera, 90, 25), at(2021, 4, 1, 21, 0), ref="B-1", create=False),
        incident(*offset(camera, 270, 25), at(2021, 4, 1, 21, 0), ref="B-2", create=False),
    ]
    Incident.objects.bulk_create(objs)
    assert not Sighting.objects.exists()
    incidents_created.send(sender=Incident, ids=[o.pk for o in objs])
    assert list(Sighting.objects.values_list("incident__source_ref", flat=True)) == ["B-1"]


def test_a_camera_turned_around_is_linked_again(camera, client_for):
    front = incident(*offset(camera, 90, 30), at(2021, 3, 1, 20, 0))
    back = incident(*offset(camera, 270, 30), at(2021, 3, 1, 20, 0))
    services.link_incidents()
    data = {
        f: getattr(camera, f)
        for f in (
            "code",
            "name",
            "camera_type",
            "field_of_view",
            "range_m",
            "probe_interval_s",
            "stream_url",
            "snapshot_url",
        )
    }
    data.update(system=camera.system_id, bearing="270")
    response = client_for("tecnico").post(
        reverse("cameras:device_edit", args=[camera.pk]), {k: v for k, v in data.items() if v is not None}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Sighting.objects.values_list("incident_id", flat=True)) == [back.pk]
    assert front.pk != back.pk


def test_staff_link_and_unlink_by_hand(camera, client_for, users):
    far = incident(*offset(camera, 90, 150), at(2021, 3, 1, 20, 0))  # out of the drawn sector
    Outage.objects.create(device=camera, started_at=at(2021, 3, 1, 19, 0), ended_at=at(2021, 3, 1, 21, 0))
    url = reverse("cameras:device_link_incident", args=[camera.pk])
    response = client_for("tecnico").post(url, {"incident": far.pk})
    assert response.status_code == 302
    s = Sighting.objects.get()
    assert (s.automatic, s.camera_working, s.created_by) == (False, False, users["tecnico"])
    assert abs(s.distance_m - 150) < 1
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(s).filter(action=LogEntry.Action.CREATE).exists()
    # twice: a clear message, nothing added
    response = client_for("tecnico").post(url, {"incident": far.pk})
    assert response.status_code == 400 and "ya está vinculado" in response.content.decode()
    # an unknown number: a Spanish message
    response = client_for("tecnico").post(url, {"incident": 999999})
    assert response.status_code == 400 and "No hay ningún incidente con ese número" in response.content.decode()
    page = client_for("directora").get(camera.get_absolute_url()).content.decode()
    assert f"#{far.pk}" in page and "a mano" in page
    response = client_for("tecnico").post(reverse("cameras:sighting_unlink", args=[s.pk]))
    assert response.status_code == 302 and not Sighting.objects.exists()


def test_liaisons_and_other_parishes_cannot_link(camera, client_for):
    here = incident(*offset(camera, 90, 150), at(2021, 3, 1, 20, 0))
    url = reverse("cameras:device_link_incident", args=[camera.pk])
    assert client_for("enlace.policia").post(url, {"incident": here.pk}).status_code == 403
    assert client_for("presidente.valle").post(url, {"incident": here.pk}).status_code == 404  # a camera of El Sagrario
    # linking footage evidence is the council staff's work: even the camera's own parish president may not
    refused = client_for("presidente.sagrario").post(url, {"incident": here.pk})
    assert refused.status_code == 400 and "No puede vincular" in refused.content.decode()
    assert not Sighting.objects.exists()
    assert client_for("tecnico").post(url, {"incident": here.pk}).status_code == 302
    s = Sighting.objects.get()
    assert client_for("enlace.policia").post(reverse("cameras:sighting_unlink", args=[s.pk])).status_code == 403
    assert client_for("presidente.valle").post(reverse("cameras:sighting_unlink", args=[s.pk])).status_code == 404
    assert Sighting.objects.exists()


def test_the_camera_page_lists_the_incidents_it_saw(camera, client_for):
    for hour in (18, 19, 20):
        incident(*offset(camera, 90, 20), at(2021, 3, 1, hour, 0))
    services.link_incidents()
    response = client_for("enlace.policia").get(camera.get_absolute_url())
    assert response.context["sightings"]["count"] == 3
    body = response.content.decode()
    assert "Incidentes a la vista" in body and "01/03/2021 20:00" in body
    assert response.context["link_form"] is None  # liaisons read only
    # a president of another parish does not reach the camera; the camera's own parish sees its incidents
    assert client_for("presidente.valle").get(camera.get_absolute_url()).status_code == 404
    assert client_for("presidente.sagrario").get(camera.get_absolute_url()).context["sightings"]["count"] == 3


def test_many_incidents_and_cameras_link_in_one_pass(camera):
    """The vectorised path: a thousand incidents around a dozen cameras, each pair checked once."""
    import numpy as np
    import shapely

    from centinela.cameras.selectors import view_of

    cams = [camera] + [
        make_device(
            camera.system,
            code=f"CAM-S-{k}",
            bearing=Decimal(30 * k),
            field_of_view=Decimal("60"),
            range_m=80,
            lifecycle="operational",
        )
        for k in range(2, 13)
    ]
    rng = np.random.default_rng(1)
    site = camera.system.site
    lon, lat, _ = GEOD.fwd(
        np.full(1000, site.lon), np.full(1000, site.lat), rng.uniform(0, 360, 1000), rng.uniform(0, 120, 1000)
    )
    objs = [
        incident(x, y, at(2021, 1, 1) + timedelta(hours=i), ref=f"M-{i}", create=False)
        for i, (x, y) in enumerate(zip(lon, lat))
    ]
    Incident.objects.bulk_create(objs)
    made = services.link_incidents()
    expected = sum(view_of(c).intersects(shapely.Point(o.lon, o.lat)) for c in cams for o in objs)
    assert made == expected == Sighting.objects.count() > 100
