"""The synthetic generator draws the structure it promises, reproducibly."""

import numpy as np

from analysis.synthetic import HOUR_WEIGHT, events, grid_counts


def test_same_seed_same_events():
    a, b = events(5000, seed=3), events(5000, seed=3)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.t, b.t)
    assert not np.array_equal(a.x, events(5000, seed=4).x)


def test_structure_is_there():
    e = events(50_000, seed=1, extent=(0, 0, 10_000, 10_000), days=365)
    assert np.all(np.diff(e.t) >= 0) and e.t.min() >= 0 and e.t.max() < 365
    assert (e.kind == 2).mean() == 0.15
    # hot spots: the busiest 1% of 100 m cells hold far more than 1% of incidents
    counts, _ = grid_counts(e, 100, (0, 0, 10_000, 10_000))
    top = np.sort(counts.ravel())[::-1][: counts.size // 100].sum()
    assert top / len(e) > 0.10
    # the daily cycle: night hours busier than early morning, as HOUR_WEIGHT says
    hours = ((e.t % 1) * 24).astype(int)
    assert np.sum(hours == 20) > 2 * np.sum(hours == 5)
    assert HOUR_WEIGHT[20] > 2 * HOUR_WEIGHT[5]


def test_anchors_place_the_hot_spots():
    anchors = np.array([[2_000.0, 3_000.0]])
    e = events(10_000, seed=2, anchors=anchors, hotspot_share=1.0, repeat_share=0.0, hotspot_sd=100)
    assert np.median(np.hypot(e.x - 2_000, e.y - 3_000)) < 200
