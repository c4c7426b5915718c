"""Tempo sweep: does every genre's groove carry its beat? Each genre in knowledge_base/ is rendered (plans built
from labels, no Aurora) at the bottom, usual and top of its tempo range, in each meter asked for, and the tempo is
measured from the audio with librosa's beat tracker (bench.analysis.estimate_tempo_bpm).

    python -m bench.tempo_sweep                         # 4/4, 20 s renders at 22.05 kHz
    python -m bench.tempo_sweep --meters 4/4,3/4,6/8 --json OUT

A render counts when the measured tempo is within 4% of the requested one. Misses are listed with their ratio:
0.5 and 2.0 are octave errors (the tracker's prior sits at 120 BPM, so very fast or very slow grooves are
heard at half or double time), 4/3, 5/4, 3/2 are syncopations that outweigh the beat.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import knowledge_base
from bench.analysis import estimate_tempo_bpm
from bench.engine_bench import TRACKABLE_MAX_BPM, Prompt, label_inputs
from engine import Engine

SLOW_BPM, FAST_BPM = 80.0, 170.0


def sweep(meters: list[str], *, duration_s: float, sample_rate: int, seed: int) -> list[dict[str, Any]]:
    kb = knowledge_base.load()
    engine = Engine(device="auto")
    rows = []
    for genre in kb.genres:
        if not genre.tempo_bpm:
            continue
        tempi = sorted({genre.tempo_bpm.min, genre.tempo_bpm.typical, genre.tempo_bpm.max})
        for meter in meters:
            for tempo in tempi:
                if tempo > TRACKABLE_MAX_BPM:
                    continue
                prompt = Prompt(f"a {genre.name} track", float(tempo), "C major", meter, genre=genre.id)
                plan, controls, _ = label_inputs(kb, prompt)
                result = engine.render(plan=plan, **controls, duration_s=duration_s, sample_rate=sample_rate,
                                       seed=seed)
                measured = estimate_tempo_bpm(result.mix, sample_rate)
                rows.append({"genre": genre.id, "meter": meter, "tempo_bpm": float(tempo), "measured_bpm": measured,
                             "ratio": measured / tempo, "ok": abs(measured - tempo) / tempo <= 0.04})
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def share(kept: list[dict[str, Any]]) -> str:
        ok = sum(r["ok"] for r in kept)
        return f"{ok}/{len(kept)} ({100.0 * ok / max(len(kept), 1):.1f}%)"

    regions = {"slow (< 80 BPM)": [r for r in rows if r["tempo_bpm"] < SLOW_BPM],
               "80-170 BPM": [r for r in rows if SLOW_BPM <= r["tempo_bpm"] < FAST_BPM],
               "fast (>= 170 BPM)": [r for r in rows if r["tempo_bpm"] >= FAST_BPM]}
    misses = [r for r in rows if not r["ok"]]
    octave = sum(abs(r["ratio"] - 0.5) < 0.02 or abs(r["ratio"] - 2.0) < 0.04 for r in misses)
    return {"renders": len(rows), "within_4pct": share(rows), **{k: share(v) for k, v in regions.items()},
            "octave_errors": octave, "other_misses": len(misses) - octave}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meters", default="4/4", help="comma-separated meters (default 4/4)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per render")
    parser.add_argument("--sample-rate", type=int, default=22050)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write rows and summary as JSON")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    rows = sweep(args.meters.split(","), duration_s=args.duration, sample_rate=args.sample_rate, seed=args.seed)
    summary = summarise(rows)
    print(f"{'genre':<22} {'meter':<5} {'asked':>6} {'heard':>6} {'ratio':>6}")
    for r in rows:
        if not r["ok"]:
            print(f"{r['genre']:<22} {r['meter']:<5} {r['tempo_bpm']:>6.0f} {r['measured_bpm']:>6.1f} "
                  f"{r['ratio']:>6.2f}")
    print()
    for key, value in summary.items():
        print(f"{key:>20}: {value}")
    print(f"{'wall':>20}: {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
