"""Street segments: imported as lines in any CRS (all or nothing), placed in their parish, listed in a camera's view."""

from io import StringIO

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.urls import reverse

from centinela.territory.models import StreetSegment
from centinela.territory.tests.test_import_boundaries import to_utm, write

pytestmark = pytest.mark.django_db

# Near Parque Central (El Sagrario): one street passing the camera, one far away to the north
NEAR = shapely.LineString([(-79.2030, -3.9962), (-79.2000, -3.9962)])
FAR = shapely.LineString([(-79.2030, -3.9700), (-79.2000, -3.9700)])


def run(path, **extra):
    out, err = StringIO(), StringIO()
    call_command("import_streets", str(path), name_field="NOMBRE", code_field="DPA", stdout=out, stderr=err, **extra)
    return out.getvalue()


def test_lines_in_utm_are_imported_into_their_parish(tmp_path):
    out = run(
        write(
            tmp_path / "calles.geojson",
            [("Calle Bolívar", "S1", to_utm(NEAR)), ("Av. Universitaria", "S2", to_utm(FAR))],
            crs="EPSG:32717",
        )
    )
    assert "'created': 2" in out
    near = StreetSegment.objects.get(code="S1")
    assert near.parish.code == "110101" and near.length_m == pytest.approx(333, rel=0.02)
    run(write(tmp_path / "calles2.geojson", [("Calle Simón Bolívar", "S1", NEAR)]))
    assert StreetSegment.objects.get(code="S1").name == "Calle Simón Bolívar" and StreetSegment.objects.count() == 2


def test_a_polygon_or_a_street_outside_the_canton_changes_nothing(tmp_path):
    for rows, message in (
        (
            [("Calle", "S1", NEAR), ("Plaza", "S2", NEAR.buffer(0.001))],
            "fila 2 (Plaza): La geometría es un Polygon, no una línea",
        ),
        (
            [("Calle", "S1", NEAR), ("Lejos", "S3", shapely.LineString([(-78.0, -2.0), (-78.1, -2.0)]))],
            "fila 2 (Lejos): La calle queda fuera",
        ),
    ):
        err = StringIO()
        with pytest.raises(CommandError):
            call_command(
                "import_streets",
                str(write(tmp_path / "x.geojson", rows)),
                name_field="NOMBRE",
                code_field="DPA",
                stderr=err,
            )
        assert message in err.getvalue()
        assert not StreetSegment.objects.exists()


def test_a_camera_lists_the_streets_it_watches(client_for, tmp_path):
    from centinela.cameras.tests.test_inventory_factories import make_device, make_system

    run(write(tmp_path / "calles.geojson", [("Calle Bolívar", "S1", NEAR), ("Av. Universitaria", "S2", FAR)]))
    system = make_system()
    system.site.lon, system.site.lat = -79.2017, -3.9960
    system.site.save()
    device = make_device(system, code="CAM-PC-1", bearing=180, field_of_view=90, range_m=80)
    page = client_for("tecnico").get(reverse("cameras:device_detail", args=[device.pk]))
    names = [s.name for s in page.context["in_view"]["streets"]]
    assert names == ["Calle Bolívar"]
