"""Which ODS each Tabla 5 contribution belongs to, inferred only from Tabla 1's per-ODS count and amount.

Every ODS g must get exactly `interactions_monetary[g]` contributions whose totals add up to its
`total_cop`. For each ODS but the largest we list every k-subset with that sum (meet in the middle,
in integer centavos); the largest takes whatever is left. Backtracking over disjoint choices gives
every consistent assignment; a row is determined when all of them put it in the same ODS.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

import pandas as pd

from coopgraph.money import format_cop, to_cents

__all__ = ["infer_sdgs", "subsets_with_sum"]


def subsets_with_sum(amounts: list[int], k: int, target: int) -> list[tuple[int, ...]]:
    """Every set of k positions of `amounts` (ascending, non-negative) whose amounts sum to `target`.

    Each subset is split into its k//2 smallest members and the rest. The small part plus
    (large size × its largest member) cannot exceed the target, and the large part must reach
    the target minus (small size × its smallest member); both bounds prune hard. Large parts
    are indexed by sum and joined with small parts that sit entirely below them.
    """
    small, large = k // 2, k - k // 2
    large_by_sum: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for positions, total in _large_parts(amounts, large, target, small):
        large_by_sum[total].append(positions)
    found = []
    for positions, total in _small_parts(amounts, small, target, large):
        for rest in large_by_sum.get(target - total, ()):
            if not positions or rest[0] > positions[-1]:  # one split per subset: small part strictly below
                found.append(positions + rest)
    return found


def _small_parts(amounts, size, target, reserve) -> Iterator[tuple[tuple[int, ...], int]]:
    """`size` positions, built upwards, with total + reserve × largest amount <= target."""
    def extend(first, chosen, total):
        left = size - len(chosen)
        if left == 0:
            yield tuple(chosen), total
            return
        for i in range(first, len(amounts) - left + 1):
            # what is still to choose is >= amounts[i]; if this overshoots, every later i does too
            if total + (left + reserve) * amounts[i] > target:
                break
            chosen.append(i)
            yield from extend(i + 1, chosen, total + amounts[i])
            chosen.pop()
    yield from extend(0, [], 0)


def _large_parts(amounts, size, target, reserve) -> Iterator[tuple[tuple[int, ...], int]]:
    """`size` positions, built downwards, with target - reserve × smallest amount <= total <= target."""
    suffix = [0] * (len(amounts) + 1)  # suffix[i] = sum(amounts[i:])
    for i in range(len(amounts) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + amounts[i]

    def extend(below, chosen, total):
        left = size - len(chosen)
        if left == 0:
            yield tuple(reversed(chosen)), total
            return
        for i in range(below - 1, left - 2, -1):
            lowest = i - left + 1  # taking i and the left-1 positions just under it is the best still possible
            if total + suffix[lowest] - suffix[i + 1] < target - reserve * amounts[lowest]:
                break  # moving i down only makes the best smaller and the requirement larger
            if total + amounts[i] > target:
                continue
            chosen.append(i)
            yield from extend(i, chosen, total + amounts[i])
            chosen.pop()
    yield from extend(len(amounts), [], 0)


def infer_sdgs(sdg: pd.DataFrame, contributions: pd.DataFrame) -> pd.DataFrame:
    """One row per contribution: row, sdg (None unless determined), candidates, solutions, reason."""
    order = sorted(range(len(contributions)), key=lambda i: to_cents(contributions.total_cop.iloc[i]))
    rows = [int(contributions.row.iloc[i]) for i in order]
    amounts = [to_cents(contributions.total_cop.iloc[i]) for i in order]
    cents_of = dict(zip(rows, amounts))
    wanted = {int(g): (int(k), to_cents(total))
              for g, k, total in zip(sdg.sdg, sdg.interactions_monetary, sdg.total_cop)
              if int(k) or total}  # an ODS with no rows and $ 0 constrains nothing
    # The ODS with most rows (17: 31 of 62) has far too many subsets to list; it takes what is left.
    remainder = max(wanted, key=lambda g: wanted[g][0])
    choices = {g: [frozenset(rows[p] for p in positions) for positions in subsets_with_sum(amounts, k, total)]
               for g, (k, total) in wanted.items() if g != remainder}
    assignments = list(_disjoint(sorted(choices, key=lambda g: len(choices[g])), choices, {}, set(rows)))
    k, total = wanted[remainder]
    assignments = [a | {remainder: rest} for a in assignments
                   if len(rest := frozenset(rows) - frozenset().union(*a.values())) == k
                   and sum(cents_of[r] for r in rest) == total]

    placements = [{r: g for g, members in a.items() for r in members} for a in assignments]  # row -> ODS
    candidates = {r: sorted({placed[r] for placed in placements}) for r in sorted(rows)}
    return pd.DataFrame({
        "row": list(candidates),
        # object dtype keeps plain ints next to None (pandas would turn them into floats and NaN)
        "sdg": pd.Series([c[0] if len(c) == 1 else None for c in candidates.values()], dtype=object),
        "candidates": list(candidates.values()),
        "solutions": len(assignments),
        "reason": [_reason(r, c, placements, wanted, remainder, cents_of) for r, c in candidates.items()],
    })


def _disjoint(pending, choices, chosen, free) -> Iterator[dict[int, frozenset]]:
    """Every way to give each pending ODS one of its candidate sets, no row used twice."""
    if not pending:
        yield dict(chosen)
        return
    g, rest = pending[0], pending[1:]
    for members in choices[g]:
        if members <= free:
            chosen[g] = members
            yield from _disjoint(rest, choices, chosen, free - members)
            del chosen[g]


def _reason(row, candidates, placements, wanted, remainder, cents_of) -> str:
    if not candidates:
        return "Sin asignación compatible con Tabla 1"
    if len(candidates) == 1:
        g = candidates[0]
        k, total = wanted[g]
        what = (f"los {k} aportes restantes suman" if g == remainder and k > 1
                else "1 aporte de" if k == 1 else f"{k} aportes suman")
        where = ("Única asignación compatible con Tabla 1" if len(placements) == 1
                 else f"Igual en las {len(placements)} asignaciones compatibles con Tabla 1")
        return f"{where} (ODS {g}: {what} {format_cop(total, cents=True)})"
    # Why it moves: a row of the same amount it can trade places with, or different sums that also fit.
    twins = [str(r) for r in sorted(cents_of) if r != row and cents_of[r] == cents_of[row]
             and any(placed[r] != placed[row] for placed in placements)]
    why = (f"montos iguales intercambiables con la fila {' y '.join(twins)}" if twins
           else "distintas combinaciones de montos cumplen Tabla 1")
    listed = ", ".join(map(str, candidates[:-1])) + f" y {candidates[-1]}"
    return f"Indeterminado: compatible con ODS {listed} ({why})"
