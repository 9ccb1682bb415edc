"""Impact of an intervention (a camera reactivated, a training campaign, a patrol plan) on incident counts.

Design: counts before and after in the treated area against a control area over the same periods, and, for
displacement, in a buffer around the treated area (areas and periods chosen by the user).

Difference in differences (`did`): the change in the treated area minus the change in the control area,
(Ta - Tb) - (Ca - Cb); counts are taken per day when the two periods differ in length (the result says so).
Its standard error treats each count as Poisson (variance = count, per-day: count / days^2).

Relative effect (ratio of ratios): RR = (Ta / Tb) / (Ca / Cb), the treated area's after/before ratio relative to
the control's (period lengths cancel). RR < 1: incidents fell in the treated area relative to the control
(RR = 0.8 is a 20 % relative reduction). The confidence interval is built on the log scale with the Poisson
(delta-method) variance var(ln RR) = 1/Tb + 1/Ta + 1/Cb + 1/Ca, times a `dispersion` factor (1 = Poisson; larger
for overdispersed crime counts, Farrington et al. 2007): exp(ln RR +/- z * sqrt(var)). This is the "relative
effect size" of Welsh & Farrington (2009, "Public area CCTV and crime prevention: an updated systematic review and
meta-analysis", Justice Quarterly 26(4): 716-745), who report its inverse (RES = 1 / RR > 1 for a desirable
effect). Any zero count: 0.5 is added to all four counts for the ratio and its interval (Haldane-Anscombe
correction; the result notes it).

Displacement (`wdq`): the Weighted Displacement Quotient of Bowers & Johnson (2003, "Measuring the geographical
displacement and diffusion of benefit effects of crime prevention activity", Journal of Quantitative Criminology
19(3): 275-301), with R the treated (response) area, D the buffer (displacement area), C the control, b before and
a after:

    success measure       = Ra/Ca - Rb/Cb      (negative: the treated area improved relative to the control)
    displacement measure  = Da/Ca - Db/Cb      (positive: the buffer got worse: displacement;
                                                negative: it improved too: diffusion of benefits)
    WDQ = displacement measure / success measure

Read only when the success measure is negative: WDQ > 1 diffusion of benefits larger than the direct effect;
0 < WDQ <= 1 some diffusion of benefits; WDQ = 0 neither; -1 <= WDQ < 0 some displacement, smaller than the
direct effect (a net benefit); WDQ < -1 displacement larger than the direct effect (a net loss). The total net
effect (Bowers & Johnson 2003) in incidents: TNE = (Rb * Ca/Cb - Ra) + (Db * Ca/Cb - Da) (positive: incidents
prevented in treated area and buffer together). Period lengths cancel in every ratio, so these use raw counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.io import InputError

Z95 = 1.959963984540054


# --------------------------------------------------------------------------------------------------- counts


@dataclass
class DidResult:
    """Difference in differences and relative effect from four counts (see the module docstring)."""

    treated_before: float
    treated_after: float
    control_before: float
    control_after: float
    days_before: float | None
    days_after: float | None
    per_day: bool  # counts compared per day (periods of different length)
    treated_change: float  # Ta - Tb (per day when per_day)
    control_change: float  # Ca - Cb
    did: float  # treated_change - control_change
    did_low: float
    did_high: float
    ratio: float | None  # (Ta/Tb) / (Ca/Cb)
    ratio_low: float | None
    ratio_high: float | None
    percent_change: float | None  # (ratio - 1) * 100
    confidence: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class WdqResult:
    """Weighted Displacement Quotient (Bowers & Johnson 2003) from six counts (see the module docstring)."""

    treated_before: float
    treated_after: float
    buffer_before: float
    buffer_after: float
    control_before: float
    control_after: float
    success: float | None  # Ra/Ca - Rb/Cb
    displacement: float | None  # Da/Ca - Db/Cb
    wdq: float | None
    total_net_effect: float | None  # incidents prevented in treated area + buffer
    interpretation: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _count(value, what) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a number, got {value!r}") from exc
    if not math.isfinite(v) or v < 0:
        raise InputError(f"{what} must be a count of 0 or more, got {value}")
    return v


def did(
    treated_before,
    treated_after,
    control_before,
    control_after,
    *,
    days_before: float | None = None,
    days_after: float | None = None,
    confidence: float = 0.95,
    dispersion: float = 1.0,
) -> DidResult:
    """Difference in differences of incident counts, treated minus control, and the relative effect (ratio of
    ratios) with its confidence interval on the log scale (Poisson variance times `dispersion`). When
    `days_before` and `days_after` are given and differ, changes are per day. See the module docstring."""
    tb, ta = _count(treated_before, "treated_before"), _count(treated_after, "treated_after")
    cb, ca = _count(control_before, "control_before"), _count(control_after, "control_after")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1, got {confidence}")
    if not (math.isfinite(dispersion) and dispersion >= 1):
        raise InputError(f"dispersion must be 1 (Poisson) or more, got {dispersion}")
    notes: list[str] = []
    per_day = False
    lb = la = 1.0
    if (days_before is None) != (days_after is None):
        raise InputError("give both days_before and days_after, or neither")
    if days_before is not None:
        assert days_after is not None  # both or neither (checked above)
        lb, la = float(days_before), float(days_after)
        if not (lb > 0 and la > 0):
            raise InputError("the periods must last more than 0 days")
        if not math.isclose(lb, la, rel_tol=1e-9):
            per_day = True
            notes.append(f"the periods differ in length ({lb:g} and {la:g} days): changes are in incidents per day")
        else:
            lb = la = 1.0
    z = _z(confidence)
    t_change = ta / la - tb / lb
    c_change = ca / la - cb / lb
    d = t_change - c_change
    se = math.sqrt(dispersion * (ta / la**2 + tb / lb**2 + ca / la**2 + cb / lb**2))
    ratio = low = high = pct = None
    a, b, c, e = tb, ta, cb, ca
    if 0 in (a, b, c, e):
        if (a == 0 and b == 0) or (c == 0 and e == 0):
            notes.append("no incidents in an area in either period: the relative effect is undefined")
        else:
            a, b, c, e = a + 0.5, b + 0.5, c + 0.5, e + 0.5
            notes.append("a count is zero: 0.5 was added to all four counts for the ratio (Haldane-Anscombe)")
    if 0 not in (a, b, c, e):
        ratio = (b / a) / (e / c)
        s = math.sqrt(dispersion * (1 / a + 1 / b + 1 / c + 1 / e))
        low, high = ratio * math.exp(-z * s), ratio * math.exp(z * s)
        pct = (ratio - 1) * 100
        if high < 1:
            notes.append(
                f"incidents fell in the treated area relative to the control ({confidence:.0%} interval below 1)"
            )
        elif low > 1:
            notes.append(
                f"incidents rose in the treated area relative to the control ({confidence:.0%} interval above 1)"
            )
        else:
            notes.append(f"no significant relative change ({confidence:.0%} interval includes 1)")
    return DidResult(
        tb,
        ta,
        cb,
        ca,
        days_before,
        days_after,
        per_day,
        t_change,
        c_change,
        d,
        d - z * se,
        d + z * se,
        ratio,
        low,
        high,
        pct,
        confidence,
        notes,
    )


def _z(confidence: float) -> float:
    if math.isclose(confidence, 0.95):
        return Z95
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence / 2))


def wdq(treated_before, treated_after, buffer_before, buffer_after, control_before, control_after) -> WdqResult:
    """Weighted Displacement Quotient (Bowers & Johnson 2003): success measure Ra/Ca - Rb/Cb, displacement measure
    Da/Ca - Db/Cb, WDQ = displacement / success, the total net effect, and a plain-words interpretation. Undefined
    parts (a zero control count, no change in the treated area) are None. See the module docstring."""
    rb, ra = _count(treated_before, "treated_before"), _count(treated_after, "treated_after")
    db, da = _count(buffer_before, "buffer_before"), _count(buffer_after, "buffer_after")
    cb, ca = _count(control_before, "control_before"), _count(control_after, "control_after")
    if cb == 0 or ca == 0:
        return WdqResult(
            rb,
            ra,
            db,
            da,
            cb,
            ca,
            None,
            None,
            None,
            None,
            "the control area has no incidents in a period: the WDQ is undefined",
        )
    success = ra / ca - rb / cb
    displacement = da / ca - db / cb
    tne = (rb * ca / cb - ra) + (db * ca / cb - da)
    if success >= 0:
        value = displacement / success if success > 0 else None
        text = (
            "no success in the treated area (it did not improve relative to the control): the WDQ is not interpretable"
        )
        return WdqResult(rb, ra, db, da, cb, ca, success, displacement, value, tne, text)
    value = displacement / success
    if value > 1:
        text = "diffusion of benefits larger than the direct effect"
    elif value > 0:
        text = "diffusion of benefits to the buffer, smaller than the direct effect"
    elif value == 0:
        text = "neither displacement nor diffusion of benefits"
    elif value >= -1:
        text = "some displacement to the buffer, smaller than the direct effect (net benefit)"
    else:
        text = "displacement to the buffer larger than the direct effect (net loss)"
    return WdqResult(rb, ra, db, da, cb, ca, success, displacement, value, tne, text)


# ---------------------------------------------------------------------------------------------------- areas


def buffer_ring(treated, distance: float):
    """The ring of `distance` metres around the treated area, the area itself excluded (the usual displacement
    catchment of Bowers & Johnson 2003). Shapely geometry in the treated area's CRS (metres)."""
    try:
        d = float(distance)
    except (TypeError, ValueError) as exc:
        raise InputError(f"buffer distance must be a number of metres, got {distance!r}") from exc
    if not (math.isfinite(d) and d > 0):
        raise InputError(f"buffer distance must be a positive number of metres, got {distance}")
    _area(treated, "treated")
    return treated.buffer(d).difference(treated)


def _area(geom, what):
    import shapely

    if not isinstance(geom, shapely.Geometry):
        raise InputError(f"the {what} area must be a shapely geometry")
    if geom.is_empty or geom.area <= 0:
        raise InputError(f"the {what} area is empty")
    return geom


def _period(p, what) -> tuple[float, float]:
    try:
        t0, t1 = p
        t0, t1 = float(t0), float(t1)
    except (TypeError, ValueError) as exc:
        raise InputError(f"the {what} period must be (start, end) in days") from exc
    if not (math.isfinite(t0) and math.isfinite(t1)):
        raise InputError(f"the {what} period must have finite ends")
    if t1 <= t0:
        raise InputError(f"the {what} period is empty (it must end after it starts)")
    return t0, t1


@dataclass
class ImpactResult:
    """Counts per area and period, difference in differences, relative effect and displacement (WDQ)."""

    counts: dict  # {"treated": (before, after), "control": (...), "buffer": (...)}
    before: tuple[float, float]  # days, half-open [t0, t1)
    after: tuple[float, float]
    did: DidResult
    wdq: WdqResult | None
    areas_km2: dict
    notes: list[str] = field(default_factory=list)
    geometries: dict = field(default_factory=dict, repr=False)
    crs: str | None = None

    def to_dict(self) -> dict:
        return {
            "method": "impact",
            "before": list(self.before),
            "after": list(self.after),
            "counts": {k: list(v) for k, v in self.counts.items()},
            "areas_km2": self.areas_km2,
            "did": self.did.to_dict(),
            "wdq": self.wdq.to_dict() if self.wdq else None,
            "notes": self.notes + self.did.notes,
            "crs": self.crs,
        }

    def to_rows(self) -> list[list]:
        rows: list[list] = [["measure", "value"]]
        for area, (b, a) in self.counts.items():
            rows += [[f"{area}_before", b], [f"{area}_after", a]]
        d = self.did
        rows += [
            ["per_day", d.per_day],
            ["treated_change", d.treated_change],
            ["control_change", d.control_change],
            ["did", d.did],
            ["did_low", d.did_low],
            ["did_high", d.did_high],
            ["ratio", d.ratio],
            ["ratio_low", d.ratio_low],
            ["ratio_high", d.ratio_high],
            ["percent_change", d.percent_change],
        ]
        if self.wdq:
            w = self.wdq
            rows += [
                ["success_measure", w.success],
                ["displacement_measure", w.displacement],
                ["wdq", w.wdq],
                ["total_net_effect", w.total_net_effect],
                ["wdq_interpretation", w.interpretation],
            ]
        return rows

    def to_geojson(self) -> dict:
        from analysis.placement import geojson_geometry_lonlat

        feats = []
        for name, geom in self.geometries.items():
            b, a = self.counts[name]
            feats.append(
                {
                    "type": "Feature",
                    "geometry": geojson_geometry_lonlat(geom, self.crs),
                    "properties": {"area": name, "before": b, "after": a},
                }
            )
        return {"type": "FeatureCollection", "features": feats}


def impact(
    x,
    y,
    t,
    *,
    treated,
    control,
    buffer: Any = None,
    before,
    after,
    confidence: float = 0.95,
    dispersion: float = 1.0,
    crs: str | None = None,
) -> ImpactResult:
    """Before/after incident counts in the treated area, the control area and (optionally) a displacement buffer,
    then `did` (difference in differences, relative effect with a log-scale Poisson interval) and `wdq`.
    x, y: incidents in metres; t: days. Areas are shapely geometries in the points' CRS (a point on an area's
    edge counts as inside). `buffer`: a geometry, or a distance in metres for `buffer_ring(treated, distance)`;
    incidents of the treated area are never counted in the buffer. Periods are half-open [t0, t1) in days;
    `before` must end by the start of `after`. Periods of different length: changes per day (noted)."""
    import shapely

    b0, b1 = _period(before, "before")
    a0, a1 = _period(after, "after")
    if b1 > a0:
        raise InputError("the before and after periods overlap (before must end on or before the start of after)")
    _area(treated, "treated")
    _area(control, "control")
    if buffer is not None and not isinstance(buffer, shapely.Geometry):
        buffer = buffer_ring(treated, buffer)
    if buffer is not None:
        _area(buffer, "buffer")
        buffer = buffer.difference(treated)
        if buffer.is_empty:
            raise InputError("the buffer area lies inside the treated area")
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    t = np.asarray(t, dtype=float).ravel()
    if not (x.size == y.size == t.size):
        raise InputError(f"x, y and t have different lengths ({x.size}, {y.size}, {t.size})")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("incident coordinates must be finite")
    notes: list[str] = []
    if shapely.intersection(treated, control).area > 0:
        notes.append("the control area overlaps the treated area: shared incidents count in both")
    if buffer is not None and shapely.intersection(buffer, control).area > 0:
        notes.append("the control area overlaps the buffer: shared incidents count in both")
    in_b = (t >= b0) & (t < b1)
    in_a = (t >= a0) & (t < a1)
    areas = {"treated": treated, "control": control}
    if buffer is not None:
        areas["buffer"] = buffer
    counts = {}
    for name, geom in areas.items():
        shapely.prepare(geom)
        sel = in_b | in_a
        inside = np.zeros(x.size, dtype=bool)
        inside[sel] = shapely.intersects_xy(geom, x[sel], y[sel])
        counts[name] = (int((inside & in_b).sum()), int((inside & in_a).sum()))
    d = did(
        *counts["treated"],
        *counts["control"],
        days_before=b1 - b0,
        days_after=a1 - a0,
        confidence=confidence,
        dispersion=dispersion,
    )
    w = wdq(*counts["treated"], *counts["buffer"], *counts["control"]) if buffer is not None else None
    if w is not None and d.per_day:
        notes.append("the WDQ uses raw counts: period lengths cancel in its ratios")
    return ImpactResult(
        counts, (b0, b1), (a0, a1), d, w, {k: g.area / 1e6 for k, g in areas.items()}, notes, areas, crs
    )


# ------------------------------------------------------------------------------------------------------ CLI


def cli_arguments(parser) -> None:
    parser.add_argument("--input", required=True, help="incidents CSV (x,y or lon,lat, and a date column)")
    parser.add_argument("--treated", required=True, help="treated area, GeoJSON (WGS84)")
    parser.add_argument("--control", required=True, help="control area, GeoJSON (WGS84)")
    parser.add_argument(
        "--buffer",
        default=None,
        help="displacement buffer: a distance in metres around the treated area, or a GeoJSON file",
    )
    parser.add_argument("--before", required=True, help="START:END dates (END excluded), e.g. 2019-01-01:2020-01-01")
    parser.add_argument("--after", required=True, help="START:END dates (END excluded)")
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument("--dispersion", type=float, default=1.0, help="variance inflation for overdispersion")
    parser.add_argument("--crs", default=None, help="CRS of x/y incidents (e.g. EPSG:32717), to place the GeoJSON")
    parser.add_argument("--output", required=True, help="result file: .json, .csv or .geojson")


def _period_arg(text: str, what: str) -> tuple[float, float]:
    from analysis.io import to_days

    parts = text.split(":") if text.count(":") == 1 else text.split("/")
    if len(parts) != 2:
        raise InputError(f"--{what}: give START:END (or START/END), e.g. 2019-01-01:2020-01-01")
    d = to_days(parts)
    return float(d[0]), float(d[1])


def read_area(path, crs: str | None):
    """Union of the polygons in a GeoJSON file (WGS84 lon/lat), projected to `crs` (None: kept as they are)."""
    import json

    import shapely
    from shapely.geometry import shape

    try:
        data = json.loads(open(path, encoding="utf-8").read())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON file ({exc})") from exc
    if data.get("type") == "FeatureCollection":
        geoms = [f.get("geometry") for f in data.get("features", [])]
    elif data.get("type") == "Feature":
        geoms = [data.get("geometry")]
    else:
        geoms = [data]
    try:
        shapes = [shape(g) for g in geoms if g]
    except Exception as exc:  # shapely raises several types for malformed geometry
        raise InputError(f"{path}: bad geometry ({exc})") from exc
    geom = shapely.union_all([s for s in shapes if s.geom_type in ("Polygon", "MultiPolygon")])
    if geom.is_empty:
        raise InputError(f"{path}: no polygon in the file")
    if crs:
        from pyproj import Transformer

        tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        geom = shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
    return geom


def cli_run(args) -> int:
    from analysis.io import read_points, write_result

    before = _period_arg(args.before, "before")
    after = _period_arg(args.after, "after")
    pts = read_points(args.input, require_time=True, crs=args.crs)
    crs = pts.crs or args.crs
    treated = read_area(args.treated, crs)
    control = read_area(args.control, crs)
    buffer = None
    if args.buffer:
        try:
            buffer = float(args.buffer)
        except ValueError:
            buffer = read_area(args.buffer, crs)
    result = impact(
        pts.x,
        pts.y,
        pts.t,
        treated=treated,
        control=control,
        buffer=buffer,
        before=before,
        after=after,
        confidence=args.confidence,
        dispersion=args.dispersion,
        crs=crs,
    )
    if not crs:
        result.notes.append("incidents in x/y without --crs: the GeoJSON areas were used in the incidents' units")
    write_result(result, args.output)
    return 0
