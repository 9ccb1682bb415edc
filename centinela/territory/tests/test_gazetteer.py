import json

import pytest
import shapely
from django.conf import settings

from centinela.territory import geometry
from centinela.territory.models import Barrio, Canton, GeometrySource, Parish, Place
from centinela.territory.services import load_gazetteer

pytestmark = pytest.mark.django_db

SEED_PLACES = [
    "Salón de los Alcaldes",
    "Jipiro",
    "Tebaida",
    "Parque Bolívar",
    "San Sebastián",
    "Pucará",
    "Ciudadela Zamora",
    "Cuarto Centenario",
    "San Cayetano Bajo",
    "Revisión Vehicular",
    "Puerto Seco",
    "Teatro Bolívar",
    "Matilde Hidalgo",
    "San Camilo de Lellis",
    "Julia Esther González",
    "acopio de víveres",
    "Banco de Guayaquil",
    "Banco Pichincha",
    "Banco de Loja",
]


def test_loja_has_six_urban_and_thirteen_rural_parishes_with_unique_codes():
    assert Parish.objects.filter(kind="urban").count() == 6
    assert Parish.objects.filter(kind="rural").count() == 13
    assert set(Parish.objects.filter(kind="urban").values_list("name", flat=True)) == {
        "El Sagrario",
        "San Sebastián",
        "Sucre",
        "El Valle",
        "Punzara",
        "Carigán",
    }
    codes = list(Parish.objects.values_list("code", flat=True))
    assert all(code.startswith("1101") and len(code) == 6 for code in codes)


def test_every_place_the_seed_names_is_in_the_gazetteer_and_inside_a_parish():
    for fragment in SEED_PLACES:
        matches = Place.objects.filter(name__icontains=fragment)
        assert matches.exists(), fragment
        assert all(p.parish_id for p in matches), fragment


def test_approximate_parish_areas_partition_the_canton_without_overlaps():
    canton = Canton.objects.get()
    parishes = list(Parish.objects.all())
    assert all(p.geometry_source == GeometrySource.APPROXIMATE for p in parishes)
    union = shapely.union_all([p.geometry for p in parishes])
    assert union.symmetric_difference(canton.outline).area < 1e-6
    total = sum(p.geometry.area for p in parishes)
    assert total == pytest.approx(canton.outline.area, rel=1e-6)  # no overlaps
    for p in parishes:  # each parish's own centre lies in its own cell
        assert p.geometry.covers(shapely.Point(p.centre_lon, p.centre_lat)), p.name


def test_reloading_duplicates_nothing_and_keeps_links():
    before = (Parish.objects.count(), Barrio.objects.count(), Place.objects.count())
    ids = dict(Parish.objects.values_list("code", "id"))
    load_gazetteer(settings.GAZETTEER_DIR)
    assert (Parish.objects.count(), Barrio.objects.count(), Place.objects.count()) == before
    assert dict(Parish.objects.values_list("code", "id")) == ids


def test_reloading_never_moves_a_place_staff_verified():
    place = Place.objects.get(name="Teatro Bolívar")
    place.lat, place.lon, place.location_verified = -3.99851, -79.20199, True
    place.save()
    load_gazetteer(settings.GAZETTEER_DIR)
    place.refresh_from_db()
    assert (place.lat, place.lon, place.location_verified) == (-3.99851, -79.20199, True)


def test_reloading_keeps_an_imported_boundary():
    parish = Parish.objects.get(code="110157")
    official = shapely.box(-79.30, -3.75, -79.22, -3.70)
    parish.geometry, parish.geometry_source = official, GeometrySource.OFFICIAL
    parish.save()
    load_gazetteer(settings.GAZETTEER_DIR)
    parish.refresh_from_db()
    assert parish.geometry_source == GeometrySource.OFFICIAL
    assert parish.geometry.equals(official)


def test_area_in_km2_is_geodesic():
    # a 0.01° square at the equator is about 1.11 km × 1.11 km
    assert geometry.area_km2(shapely.box(0, 0, 0.01, 0.01)) == pytest.approx(1.2308, rel=1e-3)


def test_gazetteer_file_marks_unverified_coordinates():
    data = json.loads((settings.GAZETTEER_DIR / "gazetteer.json").read_text())
    unverified = [p for p in data["places"] if not p.get("verified")]
    assert unverified and all(
        "verificar" in p["notes"].lower() or "fuente" in p["notes"].lower() or "posición" in p["notes"].lower()
        for p in unverified
    )
