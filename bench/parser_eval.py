"""Accuracy and latency bench for Aurora's semantic parser (issue 3, "Measured").

    .venv/bin/python -m bench.parser_eval                      # the four dev sets in ../shared/eval/
    .venv/bin/python -m bench.parser_eval --limit 200 --json bench/out/quick.json
    .venv/bin/python -m bench.parser_eval --musicbench other.jsonl --musiccaps other.csv ... \\
        --json bench/out/unseen.json --dump-failures bench/out/failures

Prints one table per data set (figure, rows covered, value; for MusicCaps and ConceptCaps also a
keyword baseline and the ratio Aurora / baseline) plus latency, and writes every figure to --json.
--dump-failures DIR writes DIR/<set>/<figure>.jsonl: one line per failing row (row = 0-based line
or record number in the source file, caption, expected, got, plus what the bench saw stated) to
find classes of failure. --limit N takes N rows spread evenly over each file.

How each figure is computed (the label normalisation lives in bench/eval_data.py):

MusicBench (captions of 'captions'; rows whose caption is missing or "ERROR" are skipped)
- "stated" is decided from the caption text by the bench's own regexes (eval_data.stated_*),
  never by the parser. Tempo is stated as a number ("118 bpm", "The bpm is 97.0"), else as an
  Italian term (Vivace), else as a word (slow, uptempo, medium tempo), else not at all.
- tempo within 1 BPM: |parsed bpm - label bpm| <= 1 on rows stating a number.
- TB / TBT (Mustango bins [40, 60, 70, 90, 110, 140, 160, 210]) over all rows with a bpm label, and
  split by how the tempo is stated (number / Italian term or word only / not stated).
- key CK / CKD on rows with a key label whose caption states a key; a row's label may name two
  keys ("either Cm or CM"): a match with either counts. CKD also accepts the relative key.
- beats per bar: parsed time signature numerator == max beat position of the label, on rows
  stating a meter or beat count ("3/4", "The beat is 3", "counts to three", "waltz").
- chords exact / chord-token F1 on rows whose caption states the labelled sequence (in order);
  chords compare as (root pitch class, quality, bass), so enharmonic spellings are equal; "N"
  (no chord) is dropped. Rows where a paraphrase kept only some chords are counted, not scored.
MidiCaps
- key CK on rows stating a key; time signature exact (all rows, and rows stating a meter); tempo TB.
- instrument F1 (micro): each instrument_summary label is resolved to a KB instrument by exact
  name/alias, else by the longest KB name/alias it contains ("Tenor Saxophone" -> saxophone);
  parsed and label instruments are matched one-to-one, first by identical KB entry, then by a
  shared specific AudioSet class of the two entries (broad classes such as "Percussion" or
  "Plucked string instrument" do not count). Unresolvable labels stay false negatives.
- genre hit@3: a label genre (resolved like instruments, over KB genres) equals one of the top-3
  ranked genres or one of their ancestors in the KB taxonomy.
MusicCaps (rows with a non-empty label set per figure)
- instrument micro-F1: predicted = union of the `audioset` lists of the parsed instruments, kept
  to the AudioSet "Musical instrument" subtree (a label outside it can never be in the column);
  gold = audioset_instrument without "Musical instrument". A second row scores only instruments
  the parser marks source="stated" (inferred, genre-typical instruments left out); same in MidiCaps.
- genre hit@1 / hit@3: any AudioSet label of the top-1 / top-3 ranked genres is in
  audioset_genre (a KB genre without its own mapping inherits its nearest ancestor's).
- mood hit: any AudioSet label of any parsed mood is in audioset_mood.
ConceptCaps (tag hit rates per category; a tag that cannot be resolved is counted, not scored)
- tempo tags: the tag equals a KB tempo term or alias; hit when the parsed bpm lies in its range.
- genre / mood / instrument tags: resolved by exact KB name/alias in the tag's own category, then
  in the other of genre/mood (the taxonomy files some genres as moods), then by the longest KB
  name/alias contained in the tag. Hit when the parse contains the entry: genre or sub-genre (or
  an ancestor of either), any parsed mood, any parsed instrument (or a parsed instrument whose
  specific AudioSet classes include all of the tag's: 'guitar' is covered by 'acoustic guitar'). Negated instrument tags
  ("no voices") are scored separately: hit when the instrument is not among the parsed ones.
Keyword baseline (MusicCaps and ConceptCaps, same run, same scoring): whole-word matches of KB
entry names (names only, no aliases) in the lower-cased caption; genres ranked by first
occurrence; tempo = typical bpm of the first KB tempo term (term only) found, else none (a miss).
Latency: Aurora.process() stage timings (timings_ms) and wall time on an even sample of captions
from every set, after warm-up on other prompts and before the accuracy pass (so no timed caption
is a cache hit); suggest() wall time on caption prefixes; parse() wall time over the accuracy
pass; cold start = a fresh interpreter timing `import aurora` + Aurora() + warm_up() (the worst
of --cold-runs runs). All of it depends on the machine and its load: compare runs on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.eval_rows import (
    Loaded,
    evenly,
    load_conceptcaps,
    load_midicaps,
    load_musicbench,
    load_musiccaps,
)
from bench.parser_eval_figures import (
    AuroraSystem,
    DatasetResult,
    KeywordBaseline,
    create_aurora,
    load_kb_index,
)
from bench.parser_eval_report import (
    TITLES,
    dump_failures,
    latency_stats,
    measure_cold_start,
    measure_latency,
    print_dataset,
    print_latency,
    results_json,
)
from bench.parser_eval_scoring import eval_conceptcaps, eval_midicaps, eval_musicbench, eval_musiccaps
from bench.user_prompts import (
    USER_PATHS,
    cut_points,
    evaluate_user,
    load_user,
    measure_suggest,
    print_suggest,
    print_user,
    suggest_json,
    user_json,
)

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
DEFAULT_PATHS = {
    "musicbench": EVAL_DIR / "musicbench_dev.jsonl",
    "midicaps": EVAL_DIR / "midicaps_pairs.jsonl",
    "musiccaps": EVAL_DIR / "musiccaps_dev.csv",
    "conceptcaps": EVAL_DIR / "conceptcaps_dev.csv",
}
DATASETS = ("musicbench", "midicaps", "musiccaps", "conceptcaps")
# prompts as users type them (bench/user_prompts.py), scored per class
USER_SETS = ("user", "user_unseen", "user_styles")

# ------------------------------------------------------------------------------ main
LOADERS: dict[str, Callable[[Path, int | None], Loaded]] = {
    "musicbench": load_musicbench, "midicaps": load_midicaps, "musiccaps": load_musiccaps,
    "conceptcaps": load_conceptcaps,
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in DATASETS:
        ap.add_argument(f"--{name}", type=Path, default=DEFAULT_PATHS[name], metavar="PATH",
                        help=f"{TITLES[name]} file (default: {DEFAULT_PATHS[name]})")
    for name in USER_SETS:
        ap.add_argument(f"--{name.replace('_', '-')}", dest=name, type=Path, default=USER_PATHS[name], metavar="PATH",
                        help=f"hand-labelled user-style prompts (default: {USER_PATHS[name]})")
    ap.add_argument("--only", default=",".join(DATASETS + USER_SETS),
                    help="comma-separated sets to run (default: all four dev sets and both user sets)")
    ap.add_argument("--suggest-n", type=int, default=200,
                    help="partial prompts cut from the user set to measure suggest() on (0 = skip)")
    ap.add_argument("--limit", type=int, default=None,
                    help="at most N rows per set, spread evenly over the file")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT",
                    help="write every figure to this JSON file")
    ap.add_argument("--dump-failures", type=Path, default=None, metavar="DIR",
                    help="write DIR/<set>/<figure>.jsonl with the failing rows")
    ap.add_argument("--latency-n", type=int, default=300, help="captions timed through process()/suggest()")
    ap.add_argument("--no-latency", action="store_true", help="skip the latency section")
    ap.add_argument("--cold-runs", type=int, default=1, help="fresh-process cold-start runs (0 = skip)")
    ap.add_argument("--torch-threads", type=int, default=None, metavar="N",
                    help="torch.set_num_threads(N) before building Aurora (default: torch's own choice); "
                         "changes latency, not accuracy")
    ap.add_argument("--factory", default="aurora:Aurora",
                    help="MODULE:CALLABLE building the system under test")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    selected = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in selected if s not in DATASETS + USER_SETS]
    if unknown:
        print(f"unknown set(s) in --only: {unknown}; choose from {list(DATASETS + USER_SETS)}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    cold = measure_cold_start(args.cold_runs, args.factory) if args.cold_runs > 0 else None

    t_start = time.perf_counter()
    if args.torch_threads is not None:
        import torch

        torch.set_num_threads(args.torch_threads)
    aurora = create_aurora(args.factory)
    kb = load_kb_index()
    system = AuroraSystem(aurora)
    baseline = KeywordBaseline(kb)

    loaded_sets: dict[str, tuple[Path, Loaded]] = {}
    for name in (s for s in selected if s in DATASETS):
        path: Path = getattr(args, name)
        if not path.exists():
            print(f"[{name}] {path} not found, skipped", file=sys.stderr)
            continue
        loaded_sets[name] = (path, LOADERS[name](path, args.limit))

    # latency first, so that no timed caption has been through Aurora's caches yet
    latency: dict[str, Any] = {}
    if not args.no_latency and loaded_sets:
        share = max(1, args.latency_n // len(loaded_sets))
        captions = [c for _, loaded in loaded_sets.values() for c in evenly([r.caption for r in loaded.rows], share)]
        latency = measure_latency(aurora, captions, args.latency_n)

    results: list[DatasetResult] = []
    for name, (path, loaded) in loaded_sets.items():
        rank = name in ("musiccaps", "midicaps", "conceptcaps")
        t0 = time.perf_counter()
        parsed = [system.analyse(r.caption, rank) for r in loaded.rows]
        print(f"[{name}] parsed {len(parsed)} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        errors = Counter((p.error or "").split(":")[0] for p in parsed if p.error)
        res: DatasetResult
        if name == "musicbench":
            figs, notes = eval_musicbench(loaded.rows, parsed)
            res = DatasetResult(name, path, loaded, figs, notes=notes)
        elif name == "midicaps":
            figs, notes = eval_midicaps(loaded.rows, parsed, kb)
            res = DatasetResult(name, path, loaded, figs, notes=notes)
        else:
            base_parsed = [baseline.analyse(r.caption) for r in loaded.rows]
            if name == "musiccaps":
                res = DatasetResult(name, path, loaded, eval_musiccaps(loaded.rows, parsed, kb),
                                    eval_musiccaps(loaded.rows, base_parsed, kb))
            else:
                figs, notes = eval_conceptcaps(loaded.rows, parsed, kb)
                base_figs, _ = eval_conceptcaps(loaded.rows, base_parsed, kb)
                res = DatasetResult(name, path, loaded, figs, base_figs, notes=notes)
        if errors:
            res.notes["parse_errors"] = dict(errors)
        results.append(res)
        print_dataset(res)

    user_results = run_user_sets(args, selected, system, aurora)

    parse_stats = {"parse() wall (accuracy pass)": latency_stats(system.parse_ms)}
    if system.rank_ms:
        parse_stats["rank_genres() wall (accuracy pass)"] = latency_stats(system.rank_ms)
    print_latency(latency, parse_stats, cold)
    if system.served_by:
        print("  parses served by: " + ", ".join(f"{name} {n}" for name, n in system.served_by.most_common()))

    if args.dump_failures is not None:
        dump_failures(results, args.dump_failures)
        print(f"\nfailing rows written under {args.dump_failures}/<set>/<figure>.jsonl")
    if args.json is not None:
        payload = {
            "meta": {
                "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "argv": list(argv or sys.argv[1:]),
                "limit": args.limit, "factory": args.factory, "torch_threads": args.torch_threads,
                "rank_genres_available": system.has_rank, "served_by": dict(system.served_by),
                "elapsed_s": time.perf_counter() - t_start,
                "paths": {n: str(p) for n, (p, _) in loaded_sets.items()},
            },
            "datasets": results_json(results),
            "user_sets": user_results,
            "latency": {**latency, **{k.split(" ")[0]: v for k, v in parse_stats.items()}},
            "cold_start": cold,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


def run_user_sets(args: argparse.Namespace, selected: Sequence[str], system: AuroraSystem,
                  aurora: Any) -> dict[str, Any]:
    """The user-style sets, per class, then suggest() on partial prompts cut from the first of them."""
    out: dict[str, Any] = {}
    prompts: list[str] = []
    for name in (s for s in selected if s in USER_SETS):
        path: Path = getattr(args, name)
        if not path.exists():
            print(f"[{name}] {path} not found, skipped", file=sys.stderr)
            continue
        rows = load_user(path)
        rows = evenly(rows, args.limit)
        parsed = [system.analyse(r.prompt, False) for r in rows]
        res = evaluate_user(name, path, rows, parsed)
        print_user(res)
        out[name] = user_json(res)
        if name == "user":
            prompts = [r.prompt for r in rows]
    if prompts and args.suggest_n > 0:
        figs = measure_suggest(aurora, cut_points(prompts, args.suggest_n))
        print_suggest(figs)
        out["suggest"] = suggest_json(figs)
    return out


if __name__ == "__main__":
    sys.exit(main())
