"""Inventory pages: sites located in the canton, systems, cameras with validated fields and write-only credentials,
lifecycle changes with their history, and what each role may see and do."""

import pytest
from django.urls import reverse

from centinela.cameras.models import Device, Lifecycle, Site, StatusChange, System
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.lib import crypto
from centinela.territory.models import Place

pytestmark = pytest.mark.django_db


def _site_data(at, **extra):
    return {
        "name": "Sitio nuevo",
        "place": at.pk,
        "lat": at.lat,
        "lon": at.lon,
        "address": "",
        "notes": "",
        "mounting_height_m": "6",
        **extra,
    }


def _device_data(system, **extra):
    data = {
        "system": system.pk,
        "code": "CAM-NEW-1",
        "name": "Cámara nueva",
        "camera_type": "fixed",
        "stream_url": "rtsp://127.0.0.1:18554/cam/1",
        "snapshot_url": "http://127.0.0.1:18554/cam/1/snapshot.jpg",
        "onvif_url": "",
        "host": "",
        "port": "",
        "username": "admin",
        "password": "s3creto-largo",
        "bearing": "120",
        "field_of_view": "90",
        "tilt": "",
        "range_m": "50",
        "height_m": "",
        "lifecycle": "installed",
        "installed_on": "",
        "reactivated_on": "",
        "probe_interval_s": "60",
    }
    data.update(extra)
    return data


def test_a_site_gets_its_parish_and_barrio_from_its_point(client_for):
    place = (
        Place.objects.filter(parish__code="110101").exclude(barrio=None).first()
        or Place.objects.filter(parish__code="110101").first()
    )
    response = client_for("tecnico").post(reverse("cameras:site_create"), _site_data(place))
    assert response.status_code == 302
    site = Site.objects.get(name="Sitio nuevo")
    assert site.parish.code == "110101" and site.barrio_id == place.barrio_id


def test_a_site_outside_the_canton_is_refused_in_spanish(client_for):
    place = Place.objects.first()
    response = client_for("tecnico").post(reverse("cameras:site_create"), _site_data(place, lat="-0.18", lon="-78.47"))
    assert response.status_code == 200
    assert "está fuera del cantón" in response.content.decode()
    assert not Site.objects.filter(name="Sitio nuevo").exists()


def test_a_parish_president_adds_sites_only_in_their_parish(client_for):
    c = client_for("presidente.valle")
    other = Place.objects.filter(parish__code="110101").first()
    response = c.post(reverse("cameras:site_create"), _site_data(other, place=""))
    assert response.status_code == 200 and not Site.objects.filter(name="Sitio nuevo").exists()
    assert "otra parroquia" in response.content.decode()
    own = Place.objects.filter(parish__code="110104").first()
    assert c.post(reverse("cameras:site_create"), _site_data(own)).status_code == 302


def test_a_liaison_reads_but_cannot_add(client_for):
    make_device()
    c = client_for("enlace.ecu911")
    assert c.get(reverse("cameras:device_list")).status_code == 200
    assert c.get(reverse("cameras:site_create")).status_code == 403
    assert c.get(reverse("cameras:device_create")).status_code == 403


def test_other_parishes_cameras_answer_404_to_a_parish_president(client_for):
    device = make_device()  # El Sagrario
    assert client_for("presidente.valle").get(device.get_absolute_url()).status_code == 404
    assert client_for("presidente.sagrario").get(device.get_absolute_url()).status_code == 200
    page = client_for("presidente.valle").get(reverse("cameras:device_list"))
    assert page.context["page"].paginator.count == 0


def test_a_system_is_created_within_its_site(client_for):
    site = make_site()
    response = client_for("tecnico").post(
        reverse("cameras:system_create", args=[site.pk]),
        {
            "name": "DVR mercado",
            "kind": "dvr",
            "owner": "municipality",
            "owner_institution": "",
            "monitored_by": "municipal",
            "installed_on": "2019-03-01",
            "reactivated_on": "",
            "reactivation": "",
        },
    )
    assert response.status_code == 302
    assert System.objects.get(name="DVR mercado").site == site


def test_a_camera_is_created_with_its_password_encrypted_and_never_shown(client_for):
    system = make_system()
    c = client_for("tecnico")
    response = c.post(reverse("cameras:device_create"), _device_data(system))
    assert response.status_code == 302, response.context["form"].errors
    device = Device.objects.get(code="CAM-NEW-1")
    assert device.password_encrypted and "s3creto-largo" not in device.password_encrypted
    assert crypto.decrypt(device.password_encrypted) == "s3creto-largo"
    for url in (device.get_absolute_url(), reverse("cameras:device_edit", args=[device.pk])):
        body = c.get(url).content.decode()
        assert "s3creto-largo" not in body
    assert "••••••go" in c.get(device.get_absolute_url()).content.decode()


def test_a_blank_password_keeps_the_stored_one(client_for):
    device = make_device(password_encrypted=crypto.encrypt("anterior-123"))
    data = _device_data(device.system, code=device.code, password="")
    data.pop("lifecycle")
    response = client_for("tecnico").post(reverse("cameras:device_edit", args=[device.pk]), data)
    assert response.status_code == 302
    device.refresh_from_db()
    assert crypto.decrypt(device.password_encrypted) == "anterior-123"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("bearing", "400", "La orientación debe estar entre 0 y 360 grados."),
        ("bearing", "-5", "La orientación debe estar entre 0 y 360 grados."),
        ("field_of_view", "0", "El campo de visión debe ser mayor que 0 y como máximo 360 grados."),
        ("field_of_view", "361", "El campo de visión debe ser mayor que 0 y como máximo 360 grados."),
        ("tilt", "-1", "La inclinación debe estar entre 0 y 90 grados bajo la horizontal."),
        ("tilt", "91", "La inclinación debe estar entre 0 y 90 grados bajo la horizontal."),
        ("stream_url", "http://127.0.0.1/cam", "rtsp://"),
        ("stream_url", "rtsp://", "está mal escrita"),
        ("stream_url", "rtsp://cam era.local/x", "está mal escrita"),
        ("snapshot_url", "ftp://127.0.0.1/x.jpg", "http:// o https://"),
    ],
)
def test_bad_camera_input_is_refused_with_a_spanish_message(client_for, field, value, message):
    system = make_system()
    response = client_for("tecnico").post(reverse("cameras:device_create"), _device_data(system, **{field: value}))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, errors
    assert "mayor o igual" not in errors and "menor o igual" not in errors  # our message, not Django's generic one
    assert not Device.objects.filter(code="CAM-NEW-1").exists()


def test_lifecycle_change_records_who_when_and_why(client_for, users):
    device = make_device(lifecycle=Lifecycle.OPERATIONAL)
    c = client_for("tecnico")
    response = c.post(
        reverse("cameras:device_lifecycle", args=[device.pk]),
        {"to_status": "maintenance", "reason": "Cambio de fuente"},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.lifecycle == Lifecycle.MAINTENANCE
    change = StatusChange.objects.get(device=device)
    assert change.by == users["tecnico"] and change.reason == "Cambio de fuente"
    assert "Cambio de fuente" in c.get(device.get_absolute_url()).content.decode()


def test_a_lifecycle_change_not_allowed_or_without_reason_is_refused(client_for):
    device = make_device(lifecycle=Lifecycle.OPERATIONAL)
    c = client_for("tecnico")
    response = c.post(reverse("cameras:device_lifecycle", args=[device.pk]), {"to_status": "planned", "reason": "x"})
    assert response.status_code == 400
    response = c.post(reverse("cameras:device_lifecycle", args=[device.pk]), {"to_status": "offline", "reason": ""})
    assert response.status_code == 400 and "obligatorio" in response.content.decode()
    device.refresh_from_db()
    assert device.lifecycle == Lifecycle.OPERATIONAL and not StatusChange.objects.filter(device=device).exists()


def test_a_liaison_cannot_change_the_lifecycle(client_for):
    device = make_device(lifecycle=Lifecycle.OPERATIONAL)
    response = client_for("enlace.policia").post(
        reverse("cameras:device_lifecycle", args=[device.pk]), {"to_status": "offline", "reason": "x"}
    )
    assert response.status_code == 403


def test_device_list_filters_by_status_type_owner_and_parish(client_for):
    system = make_system(owner="ecu911", monitored_by="ecu911")
    make_device(system, code="CAM-A", camera_type="dome", health="online")
    make_device(system, code="CAM-B", camera_type="fixed", health="offline", lifecycle="offline")
    c = client_for("tecnico")

    def codes(**params):
        page = c.get(reverse("cameras:device_list"), params)
        return {d.code for d in page.context["page"].object_list}

    assert codes(health="online") == {"CAM-A"}
    assert codes(camera_type="fixed") == {"CAM-B"}
    assert codes(lifecycle="offline") == {"CAM-B"}
    assert codes(owner="ecu911", monitored_by="ecu911") == {"CAM-A", "CAM-B"}
    assert codes(owner="municipality") == set()
    assert codes(parish=system.site.parish_id) == {"CAM-A", "CAM-B"}


def test_site_page_lists_systems_and_cameras(client_for):
    device = make_device()
    body = client_for("directora").get(device.system.site.get_absolute_url()).content.decode()
    assert device.code in body and device.system.name in body


def test_a_decommissioned_camera_offers_no_status_change(client_for):
    device = make_device(lifecycle=Lifecycle.DECOMMISSIONED)
    response = client_for("tecnico").get(device.get_absolute_url())
    assert response.status_code == 200 and response.context["lifecycle_form"] is None


def test_the_camera_page_offers_the_lifecycle_form_only_to_editors(client_for):
    device = make_device(lifecycle=Lifecycle.OPERATIONAL)
    form = client_for("tecnico").get(device.get_absolute_url()).context["lifecycle_form"]
    assert {v for v, _label in form.fields["to_status"].choices} == {
        "offline",
        "degraded",
        "maintenance",
        "decommissioned",
    }
    body = client_for("enlace.policia").get(device.get_absolute_url()).content.decode()
    assert "lifecycle-form" not in body and "127.0.0.1:18554" not in body  # liaisons see no addresses either
