"""Musical criteria measured on a render: from its score (what the MIDI holds), its stems and its audio.

Used by bench.music_eval (issue 10's table). Every function takes plain data (a Score, stems as arrays)
and returns numbers; thresholds live in bench.music_eval. Nothing here changes the music.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import numpy as np

from engine.score import Score, Track
from knowledge_base import theory

TOMS = {41, 43, 45, 47, 48, 50}
CRASHES = {49, 57}
KICK, SNARE = 36, 38
SNARES = {38, 40, 37}  # snare, electric snare, side stick

# Practical lead ranges (MIDI), from orchestration manuals; by register when the instrument is not listed.
TESSITURA = {
    "female_vocal": (57, 74), "vocals": (52, 74), "male_vocal": (45, 67), "child_vocal": (60, 76),
    "flute": (60, 93), "piccolo": (74, 102), "oboe": (58, 88), "clarinet": (50, 86), "saxophone": (49, 80),
    "trumpet": (54, 82), "muted_trumpet": (54, 82), "trombone": (40, 70), "french_horn": (41, 77),
    "violin": (55, 96), "cello": (36, 76), "harmonica": (60, 84), "recorder": (72, 96), "tin_whistle": (74, 98),
}
REGISTER_RANGE = {"low": (33, 67), "mid": (45, 84), "high": (55, 96), "wide": (36, 96)}
SINGING = {"vocal", "woodwind", "brass"}


# ------------------------------------------------------------------ grids
def bar_of(score: Score, t: float) -> int:
    return int(np.floor(t / score.bar_s + 1e-6))


def steps_per_bar(score: Score) -> int:
    return round(score.bar_s / score.step_s)


def music_bars(score: Score) -> int:
    return sum(s.bars for s in score.sections)


def drum_grid(track: Track, score: Score) -> dict[int, frozenset[tuple[int, int]]]:
    """bar -> the set of (step, GM note) it plays, onsets rounded to the sixteenth grid."""
    n = steps_per_bar(score)
    bars: dict[int, set[tuple[int, int]]] = {}
    for note in track.notes:
        pos = note.start_s / score.step_s
        step = round(pos)
        bar, within = divmod(step, n)
        if bar < music_bars(score):
            bars.setdefault(bar, set()).add((within, note.pitch))
    return {b: frozenset(v) for b, v in bars.items()}


def section_of_bar(score: Score, bar: int) -> Any:
    for s in score.sections:
        if s.start_bar <= bar < s.start_bar + s.bars:
            return s
    return None


# ------------------------------------------------------------------ harmony
def harmony(score: Score, plan: dict[str, Any], stated_chords: list[str]) -> dict[str, Any]:
    """Harmony from the score's chord spans (one or more a bar) and the notes that sound under them."""
    bars = music_bars(score)
    spans = [c for c in score.chords if bar_of(score, c.start_s + 1e-4) < bars]
    per_bar: dict[int, list[Any]] = {}
    for c in spans:
        per_bar.setdefault(bar_of(score, c.start_s + 1e-4), []).append(c)
    firsts = [per_bar[b][0] for b in sorted(per_bar)]
    symbols = [" ".join(c.symbol for c in per_bar[b]) for b in sorted(per_bar)]
    distinct = {str(c) for c in plan["chord_progression"]["chords"]}
    total_s = sum(c.duration_s for c in spans)
    tonic_share = round(float(sum(c.duration_s for c in spans if c.root_pc == score.key_tonic_pc) / total_s), 6) \
        if total_s else 0.0
    from knowledge_base import load

    kb = load()
    planned_roots = {r.root_pc for r in (theory.read_chord(c, kb.chords) for c in distinct) if r is not None}
    heard = [root_heard(score, c) for c in spans]
    heard_roots = {c.root_pc for c, h in zip(spans, heard, strict=True) if h}
    roots_ok = planned_roots <= heard_roots if len(firsts) >= 8 else None
    stated_ok = all(s in {c.symbol for c in spans} for s in stated_chords) if stated_chords else None
    ends = [per_bar[s.start_bar + s.bars - 1][-1] for s in score.sections if s.start_bar + s.bars - 1 in per_bar]
    ends_off_tonic = float(np.mean([c.root_pc != score.key_tonic_pc for c in ends])) if ends else 0.0
    ends_on_v = any((c.root_pc - score.key_tonic_pc) % 12 == 7 for c in ends[:-1])
    bridge = _bridge_difference(score, symbols)
    return {"tonic_share": tonic_share, "progression_chords": len(distinct), "planned_roots_sound": roots_ok,
            "chord_roots_heard": float(np.mean(heard)) if heard else None,
            "chords_per_bar": len(spans) / len(firsts) if firsts else 0.0,
            "ii_v_kept": ii_v_kept(plan["chord_progression"]["chords"], [c.symbol for c in spans], kb),
            "stated_chords_kept": stated_ok, "section_ends_off_tonic": ends_off_tonic, "section_ends_on_V": ends_on_v,
            "bridge_differs": bridge, "chords": symbols}


def mood_colour_sounds(score: Score, kb: Any, mood_id: str | None) -> bool | None:
    """A stated mood with a harmony of its own (moods.yaml ``colour``: horror's bII, heroism's bVII) has a chord of
    that colour in the score, root and third as the numeral says: the words reached the harmony. None for other
    moods."""

    mood = kb.find_mood(mood_id) if mood_id else None
    if mood is None or not mood.colour:
        return None
    key = theory.key_of(score.key_tonic_pc, score.key_mode, kb.chords)
    wanted = set()
    for numeral in mood.colour:
        read = theory.read_chord(theory.roman_to_chord(numeral, key, kb.chords), kb.chords)
        if read is not None:
            wanted.add((read.root_pc, numeral.lstrip("b#").islower()))

    def minor(c: Any) -> bool:
        return (c.root_pc + 3) % 12 in c.pitch_classes and (c.root_pc + 4) % 12 not in c.pitch_classes

    return any((c.root_pc, minor(c)) in wanted for c in score.chords)


def key_change_played(score: Score, kb: Any, label: str | None) -> bool | None:
    """A stated key change is played: some section names the new key, and the band's notes in it are that key's
    (>= 80% of the pitched notes starting there in its scale). None when no change is stated."""

    if not label:
        return None
    wanted = theory.read_key(label, kb.chords)
    moved = [s for s in score.sections if getattr(s, "key", None) and theory.read_key(s.key or "", kb.chords) == wanted]
    if not moved:
        return False
    scale = {(wanted.tonic_pc + i) % 12 for i in kb.chords.mode_intervals[wanted.mode]}
    pitches = [n.pitch % 12 for t in score.tracks if not t.is_drum for n in t.notes
               if any(s.start_s <= n.start_s < s.start_s + s.duration_s for s in moved)]
    return bool(pitches) and float(np.mean([p in scale for p in pitches])) >= 0.8


def root_heard(score: Score, chord: Any) -> bool:
    """A chord span's root sounds in the band (bass, comping, pads; not the drums or the lead): a note of
    that pitch class starts inside the span or still sounds at its start."""
    start, end = chord.start_s - 0.03, chord.start_s + chord.duration_s - 0.03
    for track in score.tracks:
        if track.is_drum or track.role == "lead":
            continue
        for nt in track.notes:
            if nt.pitch % 12 == chord.root_pc and nt.start_s < end and nt.start_s + nt.duration_s > start:
                return True
    return False


def _ii_v_pairs(symbols: list[str], kb: Any) -> set[tuple[str, str]]:
    """Successive chords that move ii-V: a minor (or half-diminished) chord, then a dominant seventh a
    fourth above."""

    read = [theory.read_chord(s, kb.chords) for s in symbols]
    out = set()
    for (a, sa), (b, sb) in itertools.pairwise(zip(read, symbols, strict=True)):
        if a is None or b is None or (b.root_pc - a.root_pc) % 12 != 5:
            continue
        if a.suffix.startswith(("m", "ø")) and not a.suffix.startswith("maj") and b.suffix in ("7", "9", "13", "7b9"):
            out.add((sa, sb))
    return out


def ii_v_kept(planned: list[str], sounding: list[str], kb: Any) -> bool | None:
    """Every ii-V of the planned progression moves the same way in the score (None: the plan has none)."""
    wanted = _ii_v_pairs(list(planned), kb)
    return wanted <= _ii_v_pairs(sounding, kb) if wanted else None


def _bridge_difference(score: Score, symbols: list[str]) -> float | None:
    verse = next((s for s in score.sections if s.name.lower().startswith("verse")), None)
    bridge = next((s for s in score.sections if s.name.lower().startswith(("bridge", "b"))
                   and not s.name.lower().startswith("build") and not s.name.lower().startswith("breakdown")), None)
    if verse is None or bridge is None:
        return None
    a = symbols[verse.start_bar: verse.start_bar + verse.bars]
    b = symbols[bridge.start_bar: bridge.start_bar + bridge.bars]
    pairs = list(zip(a, b, strict=False))
    return float(np.mean([x != y for x, y in pairs])) if pairs else None


# ------------------------------------------------------------------ groove
def groove(score: Score) -> dict[str, Any]:
    drums = score.track("drums")
    minutes = score.duration_s / 60.0
    if drums is None:
        return {"has_drums": False}
    grid = drum_grid(drums, score)
    bars = max(music_bars(score), 1)
    fill_bars = sum(1 for g in grid.values() if len({p for _s, p in g if p in TOMS}) >= 2)
    crashes = sum(1 for nt in drums.notes if nt.pitch in CRASHES)
    high_kicks = [sum(1 for _s, p in grid.get(b, ()) if p == KICK) for b in range(bars)
                  if (sec := section_of_bar(score, b)) is not None and sec.energy >= 0.68]
    unique = len(set(grid.values())) / bars
    return {"has_drums": True, "fills_per_8_bars": fill_bars / bars * 8.0, "crashes_per_min": crashes / minutes,
            "high_bar_kicks_min": min(high_kicks) if high_kicks else None, "unique_drum_bars": unique,
            "grid": grid}


def two_step_share(score: Score) -> float | None:
    """Drum and bass: bars (mid and high energy) with kick on 1 and the and of 3, snare on 2 and 4, and
    no kick on the backbeats."""
    drums = score.track("drums")
    if drums is None or steps_per_bar(score) != 16:
        return None
    grid = drum_grid(drums, score)
    checked = ok = 0
    for b, g in grid.items():
        sec = section_of_bar(score, b)
        if sec is None or sec.energy < 0.38:
            continue
        checked += 1
        kicks = {s for s, p in g if p == KICK}
        snares = {s for s, p in g if p in SNARES}
        ok += int({0, 10} <= kicks and {4, 12} <= snares and not kicks & {4, 12})
    return ok / checked if checked else None


def grid_signature(score: Score) -> frozenset[tuple[str, int, int]]:
    """The genre's drum grid as a render plays it, per energy level: the (level, step, note) hits present in
    at least half of that level's bars, crashes and toms aside (ghost notes and fills that come and go are a
    drummer's variation). A bar's level is the one it played (Score.bar_levels: a verse that opens light plays
    its first half a level under its section's energy, a chorus lifts over its verse), else its section's."""
    drums = score.track("drums")
    if drums is None:
        return frozenset()
    grid = drum_grid(drums, score)
    counts: dict[tuple[str, int, int], int] = {}
    bars: dict[str, int] = {}
    for b, g in grid.items():
        sec = section_of_bar(score, b)
        level = score.bar_levels[b] if b < len(score.bar_levels) else \
            "low" if sec is None or sec.energy < 0.38 else "mid" if sec.energy < 0.68 else "high"
        bars[level] = bars.get(level, 0) + 1
        for step, pitch in g:
            if pitch not in TOMS and pitch not in CRASHES:
                counts[(level, step, pitch)] = counts.get((level, step, pitch), 0) + 1
    return frozenset(h for h, c in counts.items() if c >= 0.5 * bars[h[0]])


def same_grid(a: frozenset[tuple[str, int, int]], b: frozenset[tuple[str, int, int]]) -> bool:
    """Two renders play the same grid at every energy level both of them reach."""
    levels = {h[0] for h in a} & {h[0] for h in b}
    return bool(levels) and {h for h in a if h[0] in levels} == {h for h in b if h[0] in levels}


# ------------------------------------------------------------------ instruments
def instruments(score: Score, stems: dict[str, np.ndarray], mix: np.ndarray, stated_ids: list[str],
                lineup: set[str], kit_ids: set[str]) -> dict[str, Any]:
    bars = max(music_bars(score), 1)
    by_id: dict[str, list[Track]] = {}
    for t in score.tracks:
        by_id.setdefault(t.instrument_id, []).append(t)
    mix_mono = np.asarray(mix, dtype=np.float64).mean(axis=0)
    stated_rows = []
    for inst in stated_ids:
        tracks = by_id.get(inst, [])
        if inst in kit_ids and not tracks:
            tracks = [t for t in score.tracks if t.role == "drums"]
        played = {bar_of(score, nt.start_s) for t in tracks for nt in t.notes}
        share = len({b for b in played if b < bars}) / bars
        level = max((_active_level_db(stems.get(t.name), mix_mono) for t in tracks), default=-120.0)
        stated_rows.append({"instrument": inst, "bars_share": share, "active_db": level,
                            "ok": share >= 0.5 and level >= -20.0})
    silent = [name for name, audio in stems.items() if name not in ("fx", "reverb") and
              float(np.max(np.abs(audio))) < 1e-3]
    inferred_outside = [t.instrument_id for t in score.tracks if t.instrument_id not in stated_ids and
                        t.instrument_id not in lineup and t.role not in ("drums", "percussion")]
    return {"stated": stated_rows, "silent_stems": silent, "inferred_outside": inferred_outside}


def _active_level_db(stem: np.ndarray | None, mix_mono: np.ndarray) -> float:
    """The stem's RMS where it plays (50 ms frames above -40 dB of its loudest frame), re the mix's RMS there."""
    if stem is None:
        return -120.0
    s = np.asarray(stem, dtype=np.float64).mean(axis=0) if np.ndim(stem) == 2 else np.asarray(stem, np.float64)
    n = min(len(s), len(mix_mono))
    hop = 2205
    frames = n // hop
    if frames == 0:
        return -120.0
    se = np.sqrt(np.mean(s[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-20)
    me = np.sqrt(np.mean(mix_mono[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-20)
    active = se > se.max() * 0.01
    if not active.any():
        return -120.0
    return float(20 * np.log10(np.sqrt(np.mean(se[active] ** 2)) / np.sqrt(np.mean(me[active] ** 2))))


# ------------------------------------------------------------------ form and dynamics
def loudness_range_lu(mix: np.ndarray, sample_rate: int) -> float:
    """EBU-style LRA: short-term (3 s, 1 s hop) loudness, absolute gate -70, relative gate -20 LU,
    10th to 95th percentile."""
    import pyloudnorm

    meter = pyloudnorm.Meter(sample_rate)
    data = np.asarray(mix, dtype=np.float64).T
    win, hop = 3 * sample_rate, sample_rate
    values = []
    for start in range(0, max(len(data) - win, 0) + 1, hop):
        lu = meter.integrated_loudness(data[start: start + win])
        if np.isfinite(lu) and lu > -70:
            values.append(lu)
    if len(values) < 2:
        return 0.0
    arr = np.array(values)
    power_mean = 10 * np.log10(np.mean(10 ** (arr / 10)))
    arr = arr[arr > power_mean - 20]
    return float(np.percentile(arr, 95) - np.percentile(arr, 10))


def chorus_lift(score: Score, mix: np.ndarray, sample_rate: int) -> dict[str, Any]:
    import pyloudnorm

    verse = next((s for s in score.sections if s.name.lower().startswith("verse")), None)
    chorus = next((s for s in score.sections if s.name.lower().startswith(("chorus", "drop", "hook"))), None)
    if verse is None or chorus is None:
        return {"chorus_lu": None, "chorus_extra_parts": None}
    meter = pyloudnorm.Meter(sample_rate)
    data = np.asarray(mix, dtype=np.float64).T

    def lu(sec: Any) -> float:
        a, b = int(sec.start_s * sample_rate), int((sec.start_s + sec.duration_s) * sample_rate)
        return float(meter.integrated_loudness(data[a:b])) if b - a > sample_rate // 2 else float("nan")

    def parts(sec: Any) -> int:  # a note played up to 50 ms ahead of a section's downbeat belongs to it
        return sum(1 for t in score.tracks if any(sec.start_s - 0.05 <= nt.start_s < sec.start_s + sec.duration_s
                                                  - 0.05 for nt in t.notes))
    return {"chorus_lu": lu(chorus) - lu(verse), "chorus_extra_parts": parts(chorus) - parts(verse)}


# ------------------------------------------------------------------ feel
STRIKE_S = 0.045  # a part's notes that start within this of a strike's first note are that strike (strum, roll)


def strike_onsets(track: Track) -> list[Any]:
    """The notes that start a strike: a strummed or rolled chord counts once, at its first note (its spread is
    the strum's shape, not timing scatter); every drum hit counts."""
    notes = sorted(track.notes, key=lambda nt: nt.start_s)
    if track.is_drum:
        return notes
    out: list[Any] = []
    for nt in notes:
        if not out or nt.start_s - out[-1].start_s > STRIKE_S:
            out.append(nt)
    return out


def feel(score: Score) -> dict[str, Any]:
    """Per role: median delay of off-beat eighths re the on-beats (ms), scatter of on-beat onsets (ms); a chord
    is one onset (strike_onsets)."""
    if steps_per_bar(score) % 4 or score.beat_unit != 4:
        return {}
    out: dict[str, Any] = {}
    step_ms = score.step_s * 1000.0
    for t in score.tracks:
        on, off = [], []
        for nt in strike_onsets(t):
            pos = nt.start_s / score.step_s
            step = round(pos)
            if step % 4 == 0:
                on.append((pos - step) * step_ms)
            elif step % 4 == 2:
                off.append((pos - step) * step_ms)
            # a heavily swung eighth (at most 2/3 of a step late) rounds up to the 'a'; a straight 'a' played a
            # little early (a tumbao's anticipation, humanised) is no eighth: it read as 100 ms of swing
            elif step % 4 == 3 and -0.5 < pos - step < -0.2:
                off.append((pos - (step - 1)) * step_ms)
        if len(on) < 8:
            continue
        base = float(np.median(on))
        out[t.name] = {"offbeat_delay_ms": float(np.median(off)) - base if len(off) >= 6 else None,
                       "scatter_ms": float(np.std(on))}
    drums = out.get("drums", {}).get("offbeat_delay_ms")
    if drums is not None:
        beat_ms = 4 * step_ms
        out["swing_ratio"] = (beat_ms / 2 + drums) / max(beat_ms / 2 - drums, 1e-6)
    return out


# ------------------------------------------------------------------ melody
def melody(score: Score, lead_family: str | None, lead_range: tuple[int, int]) -> dict[str, Any]:
    lead = score.track("lead")
    if lead is None or not lead.notes:
        return {"has_lead": False}
    # a note played up to 50 ms ahead of a downbeat (human timing, a pushed lead) belongs to the bar it starts: the
    # next section's first note is not this section's ending, nor the ringing final chord's note the last bar's
    early_s = 0.05
    notes = [nt for nt in lead.notes if nt.start_s < music_bars(score) * score.bar_s - early_s]
    lo, hi = lead_range
    in_range = float(np.mean([lo <= nt.pitch <= hi for nt in notes])) if notes else 1.0
    # a compound meter's beat is a dotted quarter (6/8, 9/8, 12/8); an odd one's beats are groups of two and three
    # eighths (7/8 is 2+2+3), its shortest a quarter; it had been held to dotted quarters, which no 2-group is
    compound = score.beats_per_bar % 3 == 0 and score.beats_per_bar > 3
    beat_s = score.bar_s / score.beats_per_bar if score.beat_unit == 4 else score.step_s * (6 if compound else 4)
    rest_windows = None
    if lead_family in SINGING:
        windows = []
        bars = music_bars(score)
        for w0 in range(0, bars - 3, 4):
            a, b = w0 * score.bar_s, (w0 + 4) * score.bar_s
            inside = [nt for nt in notes if a <= nt.start_s < b]
            if len(inside) < 3:
                continue
            inside += [nt for nt in notes if nt.start_s >= b][:1]  # a breath across the window's end counts
            before = [nt.end_s for nt in notes if nt.start_s < a]  # so does one across its start: the rest
            entry = inside[0].start_s - max(max(before, default=a), a)  # before a lead enters after an intro
            gaps = [entry] + [n2.start_s - n1.end_s for n1, n2 in itertools.pairwise(inside)]
            windows.append(max(gaps, default=0.0) >= beat_s * 0.99)
        rest_windows = float(np.mean(windows)) if windows else None

    def mean_pitch(prefix: tuple[str, ...]) -> float | None:
        sec = next((s for s in score.sections if s.name.lower().startswith(prefix)), None)
        if sec is None:
            return None
        ps = [nt.pitch for nt in notes if sec.start_s - early_s <= nt.start_s < sec.start_s + sec.duration_s - early_s]
        return float(np.mean(ps)) if ps else None

    verse, chorus = mean_pitch(("verse",)), mean_pitch(("chorus", "hook", "drop"))
    ends = []
    for s in score.sections:
        inside = [nt for nt in notes if s.start_s - early_s <= nt.start_s < s.start_s + s.duration_s - early_s]
        if inside:
            ends.append(inside[-1].pitch % 12 != score.key_tonic_pc)
    return {"has_lead": True, "in_range": in_range, "rest_windows": rest_windows,
            "chorus_minus_verse": chorus - verse if chorus is not None and verse is not None else None,
            "ends_off_tonic": float(np.mean(ends)) if ends else None, "section_ends": len(ends), "notes": len(notes)}


def lead_range(kb: Any, instrument_id: str | None) -> tuple[str | None, tuple[int, int]]:
    inst = kb.find_instrument(instrument_id) if instrument_id else None
    if inst is None:
        return None, REGISTER_RANGE["wide"]
    return inst.family, TESSITURA.get(inst.id, REGISTER_RANGE[inst.pitch_register])


# ------------------------------------------------------------------ seeds
def arrangement_signature(score: Score) -> tuple[Any, ...]:
    """What a listener hears as 'the arrangement': instruments, which roles play in which section,
    and the voicings of the comping part."""
    roles = tuple((s.name, tuple(sorted(t.name for t in score.tracks
                                        if any(s.start_s <= nt.start_s < s.start_s + s.duration_s for nt in t.notes))))
                  for s in score.sections)
    harm = score.track("harmony") or score.track("pad")
    voicings = tuple(sorted({nt.pitch for nt in harm.notes})) if harm else ()
    return (tuple(t.instrument_id for t in score.tracks), roles, voicings)


def drum_signature(score: Score) -> tuple[Any, ...]:
    drums = score.track("drums")
    if drums is None:
        return ()
    grid = drum_grid(drums, score)
    return tuple(sorted((b, tuple(sorted(g))) for b, g in grid.items()))


def mean_of(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return float(np.mean(kept)) if kept else None
