"""Point-in-area lookup: which parish or barrio a point falls in, for one point or millions.

An STRtree over the areas' bounding boxes proposes candidate (point, area) pairs; each area, prepared once, then
tests its candidates in one vectorised `shapely.intersects_xy` call. Points on a shared border go to the area
listed first, so results are deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class LocateResult:
    """`index[i]` is the position (in the areas given) of the area holding point i, or -1 when none does."""

    index: np.ndarray

    @property
    def found(self) -> np.ndarray:
        return self.index >= 0


class AreaIndex:
    def __init__(self, geometries: Sequence[shapely.Geometry]):
        self.geometries = np.asarray(list(geometries), dtype=object)
        for geom in self.geometries:
            if geom is None or shapely.is_empty(geom):
                raise ValueError("every area needs a non-empty geometry")
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    def __len__(self) -> int:
        return len(self.geometries)

    def locate(self, x: float, y: float) -> int:
        """Position of the area holding (x, y), or -1."""
        return int(self.locate_many(np.array([x]), np.array([y])).index[0])

    def locate_many(self, x: np.ndarray, y: np.ndarray) -> LocateResult:
        x = np.ascontiguousarray(x, dtype=float)
        y = np.ascontiguousarray(y, dtype=float)
        if x.shape != y.shape or x.ndim != 1:
            raise ValueError("x and y must be one-dimensional arrays of the same length")
        result = np.full(x.shape[0], -1, dtype=np.int64)
        if x.size == 0 or len(self.geometries) == 0:
            return LocateResult(result)
        points = shapely.points(x, y)
        point_idx, area_idx = self.tree.query(points)
        if point_idx.size == 0:
            return LocateResult(result)
        # Walk areas from last to first so that, on shared borders, the first-listed area wins.
        order = np.lexsort((point_idx, -area_idx))
        point_idx, area_idx = point_idx[order], area_idx[order]
        boundaries = np.flatnonzero(np.diff(area_idx)) + 1
        for pts, areas in zip(np.split(point_idx, boundaries), np.split(area_idx, boundaries)):
            hit = shapely.intersects_xy(self.geometries[areas[0]], x[pts], y[pts])
            result[pts[hit]] = areas[0]
        return LocateResult(result)
