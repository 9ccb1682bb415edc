"""Issue 13 item 6: a date given without its time is not midnight. The import keeps such a row (a note in the
preview, not a problem) with `time_known` False; the incident's page and the list say "hora desconocida" instead of
00:00, the exports carry the flag, and the observatory's hour-of-day table leaves those incidents out and says how
many."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from centinela.incidents.models import Category, Incident, Source
from centinela.incidents.services import import_incidents, save_profile
from centinela.observatory import indicators
from centinela.observatory.indicators import month_period

from .conftest import SPLIT_HEADER, write_csv
from .test_import_page import upload

pytestmark = pytest.mark.django_db
LOJA = ZoneInfo("America/Guayaquil")


def known():
    return {
        i.source_ref: (timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"), i.time_known)
        for i in Incident.objects.all()
    }


def test_an_empty_time_cell_is_no_problem_and_no_false_midnight(tmp_path, points, split_profile):
    lon, lat = points["110101"]
    rows = [
        ("A", "03/02/2021", "8:05", "robo-motos", lon, lat),
        ("B", "03/02/2021", "", "robo-motos", lon, lat),
        ("C", "04/02/2021", "00:00", "robo-motos", lon, lat),  # a real midnight stays one
    ]
    path = write_csv(tmp_path / "f.csv", rows, header=SPLIT_HEADER)
    preview = import_incidents(path, split_profile, dry_run=True)
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.preview["without_time"] == 1
    result = import_incidents(path, split_profile)
    assert result.applied
    assert known() == {
        "A": ("2021-02-03 08:05", True),
        "B": ("2021-02-03 00:00", False),
        "C": ("2021-02-04 00:00", True),
    }


def test_a_profile_whose_dates_have_no_time_imports_every_row_without_a_known_time(tmp_path, points):
    profile = save_profile(
        "Solo fecha",
        "ecu911",
        {"source_ref": "Código", "occurred_at": "Fecha", "category": "Servicio", "lon": "Lon", "lat": "Lat"},
        date_format="%d/%m/%Y",
    )
    lon, lat = points["110101"]
    rows = [("A", "03/02/2021", "robo-motos", lon, lat), ("B", "2021-02-04 10:30", "robo-motos", lon, lat)]
    path = write_csv(tmp_path / "f.csv", rows, header=("Código", "Fecha", "Servicio", "Lon", "Lat"))
    result = import_incidents(path, profile)
    assert result.applied and result.preview["without_time"] == 1, [str(p) for p in result.problems]
    assert known() == {"A": ("2021-02-03 00:00", False), "B": ("2021-02-04 10:30", True)}


def test_the_preview_says_in_spanish_how_many_rows_have_no_time(client_for, tmp_path, points, split_profile):
    lon, lat = points["110101"]
    rows = [("A", "03/02/2021", "", "robo-motos", lon, lat), ("B", "03/02/2021", "", "robo-motos", lon, lat)]
    body = upload(client_for("tecnico"), write_csv(tmp_path / "f.csv", rows, header=SPLIT_HEADER), split_profile)
    html = body.content.decode()
    assert 'id="import-problems"' not in html and 'id="confirm-import"' in html
    assert (
        "2 filas dan la fecha sin la hora: se guardan con su fecha y «hora desconocida» (no como 00:00) y quedan "
        "fuera de las cifras por hora del día." in html
    )
    assert "03/02/2021 · hora desconocida" in html  # the sample of the rows as they will be saved


def add(when, time_known=True, ref=""):
    return Incident.objects.create(
        source=Source.objects.get_or_create(code="ecu911", defaults={"name": "ECU 911"})[0],
        source_ref=ref,
        category=Category.objects.get(code="robo-motos"),
        occurred_at=datetime(*when, tzinfo=LOJA),
        time_known=time_known,
        lon=-79.2,
        lat=-4.0,
    )


def test_the_page_the_list_and_the_export_say_the_time_is_unknown(client_for):
    incident = add((2024, 3, 2), time_known=False, ref="SIN-HORA")
    add((2024, 3, 3, 9, 15), ref="CON-HORA")
    c = client_for("tecnico")
    page = c.get(f"/incidentes/{incident.pk}/").content.decode()
    assert "02/03/2024 · " in page and "hora desconocida" in page and "02/03/2024 00:00" not in page
    listed = c.get("/incidentes/").content.decode()
    assert "02/03/2024 · hora desconocida" in listed and "03/03/2024 09:15" in listed
    export = b"".join(c.get("/incidentes/", {"export": "csv"}).streaming_content).decode("utf-8-sig").splitlines()
    header = export[0].split(",")
    flag = header.index("Hora conocida")
    rows = {line.split(",")[header.index("Identificador en la fuente")]: line.split(",")[flag] for line in export[1:]}
    assert rows == {"SIN-HORA": "no", "CON-HORA": "sí"}


def test_the_hour_of_day_table_leaves_out_the_incidents_without_a_time_and_says_how_many(users, client_for):
    add((2024, 3, 2, 10))
    add((2024, 3, 4), time_known=False)  # would be counted at 00 h
    add((2024, 3, 5), time_known=False)
    heat = indicators.heat(users["directora"], month_period(2024, 3))
    assert heat.total == 1 and heat.cells[0][0] == 0 and heat.cells[5][10] == 1
    assert heat.time_unknown == 2
    html = client_for("directora").get("/observatorio/indicadores/?period=month&year=2024&month=3").content.decode()
    assert "2 incidentes del período quedan fuera: su fuente dio la fecha sin la hora." in html
