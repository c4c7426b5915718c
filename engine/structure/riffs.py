"""Riffs: what a distorted rhythm guitar plays in the genres that riff (metal, thrash, doom, hard rock, grunge).

A power chord strummed on every eighth has no third: nothing in it says minor or major. A metal guitarist plays a
riff instead: palm-muted chugs on the chord's root on the low string, punctuated by stabs on the mode's other
degrees (the minor third, the Phrygian flat second, the fourth, the flat fifth, the flat seventh) and rests. The
cells come from knowledge_base grooves.yaml ``riffs`` (sound.RiffSet); this module reads them against the plan's
chords and the key's mode, so one cell works in any key: its ``3`` is G over E minor's tonic and C# over A major's.
The plan's chord stays the harmony: every bar (and every chord of a bar) starts on its root, and over a chord
outside the key (F in E minor) the stabs fall back to that chord's root chugs.

The seed chooses the cell a verse, a chorus and a bridge play (another seed, another riff); the energy level thins
it (low: the downbeat rings, one stab, chugs on the beats) or gallops it (high: an eighth-note chug beat becomes
an eighth and two sixteenths). The bass doubles the riff's notes (``riff_bass_bar``): root where the guitar chugs the
root, the stab's degree where it stabs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.score import ChordSpan, Note
from engine.structure.bass import BASS_HIGH, nearest_pitch
from engine.structure.harmony import power_chord, tuned_power_chord_roots
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase, normalise_name, theory
from knowledge_base.schema import Genre
from knowledge_base.sound import RIFF_ROOT, RiffSet

_CHROMATIC = {"b": (1, 2), "t": (6, 4)}  # token -> (semitones over a minor tonic, the scale step elsewhere)
_BRIDGE_KIND = ("bridge", "breakdown", "solo", "middle", "interlude")
CHUG_VELOCITY = {"X": 1.0, "x": 0.8, "o": 0.65}  # palm-muted chugs play softer than an open accent
CHUG_SHARE = 0.6  # of a step (two at most): a palm-muted chug is damped short


@dataclass(frozen=True, slots=True)
class RiffHit:
    step: int
    length: int  # steps, through its holds
    token: str  # X x o (the root) or a stab (RiffSet's 2-7 b t)


@dataclass(frozen=True, slots=True)
class RiffEvent:
    """A sounded riff note for the bass to double: where, how long, which pitch class, and whether it is the root."""

    step: int
    length: int
    pc: int
    root: bool
    token: str


@dataclass(slots=True)
class RiffBar:
    notes: list[Note]
    events: list[tuple[RiffEvent, ChordSpan]]
    voicing: tuple[int, ...]  # the last root power chord (the next bar's shape slides from it)


def riff_for(kb: KnowledgeBase, lineage: list[Genre], meter: Meter, *, seed: int, key: theory.Key) -> Riff | None:
    """The song's riffs when its genre riffs in this meter, read in the key's mode (seven steps), else None."""
    riff_set = pick_riffs(kb.riffs, lineage, meter)
    if riff_set is None:
        return None
    return Riff(riff_set, seed, key.tonic_pc, tuple(theory.seven_note_intervals(key, kb.chords)))


def pick_riffs(riffs: list[RiffSet], lineage: list[Genre], meter: Meter) -> RiffSet | None:
    """The nearest genre's riffs in this meter (a genre's own before its parent's), else None."""
    for genre in lineage:
        names = {normalise_name(genre.id), normalise_name(genre.name)}
        for riff_set in riffs:
            if meter.label in riff_set.meters and names & {normalise_name(g) for g in riff_set.genres}:
                return riff_set
    return None


def parse_cell(cell: str, *, bar: int, steps: int) -> list[RiffHit]:
    """The hits of one bar of a cell (a two-bar cell's ``bar`` 0 or 1, counted modulo its length)."""
    bars = len(cell) // steps
    part = cell[(bar % bars) * steps: (bar % bars + 1) * steps]
    hits: list[RiffHit] = []
    for i, ch in enumerate(part):
        if ch == "-" and hits and hits[-1].step + hits[-1].length == i:
            last = hits[-1]
            hits[-1] = RiffHit(last.step, last.length + 1, last.token)
        elif ch not in ".-":
            hits.append(RiffHit(i, 1, ch))
    return hits


def at_level(hits: list[RiffHit], level: str, *, steps: int, beat_steps: int) -> list[RiffHit]:
    """The cell as an energy level plays it: mid as written; low thinner (the downbeat rings to the next kept hit,
    only the first stab stays, chugs on the beats only); high with gallops (an eighth-note chug beat, root-rest-
    root-rest, becomes an eighth and two sixteenths)."""
    if level == "low":
        kept: list[RiffHit] = []
        stabbed = False
        for h in hits:
            if h.token in RIFF_ROOT:
                if h.step % beat_steps == 0:
                    kept.append(RiffHit(h.step, h.length, "X" if h.step == 0 else h.token))
            elif not stabbed:
                kept.append(h)
                stabbed = True
            elif h.step % beat_steps == 0:
                kept.append(RiffHit(h.step, 1, "x"))
        return [RiffHit(h.step, (kept[k + 1].step if k + 1 < len(kept) else steps) - h.step, h.token)
                if h.step == 0 else h for k, h in enumerate(kept)]
    if level == "high" and beat_steps == 4:
        out: list[RiffHit] = []
        by_step = {h.step: h for h in hits}
        for beat in range(0, steps, beat_steps):
            here = [by_step[s] for s in range(beat, min(beat + beat_steps, steps)) if s in by_step]
            plain = len(here) == 2 and [h.step - beat for h in here] == [0, 2] and \
                all(h.token in RIFF_ROOT and h.length == 1 for h in here)
            out += here + ([RiffHit(beat + 3, 1, here[1].token)] if plain and beat + 3 < steps else [])
        return out
    return hits


def stab_interval(token: str, chord: ChordSpan, *, tonic_pc: int, scale: list[int]) -> int:
    """Semitones above the chord's root that a riff token sounds: 0 for the root (a chug), a scale step of the key's
    mode counted from the chord root for a stab; ``b`` and ``t`` are the flat second and flat fifth over a minor
    tonic chord (the scale's second and fourth elsewhere); a ``3`` over a chord with a third is that third. A chord
    whose root is outside the key: 0 (its root)."""
    if token in RIFF_ROOT:
        return 0
    pcs = [(tonic_pc + i) % 12 for i in scale]
    if chord.root_pc not in pcs:
        return 0
    minor_tonic = chord.root_pc == tonic_pc and 3 in scale and (chord.root_pc + 4) % 12 not in chord.pitch_classes
    if token in _CHROMATIC:
        semitones, step = _CHROMATIC[token]
        if minor_tonic:
            return semitones
    else:
        step = int(token)
    thirds = [i for i in (3, 4) if (chord.root_pc + i) % 12 in chord.pitch_classes]
    if step == 3 and len(thirds) == 1:  # the chord's own third, where the plan's chord says (Em in an E major song)
        return thirds[0]
    at = pcs.index(chord.root_pc)
    return (pcs[(at + step - 1) % len(pcs)] - chord.root_pc) % 12


@dataclass(frozen=True, slots=True)
class Riff:
    """A song's riffs: the genre's cells, the seed's choice among them, and the key they are read in."""

    riffs: RiffSet
    seed: int
    tonic_pc: int
    scale: tuple[int, ...]  # seven steps of the key's mode

    def cell(self, kind: str | None, name: str) -> str:
        """The cell a section plays: the verse's, the chorus' (the next one) or a bridge's (the one after), from
        the seed's place in the list, so seeds 0, 1 and 2 play three different riffs."""
        index = 1 if kind == "chorus" else 2 if normalise_name(name).startswith(_BRIDGE_KIND) else 0
        return self.riffs.cells[(self.seed + index) % len(self.riffs.cells)]

    def bar(self, spans: list[ChordSpan], *, cell: str, bar: int, level: str, meter: Meter, bar_start_s: float,
            step_s: float, velocity: float, previous: tuple[int, ...] | None, register: int,
            rng: np.random.Generator) -> RiffBar:
        """One bar of the riff over the bar's chords (each chord from where it starts, struck on its root there)."""
        n = meter.steps_per_bar
        hits = at_level(parse_cell(cell, bar=bar, steps=n), level, steps=n, beat_steps=meter.beat_steps)
        notes: list[Note] = []
        events: list[tuple[RiffEvent, ChordSpan]] = []
        voicing = previous
        key_pcs = {(self.tonic_pc + i) % 12 for i in self.scale}
        for k, span in enumerate(spans):
            lo = 0 if k == 0 else round((span.start_s - bar_start_s) / step_s)
            hi = n if k + 1 == len(spans) else round((spans[k + 1].start_s - bar_start_s) / step_s)
            mine = [RiffHit(h.step, min(h.length, hi - h.step), h.token) for h in hits if lo <= h.step < hi]
            if not mine or mine[0].step != lo or mine[0].token not in RIFF_ROOT:  # every chord starts on its root
                first = mine[0].step if mine else hi
                mine = [RiffHit(lo, max(first - lo, 1), "X" if level == "low" else "x"),
                        *[h for h in mine if h.step > lo]]
            low, high = (r + register for r in tuned_power_chord_roots(self.tonic_pc))
            shape = power_chord(span.pitch_classes, voicing, low=low, high=high)
            root = shape[0] if shape else nearest_pitch(span.root_pc, (voicing or (46,))[0], low, high)
            voicing = shape or (root, root + 12)
            for h in mine:
                interval = stab_interval(h.token, span, tonic_pc=self.tonic_pc, scale=list(self.scale))
                pitch = root + interval
                pc = pitch % 12
                token = h.token if interval or h.token in RIFF_ROOT else "x"  # a stab off the key: the root's chug
                fifth = (pc + 7) % 12 in (key_pcs | set(span.pitch_classes))
                if token in RIFF_ROOT:
                    chord = voicing if token == "X" else voicing[:2]
                    dur = h.length * step_s * 0.95 if token == "X" else min(h.length, 2) * step_s * CHUG_SHARE
                    vel = velocity * CHUG_VELOCITY[token]
                else:
                    chord = (pitch, pitch + 7, pitch + 12) if fifth else (pitch, pitch + 12)
                    dur, vel = h.length * step_s * 0.92, velocity * 0.95
                accent = 1.0 if h.step % meter.beat_steps == 0 else 0.92
                for v, p in enumerate(chord):
                    notes.append(Note(bar_start_s + h.step * step_s + v * 0.004 + float(rng.uniform(0.0, 0.003)),
                                      dur, p, int(np.clip(round(vel * accent * 127 + rng.normal(0.0, 3.0)), 1, 127))))
                events.append((RiffEvent(h.step, h.length, pc, token in RIFF_ROOT, token), span))
        return RiffBar(notes, events, voicing or ())


def riff_bass_bar(riffed: RiffBar, meter: Meter, bar_start_s: float, step_s: float, velocity: float, previous: int,
             rng: np.random.Generator) -> tuple[list[Note], int]:
    """The bass doubling the riff: the chord's bass note where the guitar plays the root, the stab's degree above it
    where it stabs, in the bass's own register (near its previous note); chugs a little longer than the guitar's
    palm mutes, as a picked bass string rings."""
    notes: list[Note] = []
    last = previous
    roots: dict[int, int] = {}  # chord span (by id) -> its bass root pitch in this bar
    for event, span in riffed.events:
        base = roots.setdefault(id(span), nearest_pitch(span.bass_pc, last if last else 40))
        if event.root:
            pitch = base
        else:
            pitch = base + (event.pc - span.bass_pc) % 12
            pitch = pitch - 12 if pitch > BASS_HIGH + 2 else pitch
        share = 0.8 if event.token in RIFF_ROOT and event.token != "X" else 0.92
        accent = 1.0 if event.step in meter.strong_steps else 0.85
        vel = int(np.clip(round(velocity * accent * CHUG_VELOCITY.get(event.token, 0.95) * 127
                                + rng.normal(0.0, 3.0)), 1, 127))
        notes.append(Note(bar_start_s + event.step * step_s, max(event.length * step_s * share, step_s * 0.5),
                          pitch, vel))
        last = pitch if event.root else last
    return notes, last
