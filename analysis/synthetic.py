"""Seeded synthetic incidents for tests, benchmarks and the demo: structure that analyses should find.

`events()` draws n incidents in a rectangle (metres) over a number of days, mixing three processes:

* background: uniform in space;
* hot spots: `hotspots` centres (or the given `anchors`), each incident offset by a normal of `hotspot_sd` metres,
  centres weighted by a Zipf-like law (a few strong, many weak) as crime concentrates in reality;
* near-repeat contagion: a share `repeat_share` of incidents copies an earlier incident, displaced by up to
  `repeat_distance` metres (uniform in a disc) and `repeat_days` days later (exponential),
  which is the pattern the Knox test detects.

Times follow a weekly and daily cycle (more on Friday/Saturday and at night) when `cycles=True`.
Everything is drawn from `numpy.random.default_rng(seed)`: same seed, same incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Relative intensity by day of week (Monday=0) and hour of day, used to shape synthetic times.
WEEKDAY_WEIGHT = np.array([0.9, 0.85, 0.9, 0.95, 1.15, 1.3, 1.0])
HOUR_WEIGHT = np.array(
    [
        1.3,
        1.1,
        0.9,
        0.7,
        0.5,
        0.4,
        0.4,
        0.5,
        0.6,
        0.7,
        0.8,
        0.85,
        0.9,
        0.9,
        0.9,
        0.95,
        1.0,
        1.1,
        1.3,
        1.5,
        1.6,
        1.6,
        1.5,
        1.4,
    ]
)


@dataclass
class Events:
    x: np.ndarray  # metres
    y: np.ndarray  # metres
    t: np.ndarray  # days since `start` (float)
    kind: np.ndarray  # 0 background, 1 hot spot, 2 near repeat

    def __len__(self) -> int:
        return len(self.x)


def _times(rng, n, days, cycles):
    if not cycles:
        return rng.uniform(0, days, n)
    whole_days = np.arange(int(np.ceil(days)))
    # day 0 is taken as a Monday; weight days by weekday, then hours by the daily cycle
    p_day = WEEKDAY_WEIGHT[whole_days % 7]
    d = rng.choice(whole_days, size=n, p=p_day / p_day.sum())
    h = rng.choice(24, size=n, p=HOUR_WEIGHT / HOUR_WEIGHT.sum())
    t = d + (h + rng.uniform(0, 1, n)) / 24.0
    return np.minimum(t, days - 1e-9)


def events(
    n: int,
    *,
    seed: int = 0,
    extent: tuple[float, float, float, float] = (0.0, 0.0, 10_000.0, 10_000.0),
    days: float = 365.0,
    hotspots: int = 20,
    anchors: np.ndarray | None = None,
    hotspot_share: float = 0.5,
    hotspot_sd: float = 250.0,
    repeat_share: float = 0.15,
    repeat_distance: float = 200.0,
    repeat_days: float = 7.0,
    cycles: bool = True,
) -> Events:
    """n synthetic incidents (see the module's docstring). `anchors` ((k, 2) array of x, y) replaces random
    hot-spot centres, e.g. with markets and parks."""
    if n <= 0:
        raise ValueError("n must be positive")
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = extent
    n_repeat = int(round(n * repeat_share))
    n_first = n - n_repeat
    n_hot = int(round(n_first * hotspot_share))
    n_bg = n_first - n_hot
    x = np.empty(n)
    y = np.empty(n)
    kind = np.zeros(n, dtype=np.int8)
    x[:n_bg] = rng.uniform(minx, maxx, n_bg)
    y[:n_bg] = rng.uniform(miny, maxy, n_bg)
    if n_hot:
        if anchors is None:
            centres = np.column_stack([rng.uniform(minx, maxx, hotspots), rng.uniform(miny, maxy, hotspots)])
        else:
            centres = np.asarray(anchors, dtype=float).reshape(-1, 2)
        weight = 1.0 / np.arange(1, len(centres) + 1)
        which = rng.choice(len(centres), size=n_hot, p=weight / weight.sum())
        x[n_bg:n_first] = centres[which, 0] + rng.normal(0, hotspot_sd, n_hot)
        y[n_bg:n_first] = centres[which, 1] + rng.normal(0, hotspot_sd, n_hot)
        kind[n_bg:n_first] = 1
    t = np.empty(n)
    t[:n_first] = _times(rng, n_first, days, cycles)
    if n_repeat:
        parent = rng.integers(0, n_first, n_repeat)
        r = repeat_distance * np.sqrt(rng.uniform(0, 1, n_repeat))
        a = rng.uniform(0, 2 * np.pi, n_repeat)
        x[n_first:] = x[parent] + r * np.cos(a)
        y[n_first:] = y[parent] + r * np.sin(a)
        t[n_first:] = np.minimum(t[parent] + rng.exponential(repeat_days / 2, n_repeat), days - 1e-9)
        kind[n_first:] = 2
    np.clip(x, minx, maxx, out=x)
    np.clip(y, miny, maxy, out=y)
    order = np.argsort(t, kind="stable")
    return Events(x[order], y[order], t[order], kind[order])


def grid_counts(events_: Events, cell: float, extent: tuple[float, float, float, float]) -> tuple[np.ndarray, tuple]:
    """Counts of events on a regular grid of `cell` metres: (counts[rows, cols], (minx, miny, cell))."""
    minx, miny, maxx, maxy = extent
    cols = int(np.ceil((maxx - minx) / cell))
    rows = int(np.ceil((maxy - miny) / cell))
    c = np.clip(((events_.x - minx) // cell).astype(np.int64), 0, cols - 1)
    r = np.clip(((events_.y - miny) // cell).astype(np.int64), 0, rows - 1)
    counts = np.bincount(r * cols + c, minlength=rows * cols).reshape(rows, cols)
    return counts, (minx, miny, cell)
