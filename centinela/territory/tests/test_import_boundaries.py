"""manage.py import_boundaries: any CRS in, WGS84 stored, updates by code keep links, nothing half-imported."""

import zipfile
from io import StringIO

import numpy as np
import pyogrio
import pytest
import shapely
from django.core.management import CommandError, call_command
from pyproj import Transformer

from centinela.territory.models import Barrio, GeometrySource, Parish, Place

pytestmark = pytest.mark.django_db

TO_UTM = Transformer.from_crs(4326, 32717, always_xy=True)


def to_utm(geom):
    return shapely.transform(geom, lambda c: np.column_stack(TO_UTM.transform(c[:, 0], c[:, 1])))


def write(path, rows, crs="EPSG:4326", driver=None, layer=None):
    """rows: list of (name, code, geometry); written with pyogrio so the test exercises real files."""
    geoms = np.array([shapely.to_wkb(g) if g is not None else None for _, _, g in rows], dtype=object)
    fields = {
        "NOMBRE": np.array([r[0] for r in rows], dtype=object),
        "DPA": np.array([r[1] for r in rows], dtype=object),
    }
    kwargs = {"driver": driver} if driver else {}
    if layer:
        kwargs["layer"] = layer
    pyogrio.raw.write(
        str(path), geoms, list(fields.values()), fields=list(fields.keys()), geometry_type="Unknown", crs=crs, **kwargs
    )
    return path


def run(path, level="parish", **extra):
    out, err = StringIO(), StringIO()
    call_command(
        "import_boundaries",
        str(path),
        level=level,
        name_field="NOMBRE",
        code_field="DPA",
        stdout=out,
        stderr=err,
        **extra,
    )
    return out.getvalue(), err.getvalue()


def official_parishes(shrink=0.0):
    return [
        (p.name.upper(), p.code, p.geometry.buffer(-shrink) if shrink else p.geometry)
        for p in Parish.objects.order_by("code")
    ]


def test_utm_geojson_updates_parishes_in_place_and_keeps_links(tmp_path):
    before_ids = dict(Parish.objects.values_list("code", "id"))
    place = Place.objects.get(name="Teatro Bolívar")
    rows = [(n, c, to_utm(g)) for n, c, g in official_parishes()]
    out, _ = run(write(tmp_path / "parroquias.geojson", rows, crs="EPSG:32717"))
    assert "imported" in out
    assert dict(Parish.objects.values_list("code", "id")) == before_ids
    sagrario = Parish.objects.get(code="110101")
    assert sagrario.geometry_source == GeometrySource.OFFICIAL and sagrario.name == "EL SAGRARIO"
    # reprojected back to lon/lat: the stored polygon matches the original within centimetres
    original = dict((c, g) for _, c, g in official_parishes())["110101"]
    assert sagrario.geometry.symmetric_difference(original).area < 1e-10
    place.refresh_from_db()
    assert place.parish_id == before_ids["110101"]


def test_zipped_shapefile_and_geopackage_are_read(tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    rows = [(n, c, to_utm(g)) for n, c, g in official_parishes()[:3]]
    write(shp_dir / "parroquias.shp", rows, crs="EPSG:32717")
    archive = tmp_path / "parroquias.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in shp_dir.iterdir():
            z.write(f, f.name)
    out, _ = run(archive)
    assert "'updated': 3" in out
    gpkg = write(tmp_path / "p.gpkg", official_parishes()[3:5], driver="GPKG", layer="parroquias")
    out, _ = run(gpkg)
    assert "'updated': 2" in out
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == 5


def test_moving_a_boundary_moves_the_places_inside_it(tmp_path):
    sagrario = Parish.objects.get(code="110101")
    place = Place.objects.get(name="Parque Recreacional Jipiro")
    assert place.parish.code == "110104"
    grown = sagrario.geometry.union(shapely.Point(place.lon, place.lat).buffer(0.003))
    valle = Parish.objects.get(code="110104")
    shrunk = valle.geometry.difference(grown)
    run(write(tmp_path / "p.geojson", [("EL SAGRARIO", "110101", grown), ("EL VALLE", "110104", shrunk)]))
    place.refresh_from_db()
    assert place.parish.code == "110101"


def test_self_touching_polygon_is_repaired_and_reported(tmp_path):
    bowtie = shapely.Polygon([(-79.30, -3.75), (-79.22, -3.70), (-79.22, -3.75), (-79.30, -3.70)])
    assert not bowtie.is_valid
    out, _ = run(write(tmp_path / "p.geojson", [("SAN LUCAS", "110157", bowtie)]))
    assert "fila 1 (SAN LUCAS): reparado" in out
    geom = Parish.objects.get(code="110157").geometry
    assert geom.is_valid and geom.area > 0


def assert_nothing_changed(before):
    assert list(Parish.objects.order_by("code").values_list("code", "name", "geometry_source")) == before


def snapshot():
    return list(Parish.objects.order_by("code").values_list("code", "name", "geometry_source"))


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [
                ("A", "110101", shapely.box(-79.21, -4.0, -79.20, -3.99)),
                ("B", "110101", shapely.box(-79.3, -3.8, -79.29, -3.79)),
            ],
            "El código 110101 se repite (también en la fila 1)",
        ),
        (
            [
                ("A", "110101", shapely.box(-79.21, -4.0, -79.20, -3.99)),
                ("", "110102", shapely.box(-79.3, -3.8, -79.29, -3.79)),
            ],
            "fila 2 (110102): El campo de nombre (NOMBRE) está vacío",
        ),
        (
            [("A", "110101", shapely.box(-79.21, -4.0, -79.20, -3.99)), ("VACIA", "110102", None)],
            "fila 2 (VACIA): La geometría está vacía",
        ),
        (
            [("LINEA", "110101", shapely.LineString([(-79.2, -4.0), (-79.1, -4.1)]))],
            "fila 1 (LINEA): La geometría es un LineString",
        ),
        (
            [("PLANA", "110101", shapely.Polygon([(-79.2, -4.0), (-79.1, -4.1), (-79.0, -4.2)]))],
            "fila 1 (PLANA): Polígono inválido que no se puede reparar",
        ),
    ],
)
def test_a_file_with_any_bad_feature_changes_nothing_and_names_it_in_spanish(tmp_path, rows, message):
    before = snapshot()
    path = write(tmp_path / "bad.geojson", rows)
    with pytest.raises(CommandError, match="nothing was imported"):
        _, err = run(path)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), level="parish", name_field="NOMBRE", code_field="DPA", stderr=err)
    assert message in err.getvalue()
    assert_nothing_changed(before)


def test_shapefile_without_crs_is_rejected(tmp_path):
    before = snapshot()
    rows = [(n, c, to_utm(g)) for n, c, g in official_parishes()[:2]]
    path = write(tmp_path / "sin_prj.shp", rows, crs=None)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), level="parish", name_field="NOMBRE", code_field="DPA", stderr=err)
    assert "no indica su sistema de referencia de coordenadas" in err.getvalue()
    assert_nothing_changed(before)


def test_missing_name_field_lists_the_fields_there_are(tmp_path):
    path = write(tmp_path / "p.geojson", official_parishes()[:1])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), level="parish", name_field="NAME", code_field="DPA", stderr=err)
    assert "Falta el campo NAME; el archivo tiene: NOMBRE, DPA" in err.getvalue()


def test_dry_run_previews_without_changing(tmp_path):
    before = snapshot()
    out, _ = run(write(tmp_path / "p.geojson", official_parishes()), dry_run=True)
    assert "'update': 19" in out and "dry run" in out
    assert_nothing_changed(before)


def test_barrio_import_finds_the_parish_and_updates_by_code(tmp_path):
    barrio = Barrio.objects.get(code="LOJA-B-JIPIRO")
    new_shape = shapely.Point(barrio.centre_lon, barrio.centre_lat).buffer(0.004)
    out, _ = run(
        write(
            tmp_path / "b.geojson",
            [
                ("Jipiro", "LOJA-B-JIPIRO", new_shape),
                ("Nuevo", "LOJA-B-NUEVO", shapely.Point(-79.2017, -3.996).buffer(0.001)),
            ],
        ),
        level="barrio",
    )
    assert "'updated': 1" in out and "'created': 1" in out
    barrio.refresh_from_db()
    assert barrio.geometry_source == GeometrySource.OFFICIAL and barrio.parish.code == "110104"
    assert Barrio.objects.get(code="LOJA-B-NUEVO").parish.code == "110101"


def test_barrio_outside_the_canton_is_rejected(tmp_path):
    err = StringIO()
    path = write(tmp_path / "b.geojson", [("Lejos", "X1", shapely.box(-78.0, -2.0, -77.99, -1.99))])
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), level="barrio", name_field="NOMBRE", code_field="DPA", stderr=err)
    assert "fuera de todas las parroquias" in err.getvalue()
    assert not Barrio.objects.filter(code="X1").exists()
