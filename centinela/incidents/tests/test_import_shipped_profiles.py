"""The import profiles that ship: a fresh database has one for the ECU 911's export and one for the Policía
Nacional's statistics, each reads a file in its source's own layout, and the demo loader puts them back if missing
without touching an administrator's edits."""

from io import StringIO

import pytest
from django.core.management import call_command

from centinela.incidents.models import ImportProfile, Incident
from centinela.incidents.profiles import ECU911, POLICE, ensure_shipped_profiles

pytestmark = pytest.mark.django_db


def test_a_fresh_database_has_both_profiles_from_the_migration():
    shipped = {p.name: p for p in ImportProfile.objects.select_related("source")}
    assert shipped[ECU911].source.code == "ecu911" and shipped[POLICE].source.code == "policia"
    assert shipped[ECU911].columns["occurred_at"] == "Fecha y hora"
    assert shipped[POLICE].columns["category"] == "Delito"


def test_an_ecu911_export_imports_with_its_profile(tmp_path, points):
    """Excel's "Texto Unicode" save of the ECU 911 export: UTF-16, tab-separated, with columns the profile skips."""
    (lon1, lat1), (lon2, lat2) = points["110101"], points["110104"]
    header = [
        "Código",
        "Fecha y hora",
        "Servicio",
        "Subtipo",
        "Provincia",
        "Cantón",
        "Parroquia",
        "Dirección",
        "Latitud",
        "Longitud",
    ]
    rows = [
        [
            "LOJ-2021-000101",
            "03/02/2021 22:15",
            "Seguridad Ciudadana",
            "Robo",
            "Loja",
            "Loja",
            "El Sagrario",
            "Bolívar y Rocafuerte",
            lat1,
            lon1,
        ],
        [
            "LOJ-2021-000102",
            "04/02/2021 07:40",
            "TRANSITO Y MOVILIDAD",
            "Choque",
            "Loja",
            "Loja",
            "San Sebastián",
            "Av. Universitaria",
            lat2,
            lon2,
        ],
        [
            "LOJ-2021-000103",
            "04/02/2021 09:05",
            "Gestión Sanitaria",
            "Caída",
            "Loja",
            "Loja",
            "El Sagrario",
            "Parque Central",
            lat1,
            lon1,
        ],
    ]
    text = "".join("\t".join(str(c) for c in r) + "\r\n" for r in [header] + rows)
    path = tmp_path / "ecu911.txt"
    path.write_bytes(("\ufeff" + text).encode("utf-16-le"))
    out = StringIO()
    call_command("import_incidents", str(path), profile=ECU911, no_progress=True, stdout=out)
    assert "3 incidentes creados." in out.getvalue(), out.getvalue()
    got = {
        i.source_ref: (i.category.code, i.parish.code, i.address, i.precision)
        for i in Incident.objects.select_related("category", "parish")
    }
    assert got == {
        "LOJ-2021-000101": ("ecu911-seguridad-ciudadana", "110101", "Bolívar y Rocafuerte", "exact"),
        "LOJ-2021-000102": ("ecu911-transito-movilidad", "110104", "Av. Universitaria", "exact"),
        "LOJ-2021-000103": ("ecu911-gestion-sanitaria", "110101", "Parque Central", "exact"),
    }


def test_a_police_statistics_file_imports_with_its_profile(tmp_path, points):
    """The police's statistics as a Spanish Excel saves them: Windows-1252, semicolons, capitals without accents,
    decimal commas, and the legal types of homicide counted as intentional homicide."""
    lon, lat = (str(v).replace(".", ",") for v in points["110101"])
    header = [
        "Número de parte",
        "Fecha y hora de la infracción",
        "Delito",
        "Zona",
        "Distrito",
        "Circuito",
        "Subcircuito",
        "Dirección del hecho",
        "Latitud",
        "Longitud",
    ]
    rows = [
        [
            "PN-7-0001",
            "01/03/2021 19:45",
            "ROBO A DOMICILIO",
            "Zona 7",
            "Loja",
            "Centro",
            "Centro 1",
            "Calle Mercadillo y Olmedo",
            lat,
            lon,
        ],
        [
            "PN-7-0002",
            "02/03/2021 02:10",
            "ASESINATO",
            "Zona 7",
            "Loja",
            "Centro",
            "Centro 2",
            "Av. Iberoamérica",
            lat,
            lon,
        ],
        ["PN-7-0003", "02/03/2021 11:00", "ROBO DE MOTOS", "Zona 7", "Loja", "Centro", "Centro 1", "Sucre", lat, lon],
        [
            "PN-7-0004",
            "03/03/2021 16:30",
            "ROBO A UNIDADES ECONOMICAS",
            "Zona 7",
            "Loja",
            "Centro",
            "Centro 1",
            "Mercado Centro Comercial",
            lat,
            lon,
        ],
    ]
    text = "".join(";".join(r) + "\r\n" for r in [header] + rows)
    path = tmp_path / "policia.csv"
    path.write_bytes(text.encode("cp1252"))
    out = StringIO()
    call_command("import_incidents", str(path), profile=POLICE, no_progress=True, stdout=out)
    assert "4 incidentes creados." in out.getvalue(), out.getvalue()
    got = dict(Incident.objects.values_list("source_ref", "category__code"))
    assert got == {
        "PN-7-0001": "robo-domicilios",
        "PN-7-0002": "homicidio-intencional",
        "PN-7-0003": "robo-motos",
        "PN-7-0004": "robo-unidades-economicas",
    }
    assert set(Incident.objects.values_list("source__code", "precision", "parish__code")) == {
        ("policia", "street", "110101")
    }


def test_shipping_is_idempotent_and_keeps_an_administrators_edits():
    edited = ImportProfile.objects.get(name=ECU911)
    edited.date_format = "%Y-%m-%d %H:%M"
    edited.save()
    ImportProfile.objects.filter(name=POLICE).delete()
    assert ensure_shipped_profiles() == 1
    assert ensure_shipped_profiles() == 0
    assert ImportProfile.objects.filter(name__in=[ECU911, POLICE]).count() == 2
    assert ImportProfile.objects.get(name=ECU911).date_format == "%Y-%m-%d %H:%M"


def test_the_demo_loader_restores_missing_profiles():
    from centinela.incidents.demo import load_demo_incidents

    ImportProfile.objects.filter(name__in=[ECU911, POLICE]).delete()
    result = load_demo_incidents(n=30)
    assert result["profiles_created"] == 2
    assert set(ImportProfile.objects.values_list("name", flat=True)) >= {ECU911, POLICE}
