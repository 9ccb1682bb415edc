"""The fast paths agree with the plain ones: numpy date parsing with datetime.strptime + make_aware, the bulk
locate with territory's locate_ids, the plain CSV split with the csv module."""

import random
from datetime import datetime

import numpy as np
import pytest
from django.utils import timezone

from centinela.incidents import parsing
from centinela.incidents.importer import locate_ids, read_columns
from centinela.lib.tables import read_rows


def test_vectorised_dates_equal_strptime_and_make_aware():
    rng = random.Random(5)
    tz = timezone.get_default_timezone()
    stamps = [
        datetime(
            rng.randint(1985, 2030), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
        )
        for _ in range(3000)
    ]
    for fmt in ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", ""):
        texts = [s.strftime(fmt or "%Y-%m-%d %H:%M") for s in stamps]
        utc, ok = parsing.parse_datetimes(texts, fmt, tz)
        assert ok.all()
        expected = [
            int(timezone.make_aware(datetime.strptime(t, fmt or "%Y-%m-%d %H:%M"), tz).timestamp()) for t in texts
        ]
        assert utc.tolist() == expected, fmt


def test_impossible_dates_are_not_ok_and_one_digit_days_fall_back_to_strptime():
    tz = timezone.get_default_timezone()
    utc, ok = parsing.parse_datetimes(
        ["29/02/2021 10:00", "29/02/2020 10:00", "3/2/2021 8:05", "", "x"], "%d/%m/%Y %H:%M", tz
    )
    assert ok.tolist() == [False, True, True, False, False]
    assert parsing.sql_datetimes(utc[[1, 2]]) == ["2020-02-29 15:00:00", "2021-02-03 13:05:00"]


def test_numbers_accept_a_decimal_comma():
    values, ok = parsing.parse_numbers(["-79,2", "-4.01", "x", "inf"])
    assert ok.tolist() == [True, True, False, False] and values[:2].tolist() == [-79.2, -4.01]


@pytest.mark.django_db
def test_the_bulk_locate_agrees_with_territory_on_random_points():
    from centinela.territory.selectors import locate_ids as territory_locate

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-79.5, -79.0, 20000), rng.uniform(-4.4, -3.8, 20000)
    ours = locate_ids(lon, lat)
    theirs = territory_locate(lon, lat)
    assert (ours[0] == theirs[0]).all() and (ours[1] == theirs[1]).all()
    assert (ours[0] > 0).sum() > 1000 and (ours[1] > 0).sum() > 10


@pytest.mark.parametrize(
    "text",
    [
        "a;b;c\r\n1;2;3\r\n4; 5 ;6\r\n",
        "a;b;c\n1;2;3\n\n;;\n4;5;6\n",
        'a;b;c\n1;"2;x";3\n4;5;6\n',
        "a,b,c\n1,2,3\n4,5\n",
        "a\tb\tc\n'=1\t2\t3\n",
    ],
)
def test_the_plain_split_reads_what_the_shared_reader_reads(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    headers, numbers, columns = read_columns(path)
    ours = [(n, {h: columns[k][i] for k, h in enumerate(headers) if h}) for i, n in enumerate(numbers)]
    theirs = [(n, {h: row.get(h, "") for h in headers if h}) for n, row in read_rows(path)]  # short rows: ""
    assert ours == theirs
