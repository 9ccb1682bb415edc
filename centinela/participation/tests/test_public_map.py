"""The public map and list (no account): only published reports, never a duplicate; filters by category, status,
barrio and date; reports of sensitive categories (drugs, violence) never as points: counted per barrio only, in the
page, its map layer, and the open data (CSV, GeoJSON), which carry no personal data and only rounded points."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from centinela.participation import services
from centinela.participation.models import Report
from centinela.territory.models import Barrio

from .conftest import file_report

URL = "/participa/mapa/"
CONTACT = services.Contact(name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True)


def offset(point, d=0.0013579):
    """A point near a parish centre with digits no centre or rounding shares."""
    return point[0] + d, point[1] - d


def published(report):
    Report.objects.filter(pk=report.pk).update(published=True)
    report.refresh_from_db()
    return report


def coordinate_texts(report):
    """The ways an exact coordinate can be written in a page or a file."""
    texts = set()
    for value in (report.lon, report.lat):
        texts |= {repr(value), str(value), f"{value:.6f}", f"{value:.5f}", f"{value:.4f}".rstrip("0")}
        texts.add(f"{value:.6f}".replace(".", ","))
    return texts


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def drugs(categories, sagrario_point):
    report = file_report(
        categories["drogas-via-publica"],
        offset(sagrario_point),
        description="Venden droga en la esquina de la casa verde",
        contact=CONTACT,
    )
    barrio = Barrio.objects.filter(parish=report.parish).exclude(centre_lon=None).first()
    # received in a month that has ended: the public counts of sensitive reports cover complete months only
    Report.objects.filter(pk=report.pk).update(barrio=barrio, created_at=timezone.now() - timedelta(days=40))
    return published(report)


@pytest.fixture
def light(categories, sagrario_point):
    return published(
        file_report(categories["alumbrado-deficiente"], offset(sagrario_point, 0.0024681), contact=CONTACT)
    )


def test_the_map_opens_without_an_account_and_shows_only_published_reports(client, light, categories, valle_point):
    hidden = file_report(categories["alumbrado-deficiente"], valle_point)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert light.code in page and hidden.code not in page
    assert "Para una emergencia llame al 911" in page


def test_a_duplicate_is_never_shown(client, light, users):
    Report.objects.filter(pk=light.pk).update(status=Report.Status.DUPLICATE)
    assert light.code not in client.get(URL).content.decode()
    assert light.code not in body(client.get(URL + "?export=csv")).decode()


def test_a_drug_selling_reports_coordinates_never_appear_in_public(client, drugs, light):
    assert drugs.barrio is not None
    texts = coordinate_texts(drugs)
    page = client.get(URL).content.decode()
    geo = body(client.get(URL + "?export=geojson")).decode()
    points_csv = body(client.get(URL + "?export=csv")).decode()
    counts_csv = body(client.get(URL + "?export=csv&tabla=barrios")).decode()
    for text in (page, geo, points_csv, counts_csv):
        assert not any(t in text for t in texts)
        assert drugs.code not in text and "casa verde" not in text
    # ... and it is counted in its barrio, at the barrio's centre (one report: a hidden count, never "1")
    features = json.loads(geo)["features"]
    counted = [f for f in features if f["properties"].get("aggregated")]
    assert [(f["properties"]["barrio"], f["properties"]["count"]) for f in counted] == [(drugs.barrio.name, None)]
    assert counted[0]["geometry"]["coordinates"] == [drugs.barrio.centre_lon, drugs.barrio.centre_lat]
    rows = list(csv.DictReader(io.StringIO(counts_csv.lstrip("\ufeff"))))
    month = timezone.localtime(Report.objects.get(pk=drugs.pk).created_at).strftime("%Y-%m")
    assert rows[0] == {
        "level": "barrio",
        "parish": drugs.parish.name,
        "barrio": drugs.barrio.name,
        "category": drugs.category.name,
        "count": "",
        "suppressed": "1",
        "month_from": "",
        "month_to": rows[0]["month_to"],
    }
    assert rows[0]["month_to"] >= month
    assert drugs.barrio.name in page and "Consumo o venta de drogas" in page


def test_the_open_data_carries_no_personal_data_and_only_rounded_points(client, light):
    points_csv = body(client.get(URL + "?export=csv")).decode()
    # open data: the documented machine keys as headers, in any language (not the lists' Spanish labels)
    header = "code,received_on,category,status,parish,barrio,public_text,lat,lon"
    assert points_csv.lstrip("\ufeff").splitlines()[0] == header
    geo = client.get(URL + "?export=geojson")
    assert geo["Content-Type"] == "application/geo+json"
    assert geo.streaming  # the open data is complete whatever its size: sent feature by feature
    for text in (points_csv, body(geo).decode(), client.get(URL).content.decode()):
        assert light.code in text
        assert not any(v in text for v in ("Rosa Quizhpe", "0991112233", "rosa@example.ec"))
        assert not any(t in text for t in coordinate_texts(light))
    row = next(csv.DictReader(io.StringIO(points_csv.lstrip("\ufeff"))))
    assert float(row["lat"]) == round(light.lat, 3) and float(row["lon"]) == round(light.lon, 3)
    assert "contact_email" not in row


def test_the_public_text_not_the_reporters_words_is_published(client, light, users):
    services.edit_public_text(users["tecnico"], light, "Poste sin luz")
    Report.objects.filter(pk=light.pk).update(description="Mi vecino Juan Pérez rompió el foco")
    page = client.get(URL).content.decode()
    assert "Poste sin luz" in page and "Juan Pérez" not in page


def test_filters_by_category_status_barrio_and_date(client, categories, sagrario_point, valle_point, users):
    a = published(file_report(categories["alumbrado-deficiente"], sagrario_point))
    b = published(file_report(categories["vehiculo-abandonado"], valle_point))
    services.post_update(users["tecnico"], b, status="resolved", text="Retirado", public=True)
    old = published(file_report(categories["alumbrado-deficiente"], valle_point))
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))

    def shown(query):
        page = client.get(URL + "?" + query).content.decode()
        return {r.code for r in (a, b, old) if r.code in page}

    assert shown(f"category={a.category_id}") == {a.code, old.code}
    assert shown("status=resolved") == {b.code}
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert shown(f"date_from={week_ago}") == {a.code, b.code}
    assert shown(f"date_to={week_ago}") == {old.code}
    barrio = Barrio.objects.filter(parish=a.parish).first()
    Report.objects.filter(pk=a.pk).update(barrio=barrio)
    assert shown(f"barrio={barrio.pk}") == {a.code}
    # the open data follows the same filter
    assert b.code in body(client.get(URL + "?status=resolved&export=csv")).decode()
    assert a.code not in body(client.get(URL + "?status=resolved&export=csv")).decode()


def test_a_bad_date_is_a_message_not_an_error(client, light):
    response = client.get(URL + "?date_from=99999-01-01")
    assert response.status_code == 200


def test_staff_publish_a_report_on_its_page_and_withdraw_it(client, client_for, categories, sagrario_point):
    report = file_report(categories["camara-danada"], sagrario_point)
    c = client_for("tecnico")
    assert c.post(report.get_absolute_url() + "publicar/", {"published": "on"}).status_code == 302
    assert report.code in client.get(URL).content.decode()
    assert c.post(report.get_absolute_url() + "publicar/", {}).status_code == 302
    assert report.code not in client.get(URL).content.decode()


def test_a_duplicate_cannot_be_published(client_for, report, users):
    services.post_update(users["tecnico"], report, status="duplicate", text="Ya reportado", public=True)
    response = client_for("tecnico").post(report.get_absolute_url() + "publicar/", {"published": "on"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert not report.published


def test_staff_see_the_exact_point_on_the_report_page(client_for, light):
    page = client_for("tecnico").get(light.get_absolute_url()).content.decode()
    assert f"{light.lat:.6f}".replace(".", ",") in page and f"{light.lon:.6f}".replace(".", ",") in page


def test_a_parish_president_reads_a_sensitive_reports_point_rounded_staff_exact(client_for, drugs):
    exact = f"{drugs.lat:.6f}".replace(".", ",")
    assert exact in client_for("tecnico").get(drugs.get_absolute_url()).content.decode()
    president = client_for("presidente.sagrario")
    page = president.get(drugs.get_absolute_url()).content.decode()
    assert drugs.code in page and not any(t in page for t in coordinate_texts(drugs))
    export = body(president.get("/participa/reportes/?export=csv")).decode()
    assert drugs.code in export and not any(t in export for t in coordinate_texts(drugs))
    assert str(drugs.lat) in body(client_for("tecnico").get("/participa/reportes/?export=csv")).decode()


def test_a_parish_president_reads_the_exact_point_of_other_reports(client_for, light):
    page = client_for("presidente.sagrario").get(light.get_absolute_url()).content.decode()
    assert f"{light.lat:.6f}".replace(".", ",") in page
