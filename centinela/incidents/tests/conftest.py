"""Files to import: generated in each test from parish centres of the Loja gazetteer."""

import pytest


@pytest.fixture
def points(db):
    """{parish code: (lon, lat)} for two parishes, at points that locate into them."""
    from centinela.territory.models import Parish
    from centinela.territory.selectors import locate_ids

    out = {}
    for parish in Parish.objects.filter(code__in=["110101", "110104"]):
        ids, _ = locate_ids([parish.centre_lon], [parish.centre_lat])
        assert ids[0] == parish.pk, parish.code
        out[parish.code] = (parish.centre_lon, parish.centre_lat)
    return out


@pytest.fixture
def ecu911_profile(db):
    from centinela.incidents.services import save_profile

    return save_profile(
        "ECU 911 export",
        "ecu911",
        {
            "source_ref": "ID Incidente",
            "occurred_at": "Fecha",
            "category": "Servicio",
            "lon": "Longitud",
            "lat": "Latitud",
            "address": "Dirección",
        },
        date_format="%d/%m/%Y %H:%M",
        category_values={"Robo a personas (DMCS)": "robo-personas"},
    )


def write_csv(path, rows, *, header=("ID Incidente", "Fecha", "Servicio", "Longitud", "Latitud", "Dirección")):
    lines = [";".join(header)] + [";".join(str(c) for c in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


SPLIT_HEADER = ("Código", "Fecha del hecho", "Hora", "Servicio", "Longitud", "Latitud")


@pytest.fixture
def split_profile(db):
    """A profile that reads the date and the time from two columns (SPLIT_HEADER)."""
    from centinela.incidents.services import save_profile

    return save_profile(
        "Fecha y hora aparte",
        "ecu911",
        {
            "source_ref": "Código",
            "occurred_at": "Fecha del hecho",
            "occurred_time": "Hora",
            "category": "Servicio",
            "lon": "Longitud",
            "lat": "Latitud",
        },
        date_format="%d/%m/%Y",
    )
