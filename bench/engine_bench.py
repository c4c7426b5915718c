"""Engine bench: prompts -> Aurora (offline tier) -> Engine -> independent measurement of the audio.

    python -m bench.engine_bench                       # >= 30 stratified prompts from ../shared/eval
    python -m bench.engine_bench --prompts FILE        # one prompt per line, optional labels after " | ":
                                                       #   a waltz for strings | tempo=90 key=D major meter=3/4
    python -m bench.engine_bench --json OUT --long     # also time a 10-minute render

For each prompt: Aurora.process (falls back to a plan built from the labels with aurora.contracts when
Aurora's pipeline cannot run), Engine.render at 30 s / 44.1 kHz, WAV encode; then librosa beat
tracking (tempo; octave errors counted apart), Krumhansl-Schmuckler on chroma (key CK / CKD),
pyloudnorm (LUFS), 4x-oversampled true peak, clipped samples and silence ratio. Real-time factor
per stage, peak RSS, and 3-minute renders are reported too. Renders, spectrograms and piano rolls go
to bench/out/engine/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import knowledge_base
from bench.analysis import estimate_key, estimate_tempo_bpm, level_stats
from bench.eval_data import tempo_bin
from bench.eval_stated import caption_chords, chord_sentences, stated_keys, tempo_statement
from bench.plots import save_pictures
from engine import Engine
from engine.export import encode_audio
from knowledge_base import KnowledgeBase, layout, normalise_name, theory

ROOT = Path(__file__).resolve().parent.parent

EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out" / "engine"
# librosa's beat tracker weighs tempi with a log-normal prior around 120 BPM; an onset pattern that repeats
# every beat also repeats every two beats, so above ~200 BPM it reports half the tempo for any audio.
TRACKABLE_MAX_BPM = 200.0
NOTE_PC = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


@dataclass
class Prompt:
    text: str
    tempo_bpm: float | None = None
    key: str | None = None
    meter: str | None = None
    chords: list[str] = field(default_factory=list)
    genre: str | None = None
    source: str = "file"


# ------------------------------------------------------------------ labels and metrics
def parse_key(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    m = re.match(r"^\s*([A-Ga-g])\s*(#|b|♯|♭)?\s*(major|minor|maj|min|M|m)?\s*$", text)
    if not m:
        return None
    pc = (NOTE_PC[m.group(1).lower()] + {"#": 1, "♯": 1, "b": -1, "♭": -1}.get(m.group(2) or "", 0)) % 12
    word = m.group(3) or ""
    return pc, "minor" if word in ("m", "min", "minor") else "major"


def plan_key_of(plan: dict[str, Any], kb: KnowledgeBase) -> tuple[int, str]:
    """The key the plan asks the engine for, read as the engine reads it (major or minor by the mode's third)."""
    cp = plan["chord_progression"]
    key = theory.read_key(str(cp["key"]), kb.chords, mode=str(cp.get("mode") or ""))
    if key.mode == "blues":  # minor to its melody, but a key finder hears the changes: E7 A7 B7 is E major to it
        tonic = next((c for c in (theory.parse_chord(x, kb.chords) for x in cp.get("chords") or [])
                      if c is not None and c.root_pc == key.tonic_pc), None)
        if tonic is not None:
            return key.tonic_pc, "minor" if tonic.is_minor(kb.chords) else "major"
    return key.tonic_pc, "minor" if key.is_minor else "major"


def relative(key: tuple[int, str]) -> tuple[int, str]:
    return ((key[0] + 9) % 12, "minor") if key[1] == "major" else ((key[0] + 3) % 12, "major")


def octave_error(measured: float, requested: float) -> bool:
    return any(abs(measured / requested - r) / r <= 0.04 for r in (0.5, 2.0, 1.5, 2 / 3, 3.0, 1 / 3))


# ------------------------------------------------------------------ prompts
def stratified_prompts(count: int) -> list[Prompt]:
    """MidiCaps rows (genre, meter, tempo, key stated) plus MusicBench rows spread over beats per bar
    and tempo bins, one variant per clip."""
    out: list[Prompt] = []
    for line in (EVAL / "midicaps_pairs.jsonl").read_text().splitlines():
        row = json.loads(line)
        if not row.get("tempo") or not isinstance(row.get("caption"), str):
            continue
        out.append(Prompt(row["caption"], float(row["tempo"]), row.get("key"), row.get("time_signature"),
                          list(row.get("chord_summary") or []), (row.get("genre") or [None])[0], "midicaps"))
    rows = [json.loads(line) for line in (EVAL / "musicbench_dev.jsonl").read_text().splitlines()]
    buckets: dict[tuple[int, int], list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for row in rows:
        beats = row.get("beats") or [[], []]
        if not row.get("bpm") or not beats[1] or row["location"] in seen or not re.search(r"\d", row["captions"]):
            continue
        seen.add(row["location"])
        buckets.setdefault((int(max(beats[1])), tempo_bin(float(row["bpm"]))), []).append(row)
    order = sorted(buckets)
    i = 0
    while len(out) < count and any(buckets.values()):
        bucket = buckets[order[i % len(order)]]
        if bucket:
            row = bucket.pop(0)
            beats = int(max(row["beats"][1]))
            meter = {2: "2/4", 3: "3/4"}.get(beats, "4/4")
            key = (row.get("key") or [None])[0]
            out.append(Prompt(row["captions"].strip(), float(row["bpm"]), key, meter, list(row.get("chords") or [])[:4],
                              None, "musicbench"))
        i += 1
    return out[:count] if len(out) >= count else out


def prompts_from_file(path: Path) -> list[Prompt]:
    out = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, labels = line.partition(" | ")
        found = dict(re.findall(r"(\w+)=([^=]+?)(?=\s+\w+=|$)", labels))
        out.append(Prompt(text.strip(), float(found["tempo"]) if "tempo" in found else None, found.get("key"),
                          found.get("meter"), source="file"))
    return out


# ------------------------------------------------------------------ Aurora, or a plan from the labels
def aurora_inputs(aurora: Any, prompt: Prompt, seed: int) -> tuple[dict[str, Any], dict[str, Any], str]:
    result = aurora.process(prompt=prompt.text, duration_s=30.0, seed=seed)
    params = result.parse.parsed_parameters.model_dump(by_alias=True)
    vector = result.parse.control_encoder_params.unified_control_embedding
    plan = result.plan.structural_plan.model_dump(by_alias=True)
    return plan, {"parameters": params, "control_embedding": vector}, "aurora"


def label_inputs(kb: KnowledgeBase, prompt: Prompt) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The fallback: what a perfect parser would hand over, built from the dataset labels."""
    from aurora.contracts import StructuralPlan

    text = prompt.text.lower()
    genre = next((g for g in kb.genres if prompt.genre and normalise_name(prompt.genre) in
                  {normalise_name(g.id), normalise_name(g.name)}), None) or \
        next((g for g in kb.genres if re.search(rf"\b{re.escape(g.name.lower())}\b", text)), None)
    tempo = prompt.tempo_bpm or (genre.tempo_bpm.typical if genre and genre.tempo_bpm else 110.0)
    key = parse_key(prompt.key) or (9, "minor")
    names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    chords = [c for c in prompt.chords if re.match(r"^[A-G][#b]?", c)] or \
        [names[(key[0] + i) % 12] + q for i, q in (((0, "m"), (8, ""), (3, ""), (10, "")) if key[1] == "minor"
                                                 else ((0, ""), (7, ""), (9, "m"), (5, "")))]
    sections = [("intro", 0.15, 0.35), ("verse", 0.3, 0.55), ("chorus", 0.35, 0.85), ("outro", 0.2, 0.4)]
    plan = StructuralPlan.model_validate({
        "structure_type": "verse_chorus",
        "sections": [{"name": n, "duration_ratio": r, "energy_level": e, "description": n} for n, r, e in sections],
        "transitions": [{"from": "intro", "to": "verse", "type": "fill"}, {"from": "verse", "to": "chorus",
                                                                           "type": "build"},
                        {"from": "chorus", "to": "outro", "type": "fade"}],
        "chord_progression": {"key": f"{names[key[0]]} {key[1]}", "mode": key[1], "chords": chords},
        "tempo_bpm": tempo, "time_signature": prompt.meter or "4/4", "duration_s": 30.0}).model_dump(by_alias=True)
    instruments = [i.id for i in kb.instruments
                   if any(re.search(rf"\b{re.escape(a.lower())}\b", text) for a in (i.name, *i.aliases))]
    vector = layout.encode(kb, genre=genre.id if genre else None, tempo_bpm=tempo, instruments=instruments[:5],
                           energy_level=0.65)
    params = {"genre": {"value": genre.id if genre else "pop"}, "tempo": {"bpm": tempo},
              "instrumentation": [{"name": i, "role": ""} for i in instruments[:5]]}
    return plan, {"parameters": params, "control_embedding": vector}, "labels"


def optional_aurora(fallback: str) -> Any:
    """A real Aurora, or None (with the reason and ``fallback`` on stderr): a bench keeps measuring the engine
    when the semantic layer cannot start."""
    try:
        from aurora import Aurora

        return Aurora()
    except Exception as exc:  # Aurora unavailable
        print(f"Aurora unavailable ({type(exc).__name__}: {exc}); {fallback}", file=sys.stderr)
        return None


# ------------------------------------------------------------------ one prompt
def run_one(engine: Engine, kb: KnowledgeBase, aurora: Any, prompt: Prompt, index: int, *,
            duration_s: float = 30.0, pictures: bool = True) -> dict[str, Any]:
    seed = 1000 + index
    t0 = time.perf_counter()
    source = "labels"
    if aurora is not None:
        try:
            plan, controls, source = aurora_inputs(aurora, prompt, seed)
        except Exception as exc:  # the bench keeps measuring the engine when Aurora fails
            print(f"  aurora failed ({type(exc).__name__}: {exc}); using labels", file=sys.stderr)
            plan, controls, source = label_inputs(kb, prompt)
    else:
        plan, controls, source = label_inputs(kb, prompt)
    aurora_s = time.perf_counter() - t0
    result = engine.render(plan=plan, **controls, duration_s=duration_s, sample_rate=44100, seed=seed)
    t1 = time.perf_counter()
    wav = encode_audio(result.mix, sample_rate=44100, fmt="wav")
    encode_s = time.perf_counter() - t1
    requested_tempo = prompt.tempo_bpm or float(plan["tempo_bpm"])
    plan_key = plan_key_of(plan, kb)
    requested_key = parse_key(prompt.key) if prompt.key else plan_key
    measured_tempo = estimate_tempo_bpm(result.mix, 44100)
    # TB/TBT bin the measured tempo at the labels' precision (whole BPM): a render at exactly 160 BPM, the edge
    # between two bins, measures 159.99 or 160.01 by chance and must not land in one bin or the other on that.
    measured_bin, requested_bin = tempo_bin(round(measured_tempo)), tempo_bin(requested_tempo)
    key = estimate_key(result.mix, 44100)
    levels = level_stats(result.mix, 44100)
    row: dict[str, Any] = {
        "index": index, "source": prompt.source, "inputs": source, "prompt": prompt.text[:90],
        "tempo_stated": tempo_statement(prompt.text) != "none",
        "key_stated": bool(stated_keys(prompt.text) or caption_chords(chord_sentences(prompt.text))),
        "trackable": requested_tempo <= TRACKABLE_MAX_BPM,
        "genre": result.score.genre_id, "meter": result.score.time_signature,
        "requested_tempo": requested_tempo, "plan_tempo": float(plan["tempo_bpm"]), "measured_tempo": measured_tempo,
        "tempo_ok": abs(measured_tempo - requested_tempo) / requested_tempo <= 0.04,
        "engine_tempo_ok": abs(measured_tempo - float(plan["tempo_bpm"])) / float(plan["tempo_bpm"]) <= 0.04,
        "engine_ck": plan_key == (key.tonic_pc, key.mode),
        "plan_key": plan_key,
        "tempo_octave_error": octave_error(measured_tempo, requested_tempo),
        "tb": measured_bin == requested_bin,
        "tbt": abs(measured_bin - requested_bin) <= 1,
        "requested_key": requested_key, "measured_key": (key.tonic_pc, key.mode),
        "ck": requested_key == (key.tonic_pc, key.mode),
        "ckd": requested_key is not None and (requested_key == (key.tonic_pc, key.mode) or
                                              relative(requested_key) == (key.tonic_pc, key.mode)),
        "lufs": levels["lufs"], "lufs_error": abs(levels["lufs"] + 14.0), "true_peak_dbtp": levels["true_peak_dbtp"],
        "clipped": levels["clipped"], "silence_ratio": levels["silence_ratio"],
        "instruments": [t.instrument_id for t in result.score.tracks],
        "timings_s": {**result.timings_s, "aurora": aurora_s, "encode": encode_s},
        "total_s": aurora_s + result.timings_s["total"] + encode_s,
        "rtf": duration_s / (aurora_s + result.timings_s["total"] + encode_s),
    }
    if pictures:
        stem = OUT / f"{index:02d}_{(result.score.genre_id or 'x')}_{int(requested_tempo)}bpm"
        stem.with_suffix(".wav").write_bytes(wav)
        save_pictures(result, stem)
    return row


def long_render(engine: Engine, kb: KnowledgeBase, duration_s: float) -> dict[str, Any]:
    prompt = Prompt("an upbeat pop song with piano and strings", 118.0, "A minor", "4/4", genre="pop")
    plan, controls, _ = label_inputs(kb, prompt)
    plan["duration_s"] = duration_s
    controls["parameters"]["textures"] = ["vinyl crackle"]
    progress: list[str] = []
    t0 = time.perf_counter()
    result = engine.render(plan=plan, **controls, duration_s=duration_s, sample_rate=44100, seed=1,
                           on_progress=lambda stage, frac: progress.append(stage))
    t1 = time.perf_counter()
    encode_audio(result.mix, sample_rate=44100, fmt="wav")
    total = time.perf_counter() - t0
    return {"duration_s": duration_s, "render_s": t1 - t0, "total_s": total, "rtf": duration_s / total,
            "timings_s": result.timings_s, "lufs": result.loudness_lufs, "true_peak_dbtp": result.true_peak_dbtp,
            "progress_stages": sorted(set(progress)),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def long_render_isolated(duration_s: float) -> dict[str, Any]:
    """A long render in a fresh process (engine only, after one warm-up render), so its peak RSS is
    the engine's and not the bench's (Aurora's models, librosa, earlier renders)."""
    import subprocess

    out = subprocess.run([sys.executable, "-m", "bench.engine_bench", "--long-child", str(duration_s)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# ------------------------------------------------------------------ report
def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean(key: str) -> float:
        return float(np.mean([r[key] for r in rows])) if rows else 0.0

    stages = ["aurora", "structure", "synthesis", "codec", "mixer", "master", "encode"]
    return {
        "prompts": len(rows), "tempo_within_4pct": mean("tempo_ok"), "tempo_octave_errors": mean("tempo_octave_error"),
        "engine_tempo_within_4pct_of_plan": mean("engine_tempo_ok"), "engine_CK_vs_plan_key": mean("engine_ck"),
        "TB": mean("tb"), "TBT": mean("tbt"), "CK": mean("ck"), "CKD": mean("ckd"),
        "stated_tempo_rows": sum(r["tempo_stated"] for r in rows),
        "stated_key_rows": sum(r["key_stated"] for r in rows),
        "TB_stated": _mean_where(rows, "tb", "tempo_stated"), "TBT_stated": _mean_where(rows, "tbt", "tempo_stated"),
        "TB_stated_trackable": _mean_where(rows, "tb", "tempo_stated", "trackable"),
        "CK_stated": _mean_where(rows, "ck", "key_stated"), "CKD_stated": _mean_where(rows, "ckd", "key_stated"),
        "lufs_error_mean": mean("lufs_error"), "lufs_error_max": max((r["lufs_error"] for r in rows), default=0.0),
        "true_peak_max_dbtp": max((r["true_peak_dbtp"] for r in rows), default=-120.0),
        "clipped_samples": sum(r["clipped"] for r in rows), "silence_ratio_mean": mean("silence_ratio"),
        "seconds_per_30s_median": float(np.median([r["total_s"] for r in rows])) if rows else 0.0,
        "rtf_median": float(np.median([r["rtf"] for r in rows])) if rows else 0.0,
        "stage_rtf_median": {s: float(np.median([30.0 / max(r["timings_s"].get(s, 0.0), 1e-6) for r in rows]))
                             for s in stages} if rows else {},
        "by_genre_tempo_ok": _by(rows, "genre", "tempo_ok"), "by_meter_tempo_ok": _by(rows, "meter", "tempo_ok"),
        "by_genre_ck": _by(rows, "genre", "ck"),
    }


def _mean_where(rows: list[dict[str, Any]], key: str, *conditions: str) -> float:
    """The mean of ``key`` over the rows where every condition holds (a stated tempo, a trackable tempo)."""
    kept = [float(r[key]) for r in rows if all(r[c] for c in conditions)]
    return float(np.mean(kept)) if kept else 0.0


def _by(rows: list[dict[str, Any]], group: str, key: str) -> dict[str, float]:
    out: dict[str, list[float]] = {}
    for r in rows:
        out.setdefault(str(r[group]), []).append(float(r[key]))
    return {k: round(float(np.mean(v)), 2) for k, v in sorted(out.items())}


def print_table(rows: list[dict[str, Any]], summary: dict[str, Any], longs: list[dict[str, Any]]) -> None:
    print(f"{'#':>2} {'src':<6} {'genre':<16} {'mtr':<5} {'req':>5} {'got':>6} {'T':>1} {'key req':>8} "
          f"{'key got':>8} {'K':>1} {'LUFS':>6} {'TP':>5} {'s/30s':>6} instruments")
    names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]

    def key_text(k: Any) -> str:
        return f"{names[k[0]]}{'m' if k[1] == 'minor' else ''}" if k else "-"

    for r in rows:
        t_mark = "Y" if r["tempo_ok"] else ("o" if r["tempo_octave_error"] else "n")
        k_mark = "Y" if r["ck"] else ("r" if r["ckd"] else "n")
        print(f"{r['index']:>2} {r['inputs'][:6]:<6} {str(r['genre'])[:16]:<16} {r['meter']:<5} "
              f"{r['requested_tempo']:>5.0f} {r['measured_tempo']:>6.1f} {t_mark:>1} {key_text(r['requested_key']):>8} "
              f"{key_text(r['measured_key']):>8} {k_mark:>1} {r['lufs']:>6.1f} {r['true_peak_dbtp']:>5.1f} "
              f"{r['total_s']:>6.2f} {','.join(r['instruments'])[:60]}")
    print()
    for k, v in summary.items():
        print(f"{k:>24}: {v}")
    for lg in longs:
        label = f"render {int(lg['duration_s'])} s"
        print(f"{label:>24}: {lg['total_s']:.2f} s total (RTF {lg['rtf']:.0f}x), "
              f"stages {({k: round(v, 2) for k, v in lg['timings_s'].items()})}, peak RSS {lg['peak_rss_mb']:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=Path, help="one prompt per line, optional labels after ' | '")
    parser.add_argument("--count", type=int, default=32)
    parser.add_argument("--json", type=Path, help="write rows and summary as JSON")
    parser.add_argument("--long", action="store_true", help="also render 10 minutes (memory and time)")
    parser.add_argument("--no-aurora", action="store_true", help="build plans from the labels only")
    parser.add_argument("--no-pictures", action="store_true")
    parser.add_argument("--long-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.long_child:
        kb = knowledge_base.load()
        engine = Engine(device="auto")
        long_render(engine, kb, 10.0)
        print(json.dumps(long_render(engine, kb, args.long_child)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    kb = knowledge_base.load()
    engine = Engine(device="auto")
    aurora = None if args.no_aurora else optional_aurora("plans come from the labels")
    prompts = prompts_from_file(args.prompts) if args.prompts else stratified_prompts(args.count)
    warm_plan, warm_controls, _ = label_inputs(kb, prompts[0])
    engine.render(plan=warm_plan, **warm_controls, duration_s=5.0)  # warm-up (imports, caches), not timed
    estimate_tempo_bpm(np.zeros((2, 44100), dtype=np.float32) + 1e-3, 44100)  # librosa JIT warm-up
    rows = []
    for i, prompt in enumerate(prompts):
        rows.append(run_one(engine, kb, aurora, prompt, i, pictures=not args.no_pictures))
    longs = [long_render_isolated(180.0)]
    if args.long:
        longs.append(long_render_isolated(600.0))
    summary = summarise(rows)
    print_table(rows, summary, longs)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "long_renders": longs, "rows": rows}, indent=1,
                                        default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
