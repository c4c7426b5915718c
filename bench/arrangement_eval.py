"""Arrangement bench (issue 10, "feel follows the words"): does a render do what the text asks of its course?

    python -m bench.arrangement_eval                    # dev and unseen prompts, 60 s, seed 0
    python -m bench.arrangement_eval --json OUT         # also every row as JSON
    python -m bench.arrangement_eval --kind turn        # only the rows that ask one kind of thing

Prompts (bench/data/arrangement_prompts.txt and ..._unseen.txt) are written the way people ask: "starts quiet and
builds to a big finish", "fades out at the end", "ends abruptly", "a guitar solo in the middle", "no drop". Each goes
through Aurora (offline tiers) and the engine, and is judged from the audio and the score, never from the plan's own
word for it (so the bench runs on code that has no such fields, for a before/after):
- arc rise (fall): the mix's level over each section climbs (falls) by >= 6 dB from first to last, no step back by
  more than 1.5 dB (the master's closing fade left out);
- fade_out: the mix is >= 10 dB down 3 s before the end and >= 20 dB down in its last second, against the 4 s
  that end 8 s before the end (a fade, not the ring of a last chord);
- cold: from the last moment within 6 dB of the closing 4 s's loudest to 30 dB under it takes <= 1 s (a stop
  and the room's reverb, not a ring);
- solo: a section named for a solo where the asked player plays >= one note a bar (a drum solo: the drums alone)
  at >= -20 dB re the mix, and any other lead rests;
- omit: no section of the refused kind, and two or more sections left;
- late ("then the drums come in"): the late player is silent in the first section (its last half bar aside: a
  pickup fill) and plays after it, while the others play the first section;
- rest ("no drums in the verse"): the player is silent in every section of that kind and plays elsewhere;
- loop ("a seamless loop for a game menu"): whole 4-bar phrases to the last sample, no intro or ending section, the
  last second within 6 dB of the first, no fade (the last 50 ms within 20 dB of the last second);
- alone ("only piano in the intro"): in those sections only the named player plays, the others elsewhere;
- only ("strings only in the chorus"): the named player plays in those sections and rests elsewhere;
- fade_in ("fades in"): the first second is >= 12 dB under seconds 4-8.
- turn ("starts sad and ends hopeful": turn=major): the first main section is in the other mode (its notes' key,
  Krumhansl-Schmuckler on the score, bench/key_sources.py, or its opening chord's quality: a relative key shares its
  notes, so the notes alone cannot always tell "Em C G D" in E minor from G major) and the piece lands in the asked
  mode: its last chord has that quality and >= 75% of the last main section's note time lies in that chord's key
  (a 4-bar window is too short for the key finder to tell C major from its relative's neighbours; borrowed chords,
  the heroic bVI-bVII-I, lie outside).
- tempo ("slows down at the end": tempo=rit; accel, slowing, quickening): the bars as played (each bar from one of
  its chord changes to the next bar's: the harmony the notes follow): the last two bars' mean length over the other
  bars' median (rit, accel) or over the first two bars' (slowing, quickening): >= 1.12 where it slows, <= 0.92 where
  it speeds up (a piece at one tempo: 1.00).
- first ("starts with the chorus": first=chorus): the score's first section is a chorus (or hook) and a verse
  follows later; the first chorus's melody comes back (the notes of a later chorus start as the first one's do).
- length ("a long intro": length=intro:long): the score's sections of that kind are >= 8 bars (an intro or outro
  asked short: <= 2 bars; another kind asked short: <= 4; a number of bars asked, "a 16 bar intro": that many).
Beside each: whether the parse read the request (the parse's ``arrangement``, where the code has one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
SETS = {"dev": DATA / "arrangement_prompts.txt", "unseen": DATA / "arrangement_prompts_unseen.txt"}
DURATION_S = 60.0
GM_PIECES = {"kick": {35, 36}, "snare": {38, 40}, "hat": {42, 44, 46}}  # General MIDI drum notes of kit pieces
# a turned end: the share of its notes' time inside the scale of its last chord's key (a minor key's with its raised
# leading tone); not all of it: a major end's borrowed chords (heroism's bVI-bVII-I) sound outside its scale
KINDS = ("arc", "ending", "solo", "omit", "late", "rest", "alone", "only", "fade_in", "turn", "tempo", "length",
         "first")  # what a row can ask, in the order the table prints them
IN_SCALE = 0.75
SLOWER, FASTER = 1.12, 0.92  # the onset spacing at the end over the start, where the tempo slows (speeds up)
COLD_DECAY_S = 1.0  # a room's reverb (RT60 up to 2 s) falls 30 dB in up to 1 s; a ringing chord under a fade takes 2+
OMIT_WORDS = {"drop": ("drop",), "intro": ("intro",), "outro": ("outro", "ending", "coda"), "bridge": ("bridge",),
              "breakdown": ("breakdown",), "build": ("build", "rise")}


def read(path: Path) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            text, _, want = line.partition(" | ")
            rows.append((text.strip(), dict(item.split("=", 1) for item in want.strip().split(";") if item)))
    return rows


def envelope_db(mix: np.ndarray, sample_rate: int, hop_s: float = 0.05) -> np.ndarray:
    mono = mix.mean(axis=0) if mix.ndim == 2 else mix
    hop = int(hop_s * sample_rate)
    frames = mono[: mono.size // hop * hop].reshape(-1, hop)
    return 20 * np.log10(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-9)


def level_db(mix: np.ndarray, sample_rate: int, start_s: float, end_s: float) -> float:
    mono = mix.mean(axis=0) if mix.ndim == 2 else mix
    part = mono[max(0, int(start_s * sample_rate)): max(0, int(end_s * sample_rate))].astype(np.float64)
    return float(10 * np.log10(np.mean(part**2) + 1e-18)) if part.size else -180.0


def arc_check(mix: np.ndarray, sr: int, spans: list[Any], rising: bool, duration_s: float) -> dict[str, Any]:
    end_s = duration_s - max(0.5, min(4.0, 0.1 * duration_s))  # the master's closing fade left out
    levels = [round(level_db(mix, sr, s.start_s, min(s.start_s + s.duration_s, end_s)), 1) for s in spans
              if s.start_s < end_s - 1.0]
    sign = 1 if rising else -1
    steps = [sign * (b - a) for a, b in itertools.pairwise(levels)]
    ok = len(levels) >= 2 and sign * (levels[-1] - levels[0]) >= 6.0 and min(steps) >= -1.5
    return {"levels_db": levels, "ok": ok}


def fade_check(mix: np.ndarray, sr: int, duration_s: float) -> dict[str, Any]:
    before = level_db(mix, sr, duration_s - 12.0, duration_s - 8.0)
    down_3s = before - level_db(mix, sr, duration_s - 3.5, duration_s - 2.5)
    down_end = before - level_db(mix, sr, duration_s - 1.0, duration_s)
    return {"down_3s_db": round(down_3s, 1), "down_end_db": round(down_end, 1),
            "ok": down_3s >= 10.0 and down_end >= 20.0}


def loop_check(render: Any) -> dict[str, Any]:
    """A seamless loop: whole 4-bar phrases to the last sample, no intro or ending section, the last second within
    6 dB of the first (the seam), and no fade (the last 50 ms within 20 dB of the last second)."""
    score, sr, mix = render.score, render.sample_rate, render.mix
    bars = render.duration_s / score.bar_s
    edges = [s.name for s in score.sections if s.name.lower().startswith(("intro", "outro", "ending", "coda"))]
    end_s = render.duration_s
    seam_db = level_db(mix, sr, end_s - 1.0, end_s) - level_db(mix, sr, 0.0, 1.0)
    tail_db = level_db(mix, sr, end_s - 1.0, end_s) - level_db(mix, sr, end_s - 0.05, end_s)
    whole = abs(bars - round(bars)) < 1e-3 and round(bars) % 4 == 0
    return {"bars": round(bars, 3), "edges": edges, "seam_db": round(seam_db, 1), "tail_db": round(tail_db, 1),
            "ok": whole and not edges and abs(seam_db) <= 6.0 and tail_db <= 20.0}


def fade_in_check(mix: np.ndarray, sr: int) -> dict[str, Any]:
    """The first second is >= 12 dB under the seconds 4-8 (a piece rising from silence, not a band that starts)."""
    rise = level_db(mix, sr, 4.0, 8.0) - level_db(mix, sr, 0.0, 1.0)
    return {"rise_db": round(rise, 1), "ok": rise >= 12.0}


def cold_check(mix: np.ndarray, sr: int) -> dict[str, Any]:
    env = envelope_db(mix, sr, 0.02)
    tail = env[-int(4.0 / 0.02):]
    peak = tail.max()
    loud = np.nonzero(tail >= peak - 6.0)[0][-1]
    quiet = np.nonzero(tail[loud:] <= peak - 30.0)[0]
    decay_s = float(quiet[0] * 0.02) if quiet.size else float((tail.size - loud) * 0.02)
    return {"decay_s": round(decay_s, 2), "ok": bool(quiet.size) and decay_s <= COLD_DECAY_S}


def solo_check(render: Any, word: str) -> dict[str, Any]:
    """The asked player solos in one of the solo sections (the last first; several soloists take turns)."""
    spans = [s for s in render.score.sections if s.name.lower().startswith("solo")]
    if not spans:
        return {"ok": False, "why": "no solo section"}
    results = [_solo_in(render, word, span) for span in reversed(spans)]
    return next((r for r in results if r["ok"]), results[0])


def _solo_in(render: Any, word: str, span: Any) -> dict[str, Any]:
    score, sr = render.score, render.sample_rate
    start, end = span.start_s - 1e-6, span.start_s + span.duration_s - 1e-6

    def inside(track: Any) -> int:  # the next section's first note, humanised a few ms early, is not inside
        return sum(1 for n in track.notes if start <= n.start_s < end - 0.05)

    if word == "drum":
        others = [t.name for t in score.tracks if not t.is_drum and t.role != "percussion" and inside(t)]
        drums = [t for t in score.tracks if t.is_drum and inside(t)]
        return {"ok": bool(drums) and not others, "others_playing": others}
    soloists = [t for t in score.tracks if word in t.instrument_id and not t.is_drum]
    soloist = max(soloists, key=lambda t: (t.role == "lead", inside(t)), default=None)  # "guitar": the lead guitar
    if soloist is None:
        return {"ok": False, "why": f"no {word} in the band"}
    mix_db = level_db(render.premaster, sr, span.start_s, span.start_s + span.duration_s)
    stem_db = level_db(render.stems[soloist.name], sr, span.start_s, span.start_s + span.duration_s) - mix_db
    leads = [t.name for t in score.tracks if t.role == "lead" and t is not soloist and inside(t)]
    ok = inside(soloist) >= span.bars and stem_db >= -20.0 and not leads
    return {"ok": ok, "soloist": soloist.name, "notes": inside(soloist), "bars": span.bars,
            "stem_db": round(stem_db, 1), "other_leads": leads}


def _tracks_of(score: Any, word: str, *, kit: bool = False) -> list[Any]:
    """The tracks a label's word names: every drum track for 'drum' (or a kit piece), else those whose instrument
    id holds the word."""
    return [t for t in score.tracks if (t.is_drum if word == "drum" or kit else word in t.instrument_id)]


def late_check(render: Any, word: str) -> dict[str, Any]:
    """The late player is silent in the first section and plays after it; the first section still sounds."""
    score = render.score
    first = score.sections[0]
    end = first.start_s + first.duration_s - 0.05  # the entry's pickup fill, humanised early, is not inside
    late = _tracks_of(score, word)
    before = sum(1 for t in late for n in t.notes if n.start_s < end - 0.5 * score.bar_s)
    after = sum(1 for t in late for n in t.notes if n.start_s >= first.start_s + first.duration_s)
    others = sum(1 for t in score.tracks if t not in late for n in t.notes if n.start_s < end)
    return {"ok": bool(late) and before == 0 and after > 0 and others > 0, "before": before, "after": after}


def rest_check(render: Any, value: str) -> dict[str, Any]:
    """"no drums in the verse" (value 'drum:verse'): the player is silent in every section of the kind (its last half
    bar aside: a pickup) and plays in some other section."""
    word, kind = value.split(":")
    score = render.score
    spans = [s for s in score.sections if s.name.lower().startswith(kind)]
    pitches = GM_PIECES.get(word)  # a kit piece: its notes of the drum track
    late = _tracks_of(score, word, kit=pitches is not None)
    inside = sum(1 for s in spans for t in late for n in t.notes
                 if s.start_s <= n.start_s < s.start_s + s.duration_s - 0.5 * score.bar_s
                 and (pitches is None or n.pitch in pitches))
    elsewhere = sum(1 for t in late for n in t.notes if not any(
        s.start_s <= n.start_s < s.start_s + s.duration_s for s in spans) and (pitches is None or n.pitch in pitches))
    return {"ok": bool(spans) and bool(late) and inside == 0 and elsewhere > 0, "sections": len(spans),
            "inside": inside, "elsewhere": elsewhere}


def lineup_in_sections_check(render: Any, value: str, *, alone: bool) -> dict[str, Any]:
    """'piano:intro' alone: in the intro only the piano plays; 'string:chorus' only: the strings play in the choruses
    and rest elsewhere (a section's last half bar aside: pickups)."""
    word, kind = value.split(":")
    score = render.score
    spans = {"start": score.sections[:1], "end": score.sections[-1:]}.get(kind) or \
        [s for s in score.sections if s.name.lower().startswith(kind)]  # "ends with just piano": the last section

    def within(start_s: float) -> bool:  # a section's first note, humanised a few ms early, is the section's
        return any(s.start_s - 0.05 <= start_s < s.start_s + s.duration_s - 0.5 * score.bar_s for s in spans)

    def count(tracks: list[Any], inside: bool) -> int:  # the closing bar's ringing chord aside
        return sum(1 for t in tracks for n in t.notes
                   if within(n.start_s) == inside and n.start_s < score.duration_s - score.bar_s)

    named = [t for t in score.tracks if word in t.instrument_id]
    others = [t for t in score.tracks if t not in named]
    if alone:  # and the others play the rest of the piece: a line-up closed for the whole song is no answer
        ok = bool(spans) and count(named, True) > 0 and count(others, True) == 0 and count(others, False) > 0
        return {"ok": ok, "named_inside": count(named, True), "others_inside": count(others, True),
                "others_elsewhere": count(others, False)}
    ok = bool(spans) and count(named, True) > 0 and count(named, False) == 0
    return {"ok": ok, "inside": count(named, True), "outside": count(named, False)}


def turn_check(render: Any, mode: str) -> dict[str, Any]:
    """The piece opens in the other mode and lands in ``mode`` (see the module docstring)."""
    from bench.key_sources import pitched_notes, score_key

    score = render.score
    mains = [s for s in score.sections if not s.name.lower().startswith(("intro", "outro", "ending", "coda"))] or \
        score.sections
    first, last = mains[0], mains[-1]
    start = score_key(score, from_s=first.start_s, until_s=first.start_s + first.duration_s)
    end = score_key(score, from_s=last.start_s)
    opening = next((c for c in score.chords if c.start_s >= first.start_s - 1e-3), None)
    final = score.chords[-1] if score.chords else None

    def quality(chord: Any) -> str | None:
        pcs = set(chord.pitch_classes) if chord is not None else set()
        return None if chord is None else "major" if (chord.root_pc + 4) % 12 in pcs else \
            "minor" if (chord.root_pc + 3) % 12 in pcs else None

    start_ok = start.mode != mode or quality(opening) not in (None, mode)
    steps = (0, 2, 4, 5, 7, 9, 11) if mode == "major" else (0, 2, 3, 5, 7, 8, 10, 11)
    scale = {(final.root_pc + i) % 12 for i in steps} if final is not None else set()
    notes = pitched_notes(score, from_s=last.start_s)
    in_scale = sum(d for _, d, p, _ in notes if p % 12 in scale) / max(sum(d for _, d, _, _ in notes), 1e-9)
    end_ok = final is not None and quality(final) == mode and in_scale >= IN_SCALE
    names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    return {"start": f"{names[start.tonic_pc]} {start.mode}", "opening_chord": opening.symbol if opening else None,
            "end": f"{names[end.tonic_pc]} {end.mode}", "last_chord": final.symbol if final else None,
            "end_in_scale": round(in_scale, 3),
            "ok": start_ok and end_ok}


def bar_lengths_s(score: Any) -> list[float]:
    """How long each bar of the music lasts, as played: a section's chord spans start on its bar lines (one or more
    a bar, the same number in every bar of it), so every n-th span start is a bar line."""
    out: list[float] = []
    for section in score.sections:
        spans = [c for c in score.chords if section.start_s - 1e-3 <= c.start_s < section.start_s + section.duration_s
                 - 1e-3]
        if not spans or section.bars < 1 or len(spans) % section.bars:
            continue
        lines = [c.start_s for c in spans[:: len(spans) // section.bars]]
        ends = [*lines[1:], spans[-1].start_s + spans[-1].duration_s]
        out += [b - a for a, b in zip(lines, ends, strict=True)]
    return out


def tempo_check(render: Any, curve: str) -> dict[str, Any]:
    """The last two bars' length against the others (rit, accel) or the first two (slowing, quickening)."""
    bars = bar_lengths_s(render.score)
    if len(bars) < 6:
        return {"ok": False, "why": "too few bars to time"}
    end = float(np.mean(bars[-2:]))
    start = float(np.median(bars[:-2])) if curve in ("rit", "accel") else float(np.mean(bars[:2]))
    ratio = end / start
    return {"ratio": round(ratio, 3), "ok": ratio >= SLOWER if curve in ("rit", "slowing") else ratio <= FASTER}


def length_check(render: Any, value: str) -> dict[str, Any]:
    """Every section of the kind as long (or short) as asked (see the module docstring)."""
    kind, length = value.split(":")
    spans = [s for s in render.score.sections if s.name.lower().startswith(OMIT_WORDS.get(kind, (kind,)))]
    edge = kind in ("intro", "outro")
    ok = bool(spans) and all(s.bars == int(length) if length.isdigit() else s.bars >= 8 if length == "long" else
                             s.bars <= (2 if edge else 4) for s in spans)
    return {"bars": [s.bars for s in spans], "ok": ok}


def first_check(render: Any) -> dict[str, Any]:
    """The piece opens on its chorus, the verse comes after, and the chorus it opened with comes back."""
    score = render.score
    names = [s.name.lower() for s in score.sections]
    lead = score.track("lead")

    def tune(span: Any) -> list[int]:  # the first notes of the lead in a section
        return [n.pitch for n in sorted(lead.notes, key=lambda n: n.start_s)
                if span.start_s - 0.05 <= n.start_s < span.start_s + span.duration_s][:6] if lead else []

    back = any(tune(score.sections[0]) and tune(s) == tune(score.sections[0]) for s in score.sections[1:]
               if s.name.lower().startswith(("chorus", "hook")))
    ok = bool(names) and names[0].startswith(("chorus", "hook")) and any(n.startswith("verse") for n in names[1:])
    return {"sections": names, "chorus_returns": back, "ok": ok and back}


def omit_check(plan: dict[str, Any], kind: str) -> dict[str, Any]:
    names = [s["name"].lower() for s in plan["sections"]]
    found = [n for n in names if n.startswith(OMIT_WORDS.get(kind, (kind,)))]
    return {"sections": names, "ok": not found and len(names) >= 2}


def judge(render: Any, plan: dict[str, Any], want: dict[str, str], duration_s: float) -> dict[str, Any]:
    sr, spans, mix = render.sample_rate, render.score.sections, render.mix
    checks: dict[str, Any] = {
        "arc": lambda v: arc_check(mix, sr, spans, v == "rise", duration_s),
        "ending": lambda v: fade_check(mix, sr, duration_s) if v == "fade_out" else
        loop_check(render) if v == "loop" else cold_check(mix, sr),
        "solo": lambda v: solo_check(render, v),
        "omit": lambda v: omit_check(plan, v),
        "late": lambda v: late_check(render, v),
        "alone": lambda v: lineup_in_sections_check(render, v, alone=True),
        "only": lambda v: lineup_in_sections_check(render, v, alone=False),
        "rest": lambda v: rest_check(render, v),
        "fade_in": lambda _: fade_in_check(mix, sr),
        "turn": lambda v: turn_check(render, v),
        "tempo": lambda v: tempo_check(render, v),
        "length": lambda v: length_check(render, v),
        "first": lambda _: first_check(render),
    }
    return {key: checks[key](value) for key, value in want.items() if key in checks}


def parsed(params: Any, key: str, value: str) -> bool:
    arrangement = getattr(params, "arrangement", None)
    if arrangement is None:
        return False
    if key == "solo":
        solos = getattr(arrangement, "solos", None) or [s for s in [getattr(arrangement, "solo", None)] if s]
        return any(value.split("_", maxsplit=1)[0] in s.lower() for s in solos)
    if key == "omit":
        return value in arrangement.omitted_sections
    if key == "fade_in":
        return bool(getattr(arrangement, "fade_in", False))
    if key in ("alone", "only"):
        word, kind = value.split(":")
        field = "section_players" if key == "alone" else "section_only"
        return any(word in p.lower() for p in getattr(arrangement, field, {}).get(kind, []))
    if key == "rest":
        word, kind = value.split(":")
        return any(word in p.lower() for p in getattr(arrangement, "section_rests", {}).get(kind, []))
    if key == "late":
        return any(value in p.lower() for p in getattr(arrangement, "late_players", []))
    if key == "tempo":
        return getattr(arrangement, "tempo_curve", None) == value
    if key == "first":
        return bool(getattr(arrangement, "chorus_first", False))
    if key == "length":
        kind, length = value.split(":")
        return str(getattr(arrangement, "section_lengths", {}).get(kind)) == length
    return getattr(arrangement, key, None) == value


def run_set(name: str, aurora: Any, engine: Any, kind: str | None = None) -> list[dict[str, Any]]:
    from aurora.generation import generate

    rows = []
    for text, want in read(SETS[name]):
        if kind is not None and kind not in want:
            continue
        g = generate(aurora=aurora, engine=engine, prompt=text, duration_s=DURATION_S)
        plan = g.semantic.plan.structural_plan.model_dump(mode="json")
        checks = judge(g.render, plan, want, g.render.duration_s)
        read_right = {k: parsed(g.semantic.parse.parsed_parameters, k, v) for k, v in want.items()}
        rows.append({"set": name, "prompt": text, "want": want, "parsed": read_right, "checks": checks,
                     "ok": all(c["ok"] for c in checks.values())})
        flags = " ".join(f"{k}:{'ok' if c['ok'] else 'BAD'}{'' if read_right[k] else '(unread)'}"
                         for k, c in checks.items())
        print(f"{name:6} {text[:60]:60} {flags}", file=sys.stderr)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in KINDS:
        judged = [r for r in rows if kind in r["checks"]]
        if judged:
            out[f"{kind}: done"] = sum(r["checks"][kind]["ok"] for r in judged) / len(judged)
            out[f"{kind}: read"] = sum(r["parsed"][kind] for r in judged) / len(judged)
            out[f"{kind}: rows"] = len(judged)
    out["all asked done"] = sum(r["ok"] for r in rows) / max(1, len(rows))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the rows and the summary as JSON")
    parser.add_argument("--kind", help="only the rows that ask this kind ('turn', 'solo', ...)")
    args = parser.parse_args(argv)
    from aurora import Aurora
    from engine import Engine

    aurora, engine = Aurora(), Engine()
    result: dict[str, Any] = {}
    for name in SETS:
        rows = run_set(name, aurora, engine, args.kind)
        result[name] = {"summary": summary(rows), "rows": rows}
    keys = list(dict.fromkeys(k for r in result.values() for k in r["summary"]))
    print(f"{'figure':24} {'dev':>8} {'unseen':>8}")
    for key in keys:
        cells = [result[s]["summary"].get(key) for s in SETS]
        print(f"{key:24} " + " ".join(f"{c:8.2f}" if isinstance(c, float) else f"{c!s:>8}" for c in cells))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
