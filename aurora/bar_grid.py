"""Bar arithmetic of a plan: how long a bar lasts, how many whole bars a duration holds, and how they are shared
among sections on the phrase grid (4-bar phrases, 8 in club and rap forms, whole forms of a 12-bar blues; intros and
outros in half a phrase or 2 bars). The planner's form decisions stand on it; the LLM tiers' plans use it too."""

from __future__ import annotations

import math
from typing import NamedTuple

from aurora.exceptions import PlanError
from aurora.harmony_plan import is_edge, phrase_loop, slot_loop
from knowledge_base.limits import PHRASE_BARS, ring_out_s
from knowledge_base.schema import StructureSection

MAIN_UNIT_BARS, EDGE_UNIT_BARS = PHRASE_BARS, 2  # phrase units: sections on the 4-bar grid, intros and outros on 2
LONGEST_PHRASE_BARS = 8  # a progression longer than this is a form played whole (a 12-bar blues), not a phrase


class PhraseGrid(NamedTuple):
    """The bars sections are counted in: main sections in ``main`` (a phrase, or a whole 12-bar form), intros and
    outros in ``edge``."""

    main: int = MAIN_UNIT_BARS
    edge: int = EDGE_UNIT_BARS

    @property
    def whole_form(self) -> bool:
        """Main sections are whole forms (a 12-bar chorus), not phrases."""
        return self.main > LONGEST_PHRASE_BARS


SONG_GRID = PhraseGrid()


def seconds_per_bar(tempo_bpm: float, time_signature: str) -> float:
    """Bar length under the engine's convention: the tempo counts quarter notes, except in compound
    meters (6/8, 9/8, 12/8) where it counts the dotted quarter, the felt pulse."""
    top, bottom = (int(p) for p in time_signature.split("/"))
    sixteenths = top * 16 / bottom
    compound = bottom == 8 and top % 3 == 0 and top >= 6
    return sixteenths * 60.0 / tempo_bpm / (6 if compound else 4)


def whole_form_s(form_bars: int, bar_s: float) -> float:
    """The duration whose music bars (``music_bars``) are exactly ``form_bars``: the form and its ring-out."""
    duration_s = form_bars * bar_s
    for _ in range(8):  # the ring-out is a share of the duration: settle the fixed point
        duration_s = form_bars * bar_s + ring_out_s(duration_s)
    return round(duration_s + 0.01, 2)


def form_bars(chords: list[str], per_bar: int) -> int:
    """The bars of a main section's unit: a 4-bar phrase, or the whole form of a progression longer than a phrase
    (a 12-bar blues is played in whole choruses: cut into 4-bar sections it played its first four bars, I IV I I,
    over and over and never reached the IV of bar 5 or the V of bar 9)."""
    form = len(phrase_loop(slot_loop(chords, per_bar), per_bar)) // max(per_bar, 1)
    return form if form > LONGEST_PHRASE_BARS else MAIN_UNIT_BARS


def grid_units(sections: list[StructureSection], grid: PhraseGrid) -> int:
    return sum(grid.edge if is_edge(s.name) else grid.main for s in sections)


def phrase_units(names: list[str], grid: PhraseGrid) -> list[int]:
    """The fewest bars each named section takes on the grid: a phrase, or half of one for an intro or outro."""
    return [grid.edge if is_edge(x) else grid.main for x in names]


def allocate_bars(ratios: list[float], total_bars: int, names: list[str] | None = None,
                   grid: PhraseGrid = SONG_GRID, *, tag: bool = False) -> list[int]:
    """Whole bars per section, proportional to the ratios: with names, sections in the grid's phrases (4 bars, 8
    in club forms, or whole forms of a 12-bar blues; intros and outros in half a phrase or 2 bars) and the odd
    bars left over given to an outro or ending; without one, with ``tag`` they are one more entry (the planner's
    tag ending), else they go to an intro or the last section; without names (or when the phrases do not fit),
    4-, 2- or 1-bar units."""
    n = len(ratios)
    if names is not None and len(names) == n:
        phrases = phrase_units(names, grid)
        if sum(phrases) <= total_bars:
            return _phrase_bars(ratios, total_bars, phrases, grid, tag=tag and not is_edge(names[-1]))
    quantum = 4 if total_bars >= 6 * n else 2 if total_bars >= 3 * n else 1
    units = total_bars // quantum
    if units < n:
        quantum, units = 1, total_bars
    raw = [r * units / sum(ratios) for r in ratios]
    alloc = [max(1, math.floor(x)) for x in raw]
    while sum(alloc) > units:
        i = max(range(n), key=lambda j: (alloc[j] - raw[j], alloc[j]))
        if alloc[i] <= 1:
            break
        alloc[i] -= 1
    order = sorted(range(n), key=lambda j: raw[j] - alloc[j], reverse=True)
    k = 0
    while sum(alloc) < units:
        alloc[order[k % n]] += 1
        k += 1
    bars = [a * quantum for a in alloc]
    bars[-1] += total_bars - sum(bars)
    if bars[-1] < 1:
        raise PlanError(f"Cannot fit {n} sections into {total_bars} bars.")
    return bars


def _phrase_bars(ratios: list[float], total_bars: int, units: list[int], grid: PhraseGrid, *,
                 tag: bool = False) -> list[int]:
    n = len(ratios)
    main = grid.main  # a main section's unit: a phrase, or a whole 12-bar form
    target = [r * total_bars / sum(ratios) for r in ratios]
    alloc = [max(u, int(t // u) * u) for t, u in zip(target, units, strict=True)]
    while sum(alloc) > total_bars:
        i = max((j for j in range(n) if alloc[j] > units[j]), key=lambda j: alloc[j] - target[j])
        alloc[i] -= units[i]
    while True:
        room = total_bars - sum(alloc)
        grow = [j for j in range(n) if units[j] <= room]
        if not grow:
            break
        i = max(grow, key=lambda j: (target[j] - alloc[j]) / units[j])
        if target[i] - alloc[i] <= 0 and room < main:
            break
        alloc[i] += units[i]
    rest = total_bars - sum(alloc)
    edges = [j for j in range(n) if units[j] == grid.edge and grid.edge != main]
    if len(edges) > 1 and main > MAIN_UNIT_BARS:  # a form's or a long phrase's leftover bars: whole units to the
        for k in range(rest // grid.edge):        # intro and the ending in turn, the odd bar to the ending
            alloc[edges[k % len(edges)]] += grid.edge
        rest %= grid.edge
        edges = edges[::-1]
    took = n - 1 if n - 1 in edges or not edges else edges[0]  # an outro closes on them, else the intro takes them
    alloc[took] += rest
    mains = [j for j in range(n) if units[j] == main]
    for e in edges:  # an intro or outro swollen by the odd bars gives a whole phrase to a section instead
        while mains and alloc[e] - main >= 1 and alloc[e] >= target[e] + grid.edge:
            alloc[e] -= main
            alloc[max(mains, key=lambda j: target[j] - alloc[j])] += main
    odd = alloc[took] % units[took] if alloc[took] > units[took] else 0
    if tag and odd:  # the section that took the odd bars stays on the grid (a 12-bar chorus whole); they close
        alloc[took] -= odd  # the piece (a one-bar intro stays: a pickup)
        return [*alloc, odd]
    return alloc
