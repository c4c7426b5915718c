"""Music bench: would a person keep what the engine writes? (issue 10)

    python -m bench.music_eval                    # 68 dev + 48 unseen prompts x 30 s (seeds 0-2 across the
                                                  # set), 3 x 3 min, seeds 0-2 compared on a subset
    python -m bench.music_eval --json OUT         # also write every row and both summaries
    python -m bench.music_eval --set dev          # the dev prompts only (--set unseen: the unseen ones)
    python -m bench.music_eval --quick            # 12 dev prompts at seed 0, one 3-minute render (a smoke run)

Prompts (bench/data/music_prompts.txt; bench/data/music_prompts_unseen.txt is the unseen set of the same
kinds) are written the way users write them (typos, tag lists, "Key: A Minor", "in C#"), across genres,
meters (3/4, 6/8, 7/8), tempi 60-200 and moods; labels after " | " are the truth the bench checks
against (stated tempo, key, instruments by knowledge-base id, chords). Each prompt goes through Aurora
(offline tiers) and the Engine; the criteria are measured from the score (what the MIDI holds), the
stems and the audio (bench.music_metrics): harmony, groove, instruments, form and dynamics, feel,
melody, seeds, tempo (madmom RNN beat + tempo processors: Acc1 within 4% of the asked tempo, Acc2
within 4% of 1/3, 1/2, 1, 2 or 3 times it) and key (Krumhansl-Schmuckler on chroma: CK, CKD). Renders,
piano rolls (one colour per track, chord symbols per chord) and spectrograms go to bench/out/music/
(git-ignored).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import knowledge_base
from bench import key_sources as ks
from bench import music_detectors as md
from bench import music_metrics as mm
from bench.analysis import estimate_key
from bench.engine_bench import parse_key, plan_key_of, relative
from bench.plots import save_pictures
from engine import Engine
from engine.export import encode_audio
from engine.inputs import parse_parameters, parse_plan
from engine.structure.arrangement import FELT_TEMPO, compose
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import kind_in_lineup
from knowledge_base.layout import decode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "music"

DATA = ROOT / "bench" / "data"
DEV_PROMPTS = DATA / "music_prompts.txt"  # 50 prompts as users write them (text | labels)
UNSEEN_PROMPTS = DATA / "music_prompts_unseen.txt"  # the same kinds, never looked at while tuning
LONG = [1, 8, 2]  # 3-minute renders: pop ballad, deep house, rock (by dev index)
SEED_SUBSET = [0, 3, 5, 8, 10, 13, 19, 26]
GRID_GENRES = {"rock": 2, "metal": 3, "dnb": 10, "house": 8, "hip hop": 13, "funk": 26}
# --quick: a spread of genres, meters and tempi that runs in minutes on busy cores
QUICK = [2, 3, 5, 7, 8, 10, 13, 16, 19, 22, 23, 36]
EDM = {"house", "techno", "edm", "electronic", "dubstep", "trance", "drum_and_bass", "dnb", "dance_pop", "pop"}
TWO_A_BAR = {"jazz", "bebop", "swing", "cool_jazz", "bossa_nova"}  # harmonic_rhythm_beats: 2 (simple meters)
WIDE_DYNAMICS = {"classical", "cinematic", "ambient", "orchestral", "film_score", "epic", "new_age"}


def read_prompts(path: Path = DEV_PROMPTS) -> list[dict[str, Any]]:
    """One prompt a line, "text | labels"; '#' lines are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, _, labels = line.partition(" | ")
        labels = labels.replace(" major", "_major").replace(" minor", "_minor")
        found = dict(re.findall(r"(\w+)=(\S+)(?:\s|$)", labels))
        rows.append({"text": text.strip(), "tempo": float(found["tempo"]) if "tempo" in found else None,
                     "key": found["key"].replace("_", " ") if "key" in found else None, "meter": found.get("meter"),
                     "inst": [x for x in found.get("inst", "").split(",") if x],
                     "chords": [x for x in found.get("chords", "").split(",") if x], "mood": found.get("mood"),
                     "change": found["change"].replace("_", " ") if "change" in found else None})
    return rows


def aurora_inputs(aurora: Any, text: str, duration_s: float, seed: int) -> tuple[dict[str, Any], dict[str, Any],
                                                                                list[float]]:
    result = aurora.process(prompt=text, duration_s=duration_s, seed=seed)
    plan = result.plan.structural_plan.model_dump(by_alias=True)
    params = result.parse.parsed_parameters.model_dump(by_alias=True)
    return plan, params, list(result.parse.control_encoder_params.unified_control_embedding)


def score_only(kb: KnowledgeBase, plan: dict[str, Any], params: dict[str, Any], vector: list[float], *,
               duration_s: float, seed: int, tempo_bpm: float | None = None) -> Any:
    """The composer alone (no synthesis): what the seeds and grid checks need."""
    controls = decode(kb, [float(x) for x in vector])
    plan = dict(plan)
    if tempo_bpm is not None:
        plan["tempo_bpm"] = tempo_bpm
        controls = controls.model_copy(update={"tempo_bpm": tempo_bpm})
    return compose(plan=parse_plan(plan), controls=controls, params=parse_parameters(params), kb=kb,
                   duration_s=duration_s, seed=seed)


def lineup_of(kb: KnowledgeBase, genre_id: str | None) -> set[str]:
    lineage = kb.genre_lineage(genre_id)
    closed_at = next((k for k, g in enumerate(lineage) if g.own_lineup), None)  # bluegrass: its own players only
    return {gi.instrument for g in lineage[: None if closed_at is None else closed_at + 1] for gi in g.instruments}


def as_played(kb: KnowledgeBase, stated_ids: list[str], genre_id: str | None,
              played_ids: set[str] | None = None) -> list[str]:
    """A label is checked as the instrument that plays it: itself, else a played instrument of its kind (a
    stated "piano" heard as an upright piano: its name ends in the label's), else the genre's own of a kind
    the label names ("guitar" in rock is the electric guitar; knowledge_base.instrument_kinds)."""
    lineup = list(dict.fromkeys(gi.instrument for g in kb.genre_lineage(genre_id) for gi in g.instruments))
    played = played_ids or set()
    out = []
    for inst_id in stated_ids:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst_id in played:
            out.append(inst_id)
            continue
        kind = next((p for p in sorted(played) if (q := kb.find_instrument(p)) is not None
                     and q.name.lower().endswith(" " + inst.name.lower())), None)
        out.append(kind or kind_in_lineup(kb, inst.name, inst, lineup).id)
    return out


def evaluate(engine: Engine, kb: KnowledgeBase, aurora: Any, prompt: dict[str, Any], index: int, *,
             duration_s: float, seed: int, pictures: bool, tempo: bool = True, tag: str = "dev") -> dict[str, Any]:
    plan, params, vector = aurora_inputs(aurora, prompt["text"], duration_s, seed)
    duration_s = float(plan["duration_s"])  # the plan's: a whole 12-bar chorus may run a little longer than asked
    t0 = time.perf_counter()
    result = engine.render(plan=plan, parameters=params, control_embedding=vector, duration_s=duration_s,
                           sample_rate=44100, seed=seed)
    wav = encode_audio(result.mix, sample_rate=44100, fmt="wav")
    render_s = time.perf_counter() - t0
    score = result.score
    kit_ids = set(kb.synth_presets.kit_pieces())
    lead = score.track("lead")
    family, rng = mm.lead_range(kb, lead.instrument_id if lead else None)
    lineup = lineup_of(kb, score.genre_id)
    ensemble = kb.find_ensemble(params.get("ensemble"))
    lineup |= {p.instrument for p in ensemble.parts} if ensemble is not None else set()  # a string quartet's viola
    row: dict[str, Any] = {
        "index": index, "prompt": prompt["text"], "duration_s": duration_s, "seed": seed, "genre": score.genre_id,
        "meter": score.time_signature, "plan_tempo": float(plan["tempo_bpm"]), "render_s": render_s,
        "tracks": [f"{t.name}:{t.instrument_id}" for t in score.tracks],
        "sections": [(s.name, s.bars) for s in score.sections],
        "plan_bars": int(plan["total_bars"]), "score_bars": mm.music_bars(score),
        "harmony": {**mm.harmony(score, plan, prompt["chords"]),
                    "mood_colour": mm.mood_colour_sounds(score, kb, prompt.get("mood")),
                    "key_change": mm.key_change_played(score, kb, prompt.get("change"))},
        "instruments": mm.instruments(score, result.stems, result.mix, as_played(
            kb, prompt["inst"], score.genre_id, {t.instrument_id for t in score.tracks}), lineup, kit_ids),
        "feel": mm.feel(score), "melody": mm.melody(score, family, rng),
        "lra_lu": mm.loudness_range_lu(result.mix, 44100), **mm.chorus_lift(score, result.mix, 44100),
        # the family by lineage: a neoclassical piece is classical, an epic trailer film music, dark ambient ambient
        "wide_family": any(g.id in WIDE_DYNAMICS for g in kb.genre_lineage(score.genre_id)),
    }
    g = mm.groove(score)
    g.pop("grid", None)
    row["groove"] = g
    row["min_section_bars"] = min((s.bars for s in score.sections if not re.match(r"(intro|outro|ending)", s.name)),
                                  default=0)
    if score.genre_id in ("drum_and_bass", "dnb", "liquid_dnb", "jungle"):
        row["two_step"] = mm.two_step_share(score)
    asked_tempo = prompt["tempo"] or float(plan["tempo_bpm"])
    row["asked_tempo"] = asked_tempo
    if tempo:
        tempi = md.madmom_tempo(result.mix.mean(axis=0))
        row["madmom_tempo"] = tempi[0] if tempi else 0.0
        row["acc1"] = md.acc1(row["madmom_tempo"], asked_tempo)
        row["acc2"] = md.acc2(row["madmom_tempo"], asked_tempo)
        _, style = select_groove(kb.grooves, kb.genre_lineage(score.genre_id), Meter.parse(score.time_signature))
        row["felt"] = style.felt
        row["acc1_felt"] = md.acc1_felt(row["madmom_tempo"], asked_tempo, FELT_TEMPO.get(style.felt, 1.0))
        # the stated key is the home key: with a key change, measured on the music before it
        change_s = next((sec.start_s for sec in score.sections if getattr(sec, "key", None)), None)
        home = result.mix[..., :int(change_s * 44100)] if change_s and change_s >= 8.0 else result.mix
        key = estimate_key(home, 44100)
        asked_key = parse_key(prompt["key"]) if prompt["key"] else plan_key_of(plan, kb)
        row["key_asked"], row["key_measured"] = asked_key, (key.tonic_pc, key.mode)
        row["ck"] = asked_key == (key.tonic_pc, key.mode)
        row["ckd"] = row["ck"] or (asked_key is not None and relative(asked_key) == (key.tonic_pc, key.mode))
        until_s = change_s if change_s and change_s >= 8.0 else None
        row["key_score"] = (k := ks.score_key(score, until_s=until_s)).tonic_pc, k.mode
        row["key_sine"] = (k := ks.sine_key(score, until_s=until_s)).tonic_pc, k.mode
        row["ck_score"], row["ck_sine"] = asked_key == row["key_score"], asked_key == row["key_sine"]
        row["key_cnn"] = md.madmom_key(result.mix.mean(axis=0))
        row["ck_cnn"] = asked_key == row["key_cnn"]
        row["key_stated"] = prompt["key"] is not None
        row["tempo_stated"] = prompt["tempo"] is not None
    if pictures:
        stem = OUT / f"{tag}{index:02d}_{score.genre_id}_{int(duration_s)}s_seed{seed}"
        stem.with_suffix(".wav").write_bytes(wav)
        from engine.export import midi_bytes

        stem.with_suffix(".mid").write_bytes(midi_bytes(score))
        save_pictures(result, stem)
    return row


# ------------------------------------------------------------------ the criteria over all rows
def criteria(rows: list[dict[str, Any]], longs: list[dict[str, Any]], seeds: list[dict[str, Any]],
             grids: dict[str, bool]) -> dict[str, Any]:
    every = rows + longs
    h = [r["harmony"] for r in every]
    gr = [r["groove"] for r in every if r["groove"].get("has_drums")]
    stated = [s for r in every for s in r["instruments"]["stated"]]
    feel_rows = [r["feel"] for r in every if r["feel"].get("drums", {}).get("offbeat_delay_ms") is not None]
    swing_gap = []
    scatter = []
    for f in feel_rows:
        d = f["drums"]["offbeat_delay_ms"]
        for name, v in f.items():
            if isinstance(v, dict) and name != "drums" and v.get("offbeat_delay_ms") is not None and abs(d) > 5:
                swing_gap.append(abs(v["offbeat_delay_ms"] - d) <= 5.0)
    for f in (r["feel"] for r in every):
        for v in f.values():
            if isinstance(v, dict):
                scatter.append(3.0 <= v["scatter_ms"] <= 10.0)
    swung = [r["feel"].get("swing_ratio", 0.0) >= 1.6 for r in every
             if ("swing" in r["prompt"] or r["genre"] in ("jazz", "swing", "blues", "lofi_hip_hop", "lofi", "bebop"))
             and "swing_ratio" in r["feel"]]
    mel = [r["melody"] for r in every if r["melody"].get("has_lead")]
    edm = [r for r in every if r["genre"] in EDM]
    wide = [r for r in every if r.get("wide_family", r["genre"] in WIDE_DYNAMICS)]
    t = [r for r in rows if "acc1" in r]
    metal_high = [r["groove"]["high_bar_kicks_min"] for r in every if r["genre"] in ("metal", "heavy_metal")
                  and r["groove"].get("high_bar_kicks_min") is not None]
    return {
        "harmony: tonic share <= 50% (>=3-chord progressions)": mm.mean_of(
            x["tonic_share"] <= 0.5 for x in h if x["progression_chords"] >= 3),
        "harmony: mean tonic share (>=3 chords)": mm.mean_of(x["tonic_share"] for x in h
                                                             if x["progression_chords"] >= 3),
        "harmony: planned roots sound (>=8 bars)": mm.mean_of(x["planned_roots_sound"] for x in h),
        "harmony: chord roots heard (every chord, all renders)": mm.mean_of(x["chord_roots_heard"] for x in h),
        "harmony: ii-V kept where planned": mm.mean_of(x["ii_v_kept"] for x in h),
        "harmony: chords a bar (jazz, bossa)": mm.mean_of(
            r["harmony"]["chords_per_bar"] for r in every if r["genre"] in TWO_A_BAR),
        "harmony: stated chords kept": mm.mean_of(x["stated_chords_kept"] for x in h),
        "harmony: a stated mood's own harmony sounds (horror's bII...)": mm.mean_of(x.get("mood_colour") for x in h),
        "harmony: a stated key change is played": mm.mean_of(x.get("key_change") for x in h),
        "harmony: bridge differs >=50% (song forms)": mm.mean_of(
            x["bridge_differs"] >= 0.5 for x in h if x["bridge_differs"] is not None),
        # the issue asks it of song forms (a verse and a bridge); a loop form whose own loop has no V is reported
        # on the next row, not forced to one
        "harmony: a section ends on V (3-min song forms)": mm.mean_of(
            r["harmony"]["section_ends_on_V"] for r in longs if r["harmony"]["bridge_differs"] is not None),
        "harmony: a section ends on V (3-min, every form)": mm.mean_of(
            r["harmony"]["section_ends_on_V"] for r in longs),
        "groove: grid same at 120 and 180 BPM": mm.mean_of(grids.values()),
        "groove: dnb two-step share (>=80%)": mm.mean_of(r.get("two_step") for r in every),
        "groove: metal high-energy kicks/bar min (>=12)": min(metal_high) if metal_high else None,
        "groove: <=1 tom fill per 8 bars": mm.mean_of(x["fills_per_8_bars"] <= 1.0 for x in gr),
        "groove: crashes <=8/min": mm.mean_of(x["crashes_per_min"] <= 8.0 for x in gr),
        "instruments: stated ones heard (>=50% bars, >=-20 dB)": mm.mean_of(s["ok"] for s in stated),
        "instruments: renders with a silent stem": mm.mean_of(bool(r["instruments"]["silent_stems"]) for r in every),
        "instruments: renders with inferred outside line-up": mm.mean_of(
            bool(r["instruments"]["inferred_outside"]) for r in every),
        "form: chorus >= +2 LU over verse": mm.mean_of(
            r["chorus_lu"] >= 2.0 for r in every if r.get("chorus_lu") is not None and np.isfinite(r["chorus_lu"])),
        "form: chorus has >=1 more part": mm.mean_of(r["chorus_extra_parts"] >= 1 for r in every
                                                     if r.get("chorus_extra_parts") is not None),
        "form: LRA 4-8 LU (pop, EDM)": mm.mean_of(4.0 <= r["lra_lu"] <= 8.0 for r in edm),
        "form: LRA >= 8 LU (classical, cinematic, ambient)": mm.mean_of(r["lra_lu"] >= 8.0 for r in wide),
        "form: mean LRA LU": mm.mean_of(r["lra_lu"] for r in every),
        "form: unique drum bars >= 25% (3-min)": mm.mean_of(
            r["groove"].get("unique_drum_bars", 1.0) >= 0.25 for r in longs if r["groove"].get("has_drums")),
        "form: sections >= 4 bars (intro/outro aside)": mm.mean_of(r["min_section_bars"] >= 4 for r in every),
        "form: plan bars == score bars": mm.mean_of(r["plan_bars"] == r["score_bars"] for r in every),
        "feel: off-beats follow the drums' swing (5 ms)": mm.mean_of(swing_gap),
        "feel: per-role scatter 3-10 ms": mm.mean_of(scatter),
        "feel: swing ratio >= 1.6 where it swings": mm.mean_of(swung),
        "melody: rest >= 1 beat per 4 bars (vocal, wind)": mm.mean_of(m["rest_windows"] for m in mel),
        "melody: lead notes in range": mm.mean_of(m["in_range"] for m in mel),
        "melody: chorus >= verse + 2 st": mm.mean_of(m["chorus_minus_verse"] >= 2.0 for m in mel
                                                     if m.get("chorus_minus_verse") is not None),
        "melody: >= 30% section ends off the tonic": mm.mean_of(m["ends_off_tonic"] >= 0.3 for m in mel
                                                              if m.get("ends_off_tonic") is not None),
        # a one-section clip (ambient 'bloom', blues 'solo') has one ending, the song's, which closes on the tonic by
        # the rules: the row above counts it, this one counts the renders whose lead ends two sections or more
        "melody: >= 30% ends off the tonic (>= 2 sections)": mm.mean_of(
            m["ends_off_tonic"] >= 0.3 for m in mel
            if m.get("ends_off_tonic") is not None and m.get("section_ends", 0) >= 2),
        "seeds: drums differ across seeds 0-2": mm.mean_of(s["drums_differ"] for s in seeds),
        "seeds: arrangement differs across seeds 0-2": mm.mean_of(s["arrangement_differs"] for s in seeds),
        "tempo: Acc1 (madmom, all)": mm.mean_of(r["acc1"] for r in t),
        "tempo: Acc2 (madmom, all)": mm.mean_of(r["acc2"] for r in t),
        "tempo: Acc1 where stated": mm.mean_of(r["acc1"] for r in t if r["tempo_stated"]),
        "tempo: Acc2 where stated": mm.mean_of(r["acc2"] for r in t if r["tempo_stated"]),
        # beside, not instead: a half-time groove (felt: half_time in grooves.yaml) read at its felt pulse
        "tempo: Acc1 where stated, at the tempo or its felt pulse (beside)": mm.mean_of(
            r.get("acc1_felt") for r in t if r["tempo_stated"]),
        "key: CK where stated": mm.mean_of(r["ck"] for r in t if r["key_stated"]),
        "key: CKD where stated": mm.mean_of(r["ckd"] for r in t if r["key_stated"]),
        "key: CK vs plan key (all)": mm.mean_of(r["ck"] for r in t),
        "key: CK where stated, of the notes themselves (beside)": mm.mean_of(
            r.get("ck_score") for r in t if r["key_stated"]),
        "key: CK where stated, the notes as sine tones (beside)": mm.mean_of(
            r.get("ck_sine") for r in t if r["key_stated"]),
        "key: CK where stated (madmom CNN, beside)": mm.mean_of(r.get("ck_cnn") for r in t if r["key_stated"]),
        "key: CK vs plan key (all, madmom CNN, beside)": mm.mean_of(r.get("ck_cnn") for r in t),
        "speed: 30 s render s (median)": float(np.median([r["render_s"] for r in rows])) if rows else None,
        "speed: real-time factor (median)": float(np.median([r["duration_s"] / r["render_s"] for r in rows]))
        if rows else None,
    }


def long_mark(row: dict[str, Any]) -> str:
    return f" ({int(row['duration_s'])} s)" if row["duration_s"] > 30 else ""


def print_table(rows: list[dict[str, Any]], longs: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    print(f"{'#':>2} {'genre':<14} {'mtr':<4} {'bpm':>4} {'mm':>5} {'A1':>2} {'A2':>2} {'K':>1} {'C':>1} {'tonic':>5} "
          f"{'ends':>4} {'minS':>4} {'fill8':>5} {'cr/m':>5} {'stated':>6} {'sil':>3} {'LRA':>4} {'chLU':>5} "
          f"{'rest':>4} {'rng':>4} prompt")
    for r in rows + longs:
        g, h, m = r["groove"], r["harmony"], r["melody"]
        stated = r["instruments"]["stated"]
        ok = f"{sum(s['ok'] for s in stated)}/{len(stated)}"

        def f(v: Any, fmt: str = "{:.2f}") -> str:
            return "-" if v is None else fmt.format(v)
        mark = "Y" if r.get("ck") else ("r" if r.get("ckd") else "n") if "ck" in r else "-"
        cnn = "-" if "ck_cnn" not in r else "Y" if r["ck_cnn"] else "n"
        print(f"{r['index']:>2} {str(r['genre'])[:14]:<14} {r['meter']:<4} {r['asked_tempo']:>4.0f} "
              f"{f(r.get('madmom_tempo'), '{:.0f}'):>5} {'Y' if r.get('acc1') else 'n':>2} "
              f"{'Y' if r.get('acc2') else 'n':>2} {mark:>1} {cnn:>1} {h['tonic_share']:>5.2f} "
              f"{h['section_ends_off_tonic']:>4.2f} {r['min_section_bars']:>4} "
              f"{f(g.get('fills_per_8_bars'), '{:.1f}'):>5} "
              f"{f(g.get('crashes_per_min'), '{:.0f}'):>5} {ok:>6} {len(r['instruments']['silent_stems']):>3} "
              f"{r['lra_lu']:>4.1f} {f(r.get('chorus_lu'), '{:+.1f}'):>5} {f(m.get('rest_windows'), '{:.1f}'):>4} "
              f"{f(m.get('in_range'), '{:.2f}'):>4} {r['prompt'][:44]}{long_mark(r)}")
    print()
    for k, v in summary.items():
        print(f"{k:>55}: {'-' if v is None else round(v, 3) if isinstance(v, float) else v}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write rows and summary as JSON")
    parser.add_argument("--quick", action="store_true", help="12 prompts, one 3-minute render, fewer seed checks")
    parser.add_argument("--set", choices=("dev", "unseen", "all"), default="all",
                        help="full mode: the dev prompts, the unseen ones, or both (default)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many prompts of each set")
    parser.add_argument("--only", type=str, default="",
                        help="only these prompt numbers of each set (commas: '4,41'); no 3-minute, seed or grid runs")
    parser.add_argument("--no-pictures", action="store_true")
    args = parser.parse_args(argv)
    only = {int(i) for i in args.only.split(",") if i.strip()}
    OUT.mkdir(parents=True, exist_ok=True)
    from aurora import Aurora

    kb = knowledge_base.load()
    engine = Engine(device="auto")
    aurora = Aurora()
    prompts = read_prompts(DEV_PROMPTS)
    plan, params, vector = aurora_inputs(aurora, prompts[0]["text"], 5.0, 0)
    engine.render(plan=plan, parameters=params, control_embedding=vector, duration_s=5.0)  # warm-up, not timed

    def run_set(items: list[tuple[int, dict[str, Any]]], name: str, *, seeded: bool) -> list[dict[str, Any]]:
        out = []
        for i, p in [(i, p) for i, p in items if not only or i in only][: args.limit or None]:
            seed = i % 3 if seeded else 0  # the full bench renders seeds 0-2 across the set
            row = evaluate(engine, kb, aurora, p, i, duration_s=30.0, seed=seed, pictures=not args.no_pictures,
                           tag=name)
            out.append({**row, "set": name})
            print(f"  {name} {i:>2} {p['text'][:60]}", file=sys.stderr)
        return out

    dev = args.quick or args.set in ("dev", "all")
    extras = dev and not only  # the 3-minute renders, seed and grid checks
    rows = run_set([(i, prompts[i]) for i in (QUICK if args.quick else range(len(prompts)))], "dev",
                   seeded=not args.quick) if dev else []
    unseen_rows = [] if args.quick or args.set == "dev" else \
        run_set(list(enumerate(read_prompts(UNSEEN_PROMPTS))), "unseen", seeded=True)
    longs = []
    for i in (LONG[:1] if args.quick else LONG) if extras else []:
        longs.append(evaluate(engine, kb, aurora, prompts[i], i, duration_s=180.0, seed=0,
                              pictures=not args.no_pictures, tempo=False, tag="dev"))
    seeds = []
    for i in (SEED_SUBSET[:3] if args.quick else SEED_SUBSET) if extras else []:
        p = prompts[i]
        scores = []
        for seed in (0, 1, 2):
            plan, params, vector = aurora_inputs(aurora, p["text"], 30.0, seed)
            scores.append(score_only(kb, plan, params, vector, duration_s=float(plan["duration_s"]), seed=seed))
        drums = [mm.drum_signature(s) for s in scores]
        arr = [mm.arrangement_signature(s) for s in scores]
        seeds.append({"index": i, "drums_differ": len(set(drums)) == 3 if drums[0] else None,
                      "arrangement_differs": len(set(arr)) == 3})
    grids: dict[str, bool] = {}
    for name, i in list(GRID_GENRES.items())[: 3 if args.quick else None] if extras else []:
        plan, params, vector = aurora_inputs(aurora, prompts[i]["text"], 30.0, 0)
        a = mm.grid_signature(score_only(kb, plan, params, vector, duration_s=30.0, seed=0, tempo_bpm=120.0))
        b = mm.grid_signature(score_only(kb, plan, params, vector, duration_s=30.0, seed=0, tempo_bpm=180.0))
        grids[name] = mm.same_grid(a, b)
    summary = criteria(rows, longs, seeds, grids) if rows else {}
    unseen_summary = criteria(unseen_rows, [], [], {}) if unseen_rows else {}
    if rows:
        print("dev prompts (bench/data/music_prompts.txt)")
        print_table(rows, longs, summary)
        print(f"{'grid same at 120/180':>55}: {grids}")
    if unseen_rows:
        print("\nunseen prompts (bench/data/music_prompts_unseen.txt)")
        print_table(unseen_rows, [], unseen_summary)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "unseen_summary": unseen_summary, "grids": grids,
                                         "seeds": seeds, "rows": rows, "unseen_rows": unseen_rows,
                                         "long_renders": longs}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
