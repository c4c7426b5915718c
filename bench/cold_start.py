"""Child process of the parser bench's cold-start measurement (bench.parser_eval_report.measure_cold_start):

    python -m bench.cold_start aurora:Aurora

imports the module, builds the class and calls warm_up(), then prints one line `COLD {json}` with the
seconds each step took. It imports nothing else first, so the import time is the package's own."""

from __future__ import annotations

import importlib
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    module, _, attr = (args[0] if args else "aurora:Aurora").partition(":")
    t0 = time.perf_counter()
    cls = getattr(importlib.import_module(module), attr)
    t1 = time.perf_counter()
    instance = cls()
    t2 = time.perf_counter()
    instance.warm_up()
    t3 = time.perf_counter()
    print("COLD " + json.dumps({"import_s": t1 - t0, "init_s": t2 - t1, "warm_up_s": t3 - t2, "total_s": t3 - t0}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
