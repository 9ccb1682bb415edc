"""Spatial weights as binary neighbour lists in CSR form (indptr, indices): grid contiguity (`grid_neighbours`,
queen/rook/distance in cells, via `neighbour_offsets` and the numba `_grid_csr`), distance bands between points
(`distance_neighbours`), the check of caller-supplied lists (`checked_csr`) and the numba `neighbour_sums` (each
cell's neighbour sum and count, the cell itself excluded) that Gi* starts from."""

from __future__ import annotations

import math

import numba
import numpy as np

from analysis.hotspots.grid import MAX_CELLS, checked_xy, positive_metres
from analysis.io import InputError

# ------------------------------------------------------------------------------------------------ weights


def neighbour_offsets(kind: str, order) -> np.ndarray:
    """The (row, column) offsets of a cell's neighbours for `kind` (queen, rook, distance) at `order`, sorted
    row-major; InputError for an unknown kind or an order out of range."""
    if kind not in ("queen", "rook", "distance"):
        raise InputError(f"unknown neighbour kind '{kind}': use queen, rook or distance")
    try:
        order_f = float(order)
    except (TypeError, ValueError) as exc:
        raise InputError(f"order must be a number, got {order!r}") from exc
    if kind in ("queen", "rook") and (order_f != int(order_f) or order_f < 1):
        raise InputError(f"{kind} contiguity order must be a whole number >= 1, got {order}")
    if not (order_f > 0 and math.isfinite(order_f)) or order_f > 50:
        raise InputError(f"order (in cells) must be in (0, 50], got {order}")
    m = int(math.floor(order_f))
    dr_grid, dc_grid = np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1), indexing="ij")
    dr, dc = dr_grid.ravel(), dc_grid.ravel()
    if kind == "queen":
        keep = np.ones(dr.size, bool)
    elif kind == "rook":
        keep = np.abs(dr) + np.abs(dc) <= m
    else:
        keep = dr * dr + dc * dc <= order_f * order_f * (1 + 1e-12)
    return np.stack([dr[keep], dc[keep]], axis=1).astype(np.int64)  # sorted row-major, so indices come out sorted


@numba.njit(cache=True)
def _grid_csr(rows, cols, offsets, include_self):
    n = rows * cols
    indptr = np.zeros(n + 1, dtype=np.int64)
    m = offsets.shape[0]
    for r in range(rows):
        for c in range(cols):
            k = 0
            for o in range(m):
                rr, cc = r + offsets[o, 0], c + offsets[o, 1]
                if 0 <= rr < rows and 0 <= cc < cols and (include_self or offsets[o, 0] != 0 or offsets[o, 1] != 0):
                    k += 1
            indptr[r * cols + c + 1] = k
    for i in range(n):
        indptr[i + 1] += indptr[i]
    indices = np.empty(indptr[n], dtype=np.int32)
    for r in range(rows):
        for c in range(cols):
            p = indptr[r * cols + c]
            for o in range(m):
                rr, cc = r + offsets[o, 0], c + offsets[o, 1]
                if 0 <= rr < rows and 0 <= cc < cols and (include_self or offsets[o, 0] != 0 or offsets[o, 1] != 0):
                    indices[p] = rr * cols + cc
                    p += 1
    return indptr, indices


def grid_neighbours(rows: int, cols: int, kind: str = "queen", order=1, include_self: bool = True):
    """Neighbour lists of a rows x cols grid (cells row-major) as CSR arrays (indptr int64, indices int32, sorted).

    kind "queen": cells within queen contiguity of order k (Chebyshev distance <= k: 8 neighbours for k = 1);
    "rook": rook contiguity up to order k (Manhattan distance <= k); "distance": centres within `order` cells
    (Euclidean, order may be fractional). Orders are cumulative (all lower orders included), as libpysal's
    `higher_order(..., lower_order=True)`; order 1 equals `lat2W(rows, cols, rook=...)`."""
    try:
        rows, cols = int(rows), int(cols)
    except (TypeError, ValueError) as exc:
        raise InputError("rows and cols must be whole numbers") from exc
    if rows < 1 or cols < 1:
        raise InputError(f"the grid needs at least one row and one column, got {rows} x {cols}")
    if rows * cols > MAX_CELLS:
        raise InputError(f"{rows} x {cols} = {rows * cols:,} cells is more than the {MAX_CELLS:,} that fit in memory")
    offsets = neighbour_offsets(kind, order)
    if offsets.shape[0] * rows * cols > 40 * MAX_CELLS:
        raise InputError(
            f"{offsets.shape[0]} neighbours per cell on {rows * cols:,} cells do not fit in memory: "
            f"use a lower order or a coarser grid"
        )
    return _grid_csr(rows, cols, offsets, bool(include_self))


def distance_neighbours(x, y, threshold, include_self: bool = True):
    """Neighbour lists of points (e.g. areas' centroids, metres) within `threshold` metres, as CSR arrays
    (indptr int64, indices int32, sorted), via scipy's cKDTree; the equivalent of libpysal's
    `DistanceBand(points, threshold, binary=True)` (distance <= threshold) plus the point itself when
    `include_self`. Points without neighbours are islands: their Gi* only uses their own value."""
    x, y = checked_xy(x, y)
    threshold = positive_metres("threshold", threshold)
    from scipy.spatial import cKDTree

    n = x.size
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(threshold, output_type="ndarray")
    a = np.concatenate([pairs[:, 0], pairs[:, 1]] + ([np.arange(n)] if include_self else []))
    b = np.concatenate([pairs[:, 1], pairs[:, 0]] + ([np.arange(n)] if include_self else []))
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return indptr, b.astype(np.int32)


# ------------------------------------------------------------------------------------------------ Gi* kernels


@numba.njit(cache=True, parallel=True)
def neighbour_sums(indptr, indices, values):
    """Sum of the neighbours' values and their number, the cell itself excluded; -1 in bad[i] marks duplicates."""
    n = indptr.size - 1
    s = np.zeros(n)
    k = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=np.int8)
    for i in numba.prange(n):
        acc = 0.0
        cnt = 0
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if j == i:
                continue
            for q in range(indptr[i], p):
                if indices[q] == j:
                    bad[i] = 1
            acc += values[j]
            cnt += 1
        s[i] = acc
        k[i] = cnt
    return s, k, bad


def checked_csr(neighbours, n):
    """Caller-supplied neighbour lists (indptr, indices) checked against `n` values, as contiguous int64/int32
    arrays; InputError when they do not fit."""
    try:
        indptr, indices = neighbours
    except (TypeError, ValueError) as exc:
        raise InputError("neighbours must be (indptr, indices) CSR arrays, e.g. from grid_neighbours()") from exc
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    if indptr.ndim != 1 or indptr.size != n + 1 or indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        raise InputError(f"neighbours do not match the values: indptr needs {n + 1} integers, got {indptr.size}")
    if indptr[0] != 0 or indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
        raise InputError("neighbours: indptr must start at 0, never decrease and end at len(indices)")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise InputError(f"neighbours: indices must lie in 0..{n - 1}")
    return np.ascontiguousarray(indptr, dtype=np.int64), np.ascontiguousarray(indices, dtype=np.int32)
