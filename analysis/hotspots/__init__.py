"""Hot-spot surfaces: kernel density (KDE) on a grid and Getis-Ord Gi* with permutation p-values.

Public API (the web page calls exactly these):

    grid_from_points(x, y, cell, extent=None) -> Grid
    kde(x, y, *, cell, bandwidth=None, extent=None, kernel="quartic", scheduler=None, progress=None) -> KdeResult
    grid_neighbours(rows, cols, kind="queen", order=1, include_self=True) -> (indptr, indices)
    distance_neighbours(x, y, threshold, include_self=True) -> (indptr, indices)
    gistar(values, neighbours, *, permutations=999, seed=0, transform="B", fdr=None, method="auto", alpha=0.05,
           scheduler=None, progress=None) -> GiStarResult
    gistar_grid(x, y, *, cell, extent=None, kind="queen", order=1, permutations=999, seed=0, fdr=None, ...)
        -> GiStarResult (with the grid, so to_geojson() draws cells)

Conventions
-----------
* Coordinates are projected metres. A grid has `rows` x `cols` square cells of `cell` metres; row 0 is the
  southern edge (smallest y), column 0 the western edge; cells are numbered row-major, i = row * cols + col (the
  same order as libpysal's `lat2W(rows, cols)`).
* Weights are binary neighbour lists in CSR form (indptr, indices), built here without libpysal. Gi* always
  includes the cell itself (self weight 1 with transform "B"; with "R" every neighbour, self included, weighs
  1 / (k_i + 1)), whether or not the lists name it.

Gi* statistic and analytic z (Getis & Ord 1992; Ord & Getis 1995), computed exactly as esda's
`G_Local(y, w, transform=..., star=True)` does so both agree to rounding: with N cells, values y, W_i the row
sum of the (transformed) weights including self, ybar = mean(y), s2 = mean(y**2) - ybar**2,

    G*_i = sum_j w_ij y_j / sum_j y_j,   E = W_i / N,   V = W_i (N - W_i) / (N - 1) / N**2 * s2 / ybar**2,
    z_i = (G*_i - E) / sqrt(V),          p_norm = one-sided normal tail beyond |z| (as esda).

With "B", W_i = k_i + 1 and z is the usual Gi* z-score (ArcGIS "Hot Spot Analysis"). With "R", W_i = 1: esda
plugs the row sum into the binary-weights variance, so "R" z-scores are smaller in magnitude than "B" ones (not a
unit-variance score); we keep esda's formula for comparability and default to "B".

Permutation p-values (conditional randomisation, Anselin 1995): for cell i, its own value stays put and the values
of its k_i neighbours are replaced by k_i values drawn WITHOUT replacement from the other N - 1 cells (cell i's own
value is excluded, exactly). Since every neighbour of i has the same weight, the statistic is an increasing function
of the neighbour sum S_i, so only S_i matters: p_hot = P(S_i >= s_i), p_cold = P(S_i <= s_i) (ties count on both
sides, which is conservative), p_sim = min(p_hot, p_cold): the one-sided p in the direction the data point to,
esda's "directed" convention. (Where there are no ties, esda's directed p and ours are the same formula; with tied
integer counts esda counts a tie as "larger" only, so a cell whose neighbourhood is all zeros among mostly-zero
cells gets esda p = 1/(P+1), i.e. a spurious cold spot; ours gets p = 1.) Two schemes:

* method="exact" (integer values, e.g. counts): the limit of infinitely many permutations. The distribution of the
  sum of c draws without replacement from a multiset is a multivariate-hypergeometric convolution over the value
  histogram: prod_v (1 + t z**v)**h_v. It is built once for all N values (per draw count c <= max k); removing cell
  i's own value a is an exact deconvolution by (1 + t z**a): G[c][s] = (N F[c][s] - c G[c-1][s-a]) / (N - c) in
  probability form. One table per distinct value a serves every cell with that value, so the cost depends on the
  number of distinct values and the range of sums, not on N or on the number of permutations (`permutations` is
  then unused). Agrees with full enumeration to 1e-12 in the tests.
* method="mc" (any values): P seeded permutations. For every cell and permutation, a uniformly random set of k_i
  distinct cells among the N - 1 other cells is drawn, independently for every cell (no index sets shared across
  cells, unlike esda's numba engine which draws P index sets once and reuses them for all cells, so that a cell's
  own value can land among its "neighbours"). p_hot = (#{S >= s} + 1) / (P + 1), etc. The draw is made cheap on
  count grids, where most cells hold 0 or 1, by drawing first how many of the k_i picks fall on each of the most
  frequent values, from the exact multivariate hypergeometric law (cell i removed from its own group), and then
  only the picks among the other values (Lemire's unbiased bounded integers); see `_mc_counts` for the algorithm
  and analysis/test_hotspots_mc.py for the checks against full enumeration and the exact method.
  Sums are compared with a relative tolerance of 1e-9, so exact ties count as ties (esda compares a fastmath
  x * (1/sum) with x / sum, so tied integer sums fall on either side by rounding; on count grids this makes its
  p_sim smaller than the conditional-permutation value for many cells, see analysis/test_hotspots.py).
  Random numbers: a splitmix64 stream per (chunk, cell), keyed from the chunk's SeedSequence (analysis.parallel.plan,
  chunks of MC_CHUNK permutations), so results are identical in-process and on Dask, whatever the thread count.
* method="mc-class": P seeded permutations drawn once per class of cells instead of once per cell. The reference
  distribution of cell i's neighbour sum depends only on its own value a (removed from the pool) and its number
  of neighbours k_i, so all cells with the same (a, k_i) share it: for each class, P sums of k_i values drawn without
  replacement from the N - 1 cells other than one cell of value a (`_class_sums`, the same uniform draws as "mc"),
  sorted; each cell's counts #{S >= s} and #{S <= s} are two binary searches (`_class_counts`). Each cell's p is as
  valid as with "mc" (the same law); cells of one class share their draws, so their errors are correlated (as in
  esda, which shares its P index sets across all cells). On count grids there are tens to hundreds of classes, so
  the cost hardly depends on N. With more than N / 4 classes (or classes x P > 2e8) it falls back to "mc".
* method="auto" (default): "exact" when the values are integers and the exact tables are affordable, else "mc".

Ties (`ties`): "both" (default, ours): a simulated sum equal to the observed one counts in both tails, p_hot =
(#{S >= s} + 1) / (P + 1), p_cold = (#{S <= s} + 1) / (P + 1), p_sim = min, hot = p_hot < p_cold (exact: the same
without the +1s). "esda": esda's "directed" count (esda.significance._permutation_significance): larger = #{S >= s}
(a tie counts as larger only); where P - larger < larger the cell is low (cold) and larger = P - larger = #{S < s};
p_sim = (larger + 1) / (P + 1) (exact: min(P(S >= s), P(S < s))). This is esda's rule with exact integer
comparisons; esda itself compares floating-point G* after a fastmath division, so some of its ties fall on the
other side by rounding: p-values agree with esda's in distribution, not cell by cell (analysis/test_gistar_classes.py).

Significance: `p_value` = min(1, 2 p_sim), two-sided, as ArcGIS's Gi_Bin confidence levels (90/95/99%). With
`fdr`, Benjamini-Hochberg (1995) adjusted p-values (`q`) of p_value decide `significant` (q <= fdr) and the
category levels; without it, significant = p_value <= alpha. Categories: "hot 99%" (<= 0.01), "hot 95%" (<= 0.05),
"hot 90%" (<= 0.10), the same for "cold", else "not significant".

KDE: density at each cell centre, sum_j K(d_ij / h) / h**2, in incidents per km^2 (Silverman 1986). Kernels
(u = d / h): quartic (biweight, default, as CrimeStat/ArcGIS) 3/pi (1-u^2)^2; epanechnikov 2/pi (1-u^2);
triangular 3/pi (1-u); uniform 1/pi; gaussian 1/(2 pi) exp(-u^2/2) cut at u = 4. Default bandwidth (`bandwidth_rule`
"arcgis"): ArcGIS Pro's spatial variant of Silverman's rule of thumb, h = 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2,
SD the standard distance and Dm the median distance to the mean centre; "scott": h = sqrt((sx^2 + sy^2)/2) n^(-1/6)
(Scott 1992, bivariate). The grid is cut into row bands run through `analysis.parallel.run_chunks` (Dask-able).

References: Getis & Ord (1992) Geogr. Anal. 24(3); Ord & Getis (1995) Geogr. Anal. 27(4); Anselin (1995) Geogr.
Anal. 27(2); Benjamini & Hochberg (1995) JRSS-B 57(1); Silverman (1986) Density Estimation; esda.getisord.G_Local;
ArcGIS Pro "Hot Spot Analysis (Getis-Ord Gi*)" and "Kernel Density" documentation; CrimeStat IV ch. 10.

Modules
-------
Every public name is re-exported here, so `from analysis.hotspots import kde`, `hs.monte_carlo_prepare`, ... keep
working; the numba kernels private to a module stay there (`analysis.hotspots.density._kde_band`, ...).

* grid: the input checks (`checked_xy`, `positive_metres`), `Grid`, `grid_from_points`, `MAX_CELLS`,
  `cell_polygon_features` (one GeoJSON polygon per cell, for the results' `to_geojson`).
* density: KDE: `kde`, `KdeResult`, `bandwidth_rule`, the numba kernel `_kde_band`, `KERNELS`, `BANDWIDTH_RULES`.
* weights: neighbour lists in CSR form (`grid_neighbours`, `distance_neighbours`, `neighbour_offsets`, the check
  `checked_csr`) and the numba `neighbour_sums` Gi* starts from.
* permutation: the Monte Carlo (`monte_carlo_prepare`, `monte_carlo_chunk` over the kernel `_mc_counts`), exact
  (`exact_plan`, `exact_pvalues` over `_sum_distribution` and `_exact_tails`) and per-class (`class_plan`,
  `class_pvalue_counts`) permutation engines.
* getisord: Gi*: `gistar`, `gistar_grid`, `GiStarResult`, `CATEGORIES`, `benjamini_hochberg`, `_normal_sf`.
* cli: `kde_arguments`/`kde_run` and `gistar_arguments`/`gistar_run`, the entries of `centinela-analysis kde|gistar`
  in analysis/cli.py's `METHODS`.

Dependency order (no module imports a later one): grid <- density; grid <- weights; permutation; grid, weights,
permutation <- getisord; density, getisord <- cli.
"""

from __future__ import annotations

from analysis.hotspots.cli import (  # noqa: F401
    gistar_arguments,
    gistar_run,
    kde_arguments,
    kde_run,
)
from analysis.hotspots.density import (  # noqa: F401
    BANDWIDTH_RULES,
    GAUSS_CUT,
    KDE_MAX_WORK,
    KERNELS,
    KdeResult,
    bandwidth_rule,
    kde,
)
from analysis.hotspots.getisord import (  # noqa: F401
    CATEGORIES,
    GiStarResult,
    benjamini_hochberg,
    gistar,
    gistar_grid,
)
from analysis.hotspots.grid import (  # noqa: F401
    MAX_CELLS,
    Grid,
    cell_polygon_features,
    checked_xy,
    grid_from_points,
    positive_metres,
)
from analysis.hotspots.permutation import (  # noqa: F401
    EXACT_MAX_WORK,
    MC_CHUNK,
    MC_GUIDE_BITS,
    MC_LEVEL_SHARE,
    MC_LEVELS,
    MC_TABLE_MAX,
    exact_plan,
    exact_pvalues,
    monte_carlo_chunk,
    monte_carlo_prepare,
)
from analysis.hotspots.weights import (  # noqa: F401
    checked_csr,
    distance_neighbours,
    grid_neighbours,
    neighbour_offsets,
    neighbour_sums,
)
from analysis.io import InputError  # noqa: F401
from analysis.parallel import plan, run_chunks  # noqa: F401
