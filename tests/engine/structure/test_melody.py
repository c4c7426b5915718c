"""The lead melody as a songwriter would check it: the chorus sits above the verse for every lead instrument and
range, and phrase endings follow the section's role (a verse or pre-chorus ends open, only the song's end on
the tonic)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.score import ChordSpan, Note
from engine.structure.arrangement import LEAD_RANGES
from engine.structure.melody import TESSITURA, MelodyWriter, section_register
from engine.structure.meter import Meter

MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
# (tonic, scale, a four-chord loop as (root, pitch classes)): I-vi-IV-V in C, i-VI-III-VII in A minor, and a
# loop that closes on the tonic (I-IV-ii-I in G)
KEYS = {
    "C major": (0, MAJOR, [(0, (0, 4, 7)), (9, (9, 0, 4)), (5, (5, 9, 0)), (7, (7, 11, 2))]),
    "A minor": (9, MINOR, [(9, (9, 0, 4)), (5, (5, 9, 0)), (0, (0, 4, 7)), (7, (7, 11, 2))]),
    "G major": (7, MAJOR, [(7, (7, 11, 2)), (0, (0, 4, 7)), (9, (9, 0, 4)), (7, (7, 11, 2))]),
}
RANGES = {name: TESSITURA[name] for name in ("female_vocal", "male_vocal", "child_vocal", "saxophone", "flute",
                                              "trumpet", "trombone", "violin", "cello", "clarinet")}
RANGES |= {f"{register} register": rng for register, rng in LEAD_RANGES.items()}


def _chords(loop: list[tuple[int, tuple[int, ...]]], bars: int, *, final: bool) -> list[ChordSpan]:
    """The loop over the section's bars; the song's last bar is the tonic chord (the loop's first)."""
    spans = [loop[b % len(loop)] for b in range(bars)]
    spans[-1] = loop[0] if final else spans[-1]
    return [ChordSpan(0.0, 2.0, "x", root, pcs, root) for root, pcs in spans]


def _write(key: str, low: int, high: int, seed: int, meter: str,
           form: tuple[tuple[str, int], ...]) -> dict[str, list[Note]]:
    tonic, scale, loop = KEYS[key]
    m = Meter.parse(meter)
    writer = MelodyWriter(tonic_pc=tonic, scale_intervals=scale, low=low, high=high, meter=m, step_s=0.125,
                          rng=np.random.default_rng(seed), breathes=True)
    out = {}
    for k, (name, bars) in enumerate(form):
        starts = [float(b) * 2.0 for b in range(bars)]
        final = k == len(form) - 1
        out[name] = writer.section(name=name, chords=_chords(loop, bars, final=final), bar_starts_s=starts,
                                   density=0.45 if "verse" in name else 0.7, velocity=0.8, final=final)
    return out


@pytest.mark.parametrize("lead", sorted(RANGES))
def test_the_chorus_sits_above_the_verse_for_every_lead(lead: str) -> None:
    """Mean chorus pitch >= verse + 2 semitones, in every key, meter and seed, and every note in the lead's range
    (the old writer only lifted the chorus's floor: a chorus could wander below a verse that had wandered up)."""
    low, high = RANGES[lead]
    misses = []
    for key in KEYS:
        for meter in ("4/4", "3/4", "6/8"):
            for seed in range(4):
                parts = _write(key, low, high, seed, meter, (("verse", 8), ("chorus", 8), ("outro", 4)))
                pitches = [n.pitch for part in parts.values() for n in part]
                assert low <= min(pitches) and max(pitches) <= high
                lift = np.mean([n.pitch for n in parts["chorus"]]) - np.mean([n.pitch for n in parts["verse"]])
                if lift < 2.0:
                    misses.append((key, meter, seed, round(float(lift), 2)))
    assert not misses


def test_each_role_gets_its_register() -> None:
    """A pre-chorus or bridge between the verse and the chorus; a chorus a fourth to a fifth above the verse."""
    for low, high in RANGES.values():
        verse, pre, chorus = (section_register(k, low, high) for k in ("verse", "pre-chorus", "chorus"))
        assert verse.home < pre.home < chorus.home
        assert 5 <= chorus.home - verse.home <= 7
        for reg in (verse, pre, chorus):
            assert low <= reg.low and reg.high <= high and reg.high - reg.low >= 12


def test_section_endings_follow_the_role() -> None:
    """A verse and a pre-chorus end on a half close (the 2nd, 5th or 7th degree where the chord holds one, never the
    tonic); a chorus the song goes on from closes on its chord's third or fifth; only the song's end lands on
    the tonic. Over many takes the verse's closing degree varies (cadence variety)."""
    form = (("verse", 8), ("pre-chorus", 4), ("chorus", 8), ("bridge", 4), ("outro", 4))
    verse_degrees = set()
    for key, (tonic, _scale, loop) in KEYS.items():
        for seed in range(6):
            parts = _write(key, *TESSITURA["female_vocal"], seed, "4/4", form)
            last = {name: max(part, key=lambda n: n.start_s).pitch % 12 for name, part in parts.items()}
            for name, bars in form:
                chord = loop[0 if name == "outro" else (bars - 1) % len(loop)][1]
                degree = (last[name] - tonic) % 12
                assert last[name] in chord, (key, seed, name)  # a cadence lands on a chord tone
                if name in ("verse", "pre-chorus", "bridge"):
                    assert degree != 0, (key, seed, name)
                    if {(tonic + d) % 12 for d in (2, 7, 10, 11)} & set(chord):
                        assert degree in (2, 7, 10, 11), (key, seed, name, degree)
                elif name == "chorus":
                    assert last[name] in chord[1:3] and degree != 0
                else:
                    assert degree == 0  # the song's end, over the tonic chord
            verse_degrees.add((key, (last["verse"] - tonic) % 12))
    assert len(verse_degrees) >= 4
