"""Open data at /datos-abiertos/: anonymous access, no small count published nor recoverable from the published
totals (checked with linear programs over what the CSVs publish, as an attacker would), no location or id."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy.optimize import linprog

from centinela.incidents.models import Category, Incident, Source
from centinela.lib.disclosure import suppress
from centinela.territory.models import Parish

LOJA = ZoneInfo("America/Guayaquil")
URL = "/datos-abiertos/"
SECRET_ADDRESS, SECRET_REF, SECRET_LON, SECRET_LAT = "Calle Reservada 4-27", "ECU-REF-778899", -79.2098765, -3.9912345


@pytest.fixture
def incidents(db):
    """Many small cells: a seeded random year and a half over four parishes, plus one incident with no parish."""
    rng = np.random.default_rng(7)
    source = Source.objects.get(code="ecu911")
    parishes = list(Parish.objects.filter(code__in=["110101", "110102", "110104", "110153"]))
    cats = {c.group: c for c in Category.objects.all()}
    objs = []
    truth = {}
    for parish in parishes:
        for year, months in ((2023, range(7, 13)), (2024, range(1, 13))):
            for month in months:
                for group, cat in cats.items():
                    n = int(rng.poisson(2.5 if group != "dmcs" else 6))
                    truth[(parish.code, year, month, group)] = n
                    for i in range(n):
                        objs.append(
                            Incident(
                                source=source,
                                category=cat,
                                parish=parish,
                                lon=SECRET_LON,
                                lat=SECRET_LAT,
                                address=SECRET_ADDRESS,
                                source_ref=f"{SECRET_REF}-{len(objs)}",
                                occurred_at=datetime(year, month, 1 + i % 27, 23, 30, tzinfo=LOJA),
                            )
                        )
    objs.append(
        Incident(
            source=source,
            category=cats["dmcs"],
            parish=None,
            lon=SECRET_LON,
            lat=SECRET_LAT,
            occurred_at=datetime(2024, 5, 5, 12, tzinfo=LOJA),
        )
    )
    Incident.objects.bulk_create(objs)
    return truth


def read(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def published(client):
    monthly = read(client.get(URL + "?table=monthly&export=csv"))
    yearly = read(client.get(URL + "?table=yearly&export=csv"))
    return monthly, yearly


def audit(monthly, yearly):
    """For every hidden cell, the least and greatest value consistent with everything published (a reader who knows
    that zeros are published, so a hidden cell holds at least 1): {cell: (min, max)}."""
    value = {}
    for r in monthly:
        value[("m", r["parish_code"], r["year"], r["month"], r["category_group"])] = (
            None if r["count"] == "" else int(r["count"])
        )
    for r in yearly:
        value[("y", r["parish_code"], r["year"])] = None if r["count"] == "" else int(r["count"])
    hidden = [c for c, v in value.items() if v is None]
    index = {c: i for i, c in enumerate(hidden)}
    equations = []  # (coefficients over the cells, the total they must make)
    years = {r["year"] for r in yearly}
    codes = {r["parish_code"] for r in yearly} - {"total"}
    for y in years:
        for code in codes:
            parts = [c for c in value if c[0] == "m" and c[1] == code and c[2] == y]
            equations.append(({**{p: 1 for p in parts}, ("y", code, y): -1}, 0))
        equations.append(({**{("y", code, y): 1 for code in codes}, ("y", "total", y): -1}, 0))
    a_eq, b_eq = [], []
    for coefficients, rhs in equations:
        row = np.zeros(len(hidden))
        constant = rhs
        for cell, coef in coefficients.items():
            if value[cell] is None:
                row[index[cell]] += coef
            else:
                constant -= coef * value[cell]
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
        else:
            assert constant == 0, "published figures do not add up"
    bounds = {}
    for cell, i in index.items():
        c = np.zeros(len(hidden))
        c[i] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        assert low.status == 0
        bounds[cell] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return bounds


def test_anonymous_visitors_read_the_open_data_page(client, incidents):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Datos abiertos: incidentes" in html and "Método" in html and 'id="yearly-table"' in html
    assert 'id="monthly-table"' in html and "2024" in html
    assert client.get(URL + "?year=2023").status_code == 200
    assert "No hay cifras publicadas para el año 1990." in client.get(URL + "?year=1990").content.decode()


def test_no_count_below_k_is_published_nor_recoverable_from_the_totals(client, incidents, settings):
    k = settings.OPEN_DATA_MIN_COUNT
    assert k == 5
    monthly, yearly = published(client)
    counts = [int(r["count"]) for r in monthly + yearly if r["count"] != ""]
    assert counts and all(n == 0 or n >= k for n in counts)
    # the published cells are the truth
    for r in monthly:
        if r["count"] != "" and r["parish_code"] != "":
            assert int(r["count"]) == incidents.get(
                (r["parish_code"], int(r["year"]), int(r["month"]), r["category_group"]), 0
            )
    hidden = [r for r in monthly if r["count"] == ""]
    assert len(hidden) > 20 and all(r["suppressed"] == "1" for r in hidden)
    for cell, (low, high) in audit(monthly, yearly).items():
        assert high >= k, f"{cell} is known to be below {k}: at most {high}"
        assert high > low
    html = client.get(URL + "?year=2024").content.decode()
    assert ">x</td>" in html


def test_a_smaller_k_from_the_setting_publishes_more(client, incidents, settings):
    hidden_at_5 = sum(r["count"] == "" for r in published(client)[0])
    settings.OPEN_DATA_MIN_COUNT = 3
    monthly, yearly = published(client)
    assert sum(r["count"] == "" for r in monthly) < hidden_at_5
    assert all(int(r["count"]) == 0 or int(r["count"]) >= 3 for r in monthly + yearly if r["count"] != "")
    for low, high in audit(monthly, yearly).values():
        assert high >= 3 and high > low


def test_no_location_address_reference_or_id_is_published(client, incidents):
    monthly, yearly = published(client)
    assert set(monthly[0]) == {
        "parish_code",
        "parish",
        "year",
        "month",
        "category_group",
        "category_group_label",
        "count",
        "suppressed",
        "synthetic",
    }
    assert set(yearly[0]) == {"parish_code", "parish", "year", "count", "suppressed", "synthetic"}
    outputs = [
        client.get(URL).content.decode(),
        client.get(URL + "?year=2023").content.decode(),
        client.get(URL + "?table=monthly&export=csv").getvalue().decode("utf-8-sig"),
        client.get(URL + "?table=yearly&export=csv").getvalue().decode("utf-8-sig"),
    ]
    some = Incident.objects.order_by("pk").first()
    for text in outputs:
        for secret in (SECRET_ADDRESS, SECRET_REF, "79.2098", "3.9912", "79,2098", "3,9912"):
            assert secret not in text
        assert f"/incidentes/{some.pk}/" not in text


def test_synthetic_data_is_labelled(client, incidents):
    assert "Datos sintéticos de demostración" not in client.get(URL).content.decode()
    assert {r["synthetic"] for r in published(client)[0]} == {"0"}
    source = Source.objects.get_or_create(code="sintetico", defaults={"name": "Sintético"})[0]
    Incident.objects.filter(pk=Incident.objects.order_by("pk").first().pk).update(source=source)
    assert "Datos sintéticos de demostración" in client.get(URL).content.decode()
    response = client.get(URL + "?table=monthly&export=csv")
    assert "sinteticos" in response["Content-Disposition"]
    assert {r["synthetic"] for r in read(response)} == {"1"}


@pytest.mark.parametrize("seed", range(30))
def test_suppression_on_random_linked_tables_leaves_no_hidden_cell_below_k(seed):
    """Cells in blocks (parish-year), blocks summing to parish-year totals, those to a canton total; random sizes,
    many small counts: every hidden cell could still be k or more, and none is pinned."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 8))
    n_blocks, size = int(rng.integers(1, 6)), int(rng.integers(1, 10))
    values, groups, blocks = {}, [], {}
    for b in range(n_blocks):
        cells = [("c", b, i) for i in range(size)]
        for c in cells:
            values[c] = int(rng.poisson(rng.choice([0.5, 2, 5])))
        values[("t", b)] = sum(values[c] for c in cells)
        groups.append((("t", b), cells))
        blocks[("t", b)] = {c: values[c] for c in cells}
    values["canton"] = sum(values[("t", b)] for b in range(n_blocks))
    groups.append(("canton", [("t", b) for b in range(n_blocks)]))
    hidden = suppress(blocks, k, root="canton")
    assert all(values[c] == 0 or values[c] >= k for c in values if c not in hidden)
    assert all(values[c] > 0 for c in hidden)
    order = sorted(hidden, key=str)
    index = {c: i for i, c in enumerate(order)}
    a_eq, b_eq = [], []
    for total, parts in groups:
        row, constant = np.zeros(len(order)), 0
        for cell, coef in [(total, -1)] + [(p, 1) for p in parts]:
            if cell in hidden:
                row[index[cell]] += coef
            else:
                constant -= coef * values[cell]
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
    for cell in order:
        c = np.zeros(len(order))
        c[index[cell]] = -1
        high = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        assert high.status in (0, 3)
        top = float("inf") if high.status == 3 else -high.fun
        if values[cell] < k:
            assert top >= k, (seed, cell, values[cell], top)
        c[index[cell]] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        assert top > low.fun or values["canton"] < k


def test_the_month_still_under_way_is_not_published(client, db):
    from django.utils import timezone

    source = Source.objects.get(code="ecu911")
    parish = Parish.objects.get(code="110101")
    now = timezone.localtime()
    Incident.objects.bulk_create(
        [
            Incident(
                source=source,
                category=Category.objects.get(code="robo-motos"),
                parish=parish,
                lon=SECRET_LON,
                lat=SECRET_LAT,
                occurred_at=now,
            )
            for _ in range(6)
        ]
    )
    monthly, yearly = published(client)
    assert monthly == [] and yearly == []
