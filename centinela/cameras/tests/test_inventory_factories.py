"""Small builders for the camera-page tests (no tests here): a site at a real place of a parish, a system, cameras."""

from decimal import Decimal

from centinela.cameras.models import Device, Site, System
from centinela.territory import selectors as territory
from centinela.territory.models import Place


def make_site(name="Parque de prueba", parish_code="110101", place=None):
    place = place or Place.objects.filter(parish__code=parish_code).order_by("name").first()
    location = territory.locate(place.lon, place.lat)
    return Site.objects.create(
        name=name, place=place, lon=place.lon, lat=place.lat, parish=location.parish, barrio=location.barrio
    )


def make_system(site=None, name="NVR 1", **extra):
    return System.objects.create(site=site or make_site(), name=name, **extra)


def make_device(system=None, code="CAM-T-1", **extra):
    values = dict(
        name=f"Cámara {code}",
        bearing=Decimal("90"),
        field_of_view=Decimal("90"),
        range_m=60,
        stream_url=f"rtsp://127.0.0.1:18554/cam/{code}",
        snapshot_url="http://127.0.0.1:18554/cam/0/snapshot.jpg",
    )
    values.update(extra)
    return Device.objects.create(system=system or make_system(), code=code, **values)
