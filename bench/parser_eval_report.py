"""Parser bench: latency and cold-start measurement, printing and JSON output. Split from
parser_eval.py; run `python -m bench.parser_eval`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.eval_data import (
    percentile,
)
from bench.eval_rows import (
    evenly,
)
from bench.parser_eval_figures import DatasetResult, FigureKind

ROOT = Path(__file__).resolve().parent.parent

TITLES = {"musicbench": "MusicBench", "midicaps": "MidiCaps", "musiccaps": "MusicCaps",
          "conceptcaps": "ConceptCaps"}



# ------------------------------------------------------------------------------ latency
def measure_cold_start(runs: int, factory: str) -> dict[str, Any]:
    """Fresh interpreter (`python -m bench.cold_start module:Class`): `import aurora` + Aurora() + warm_up(),
    timed inside and outside."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    samples: list[dict[str, float]] = []
    errors: list[str] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.cold_start", factory], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        wall = time.perf_counter() - t0
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("COLD ")), None)
        if proc.returncode != 0 or line is None:
            errors.append((proc.stderr or proc.stdout)[-800:])
            continue
        sample = json.loads(line[5:])
        sample["process_wall_s"] = wall
        samples.append(sample)
    out: dict[str, Any] = {"runs": samples, "errors": errors}
    if samples:
        out["total_s"] = max(s["total_s"] for s in samples)
        out["process_wall_s"] = max(s["process_wall_s"] for s in samples)
    return out


def latency_stats(values: Sequence[float]) -> dict[str, float | int | None]:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else None}


WARM_UP_PROMPTS = (
    "a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle",
    "upbeat funk with slap bass, brass stabs and a tight drum groove",
    "slow cinematic strings in 3/4, building to a big orchestral finale",
    "fast drum and bass with reese bass and chopped breaks, dark mood",
    "an acoustic folk song with fingerpicked guitar and a warm female vocal",
)


def measure_latency(aurora: Any, captions: Sequence[str], n: int) -> dict[str, Any]:
    sample = evenly(captions, n)
    errors: Counter[str] = Counter()
    for c in WARM_UP_PROMPTS:  # lazy paths loaded before timing; never the timed captions (no cache hits)
        try:
            aurora.process(prompt=c, duration_s=30.0)
            aurora.suggest(partial_prompt=c[:20])
        except Exception as exc:
            errors[f"warm-up: {type(exc).__name__}: {str(exc)[:120]}"] += 1
    stages: dict[str, list[float]] = defaultdict(list)
    wall: list[float] = []
    for c in sample:
        try:
            t0 = time.perf_counter()
            result = aurora.process(prompt=c, duration_s=30.0)
            wall.append((time.perf_counter() - t0) * 1000)
            for stage, ms in (getattr(result, "timings_ms", None) or {}).items():
                stages[stage].append(float(ms))
        except Exception as exc:
            errors[f"process: {type(exc).__name__}: {str(exc)[:120]}"] += 1
    suggest: list[float] = []
    for c in sample:
        for cut in sorted({8, 20, 45, len(c) // 2, len(c) - 1}):
            if not 0 < cut < len(c):
                continue
            try:
                t0 = time.perf_counter()
                aurora.suggest(partial_prompt=c[:cut])
                suggest.append((time.perf_counter() - t0) * 1000)
            except Exception as exc:
                errors[f"suggest: {type(exc).__name__}: {str(exc)[:120]}"] += 1
    return {
        "captions": len(sample),
        "cpus": os.cpu_count(),
        "load_average_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "stages_ms": {s: latency_stats(v) for s, v in stages.items()},
        "process_wall_ms": latency_stats(wall),
        "suggest_wall_ms": latency_stats(suggest),
        "errors": dict(errors),
    }


# ------------------------------------------------------------------------------ output
def _fmt(value: float | None, kind: FigureKind = "rate") -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%"


def _ratio(aurora: float | None, baseline: float | None) -> float | None:
    if aurora is None or baseline is None or baseline == 0:
        return None
    return aurora / baseline


def print_dataset(res: DatasetResult) -> None:
    loaded = res.loaded
    skipped = ", ".join(f"{v} {k}" for k, v in loaded.skipped.items())
    print(f"\n== {TITLES[res.name]} ({res.path.name}): {len(loaded.rows)} rows scored of {loaded.total}"
          + (f" (skipped: {skipped})" if skipped else ""))
    width = max([len(f.label) for f in res.aurora.values()] + [20]) + 2
    if res.baseline is None:
        print(f"  {'figure':<{width}}{'rows':>6}  {'aurora':>8}")
        for fig in res.aurora.values():
            extra = ""
            if fig.kind == "f1":
                extra = f"   (P {_fmt(fig.prf.precision)}, R {_fmt(fig.prf.recall)})"
            print(f"  {fig.label:<{width}}{fig.n:>6}  {_fmt(fig.value):>8}{extra}")
    else:
        print(f"  {'figure':<{width}}{'rows':>6}  {'baseline':>9}  {'aurora':>8}  {'ratio':>6}")
        for key, fig in res.aurora.items():
            base = res.baseline.get(key)
            bv = base.value if base else None
            ratio = _ratio(fig.value, bv)
            extra = ""
            if fig.kind == "f1":
                extra = f"   (P {_fmt(fig.prf.precision)}, R {_fmt(fig.prf.recall)})"
            print(f"  {fig.label:<{width}}{fig.n:>6}  {_fmt(bv):>9}  {_fmt(fig.value):>8}  "
                  f"{(f'{ratio:.2f}x' if ratio is not None else '-'):>6}{extra}")
    for key, value in res.notes.items():
        if key == "label_noise" and value:
            print("  label/caption disagreements (unfixable rows): "
                  + ", ".join(f"{k}: {v}" for k, v in value.items()))
        elif key == "labels_not_in_kb" and value:
            print("  labels the KB cannot resolve: " + ", ".join(f"{k} x{v}" for k, v in value.items()))
        elif key == "unresolved_tags" and value:
            print("  unresolved tags (not scored): " + ", ".join(
                f"{c}: {v['count']}" for c, v in value.items()))
        elif key == "parse_errors" and value:
            print(f"  parse errors: {value}")


def print_latency(latency: dict[str, Any], parse_stats: dict[str, Any], cold: dict[str, Any] | None) -> None:
    load = latency.get("load_average_1m")
    if latency:
        print(f"\n== Latency (warm; process() on {latency.get('captions', 0)} captions"
              + (f"; {latency.get('cpus')} CPUs, load average {load:.1f} when timed)" if load is not None else ")"))
    else:
        print("\n== Latency (accuracy pass only; process()/suggest() not timed)")
    print(f"  {'measure':<34}{'n':>6}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")

    def row(name: str, s: dict[str, Any]) -> None:
        def ms(v: float | None) -> str:
            return f"{v:.1f}" if v is not None else "-"

        print(f"  {name:<34}{s['n']:>6}  {ms(s['p50']):>8}  {ms(s['p95']):>8}  {ms(s['max']):>8}")

    for stage, s in latency.get("stages_ms", {}).items():
        row(f"stage {stage}" + (" (text-to-plan)" if stage == "total" else ""), s)
    if "process_wall_ms" in latency:
        row("process() wall", latency["process_wall_ms"])
        row("suggest() wall (caption prefixes)", latency["suggest_wall_ms"])
    for name, s in parse_stats.items():
        row(name, s)
    if latency.get("errors"):
        print(f"  errors: {latency['errors']}")
    if cold is not None:
        if "total_s" in cold:
            parts = ", ".join(f"{k} {v:.2f} s" for k, v in cold["runs"][-1].items()
                              if k in ("import_s", "init_s", "warm_up_s"))
            print(f"  cold start (import aurora + Aurora() + warm_up(), fresh process): "
                  f"{cold['total_s']:.2f} s"
                  f"  [{parts}; whole interpreter {cold['process_wall_s']:.2f} s]")
        if cold.get("errors"):
            print(f"  cold start errors: {cold['errors'][0][-300:]}")


def dump_failures(results: Sequence[DatasetResult], directory: Path) -> None:
    for res in results:
        target = directory / res.name
        target.mkdir(parents=True, exist_ok=True)
        for key, fig in res.aurora.items():
            with (target / f"{key}.jsonl").open("w", encoding="utf-8") as fh:
                for info in fig.failures:
                    fh.write(json.dumps(info, ensure_ascii=False, default=str) + "\n")


def results_json(results: Sequence[DatasetResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for res in results:
        figures: dict[str, Any] = {}
        for key, fig in res.aurora.items():
            entry: dict[str, Any] = {"label": fig.label, "kind": fig.kind, "rows": fig.n, "aurora": fig.value,
                                     "aurora_detail": fig.to_json()}
            if res.baseline is not None:
                base = res.baseline.get(key)
                entry["baseline"] = base.value if base else None
                entry["baseline_detail"] = base.to_json() if base else None
                entry["ratio"] = _ratio(fig.value, entry["baseline"])
            figures[key] = entry
        out[res.name] = {"path": str(res.path), "rows_total": res.loaded.total,
                         "rows_scored": len(res.loaded.rows), "skipped": dict(res.loaded.skipped),
                         "figures": figures, "notes": res.notes}
    return out

