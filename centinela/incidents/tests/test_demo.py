"""The demo's synthetic incidents for Loja 2018-2021: seeded, a few thousand a year, concentrated at markets, parks
and the centre, with weekly and daily cycles, thinned near the cameras reactivated in 2020, inside the canton with
their parish, labelled synthetic, and loaded once however often load_demo runs."""

from datetime import UTC, datetime

import numpy as np
import pytest
import shapely
from django.utils import timezone

from centinela.cameras.demo import load_demo_cameras
from centinela.cameras.models import Device, Sighting
from centinela.incidents import demo
from centinela.incidents.models import Incident
from centinela.incidents.selectors import SYNTHETIC_SOURCE, synthetic_present
from centinela.reports.tests.demo_db import demo_year_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_year_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            load_demo_cameras()
            first = demo.load_demo_incidents()
            second = demo.load_demo_incidents()
        yield first, second


def _inputs():
    return dict(
        anchors=demo.anchor_points(),
        urban_centres=demo.parish_centres("urban"),
        rural_centres=demo.parish_centres("rural"),
        views=demo.demo_views(),
    )


def _synthetic():
    return Incident.objects.filter(source__code=SYNTHETIC_SOURCE)


def test_the_same_seed_draws_the_same_incidents_and_another_seed_others(loaded, db):
    a, b, c = (demo.generate(**_inputs(), seed=s) for s in (7, 7, 8))
    for field in ("lon", "lat", "ts", "category", "dropped"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert not np.array_equal(a.lon, c.lon)
    # and the loaded rows are exactly the default draw's kept rows
    drawn = demo.generate(**_inputs())
    rows = dict(_synthetic().values_list("source_ref", "occurred_at"))
    i = int(np.flatnonzero(~drawn.dropped)[100])
    assert rows[f"SINT-{i + 1:06d}"].timestamp() == drawn.ts[i]


def test_loading_twice_adds_nothing(loaded, db):
    first, second = loaded
    assert first["created"] > 0 and second["created"] == 0
    assert _synthetic().count() == first["total"] == second["total"]


def test_a_few_thousand_incidents_each_year_2018_to_2021(loaded, db):
    years = [timezone.localtime(t).year for t in _synthetic().values_list("occurred_at", flat=True)]
    counts = {y: years.count(y) for y in set(years)}
    assert set(counts) == {2018, 2019, 2020, 2021}
    for year, n in counts.items():
        assert 3_000 <= n <= 4_500, (year, n)
    assert 12_000 <= sum(counts.values()) <= 16_000


def test_every_incident_is_in_the_canton_with_its_parish_verified_and_labelled_synthetic(loaded, db):
    qs = _synthetic()
    assert not qs.filter(parish=None).exists()
    assert set(qs.values_list("status", flat=True)) == {Incident.Status.VERIFIED}
    assert set(qs.values_list("source__name", flat=True)) == {"Datos sintéticos (demo)"}
    assert set(qs.values_list("address", flat=True)) == {"Dato sintético (demo)"}
    assert synthetic_present()
    # urban parishes carry most of it, but the rural ones have some
    urban = qs.filter(parish__kind="urban").count()
    assert 0.8 < urban / qs.count() < 0.97


def test_robbery_of_persons_is_the_most_common_crime_of_major_social_concern(loaded, db):
    codes = list(_synthetic().values_list("category__code", "category__group"))
    dmcs = [c for c, g in codes if g == "dmcs"]
    assert max(set(dmcs), key=dmcs.count) == "robo-personas"
    groups = {g for _c, g in codes}
    assert {"dmcs", "contravention", "violence_gender_family", "ecu911_service"} <= groups


def test_incidents_concentrate_around_markets_parks_and_the_centre(loaded, db):
    from analysis.io import to_metres

    lon, lat = np.array(list(_synthetic().filter(parish__kind="urban").values_list("lon", "lat"))).T
    x, y, crs = to_metres(lon, lat, demo.CRS)
    anchors = demo.anchor_points()
    ax, ay, _crs = to_metres(anchors[:, 0], anchors[:, 1], crs)
    near = np.zeros(len(x), dtype=bool)
    for cx, cy in zip(ax, ay):
        near |= np.hypot(x - cx, y - cy) <= 200
    # the share of the city's incidents within 200 m of an anchor, against the share of the city's area there
    ux, uy, _crs = to_metres(*demo.parish_centres("urban").T, crs)
    m = demo.URBAN_MARGIN_M
    city_area = (ux.max() - ux.min() + 2 * m) * (uy.max() - uy.min() + 2 * m)
    discs = shapely.union_all([shapely.Point(cx, cy).buffer(200) for cx, cy in zip(ax, ay)]).area
    assert near.mean() > 5 * discs / city_area, (near.mean(), discs / city_area)


def test_weekly_and_daily_cycles_show(loaded, db):
    local = [timezone.localtime(t) for t in _synthetic().values_list("occurred_at", flat=True)]
    weekday = np.bincount([t.weekday() for t in local], minlength=7)
    hour = np.bincount([t.hour for t in local], minlength=24)
    assert weekday[4:6].mean() > 1.2 * weekday[0:4].mean()  # Friday and Saturday above Monday-Thursday
    assert hour[19:23].sum() > 2.5 * hour[3:7].sum()  # evenings far above small hours


def test_the_drop_after_the_2020_reactivations_is_measurable(loaded, db):
    inputs = _inputs()
    assert inputs["views"], "the demo cameras give reactivation dates"
    with_drop = demo.generate(**inputs)
    without = demo.generate(**inputs, drop=0.0)
    assert np.array_equal(with_drop.lon, without.lon)  # the same draw, thinned or not
    seen_after = np.zeros(len(without), dtype=bool)
    for view, since in inputs["views"]:
        seen_after |= shapely.intersects_xy(view, without.lon, without.lat) & (without.ts >= since)
    kept = (seen_after & ~with_drop.dropped).sum() / seen_after.sum()
    assert seen_after.sum() > 200
    assert abs(kept - (1 - demo.CAMERA_DROP)) < 0.07, kept

    # from the loaded records alone, as an impact analysis would: incidents in view of each reactivated camera
    # after its date against before, relative to the rest of the canton in the same periods
    observed = expected = 0.0
    for device in Device.objects.exclude(reactivated_on=None):
        since = datetime.fromtimestamp(demo.day_start_timestamp(device.reactivated_on), tz=UTC)
        seen = Sighting.objects.filter(device=device)
        before = seen.filter(incident__occurred_at__lt=since).count()
        after = seen.filter(incident__occurred_at__gte=since).count()
        if before:
            everywhere = _synthetic()
            ratio = everywhere.filter(occurred_at__gte=since).count() / everywhere.filter(occurred_at__lt=since).count()
            observed += after
            expected += before * ratio
    assert expected > 200
    assert observed / expected < 0.9, observed / expected


def test_the_new_incidents_were_linked_to_the_cameras_that_saw_them(loaded, db):
    linked = Sighting.objects.filter(incident__source__code=SYNTHETIC_SOURCE)
    assert linked.count() > 300
    assert linked.filter(camera_working=True).exists() and linked.filter(camera_working=False).exists()
    # a reactivated camera was abandoned before its reactivation day, working after it (no outages in the demo)
    for s in linked.select_related("device", "incident")[:500]:
        day = s.device.reactivated_on
        if day:
            assert s.camera_working == (timezone.localtime(s.incident.occurred_at).date() >= day)


def test_load_demo_loads_them_after_the_cameras_and_says_they_are_synthetic(loaded, db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo", "--quiet-users", stdout=out)
    text = out.getvalue()
    assert "Incidentes SINTÉTICOS 2018-2021 (no son datos reales)" in text and ", 0 nuevos" in text
    assert text.index("Cámaras:") < text.index("Incidentes SINTÉTICOS")
