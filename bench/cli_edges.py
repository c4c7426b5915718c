"""CLI edge table: every hostile or malformed command line answered with exit 2 and one coded line, or a
valid result (exit 0). Each case runs ``python -m aurora`` in a fresh process, as a user would.

    python -m bench.cli_edges [--json OUT] [--only NAME,...]

Printed per case: exit status, the error code (or 'result'), whether a traceback appeared, whether any file
was left behind in the output folder, and the wall time (a path problem must be found before any render).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    exit_code: int
    code: str | None  # the error code expected on stderr; None for a valid result


CASES: tuple[Case, ...] = (
    Case("plan duration 0", ("plan", "calm piano", "--duration", "0"), 2, "AURORA_INPUT_INVALID"),
    Case("plan duration 700", ("plan", "calm piano", "--duration", "700"), 2, "AURORA_INPUT_INVALID"),
    Case("plan duration nan", ("plan", "calm piano", "--duration", "nan"), 2, "AURORA_INPUT_INVALID"),
    Case("plan duration inf", ("plan", "calm piano", "--duration", "inf"), 2, "AURORA_INPUT_INVALID"),
    Case("plan duration abc", ("plan", "calm piano", "--duration", "abc"), 2, "AURORA_INPUT_INVALID"),
    Case("process seed -1", ("process", "calm piano", "--seed", "-1"), 2, "AURORA_INPUT_INVALID"),
    Case("process seed 2**70", ("process", "calm piano", "--seed", str(2**70)), 2, "AURORA_INPUT_INVALID"),
    Case("suggest count 0", ("suggest", "a sad pia", "--count", "0"), 2, "AURORA_INPUT_INVALID"),
    Case("suggest count abc", ("suggest", "a sad pia", "--count", "abc"), 2, "AURORA_INPUT_INVALID"),
    Case("enhance level extreme", ("enhance", "calm piano", "--level", "extreme"), 2, "AURORA_INPUT_INVALID"),
    Case("no prompt", ("parse",), 2, "AURORA_INPUT_INVALID"),
    Case("unknown command", ("compose", "calm piano"), 2, "AURORA_INPUT_INVALID"),
    Case("empty prompt", ("parse", "   "), 2, "AURORA_INPUT_EMPTY"),
    Case("5,000-char prompt", ("parse", "jazz " * 1000), 2, "AURORA_INPUT_TOO_LONG"),
    Case("control characters", ("parse", "\x01\x02\x03\x04\x05 jazz"), 2, "AURORA_INPUT_UNREADABLE"),
    Case("non-UTF-8 byte (latin-1 café)", ("parse", "a caf\udce9 jazz tune"), 0, None),
    Case("bidi override", ("parse", "\u202ejazz piano\u202c"), 0, None),
    Case("0 bpm (warned)", ("parse", "house at 0 bpm"), 0, None),
    Case("17/0 time (warned)", ("plan", "rock in 17/0 time", "--duration", "10"), 0, None),
    Case("generate device bogus", ("generate", "piano", "--duration", "5", "--out", "{tmp}/a.wav", "--device",
                                   "bogus"), 2, "AURORA_INPUT_INVALID"),
    Case("generate missing folder", ("generate", "piano", "--duration", "5", "--out", "{tmp}/no/such/a.wav"), 2,
         "AURORA_OUTPUT_INVALID"),
    Case("generate out is a folder", ("generate", "piano", "--duration", "5", "--out", "{tmp}/folder"), 2,
         "AURORA_OUTPUT_INVALID"),
    Case("generate existing, no --force", ("generate", "piano", "--duration", "5", "--out", "{tmp}/existing.wav"), 2,
         "AURORA_OUTPUT_INVALID"),
    Case("generate bad --midi path", ("generate", "piano", "--duration", "5", "--out", "{tmp}/b.wav", "--midi",
                                      "{tmp}/no/such/b.mid"), 2, "AURORA_OUTPUT_INVALID"),
    Case("generate same path twice", ("generate", "piano", "--duration", "5", "--out", "{tmp}/c.wav", "--midi",
                                      "{tmp}/c.wav"), 2, "AURORA_OUTPUT_INVALID"),
    Case("generate .ogg name", ("generate", "piano", "--duration", "5", "--out", "{tmp}/d.ogg"), 2,
         "AURORA_OUTPUT_INVALID"),
    Case("generate rate 16000", ("generate", "piano", "--duration", "5", "--out", "{tmp}/e.wav", "--sample-rate",
                                 "16000"), 2, "AURORA_INPUT_INVALID"),
    Case("generate duration 3600", ("generate", "piano", "--duration", "3600", "--out", "{tmp}/f.wav"), 2,
         "AURORA_INPUT_INVALID"),
    Case("generate --force over existing", ("generate", "calm piano", "--duration", "5", "--out",
                                            "{tmp}/existing.wav", "--force"), 0, None),
)


def prepare(folder: Path) -> None:
    (folder / "folder").mkdir(exist_ok=True)
    (folder / "existing.wav").write_bytes(b"keep me")


def outcome(exit_code: int, stderr: str) -> str | None:
    """The error code on the last 'error CODE:' line of stderr, or None."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("error "):
            return line.split()[1].rstrip(":")
    return None


def run_case(case: Case, folder: Path) -> dict[str, object]:
    before = {p.name for p in folder.iterdir()}
    argv = [a.replace("{tmp}", str(folder)) for a in case.argv]
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aurora", *argv], capture_output=True, text=True, timeout=600,
                          check=False, errors="backslashreplace")
    seconds = time.perf_counter() - started
    left = sorted({p.name for p in folder.iterdir()} - before)
    code = outcome(proc.returncode, proc.stderr)
    ok = proc.returncode == case.exit_code and code == case.code and "Traceback" not in proc.stderr
    return {"case": case.name, "exit": proc.returncode, "code": code or "result", "traceback":
            "Traceback" in proc.stderr, "files_left": left, "seconds": round(seconds, 2), "ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    parser.add_argument("--only", default="", help="comma-separated case names")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    chosen = [c for c in CASES if not args.only or c.name in args.only.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder)
        for case in chosen:
            rows.append(run_case(case, folder))
    print(f"{'case':<34} {'exit':>4}  {'code':<24} {'traceback':<9} {'files left':<12} {'s':>6}  ok")
    for r in rows:
        print(f"{r['case']!s:<34} {r['exit']!s:>4}  {r['code']!s:<24} {r['traceback']!s:<9} "
              f"{','.join(r['files_left']) or '-':<12} {r['seconds']!s:>6}  {'yes' if r['ok'] else 'NO'}")  # type: ignore[arg-type]
    print(f"{sum(bool(r['ok']) for r in rows)}/{len(rows)} cases as expected; "
          f"{sum(bool(r['traceback']) for r in rows)} tracebacks")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
