"""Line-up check (issue 10, orchestration): does a named ensemble or a closed line-up play exactly its players, and
does a refused part ("no melody", "no bass", "no beat") stay out of the score?

    python -m bench.lineup_check                 # the unseen prompts in bench/data/lineup_prompts_unseen.txt
    python -m bench.lineup_check --json OUT      # also write every row

Each prompt goes through Aurora (offline tiers) and the composer (no synthesis). A line-up row passes when every part
is one of the players a musician expects, at most one expected player is missing, and no track is silent. A refused
part row (the user-prompt rows labelled no_part, dev and unseen) passes when no track plays a refused part and
some track still plays.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import knowledge_base
from bench.music_eval import aurora_inputs, score_only
from bench.user_prompts import USER_PATHS, load_user

PROMPTS = Path(__file__).resolve().parent / "data" / "lineup_prompts_unseen.txt"


def read(path: Path = PROMPTS) -> list[tuple[str, set[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            text, _, players = line.partition(" | ")
            rows.append((text.strip(), {p for p in players.strip().split(",") if p}))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write every row as JSON")
    args = parser.parse_args(argv)
    from aurora import Aurora

    kb = knowledge_base.load()
    aurora = Aurora()
    out: list[dict[str, Any]] = []
    for text, want in read():
        plan, params, vector = aurora_inputs(aurora, text, 20.0, 0)
        score = score_only(kb, plan, params, vector, duration_s=20.0, seed=0)
        got = {t.instrument_id for t in score.tracks}
        silent = [t.name for t in score.tracks if not t.notes]
        ok = got <= want and len(got & want) >= max(1, len(want) - 1) and not silent
        out.append({"prompt": text, "ensemble": params.get("ensemble"), "expected": sorted(want), "played": sorted(got),
                    "outsiders": sorted(got - want), "missing": sorted(want - got), "silent": silent, "ok": ok})
        print(f"{'ok ' if ok else 'BAD'} {text[:48]:48} {params.get('ensemble')!s:24} "
              f"outsiders={sorted(got - want)} missing={sorted(want - got)}", file=sys.stderr)
    passed = sum(r["ok"] for r in out)
    print(f"line-ups as expected: {passed}/{len(out)} ({passed / max(1, len(out)):.0%})")
    refusals = {name: refused_parts(aurora, kb, USER_PATHS[name]) for name in ("user", "user_unseen")}
    for name, rows in refusals.items():
        kept = sum(r["ok"] for r in rows)
        print(f"refused parts left out ({name}): {kept}/{len(rows)} ({kept / max(1, len(rows)):.0%})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"lineups": out, "refused_parts": refusals}, indent=1))
    return 0


def refused_parts(aurora: Any, kb: Any, path: Path) -> list[dict[str, Any]]:
    from engine.structure.orchestration import refused_tracks

    out: list[dict[str, Any]] = []
    for row in load_user(path):
        refused = row.labels.get("no_part")
        if not refused:
            continue
        plan, params, vector = aurora_inputs(aurora, row.prompt, 20.0, 0)
        score = score_only(kb, plan, params, vector, duration_s=20.0, seed=0)
        played = [f"{t.role}:{t.instrument_id}" for t in score.tracks if t.role in refused_tracks(refused)]
        ok = not played and any(t.notes for t in score.tracks)
        out.append({"prompt": row.prompt, "refused": refused, "played_anyway": played, "ok": ok})
        print(f"{'ok ' if ok else 'BAD'} {row.prompt[:48]:48} refused={refused} played={played}", file=sys.stderr)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
