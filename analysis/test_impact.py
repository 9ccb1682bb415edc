import json
import math

import numpy as np
import pytest
import shapely

from analysis.cli import main
from analysis.impact import buffer_ring, did, impact, wdq
from analysis.io import InputError, to_lonlat
from analysis.synthetic import events


def poisson_glm_interaction(counts):
    """Independent check: saturated log-linear Poisson GLM on the 2x2 table (area x period) fitted by IRLS; the
    interaction coefficient is ln RR and its standard error comes from the Fisher information."""
    tb, ta, cb, ca = counts
    y = np.array([tb, ta, cb, ca], dtype=float)
    X = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 0, 1, 0]], dtype=float)  # const, treated, after, t*a
    beta = np.zeros(4)
    beta[0] = math.log(y.mean())
    for _ in range(50):
        mu = np.exp(X @ beta)
        step = np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (y - mu))
        beta += step
        if np.abs(step).max() < 1e-12:
            break
    cov = np.linalg.inv(X.T @ (np.exp(X @ beta)[:, None] * X))
    return beta[3], math.sqrt(cov[3, 3])


def test_did_counts_and_ratio_interval_match_a_poisson_glm():
    res = did(120, 80, 200, 190)
    assert res.treated_change == -40 and res.control_change == -10 and res.did == -30
    assert not res.per_day
    assert res.ratio == pytest.approx((80 / 120) / (190 / 200))
    log_rr, se = poisson_glm_interaction((120, 80, 200, 190))
    assert math.log(res.ratio) == pytest.approx(log_rr, rel=1e-9)
    assert res.ratio_low == pytest.approx(math.exp(log_rr - 1.959963984540054 * se), rel=1e-9)
    assert res.ratio_high == pytest.approx(math.exp(log_rr + 1.959963984540054 * se), rel=1e-9)
    se_did = math.sqrt(120 + 80 + 200 + 190)
    assert res.did_low == pytest.approx(-30 - 1.959963984540054 * se_did)
    assert res.percent_change == pytest.approx((res.ratio - 1) * 100)
    assert any("fell" in n for n in res.notes)
    wider = did(120, 80, 200, 190, dispersion=2.0, confidence=0.99)
    assert wider.ratio_low < res.ratio_low and wider.ratio_high > res.ratio_high


def test_did_per_day_when_periods_differ():
    res = did(100, 60, 300, 150, days_before=100, days_after=50)
    assert res.per_day
    assert res.treated_change == pytest.approx(60 / 50 - 100 / 100)
    assert res.control_change == pytest.approx(150 / 50 - 300 / 100)
    assert res.ratio == pytest.approx((60 / 100) / (150 / 300))  # lengths cancel in the ratio of ratios
    assert any("per day" in n for n in res.notes)


def test_did_zero_counts_get_the_continuity_correction():
    res = did(10, 0, 20, 18)
    assert res.ratio == pytest.approx((0.5 / 10.5) / (18.5 / 20.5))
    assert any("0.5" in n for n in res.notes)
    assert did(0, 0, 5, 5).ratio is None


def test_wdq_follows_bowers_and_johnson():
    # treated 100 -> 60, buffer 80 -> 90, control 400 -> 380
    res = wdq(100, 60, 80, 90, 400, 380)
    success = 60 / 380 - 100 / 400
    displacement = 90 / 380 - 80 / 400
    assert res.success == pytest.approx(success) and res.displacement == pytest.approx(displacement)
    assert res.wdq == pytest.approx(displacement / success)
    assert -1 <= res.wdq < 0 and "displacement" in res.interpretation
    assert res.total_net_effect == pytest.approx((100 * 380 / 400 - 60) + (80 * 380 / 400 - 90))
    assert "diffusion" in wdq(100, 60, 80, 50, 400, 380).interpretation  # buffer improved too
    assert wdq(100, 60, 80, 50, 400, 380).wdq > 0
    assert "larger than the direct effect (net loss)" in wdq(100, 90, 80, 200, 400, 400).interpretation
    assert "not interpretable" in wdq(100, 120, 80, 90, 400, 380).interpretation
    assert wdq(1, 1, 1, 1, 0, 3).wdq is None


def test_bad_counts_raise():
    with pytest.raises(InputError):
        did(-1, 2, 3, 4)
    with pytest.raises(InputError):
        did(1, 2, 3, "x")
    with pytest.raises(InputError):
        did(1, 2, 3, 4, days_before=10)
    with pytest.raises(InputError):
        wdq(1, 2, 3, 4, 5, float("nan"))


def scenario(seed=0):
    ev = events(20000, seed=seed, extent=(0, 0, 6000, 6000), days=730)
    treated = shapely.box(2000, 2000, 3000, 3000)
    control = shapely.box(4200, 4200, 5800, 5800)
    return ev, treated, control


def test_impact_counts_match_brute_force():
    ev, treated, control = scenario()
    res = impact(ev.x, ev.y, ev.t, treated=treated, control=control, buffer=400, before=(0, 300), after=(365, 730))
    ring = treated.buffer(400).difference(treated)
    for name, geom in (("treated", treated), ("control", control), ("buffer", ring)):
        inside = np.array([geom.intersects(shapely.Point(a, b)) for a, b in zip(ev.x, ev.y)])
        b = int((inside & (ev.t >= 0) & (ev.t < 300)).sum())
        a = int((inside & (ev.t >= 365) & (ev.t < 730)).sum())
        assert res.counts[name] == (b, a), name
    assert res.did.per_day  # 300 and 365 days
    expected = did(*res.counts["treated"], *res.counts["control"], days_before=300, days_after=365)
    assert res.did.did == pytest.approx(expected.did) and res.did.ratio == pytest.approx(expected.ratio)
    assert res.wdq.wdq == wdq(*res.counts["treated"], *res.counts["buffer"], *res.counts["control"]).wdq
    assert res.areas_km2["treated"] == pytest.approx(1.0)
    rows = res.to_rows()
    assert rows[0] == ["measure", "value"] and ["treated_before", res.counts["treated"][0]] in rows
    json.dumps(res.to_dict())


def test_impact_finds_an_injected_reduction():
    ev, treated, control = scenario(1)
    inside = shapely.intersects_xy(treated, ev.x, ev.y)
    rng = np.random.default_rng(1)
    drop = inside & (ev.t >= 365) & (rng.uniform(size=ev.t.size) < 0.5)  # half the treated incidents vanish after
    res = impact(
        ev.x[~drop], ev.y[~drop], ev.t[~drop], treated=treated, control=control, before=(0, 365), after=(365, 730)
    )
    assert res.did.ratio_high < 1 and res.did.ratio == pytest.approx(0.5, abs=0.12)
    assert res.wdq is None


def test_buffer_ring():
    ring = buffer_ring(shapely.box(0, 0, 10, 10), 5)
    assert not ring.intersects(shapely.Point(5, 5)) and ring.intersects(shapely.Point(12, 5))
    assert ring.area == pytest.approx(shapely.box(0, 0, 10, 10).buffer(5).area - 100)
    with pytest.raises(InputError):
        buffer_ring(shapely.box(0, 0, 10, 10), 0)


def test_impact_rejects_bad_parameters():
    ev, treated, control = scenario()
    args = dict(treated=treated, control=control, before=(0, 300), after=(365, 730))
    for change in (
        dict(before=(10, 10)),
        dict(after=(400, 380)),
        dict(before=(0, 400)),
        dict(treated=shapely.Polygon()),
        dict(control=shapely.box(0, 0, 0, 5)),
        dict(buffer=-3),
        dict(treated="not a geometry"),
    ):
        with pytest.raises(InputError):
            impact(ev.x, ev.y, ev.t, **{**args, **change})
    with pytest.raises(InputError):
        impact(ev.x, ev.y[:5], ev.t, **args)


def square(lon0, lat0, size):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [lon0, lat0],
                            [lon0 + size, lat0],
                            [lon0 + size, lat0 + size],
                            [lon0, lat0 + size],
                            [lon0, lat0],
                        ]
                    ],
                },
            }
        ],
    }


def test_cli_impact_end_to_end(tmp_path):
    ev, _, _ = scenario(2)
    x0, y0 = 695000.0, 9550000.0  # Loja, UTM 17S
    lon, lat = to_lonlat(ev.x + x0, ev.y + y0, "EPSG:32717")
    start = np.datetime64("2019-01-01")
    dates = [str(start + np.timedelta64(int(t * 86400), "s")) for t in ev.t]
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("lon,lat,date\n" + "".join(f"{a:.7f},{b:.7f},{d}\n" for a, b, d in zip(lon, lat, dates)))
    (tmp_path / "treated.geojson").write_text(
        json.dumps(square(float(lon.min()) + 0.015, float(lat.min()) + 0.015, 0.01))
    )
    (tmp_path / "control.geojson").write_text(
        json.dumps(square(float(lon.min()) + 0.035, float(lat.min()) + 0.035, 0.012))
    )
    out = tmp_path / "r.json"
    argv = [
        "impact",
        "--input",
        str(incidents),
        "--treated",
        str(tmp_path / "treated.geojson"),
        "--control",
        str(tmp_path / "control.geojson"),
        "--buffer",
        "300",
        "--before",
        "2019-01-01:2019-12-01",
        "--after",
        "2020-01-01:2020-12-31",
        "--output",
        str(out),
    ]
    assert main(argv) == 0
    data = json.loads(out.read_text())
    tb, ta = data["counts"]["treated"]
    assert tb > 0 and ta > 0 and data["did"]["per_day"] and data["wdq"]["interpretation"]
    assert main(argv[:-1] + [str(tmp_path / "r.geojson")]) == 0
    assert len(json.loads((tmp_path / "r.geojson").read_text())["features"]) == 3
    assert main(argv[:-1] + [str(tmp_path / "r.csv")]) == 0
    bad = argv[:]
    bad[bad.index("--after") + 1] = "2019-06-01:2020-01-01"
    assert main(bad) == 2
