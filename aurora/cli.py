"""Command line: python -m aurora {enhance,parse,plan,suggest,process} "text" [--json]."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence

from pydantic import BaseModel

from aurora.exceptions import AuroraError, InputError
from engine.export import DEFAULT_CHANNELS, DEFAULT_SAMPLE_RATE, FORMATS, SAMPLE_RATES
from knowledge_base.limits import (
    DEFAULT_DURATION_S,
    DEFAULT_ENHANCEMENT_LEVEL,
    ENHANCEMENT_LEVELS,
    MAX_DURATION_S,
    MIN_DURATION_S,
    duration_in_range,
    duration_message,
)

DURATION_HELP = (f"seconds ({MIN_DURATION_S:g}-{MAX_DURATION_S:g}); wins over a duration the prompt states "
                 f"(default: the prompt's, else {DEFAULT_DURATION_S:g})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aurora", description="Aurora: text -> musical plan")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("enhance", "add musical context to a prompt"),
                            ("parse", "extract parameters and the 640-d control embedding"),
                            ("plan", "parse, then plan sections, transitions and chords"),
                            ("suggest", "suggestions for a partial prompt"),
                            ("process", "the whole pipeline: enhance, parse, map, plan")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("prompt")
        cmd.add_argument("--json", action="store_true", help="print the full typed result as JSON")
        if name in ("plan", "process"):
            cmd.add_argument("--duration", type=float, default=None, help=DURATION_HELP)
            cmd.add_argument("--seed", type=int, default=0)
        if name in ("enhance", "process"):
            cmd.add_argument("--level", choices=ENHANCEMENT_LEVELS, default=DEFAULT_ENHANCEMENT_LEVEL)
        if name == "suggest":
            cmd.add_argument("--count", type=int, default=5)
    gen = sub.add_parser("generate", help="the full pipeline: text -> audio, MIDI and stems")
    gen.add_argument("prompt")
    gen.add_argument("--duration", type=float, default=None, help=DURATION_HELP)
    gen.add_argument("--out", required=True, help="audio file to write")
    gen.add_argument("--format", choices=FORMATS, default=None, help="default: from --out suffix")
    gen.add_argument("--sample-rate", type=int, default=DEFAULT_SAMPLE_RATE, choices=SAMPLE_RATES)
    gen.add_argument("--level", choices=ENHANCEMENT_LEVELS, default=DEFAULT_ENHANCEMENT_LEVEL)
    gen.add_argument("--mono", action="store_true")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--midi", help="also write the score as a MIDI file")
    gen.add_argument("--stems", help="also write the stems as a zip of wav files")
    gen.add_argument("--device", default="auto", help="auto, cpu or cuda")
    gen.add_argument("--json", action="store_true", help="print the generation metadata as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; stdout carries only the result (library chatter is sent to stderr) so --json parses."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    with contextlib.redirect_stdout(sys.stderr):
        code, text = _run(args)
    if text:
        print(text)
    return code


def _run(args: argparse.Namespace) -> tuple[int, str]:
    from aurora.facade import Aurora, plan_parameters_from

    aurora = Aurora()
    if args.command == "generate":
        return _generate(aurora, args)
    try:
        result: BaseModel
        if args.command == "enhance":
            result = aurora.enhance(prompt=args.prompt, enhancement_level=args.level)
        elif args.command == "parse":
            result = aurora.parse(prompt=args.prompt)
        elif args.command == "plan":
            if args.duration is not None and not duration_in_range(args.duration):
                raise InputError(duration_message(args.duration))
            parsed = aurora.parse(prompt=args.prompt).parsed_parameters
            stated = parsed.duration_s if parsed.duration_s and duration_in_range(parsed.duration_s) else None
            duration = args.duration or stated or DEFAULT_DURATION_S
            result = aurora.plan(parameters=plan_parameters_from(parsed, duration_s=duration, seed=args.seed))
        elif args.command == "suggest":
            result = aurora.suggest(partial_prompt=args.prompt, suggestion_count=args.count)
        else:
            result = aurora.process(prompt=args.prompt, duration_s=args.duration, enhancement_level=args.level,
                                    seed=args.seed)
    except AuroraError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        return 2, ""
    if args.json:
        return 0, json.dumps(result.model_dump(mode="json", by_alias=True), indent=2)
    from aurora.report import describe

    return 0, describe(result)


def _generate(aurora: object, args: argparse.Namespace) -> tuple[int, str]:
    from pathlib import Path

    from aurora.facade import Aurora
    from aurora.generation import generate
    from aurora.report import describe
    from engine import Engine, EngineError

    assert isinstance(aurora, Aurora)
    out = Path(args.out)
    fmt = args.format or (out.suffix.lstrip(".").lower() or "wav")

    def progress(stage: str, fraction: float) -> None:
        if fraction >= 1.0:
            print(f"  [{stage}] done", file=sys.stderr)

    try:
        result = generate(aurora=aurora, engine=Engine(device=args.device), prompt=args.prompt,
                          duration_s=args.duration, sample_rate=args.sample_rate, audio_format=fmt, seed=args.seed,
                          channels=1 if args.mono else DEFAULT_CHANNELS, enhancement_level=args.level,
                          on_progress=progress)
        out.write_bytes(result.audio_bytes)
        if args.midi:
            Path(args.midi).write_bytes(result.midi_bytes)
        if args.stems:
            Path(args.stems).write_bytes(result.stems_zip)
    except (AuroraError, EngineError) as exc:
        print(f"error {getattr(exc, 'code', 'ERROR')}: {getattr(exc, 'message', str(exc))}", file=sys.stderr)
        return 2, ""
    except OSError as exc:
        print(f"error: cannot write output: {exc}", file=sys.stderr)
        return 2, ""
    meta = result.metadata
    if args.json:
        return 0, json.dumps({"output": str(out), "generation_metadata": meta.model_dump(mode="json"),
                              "parsed_parameters": result.semantic.parse.parsed_parameters.model_dump(mode="json"),
                              "structural_plan": result.semantic.plan.structural_plan.model_dump(mode="json",
                                                                                                  by_alias=True)},
                             indent=2)
    rows = [("aurora", result.timings_ms["aurora"])]
    rows += [(f"engine.{s.name}", s.time_ms) for s in meta.stages]
    rows += [("encode", meta.encode_time_ms), ("total", meta.total_time_ms)]
    realtime = result.render.duration_s / max(1e-9, meta.total_time_ms / 1000)
    lines = [describe(result.semantic), "",
             f"Wrote {out} ({fmt}, {result.render.sample_rate} Hz, {result.render.duration_s:.1f} s, "
             f"{meta.loudness_lufs} LUFS, {meta.true_peak_dbtp} dBTP) on {meta.device}",
             "Stage timings:"]
    lines += [f"  {name:<18} {ms:9.1f} ms" for name, ms in rows]
    lines.append(f"  {'real-time factor':<18} {realtime:9.1f} x")
    return 0, "\n".join(lines)
