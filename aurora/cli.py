"""Command line: python -m aurora {enhance,parse,plan,suggest,process,generate} "text" [--json].

Every failure is one line on stderr, ``error CODE: message``, and exit status 2 (bad input, unusable
output path, unwritable file) or 1 (an internal fault, logged without a traceback on the terminal).
``generate`` checks its output paths before any work, writes each file under a temporary name and
renames it into place (so a failure leaves nothing half-written), and keeps an existing file unless
``--force`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import BaseModel

from aurora.exceptions import AuroraError, InputError
from aurora.validation import check_device, check_optional_duration, check_seed, check_suggestion_count
from engine.export import DEFAULT_CHANNELS, DEFAULT_SAMPLE_RATE, FORMATS, SAMPLE_RATES
from knowledge_base.limits import (
    DEFAULT_DURATION_S,
    DEFAULT_ENHANCEMENT_LEVEL,
    DEFAULT_SUGGESTIONS,
    ENHANCEMENT_LEVELS,
    MAX_DURATION_S,
    MAX_SEED,
    MAX_SUGGESTIONS,
    MIN_DURATION_S,
    duration_in_range,
)

DURATION_HELP = (f"seconds ({MIN_DURATION_S:g}-{MAX_DURATION_S:g}); wins over a duration the prompt states "
                 f"(default: the prompt's, else {DEFAULT_DURATION_S:g})")
log = logging.getLogger(__name__)


class OutputPathError(InputError):
    """An output path that cannot be written (missing folder, a directory, an existing file without --force)."""

    code = "AURORA_OUTPUT_INVALID"


class _Parser(argparse.ArgumentParser):
    """argparse with the CLI's error shape: one line with a code, exit 2 (not a usage dump)."""

    def error(self, message: str) -> NoReturn:
        print(f"error {InputError.code}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m aurora", description="Aurora: text -> musical plan")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    seed_help = f"random seed, 0-{MAX_SEED}"
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
            cmd.add_argument("--seed", type=int, default=0, help=seed_help)
        if name in ("enhance", "process"):
            cmd.add_argument("--level", choices=ENHANCEMENT_LEVELS, default=DEFAULT_ENHANCEMENT_LEVEL)
        if name == "suggest":
            cmd.add_argument("--count", type=int, default=DEFAULT_SUGGESTIONS, help=f"1-{MAX_SUGGESTIONS}")
    gen = sub.add_parser("generate", help="the full pipeline: text -> audio, MIDI and stems")
    gen.add_argument("prompt")
    gen.add_argument("--duration", type=float, default=None, help=DURATION_HELP)
    gen.add_argument("--out", required=True, help="audio file to write")
    gen.add_argument("--format", choices=FORMATS, default=None, help="default: from --out suffix")
    gen.add_argument("--sample-rate", type=int, default=DEFAULT_SAMPLE_RATE, choices=SAMPLE_RATES)
    gen.add_argument("--level", choices=ENHANCEMENT_LEVELS, default=DEFAULT_ENHANCEMENT_LEVEL)
    gen.add_argument("--mono", action="store_true")
    gen.add_argument("--seed", type=int, default=0, help=seed_help)
    gen.add_argument("--midi", help="also write the score as a MIDI file")
    gen.add_argument("--stems", help="also write the stems as a zip of wav files")
    gen.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    gen.add_argument("--force", action="store_true", help="overwrite existing output files")
    gen.add_argument("--json", action="store_true", help="print the generation metadata as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; stdout carries only the result (library chatter is sent to stderr) so --json parses."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape, not a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    args = build_parser().parse_args(argv)
    with contextlib.redirect_stdout(sys.stderr):
        try:
            code, text = _run(args)
        except AuroraError as exc:
            code, text = _fail(exc.code, exc.message), ""
        except Exception as exc:  # a fault, not bad input: one line here, the traceback in the log
            log.debug("internal error", exc_info=True)
            code, text = _fail(AuroraError.code, f"internal error ({type(exc).__name__}: {str(exc)[:200]})", 1), ""
    if text:
        print(text)
    return code


def _fail(code: str, message: str, status: int = 2) -> int:
    print(f"error {code}: {' '.join(message.split())}", file=sys.stderr)
    return status


def _run(args: argparse.Namespace) -> tuple[int, str]:
    if hasattr(args, "duration"):
        args.duration = check_optional_duration(args.duration)
    if hasattr(args, "seed"):
        args.seed = check_seed(args.seed)
    if args.command == "suggest":
        args.count = check_suggestion_count(args.count)
    if args.command == "generate":
        return _generate(args)

    from aurora.facade import Aurora, plan_parameters_from

    aurora = Aurora()
    result: BaseModel
    if args.command == "enhance":
        result = aurora.enhance(prompt=args.prompt, enhancement_level=args.level)
    elif args.command == "parse":
        result = aurora.parse(prompt=args.prompt)
    elif args.command == "plan":
        parsed = aurora.parse(prompt=args.prompt).parsed_parameters
        stated = parsed.duration_s if parsed.duration_s and duration_in_range(parsed.duration_s) else None
        duration = args.duration or stated or DEFAULT_DURATION_S
        result = aurora.plan(parameters=plan_parameters_from(parsed, duration_s=duration, seed=args.seed))
    elif args.command == "suggest":
        result = aurora.suggest(partial_prompt=args.prompt, suggestion_count=args.count)
    else:
        result = aurora.process(prompt=args.prompt, duration_s=args.duration, enhancement_level=args.level,
                                seed=args.seed)
    if args.json:
        return 0, json.dumps(result.model_dump(mode="json", by_alias=True), indent=2)
    from aurora.report import describe

    return 0, describe(result)


def check_output_paths(paths: Sequence[str | None], *, force: bool) -> list[Path]:
    """Every output path usable before any work: distinct, its folder present and writable, not a folder
    itself, and not an existing file unless ``force``. Raises OutputPathError naming the first problem."""
    out: list[Path] = []
    for raw in paths:
        if raw is None:
            continue
        if not raw.strip() or "\x00" in raw:
            raise OutputPathError(f"output path {raw!r} is not a file name")
        path = Path(raw).expanduser()
        parent = path.parent if str(path.parent) else Path(".")
        if path.resolve() in {p.resolve() for p in out}:
            raise OutputPathError(f"{raw} is named for two outputs")
        if path.is_dir():
            raise OutputPathError(f"{raw} is a folder; give a file name")
        if not parent.is_dir():
            raise OutputPathError(f"folder {parent} does not exist (for {raw})")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputPathError(f"folder {parent} is not writable (for {raw})")
        if path.exists() and not force:
            raise OutputPathError(f"{raw} exists; pass --force to overwrite it")
        out.append(path)
    return out


def write_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """All files written under temporary names in their folders first, then renamed into place; if any
    write fails, every temporary file is removed and no target is touched."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def _generate(args: argparse.Namespace) -> tuple[int, str]:
    from aurora.facade import Aurora
    from aurora.generation import generate
    from aurora.report import describe

    device = check_device(args.device)
    named = {k: v for k, v in (("out", args.out), ("midi", args.midi), ("stems", args.stems)) if v is not None}
    checked = dict(zip(named, check_output_paths(list(named.values()), force=args.force), strict=True))
    out, midi, stems = checked["out"], checked.get("midi"), checked.get("stems")
    fmt = args.format or (out.suffix.lstrip(".").lower() or "wav")
    if fmt not in FORMATS:
        raise OutputPathError(f"cannot tell the format from {out.name!r}; use a .wav, .flac or .mp3 name "
                              f"or --format {'|'.join(FORMATS)}")

    from engine import Engine, EngineError

    def progress(stage: str, fraction: float) -> None:
        if fraction >= 1.0:
            print(f"  [{stage}] done", file=sys.stderr)

    try:
        result = generate(aurora=Aurora(), engine=Engine(device=device), prompt=args.prompt,
                          duration_s=args.duration, sample_rate=args.sample_rate, audio_format=fmt, seed=args.seed,
                          channels=1 if args.mono else DEFAULT_CHANNELS, enhancement_level=args.level,
                          on_progress=progress)
        files = [(out, result.audio_bytes)]
        if midi is not None:
            files.append((midi, result.midi_bytes))
        if stems is not None:
            files.append((stems, result.stems_zip))
    except EngineError as exc:
        return _fail(exc.code, str(exc)), ""
    try:
        write_atomically(files)
    except OSError as exc:
        return _fail(OutputPathError.code, f"cannot write output: {exc}"), ""
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
