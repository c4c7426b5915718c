"""Lead and counter melodies built from motifs.

A motif is a one-bar rhythm plus a contour in scale steps. Phrases are four bars, A A' B cadence:
the motif, the motif again on the next chord, a variation (rhythm mutated, contour inverted), and a
cadence that lands on a long chord tone. Strong beats snap to chord tones, weak ones may pass through
scale tones. A section that comes back (a second chorus) restates the melody it had the first time.

Register by section role, as a songwriter places it: every phrase of a section starts from the section's
home pitch and the line keeps within a fifth or so of it: a verse (and an intro or outro) low in the
instrument's range and hanging below its home, a pre-chorus, build or bridge in the middle, a chorus
(hook, drop) a fourth to a fifth above the verse and climbing from there, whatever the instrument's range.
Cadences by role: a verse, pre-chorus, build or bridge ends on a half close (the second, fifth or seventh
degree where the chord holds one, else the chord's third or fifth; never the tonic); a chorus the song goes
on from closes on its chord's third or fifth (an imperfect close: the strongest one is kept for the end);
the song's end lands on the tonic when the chord holds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.score import ChordSpan, Note
from engine.structure.harmony import chord_tones_in_range, scale_pitches
from engine.structure.meter import Meter
from engine.structure.rolls import ROLL_RANGE


@dataclass(frozen=True, slots=True)
class Motif:
    rhythm: tuple[tuple[int, int], ...]  # (onset step, length in steps) inside one bar
    contour: tuple[int, ...]  # scale-step moves between consecutive notes


def section_key(name: str) -> str:
    """'Chorus 2' and 'chorus_2' restate 'chorus'."""
    return re.sub(r"[\s_\-]*\d+$", "", name.strip().lower())


def make_motif(rng: np.random.Generator, meter: Meter, density: float) -> Motif:
    """A rhythm with ``density`` (0..1) of the bar's eighth positions filled, strong beats favoured."""
    n = meter.steps_per_bar
    positions = list(range(0, n - 1, 2))
    strong = set(meter.strong_steps)
    weights = np.array([3.0 if p in strong else 1.0 for p in positions])
    count = int(np.clip(round(len(positions) * (0.3 + 0.55 * density)), 2, len(positions)))
    chosen = set(rng.choice(positions, size=count, replace=False, p=weights / weights.sum()).tolist())
    chosen.add(0 if rng.random() < 0.7 else positions[1])
    if density > 0.75 and rng.random() < 0.5:  # a sixteenth pickup for drive
        chosen.add(min(n - 1, max(chosen) + 1))
    onsets = sorted(chosen)
    rhythm = tuple((s, (onsets[i + 1] if i + 1 < len(onsets) else n) - s) for i, s in enumerate(onsets))
    moves: list[int] = []
    for _ in range(len(rhythm) - 1):
        if moves and abs(moves[-1]) >= 3:
            moves.append(-int(np.sign(moves[-1])))  # recover a leap by step
        else:
            moves.append(int(rng.choice([-2, -1, -1, 1, 1, 2, 0, 3, -3])))
    return Motif(rhythm, tuple(moves))


def vary(motif: Motif, rng: np.random.Generator, meter: Meter) -> Motif:
    """The B bar: some onsets moved by an eighth, the contour inverted."""
    n = meter.steps_per_bar
    onsets = [s for s, _ in motif.rhythm]
    for i in range(1, len(onsets)):
        if rng.random() < 0.35:
            onsets[i] = int(np.clip(onsets[i] + int(rng.choice([-2, 2])), 1, n - 2))
    onsets = sorted(set(onsets))
    rhythm = tuple((s, (onsets[i + 1] if i + 1 < len(onsets) else n) - s) for i, s in enumerate(onsets))
    contour = tuple(-m for m in motif.contour)[: max(len(rhythm) - 1, 0)]
    contour = contour + (1,) * (len(rhythm) - 1 - len(contour))
    return Motif(rhythm, contour)


_SEQUENCE = (0, 2, 1, -1)  # scale steps that move each bar of a four-bar phrase: A, A' (up), B, cadence

# Comfortable lead ranges (MIDI) for instruments whose register word is too coarse; a female voice sits
# about A3-D5, a flute an octave above middle C and up.
TESSITURA = {
    "female_vocal": (57, 74), "vocals": (55, 72), "male_vocal": (48, 67), "child_vocal": (60, 74),
    "opera_vocal": (55, 77), "autotune_vocal": (55, 72), "whistling": (67, 84), "yodel": (55, 76),
    "flute": (67, 88), "piccolo": (76, 96), "oboe": (62, 84), "clarinet": (55, 79), "saxophone": (55, 77),
    "trumpet": (58, 79), "muted_trumpet": (58, 79), "trombone": (45, 67), "french_horn": (50, 72),
    "violin": (62, 88), "cello": (45, 69), "harmonica": (60, 81), "recorder": (72, 91), "tin_whistle": (74, 93),
    "banjo": ROLL_RANGE,  # a five-string banjo's rolls lie G3-G5, around the open fifth string's G4
}
SINGING_FAMILIES = ("vocal", "woodwind", "brass")  # leads that breathe
CHORUS_WORDS = ("chorus", "hook", "drop", "climax", "refrain")
RISING_WORDS = ("pre", "build", "bridge", "breakdown", "middle")  # between the verse's register and the chorus's
CHORUS_LIFT_ST = (5, 7)  # the chorus's home pitch above the verse's: a fourth to a fifth, by the range's span
REACH_ST = 7  # how far a section's window reaches from its home pitch (a fifth), range allowing
# how far the line strays from home, above and below, before its contour turns back: a chorus climbs from its
# home, a verse hangs below its own, a pre-chorus or bridge moves about the middle
_STRAY_ST = {"chorus": (5, 2), "rising": (4, 4), "verse": (2, 5)}


@dataclass(frozen=True, slots=True)
class Register:
    """Where a section's melody lives: its window inside the instrument's range, the pitch its phrases start
    from, and how far (semitones) its line strays above and below that pitch before it turns back."""
    low: int
    high: int
    home: int
    above: int = 4
    below: int = 4


def register_role(key: str) -> str:
    return "chorus" if key.startswith(CHORUS_WORDS) else "rising" if key.startswith(RISING_WORDS) else "verse"


def section_register(key: str, low: int, high: int) -> Register:
    """The register a section's role gets inside the lead's range ``low``-``high`` (MIDI)."""
    span = high - low
    lift = int(np.clip(round(span * 0.3), *CHORUS_LIFT_ST))
    role = register_role(key)
    verse_home = round((low + high - lift) / 2)
    home = verse_home + {"chorus": lift, "rising": lift // 2, "verse": 0}[role]
    above, below = _STRAY_ST[role]
    if span < 12:  # too narrow to split: the whole range (an octave fits, for folding)
        return Register(low, high, home, above, below)
    lo, hi = max(low, home - REACH_ST), min(high, home + REACH_ST)
    if hi - lo < 12:  # keep an octave: every pitch class has a place in the window
        lo, hi = (lo, lo + 12) if lo == low else (hi - 12, hi)
    return Register(lo, hi, home, above, below)


def develop(motif: Motif, meter: Meter) -> Motif:
    """Development for a second phrase: the motif's first half fragmented (stated twice) and its
    intervals widened."""
    half = meter.steps_per_bar // 2
    head = [(s, ln) for s, ln in motif.rhythm if s < half] or list(motif.rhythm[:1])
    onsets = sorted({s for s, _ in head} | {s + half for s, _ in head if s + half < meter.steps_per_bar})
    n = meter.steps_per_bar
    rhythm = tuple((s, (onsets[i + 1] if i + 1 < len(onsets) else n) - s) for i, s in enumerate(onsets))
    contour = tuple(int(np.clip(m * 2, -4, 4)) if abs(m) == 1 else m for m in motif.contour)
    contour = (contour * (len(rhythm) // max(len(contour), 1) + 1))[: max(len(rhythm) - 1, 0)] or (1,)
    return Motif(rhythm, contour)


class MelodyWriter:
    """Writes the lead line section by section and remembers each section's melody."""

    def __init__(self, *, tonic_pc: int, scale_intervals: list[int], low: int, high: int, meter: Meter,
                 step_s: float, rng: np.random.Generator, breathes: bool = False) -> None:
        self.tonic_pc = tonic_pc
        self.half_close_pcs = _half_close_pcs(tonic_pc, scale_intervals)
        self.register = Register(low, high, (low + high) // 2)
        self.breathes = breathes  # a sung or wind lead: a breath closes every two-bar half-phrase too
        self.low, self.high = low, high
        self.meter = meter
        self.step_s = step_s
        self.rng = rng
        self.scale = scale_pitches(tonic_pc, scale_intervals, low - 12, high + 12)
        self._motifs: dict[str, Motif] = {}
        self._written: dict[str, list[tuple[float, float, int, float]]] = {}
        self.last_pitch = (low + high) // 2

    def _fold(self, pitch: int) -> int:
        while pitch > self.high:
            pitch -= 12
        while pitch < self.low:
            pitch += 12
        return pitch

    def _nearest(self, pcs: tuple[int, ...], target: int) -> int:
        tones = chord_tones_in_range(pcs, self.low, self.high) or [self._fold(target)]
        return min(tones, key=lambda p: (abs(p - target), p))

    def _toward(self, pcs: tuple[int, ...], target: int, move: int, *, previous: int) -> int:
        """The chord tone nearest ``target`` on the side the melody is moving, never a repeat of
        ``previous`` when it is meant to move (snapping straight back is what makes lines drone)."""
        tones = chord_tones_in_range(pcs, self.low, self.high) or [self._fold(target)]
        if move > 0:
            tones = [p for p in tones if p >= target and p != previous] or tones
        elif move < 0:
            tones = [p for p in tones if p <= target and p != previous] or tones
        return min(tones, key=lambda p: (abs(p - target), p))

    def _steer(self, pitch: int, move: int) -> int:
        """``move`` (scale steps), turned back when the line has strayed far enough from the section's home on
        the side it is moving to."""
        reg = self.register
        if (move > 0 and pitch - reg.home > reg.above) or (move < 0 and reg.home - pitch > reg.below):
            return -move
        return move

    def _step(self, pitch: int, moves: int) -> int:
        """``moves`` scale steps from ``pitch``; a line that reaches the edge of the section's window turns back
        from it (folding it an octave away would leap a seventh or more)."""
        window = [p for p in self.scale if self.low <= p <= self.high]
        if not window:
            return self._fold(pitch)
        idx = int(np.argmin([abs(p - pitch) for p in window]))
        top = len(window) - 1
        target = idx + moves
        if target > top:
            target = 2 * top - target
        elif target < 0:
            target = -target
        return window[int(np.clip(target, 0, top))]

    def section(self, *, name: str, chords: list[ChordSpan], bar_starts_s: list[float], density: float,
                velocity: float, final: bool, later: list[tuple[int, ChordSpan] | None] | None = None,
                centre: int | None = None) -> list[Note]:
        """The section's melody: four-bar phrases (motif, motif sequenced, variation, cadence), a second
        phrase developing the motif, a breath of at least a beat before each phrase ends; the section's
        register and cadences by its role (the module's docstring). ``centre``: the tonic of a section in the
        relative key (a mood's turn, A minor to C major: the same scale): its phrases close on that tonic, and a
        section written before in the home key is not restated over the new chords but rewritten from its motif."""
        key = section_key(name)
        written = key if centre is None else f"{key} on {centre}"
        bars = len(bar_starts_s)
        if written in self._written:  # restate what this section played before
            return self._restate(written, bar_starts_s, velocity)
        full, home = (self.low, self.high), (self.tonic_pc, self.half_close_pcs)
        self.register = section_register(key, *full)
        self.low, self.high = self.register.low, self.register.high
        if centre is not None:
            scale = sorted({(p - centre) % 12 for p in self.scale})
            self.tonic_pc, self.half_close_pcs = centre, _half_close_pcs(centre, scale)
        try:
            relative = self._write(key, chords, bars, density, final, later or [None] * bars)
        finally:
            (self.low, self.high), (self.tonic_pc, self.half_close_pcs) = full, home
        self._written[written] = relative
        return self._restate(written, bar_starts_s, velocity)

    def _write(self, key: str, chords: list[ChordSpan], bars: int, density: float,
               final: bool, later: list[tuple[int, ChordSpan] | None]) -> list[tuple[float, float, int, float]]:
        motif = self._motifs.setdefault(key, make_motif(self.rng, self.meter, density))
        variation = vary(motif, self.rng, self.meter)
        developed = develop(motif, self.meter)
        relative: list[tuple[float, float, int, float]] = []
        pitch = self._fold(self.last_pitch)
        # a breath of a beat plus a sixteenth: swing and human timing may delay the note before it
        breath = self.meter.beat_steps + 1
        for b in range(bars):
            phrase_pos = b % 4 if bars >= 4 else (3 if b == bars - 1 else b)
            cadence = phrase_pos == 3 or b == bars - 1
            half_close = self.breathes and phrase_pos == 1 and not cadence
            bar_motif = variation if phrase_pos == 2 else developed if (b // 4) % 2 == 1 and phrase_pos == 0 \
                else motif
            rhythm = list(bar_motif.rhythm)
            if cadence:  # first half of the motif, then a long note, then a breath
                half = self.meter.steps_per_bar // 2
                rhythm = [(s, ln) for s, ln in rhythm if s < half][:3] or [(0, 2)]
                last_start = rhythm[-1][0]
                rhythm[-1] = (last_start, max(self.meter.steps_per_bar - last_start - breath, 2))
            elif half_close:  # the antecedent's end: the motif up to a breath before the bar line
                room = self.meter.steps_per_bar - breath
                rhythm = [(s, min(ln, room - s)) for s, ln in rhythm if s <= room - 2] or [(0, 2)]
            for j, (onset, length) in enumerate(rhythm):
                change = later[b] if b < len(later) else None
                chord = change[1] if change is not None and onset >= change[0] else chords[b]
                if j == 0 and phrase_pos == 0:  # a phrase starts from the section's home pitch
                    pitch = self._nearest(chord.pitch_classes, self.register.home)
                elif j == 0:  # each bar of the phrase starts a step away: the motif is sequenced, not repeated
                    move = self._steer(pitch, _SEQUENCE[phrase_pos])
                    pitch = self._toward(chord.pitch_classes, self._step(pitch, move), move, previous=pitch)
                else:
                    move = self._steer(pitch, bar_motif.contour[(j - 1) % max(len(bar_motif.contour), 1)])
                    stepped = self._step(pitch, move)
                    pitch = self._toward(chord.pitch_classes, stepped, move, previous=pitch) \
                        if onset in self.meter.strong_steps else stepped
                if cadence and j == len(rhythm) - 1:
                    pitch = self._nearest(self._cadence_goal(chord.pitch_classes, ending=b == bars - 1, final=final,
                                                             chorus=key.startswith(CHORUS_WORDS)), pitch)
                accent = 1.0 if onset in self.meter.strong_steps else 0.85
                relative.append((b + onset / self.meter.steps_per_bar,
                                 max(length - 0.4, 0.6) / self.meter.steps_per_bar, pitch, accent))
        self.last_pitch = pitch
        return relative

    def _cadence_goal(self, pcs: tuple[int, ...], *, ending: bool, final: bool, chorus: bool) -> tuple[int, ...]:
        """The pitch classes a phrase may end on (``ending``: the section's last phrase). The song's end lands on
        the tonic where the chord holds it; a chorus that the song goes on from closes on the third or fifth of
        its chord (the harmony resolves, the melody keeps the full close for the end); every other phrase end
        is a half close: the chord's 2nd, 5th or 7th degree of the key, else its third or fifth, never the tonic."""
        if ending and final and self.tonic_pc in pcs:
            return (self.tonic_pc,)
        if ending and chorus:
            return tuple(pc for pc in pcs[1:3] if pc != self.tonic_pc) or pcs
        return tuple(pc for pc in pcs if pc in self.half_close_pcs and pc != self.tonic_pc) or \
            tuple(pc for pc in pcs[1:3] if pc != self.tonic_pc) or \
            tuple(pc for pc in pcs if pc != self.tonic_pc) or pcs

    def _restate(self, key: str, bar_starts_s: list[float], velocity: float) -> list[Note]:
        written = self._written[key]
        bar_s = self.step_s * self.meter.steps_per_bar
        span = max(int(np.ceil(max(pos for pos, *_ in written) + 1e-9)), 1) if written else 1
        notes: list[Note] = []
        for b, start in enumerate(bar_starts_s):
            base = (b // span) * span
            for pos, length, pitch, accent in written:
                if int(pos) != b - base:
                    continue
                vel = int(np.clip(round(velocity * accent * 127 + self.rng.normal(0, 4)), 1, 127))
                notes.append(Note(start + (pos - int(pos)) * bar_s, length * bar_s, pitch, vel))
        return notes


def _half_close_pcs(tonic_pc: int, scale_intervals: Sequence[int]) -> tuple[int, ...]:
    """A half close: the dominant chord's degrees of the scale (2, 5 and 7; the pentatonic's top note)."""
    degrees = (*scale_intervals[1:2], 7, *scale_intervals[-1:])
    return tuple(sorted({(tonic_pc + i) % 12 for i in degrees if i in scale_intervals and i % 12}))


def counter_line(*, chords: list[ChordSpan], bar_starts_s: list[float], bar_s: float, low: int, high: int,
                 velocity: float, previous: int, rng: np.random.Generator,
                 halves: list[ChordSpan] | None = None, split: float = 0.5) -> tuple[list[Note], int]:
    """Guide tones: the third or seventh of each chord, two a bar, moving by the smallest step (``halves``: the
    chord sounding at each bar's second part, where the harmony changes within the bar). ``split``: where in the bar
    the second one starts, on the meter's accent (counter_split): at half a bar a 3/4 or 7/8 counter line had
    struck between the beats, against the band's pulse."""
    notes: list[Note] = []
    pitch = previous
    for b, (first, start) in enumerate(zip(chords, bar_starts_s, strict=True)):
        for half in (0, 1):
            chord = halves[b] if half and halves is not None else first
            colour = [pc for pc in chord.pitch_classes[1:] if pc != (chord.root_pc + 7) % 12] or \
                list(chord.pitch_classes)
            tones = chord_tones_in_range(tuple(colour), low, high) or [pitch]
            nxt = min(tones, key=lambda p: (abs(p - pitch) if p != pitch or half == 0 else 99, p))
            pitch = nxt
            vel = int(np.clip(round(velocity * 127 * (1.0 if half == 0 else 0.85) + rng.normal(0, 3)), 1, 127))
            length = split if half == 0 else 1.0 - split
            notes.append(Note(start + half * bar_s * split, bar_s * length * 0.96, pitch, vel))
    return notes, pitch


def counter_split(steps_per_bar: int, strong_steps: list[int]) -> float:
    """Where a two-note counter line's second note falls, as a share of the bar: the accent nearest the bar's
    middle (4/4 and 6/8: half way; 3/4: beat three; 7/8 as 2+2+3: the start of the three)."""
    later = [s for s in strong_steps if s > 0] or [steps_per_bar // 2]
    return min(later, key=lambda s: (abs(s - steps_per_bar / 2), -s)) / steps_per_bar
