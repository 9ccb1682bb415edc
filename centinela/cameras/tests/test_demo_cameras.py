"""The demo network as the 2020 account tells it: twelve reactivated systems linked to their activities, the circuit
extended to the Centro de Revisión Vehicular and Puerto Seco Comercial, the three markets; re-running adds nothing."""

import pytest
from django.apps import apps

from centinela.cameras.demo import load_demo_cameras
from centinela.cameras.models import Device, Site, System
from centinela.lib import crypto
from centinela.reports.tests.demo_db import demo_year_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_year_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            load_demo_cameras()
        yield


def test_twelve_reactivated_systems_linked_to_their_activities(loaded, db):
    reactivated = System.objects.filter(reactivation__title__startswith="Reactivación de sistemas de videovigilancia")
    assert reactivated.count() == 12
    names = set(reactivated.values_list("site__name", flat=True))
    for expected in (
        "Parque Bolívar (Simón Bolívar)",
        "Parque Pucará",
        "Parque Recreacional Jipiro",
        "Parque Lineal La Tebaida",
        "Plaza San Sebastián (Plaza de la Independencia)",
        "Barrio Cuarto Centenario (cámaras)",
        "Barrio San Cayetano Bajo (cámaras)",
        "Barrio Ciudadela Zamora (cámaras)",
    ):
        assert expected in names
    assert all(s.reactivated_on == s.reactivation.starts_at.date() for s in reactivated)


def test_the_circuit_extension_and_the_three_markets(loaded, db):
    assert set(System.objects.filter(reactivated_on=None).values_list("site__name", flat=True)) == {
        "Centro de Revisión Vehicular",
        "Puerto Seco Comercial",
    }
    markets = System.objects.filter(site__place__kind="market")
    assert markets.count() == 3 and set(markets.values_list("monitored_by", flat=True)) == {"municipal"}


def test_each_system_has_two_to_four_cameras_pointing_at_the_simulator(loaded, db):
    for system in System.objects.all():
        assert 2 <= system.devices.count() <= 4
    devices = list(Device.objects.all())
    assert len(devices) <= 40  # the simulator's default number of cameras
    ks = sorted(int(d.stream_url.rsplit("/", 1)[1]) for d in devices)
    assert ks == list(range(len(devices)))
    for d in devices:
        assert d.stream_url.startswith("rtsp://127.0.0.1:18554/cam/")
        assert d.snapshot_url.startswith("http://127.0.0.1:18554/cam/") and d.snapshot_url.endswith("/snapshot.jpg")
        assert d.bearing is not None and 0 < d.field_of_view <= 360 and d.range_m
        assert crypto.decrypt(d.password_encrypted) == "centinela"
        assert {u.username for u in d.responsible.all()} == {"enlace.ecu911", "tecnico"}
        d.full_clean()
    assert Device.objects.filter(camera_type="panning").exists()


def test_sites_are_located_in_their_parish(loaded, db):
    assert not Site.objects.filter(parish=None).exists()


def test_loading_again_duplicates_nothing(loaded, db):
    models = list(apps.get_app_config("cameras").get_models())
    before = {m: m.objects.count() for m in models}
    passwords = dict(Device.objects.values_list("code", "password_encrypted"))
    load_demo_cameras()
    assert {m: m.objects.count() for m in models} == before
    assert dict(Device.objects.values_list("code", "password_encrypted")) == passwords
