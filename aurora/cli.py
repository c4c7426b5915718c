"""Command line: python -m aurora {enhance,parse,plan,suggest,process} "text" [--json]."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from pydantic import BaseModel

from aurora.exceptions import AuroraError


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
            cmd.add_argument("--duration", type=float, default=30.0, help="seconds (5-600)")
            cmd.add_argument("--seed", type=int, default=0)
        if name in ("enhance", "process"):
            cmd.add_argument("--level", choices=("minimal", "moderate", "aggressive"), default="moderate")
        if name == "suggest":
            cmd.add_argument("--count", type=int, default=5)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    from aurora.facade import Aurora, plan_parameters_from

    aurora = Aurora()
    try:
        result: BaseModel
        if args.command == "enhance":
            result = aurora.enhance(prompt=args.prompt, enhancement_level=args.level)
        elif args.command == "parse":
            result = aurora.parse(prompt=args.prompt)
        elif args.command == "plan":
            parsed = aurora.parse(prompt=args.prompt).parsed_parameters
            result = aurora.plan(parameters=plan_parameters_from(parsed, duration_s=args.duration, seed=args.seed))
        elif args.command == "suggest":
            result = aurora.suggest(partial_prompt=args.prompt, suggestion_count=args.count)
        else:
            result = aurora.process(prompt=args.prompt, duration_s=args.duration, enhancement_level=args.level,
                                    seed=args.seed)
    except AuroraError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.model_dump(mode="json", by_alias=True), indent=2))
    else:
        from aurora.report import describe

        print(describe(result))
    return 0
