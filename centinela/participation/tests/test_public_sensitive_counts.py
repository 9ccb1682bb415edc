"""The counts of sensitive reports (drugs, violence) in public (the map page, its list of counts, its layer and the
open data, CSV and GeoJSON) follow the incidents' open-data rule: a count from 1 to OPEN_DATA_MIN_COUNT-1 is never
published, nor a count a published total would give back (complementary suppression), and they cover whole,
complete months, so "one report of violence in barrio X on 3 March" can be read nowhere."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from centinela.participation import selectors
from centinela.participation.models import Report
from centinela.territory.models import Barrio

from .conftest import file_report

URL = "/participa/mapa/"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def months_ago(n: int) -> date:
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def sensitive(category, barrio, day: date, n: int = 1) -> list[Report]:
    """n published reports of `category` in `barrio`, received on the local `day` at noon."""
    made = []
    for _ in range(n):
        report = file_report(category, (barrio.centre_lon, barrio.centre_lat), description="Pelea fuerte en la esquina")
        at = timezone.make_aware(datetime.combine(day, time(12)))
        Report.objects.filter(pk=report.pk).update(published=True, barrio=barrio, parish=barrio.parish, created_at=at)
        made.append(report)
    return made


@pytest.fixture
def barrios(db):
    """Two barrios of one parish, each with its centre."""
    parish_barrios = Barrio.objects.exclude(centre_lon=None).values_list("parish", flat=True)
    parish = max(set(parish_barrios), key=list(parish_barrios).count)
    a, b = Barrio.objects.filter(parish=parish).exclude(centre_lon=None).order_by("name")[:2]
    return a, b


def counts_csv(client, query=""):
    text = body(client.get(URL + "?" + query + ("&" if query else "") + "export=csv&tabla=barrios")).decode()
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def aggregated(client, query=""):
    geo = json.loads(body(client.get(URL + "?" + query + ("&" if query else "") + "export=geojson")))
    return [f["properties"] for f in geo["features"] if f["properties"].get("aggregated")]


def test_one_report_of_violence_on_one_day_is_never_published_as_one(client, categories, barrios, settings):
    settings.OPEN_DATA_MIN_COUNT = 5
    violence = categories["rina-violencia-recurrente"]
    day = months_ago(2).replace(day=3)
    sensitive(violence, barrios[0], day)
    on_the_day = f"category={violence.pk}&date_from={day.isoformat()}&date_to={day.isoformat()}"
    for query in ("", on_the_day, f"barrio={barrios[0].pk}"):
        page = client.get(URL + "?" + query).content.decode()
        table = page[page.index('id="sensitive-counts"') :]
        table = table[: table.index("</table>")]
        assert barrios[0].name in table and '<td class="num">x</td>' in table and ">1<" not in table
        [row] = [r for r in counts_csv(client, query) if r["level"] == "barrio"]
        assert (row["barrio"], row["count"], row["suppressed"]) == (barrios[0].name, "", "1")
        [feature] = aggregated(client, query)
        assert feature["count"] is None and feature["suppressed"] is True and feature["count_label"] != "1"
    # the day stands for its whole month, and the page says the rule
    assert counts_csv(client, on_the_day)[0]["month_from"] == counts_csv(client, on_the_day)[0]["month_to"]
    assert counts_csv(client, on_the_day)[0]["month_from"] == day.strftime("%Y-%m")
    page = client.get(URL + "?" + on_the_day).content.decode()
    assert "meses calendario completos" in page and "1 a 5 menos uno" in page


def test_a_day_filter_counts_the_whole_month(client, categories, barrios, settings):
    settings.OPEN_DATA_MIN_COUNT = 3
    drugs = categories["drogas-via-publica"]
    month = months_ago(2)
    sensitive(drugs, barrios[0], month.replace(day=2), 2)
    sensitive(drugs, barrios[0], month.replace(day=20), 2)
    query = f"date_from={month.replace(day=10).isoformat()}&date_to={month.replace(day=10).isoformat()}"
    [row] = [r for r in counts_csv(client, query) if r["level"] == "barrio"]
    assert row["count"] == "4"  # not 0 (no report on the 10th), not 1 or 2: the month's four


def test_the_current_month_is_not_counted_until_it_ends(client, categories, barrios, settings):
    settings.OPEN_DATA_MIN_COUNT = 1
    drugs = categories["drogas-via-publica"]
    sensitive(drugs, barrios[0], timezone.localdate())
    assert [r for r in counts_csv(client) if r["level"] == "barrio"] == []
    today = timezone.localdate().isoformat()
    assert aggregated(client, f"date_from={today}") == []


def test_a_total_never_gives_a_hidden_count_back(client, categories, barrios, settings):
    """A parish with a hidden count (2) and a published one (6): its total (8) would give the 2 back by subtraction,
    so another count is hidden too (or the total); the canton's total cannot give it back either."""
    settings.OPEN_DATA_MIN_COUNT = 5
    violence, drugs = categories["rina-violencia-recurrente"], categories["drogas-via-publica"]
    month = months_ago(2)
    sensitive(violence, barrios[0], month.replace(day=5), 2)
    sensitive(drugs, barrios[1], month.replace(day=6), 6)
    rows = counts_csv(client)
    cells = [r for r in rows if r["level"] == "barrio"]
    totals = [r for r in rows if r["level"] != "barrio"]
    assert len(cells) == 2 and all(r["suppressed"] == "1" for r in cells)
    shown = {r["level"]: r["count"] for r in totals if r["suppressed"] == "0"}
    assert shown == {"parish_total": "8", "canton_total": "8"}
    page = client.get(URL).content.decode()
    assert ">6<" not in page and ">2<" not in page


def test_counts_at_the_minimum_are_published_with_their_totals(categories, barrios, settings):
    settings.OPEN_DATA_MIN_COUNT = 3
    violence = categories["rina-violencia-recurrente"]
    month = months_ago(1)
    sensitive(violence, barrios[0], month, 3)
    sensitive(violence, barrios[1], month.replace(day=2), 4)
    counts = selectors.sensitive_counts({})
    assert sorted(c["count"] for c in counts["rows"]) == [3, 4]
    assert [t["count"] for t in counts["parishes"]] == [7] and counts["total"] == 7
    # a filter by barrio shows part of the same table, without totals that would read as its sum
    part = selectors.sensitive_counts({"barrio": barrios[0]})
    assert [c["count"] for c in part["rows"]] == [3] and part["parishes"] == [] and part["total"] is None
