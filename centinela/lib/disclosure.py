"""Statistical disclosure control for published counts: a count of a few people in a small area and period can
point at one of them (one report of violence in a barrio in a month), so public tables hide counts under a minimum
(`OPEN_DATA_MIN_COUNT`) and, where a total would give a hidden count back by subtraction, more counts with it
(complementary suppression). Used by the incidents' open data (observatory) and by the citizen reports' public map
and open data (participation): one rule, one implementation, here because neither app may import the other.
"""

from __future__ import annotations

from typing import Any


def suppress(blocks: dict, k: int, root: Any = "total") -> set:
    """Cell suppression for a two-level table: `blocks` maps each block (a parish in a year) to its cells
    ({cell: count}); a block's total is the sum of its cells, and the grand total (`root`, the canton's year) the
    sum of the block totals. Returns the hidden keys: cells, blocks (their totals) and `root`.

    Primary: every count from 1 to k-1 is hidden; zeros are published (they disclose nobody).
    Secondary (complementary): more cells and totals are hidden, the smallest first, until every hidden count could
    still be k or more given everything published. The bounds are exact for this shape (sums over a tree, a reader
    knowing that a hidden count is at least 1): a hidden cell can reach its block total (or the most that hidden
    total can reach) minus the block's published cells minus 1 for each other hidden cell; a hidden block total can
    reach the grand total minus the published block totals minus the least each other hidden block total holds.
    A simple greedy heuristic (as tau-ARGUS's), not an optimal one; the tests check it with linear programs.
    """
    totals = {b: sum(cells.values()) for b, cells in blocks.items()}
    grand = sum(totals.values())
    hidden = {c for cells in blocks.values() for c, v in cells.items() if 0 < v < k}
    hidden |= {b for b, t in totals.items() if 0 < t < k}
    if 0 < grand < k:
        hidden.add(root)

    def grow_root():
        candidates = sorted((t, str(b), b) for b, t in totals.items() if b not in hidden and t > 0)
        hidden.add(candidates[0][2] if candidates else root)

    def hide_in(b, at_least=1):
        """Hide the smallest published cell of block b holding at least `at_least`; False when there is none."""
        candidates = sorted((v, str(c), c) for c, v in blocks[b].items() if c not in hidden and v >= at_least)
        if candidates:
            hidden.add(candidates[0][2])
        return bool(candidates)

    while True:
        published = {b: sum(v for c, v in blocks[b].items() if c not in hidden) for b in blocks}
        n_hidden = {b: sum(1 for c in blocks[b] if c in hidden) for b in blocks}
        hidden_blocks = [b for b in blocks if b in hidden]
        lower = {b: published[b] + n_hidden[b] for b in hidden_blocks}
        upper = {}
        if root not in hidden:
            known = sum(totals[b] for b in blocks if b not in hidden)
            for b in hidden_blocks:
                upper[b] = grand - known - sum(lower[o] for o in hidden_blocks if o != b)
            if len(hidden_blocks) == 1 or any(upper[b] < k for b in hidden_blocks):
                grow_root()
                continue
        fixed = False
        for b in blocks:
            if n_hidden[b] == 0:
                if b in hidden:  # its total would be the sum of its published cells
                    hide_in(b)
                    fixed = True
                    break
                continue
            reach = totals[b] if b not in hidden else upper.get(b, float("inf"))
            if (b not in hidden and n_hidden[b] == 1) or reach - published[b] - (n_hidden[b] - 1) < k:
                if not hide_in(b, 1 if n_hidden[b] == 1 and b not in hidden else 2):
                    if b not in hidden:
                        hidden.add(b)
                    else:
                        grow_root()
                fixed = True
                break
        if not fixed:
            return hidden
