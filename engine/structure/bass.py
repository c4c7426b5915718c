"""Bass lines: roots locked to the kick, with approach notes into the next chord.

Styles come from the genre's groove (knowledge_base/grooves.yaml ``bass``). Every style lands on
the chord's bass note at the bar line; the last note before a chord change approaches the next
root by a half step or a fifth, which is what makes a line walk instead of jump.
"""

from __future__ import annotations

import numpy as np

from engine.score import ChordSpan, Note
from engine.structure.meter import Meter

BASS_LOW, BASS_HIGH = 28, 52  # E1 .. E3


def nearest_pitch(pc: int, target: int, low: int = BASS_LOW, high: int = BASS_HIGH) -> int:
    candidates = [p for p in range(low, high + 1) if p % 12 == pc % 12]
    return min(candidates, key=lambda p: abs(p - target)) if candidates else target


def _approach(next_root: int, rng: np.random.Generator) -> int:
    """A half step or a fifth into ``next_root``; never under the bass's lowest string (a half step under E1 is
    not on a four-string bass: the approach comes from above)."""
    choice = rng.random()
    if choice < 0.45:
        return next_root - 1 if next_root - 1 >= BASS_LOW else next_root + 1
    if choice < 0.75:
        return next_root + 1
    return next_root + (7 if next_root + 7 <= BASS_HIGH else -5)


def bass_bar(*, style: str, chord: ChordSpan, next_chord: ChordSpan | None, kicks: list[int], meter: Meter,
             bar_start_s: float, step_s: float, velocity: float, level: str, previous: int,
             rng: np.random.Generator, scale_pcs: list[int],
             later: tuple[int, ChordSpan] | None = None) -> tuple[list[Note], int]:
    """One bar of bass; returns the notes and the last pitch (for the next bar's octave choice). ``later``:
    (step, chord) where the harmony changes within the bar; the line moves to that chord there."""
    n = meter.steps_per_bar
    root = nearest_pitch(chord.bass_pc, previous if previous else 40)
    fifth = root + 7 if root + 7 <= BASS_HIGH else root - 5
    last_chord = later[1] if later is not None else chord
    changes = next_chord is not None and next_chord.bass_pc != last_chord.bass_pc
    next_root = nearest_pitch(next_chord.bass_pc, root) if next_chord is not None else root
    onsets: list[tuple[int, int]] = []  # (step, pitch)
    # a waltz's oom-pah-pah: the bass plays the bar's first beat and the comping its second and third (the bass on
    # all three doubled the pahs); at high energy a chord held into another bar alternates to its fifth
    oom = style == "root_fifth" and meter.label == "3/4"
    if style == "walking":
        beats = list(range(0, n, meter.beat_steps))
        tones = [root] + [nearest_pitch(pc, root + 4) for pc in chord.pitch_classes[1:]]
        for i, s in enumerate(beats):
            if i == 0:
                onsets.append((s, root))
            elif i == len(beats) - 1:
                onsets.append((s, _approach(next_root, rng)))
            else:
                options = tones + [p for p in range(max(root - 2, BASS_LOW), root + 10) if p % 12 in scale_pcs]
                onsets.append((s, int(rng.choice(options))))
    elif style == "root_eighths":
        onsets = [(s, root) for s in range(0, n, 2)]
    elif style == "octave":
        onsets = [(s, root if (s // 2) % 2 == 0 else root + 12) for s in range(0, n, 2)]
    elif oom:
        onsets = [(0, fifth if level == "high" and previous == root else root)]
    elif style == "root_fifth":
        onsets = [(s, root if i % 2 == 0 else fifth) for i, s in enumerate(meter.strong_steps)]
    elif style == "arpeggio":
        tones = [root, fifth, root + 12, fifth]
        onsets = [(s, tones[i % 4]) for i, s in enumerate(range(0, n, 2 if level == "high" else 4))]
    elif style == "sustained":
        onsets = [(0, root)] + ([(n // 2, fifth if rng.random() < 0.5 else root)] if level != "low" and n >= 12
                                else [])
    elif style == "one_drop" and n == 16:
        onsets = _one_drop(root, fifth, chord, level)
    elif style == "boogie" and n == 16:
        onsets = _boogie(root, chord, level)
    elif style == "syncopated":
        onsets = [(s, root) for s in (kicks or [0])]
        # octave pops on the "and" of the backbeats: off the beat, but on the eighth-note grid, so the
        # pulse stays clear (pops on every "a" read as 4/3 or 5/4 of the tempo)
        half = max(1, meter.beat_steps // 2)
        for s in range(meter.beat_steps + half, n, 2 * meter.beat_steps):
            if rng.random() < (0.5 if level == "high" else 0.25) and all(o[0] != s for o in onsets):
                onsets.append((s, root + 12))
    else:  # "kick" and "sub": follow the kick drum exactly
        onsets = [(s, root) for s in (kicks or meter.strong_steps)]
        if style == "sub" and level == "high" and len(onsets) > 2:
            s, _ = onsets[-1]
            onsets[-1] = (s, root + 12 if root + 12 <= BASS_HIGH + 7 else root)
    onsets.sort()
    if not onsets or onsets[0][0] != 0:
        onsets.insert(0, (0, root))
    if later is not None:
        onsets = _change_within(onsets, later, root=root, fifth=fifth, walking=style == "walking", rng=rng)
        next_root = nearest_pitch(next_chord.bass_pc, onsets[-1][1]) if next_chord is not None else next_root
    if changes and level != "low" and style not in ("walking", "sustained") and len(onsets) > 1:
        s, _ = onsets[-1]
        if s >= n - meter.beat_steps:
            onsets[-1] = (s, _approach(next_root, rng))
    notes: list[Note] = []
    legato = 0.98 if style in ("sustained", "sub", "walking") else 0.82
    if oom:
        legato = 0.3  # the oom is a beat long: the pahs sound without it
    for i, (s, pitch) in enumerate(onsets):
        end = onsets[i + 1][0] if i + 1 < len(onsets) else n
        accent = 1.0 if s in meter.strong_steps else 0.85
        vel = int(np.clip(round(velocity * accent * 127 + rng.normal(0, 3)), 1, 127))
        notes.append(Note(bar_start_s + s * step_s, max((end - s) * step_s * legato, step_s * 0.5), pitch, vel))
    return notes, onsets[-1][1]


def _boogie(root: int, chord: ChordSpan, level: str) -> list[tuple[int, int]]:
    """The boogie line of rock and roll and boogie-woogie: up the chord and its sixth and back, root, third, fifth,
    sixth, flat seventh, sixth, fifth, third, in eighths (quarters at low energy, climbing only), under the shuffle.
    The blues groove's walking line (scale tones at random) had stood in for it at 175 BPM. Low roots keep the
    line on the instrument: it climbs an octave lower where the seventh would pass the bass's top."""
    minor = (chord.root_pc + 3) % 12 in chord.pitch_classes and (chord.root_pc + 4) % 12 not in chord.pitch_classes
    third = 3 if minor else 4
    base = root - 12 if root + 10 > BASS_HIGH + 2 and root - 12 >= BASS_LOW else root
    walk = [0, third, 7, 9, 10, 9, 7, third]
    if level == "low":
        return [(s, base + walk[k]) for k, s in enumerate(range(0, 16, 4))]
    return [(s, base + walk[k]) for k, s in enumerate(range(0, 16, 2))]


def _one_drop(root: int, fifth: int, chord: ChordSpan, level: str) -> list[tuple[int, int]]:
    """Reggae's bass is the riddim's melody, not the kick's shadow: the root held from the one, the chord's third on
    the and of two, its fifth on the drop (beat three, where the one-drop kick lands) and the octave after it, a
    note into the next bar on the and of four (the approach rule may bend it). Following the one-drop kick it had
    played two notes a bar. Quiet, the line keeps its first three notes; loud, it adds a pickup on the a of one."""
    third = next((nearest_pitch(pc, root + 4) for pc in chord.pitch_classes[1:] if (pc - chord.bass_pc) % 12 in
                  (3, 4)), fifth)
    third = third if third > root else third + 12
    octave = root + 12 if root + 12 <= BASS_HIGH + 7 else fifth
    line = [(0, root), (6, third), (8, fifth)]
    if level != "low":
        line += [(10, octave), (14, fifth)]
    if level == "high":
        line.append((3, root))
    return line


def _change_within(onsets: list[tuple[int, int]], later: tuple[int, ChordSpan], *, root: int, fifth: int,
                   walking: bool, rng: np.random.Generator) -> list[tuple[int, int]]:
    """The bar's onsets from ``later``'s step on moved to that chord (root to root, fifth to fifth, other
    tones to its nearest chord tone), its root struck where it starts; a walking line approaches it."""
    split, second = later
    root2 = nearest_pitch(second.bass_pc, root)
    fifth2 = root2 + 7 if root2 + 7 <= BASS_HIGH else root2 - 5
    moved = {root: root2, fifth: fifth2, root + 12: root2 + 12}
    out: list[tuple[int, int]] = []
    for s, p in onsets:
        if s < split or (walking and s > split and (s, p) == onsets[-1]):  # a walk's last beat approaches
            out.append((s, p))
        elif s == split or p in moved:
            out.append((s, root2 if s == split else moved[p]))
        else:
            out.append((s, min((nearest_pitch(pc, p) for pc in second.pitch_classes), key=lambda q: abs(q - p))))
    if all(s != split for s, _ in out):
        out = sorted([*out, (split, root2)])
    before = [i for i, (s, _) in enumerate(out) if 0 < s < split]
    if walking and before:
        i = before[-1]
        out[i] = (out[i][0], _approach(root2, rng))
    return out
