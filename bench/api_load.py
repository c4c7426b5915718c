"""API load bench: the studio's service under concurrent clients, against a live server on this machine.

    python -m bench.api_load [--clients 20] [--parse-s 60] [--gen-clients 20] [--gen-s 60] [--gen-duration 10]
                             [--json OUT]

Starts the studio as users do, `python app.py` (UI and API on one server; SQLite file and data folder in a
temporary directory, one token), then:
1. parse: ``--clients`` clients POST /parse for ``--parse-s`` seconds: p50/p95 latency, requests/s, errors;
2. generate: ``--gen-clients`` clients POST /generate (``--gen-duration`` s tracks, wait=true) for ``--gen-s`` s
   (requests in flight at the end are awaited): throughput, p50/p95 latency, queue wait from the rows; the
   queue has ``--queue-size`` places (the server's default, 16), so some clients meet 503 + Retry-After: they wait
   as told and send again, and those answers are counted as back-pressure, apart from errors;
3. one 30 s generation: the bytes it leaves on disk (audio, MIDI, stems).
Rows counted in the database must equal the requests the server accepted. With ``--screenshots DIR`` headless
Chromium (/usr/bin/chromium) saves the UI and /docs as the server answered them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

TOKEN = "bench-token-0123456789abcdef"
API = "/api/v1/aurora"
PROMPTS = ["a melancholic lo-fi beat at 80 BPM in D minor with rhodes", "uplifting progressive house, 126 bpm",
           "slow jazz waltz with upright bass and brushes", "dark cinematic score, strings and taiko",
           "upbeat funk groove with slap bass like Vulfpeck", "acoustic folk ballad in G major, fingerpicked guitar"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(folder: Path, *, queue_size: int, data_dir: Path | None = None,
                 env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`python app.py` on a free port, its log in ``folder`` (its data folder too unless ``data_dir``)."""
    port = _free_port()
    env = {**os.environ, **(env_extra or {}), "SOUNDSTAR_DATA_DIR": str(data_dir or folder),
           "SOUNDSTAR_API_TOKENS": f"bench:{TOKEN}",
           "SOUNDSTAR_PORT": str(port), "SOUNDSTAR_HOST": "127.0.0.1", "SOUNDSTAR_QUEUE_SIZE": str(queue_size),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "app.py"], env=env, stdout=log, stderr=log,
                            cwd=Path(__file__).resolve().parent.parent)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/docs", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"server did not start; see {folder / 'server.log'}")


def run_clients(url: str, clients: int, seconds: float, request: Callable[[httpx.Client, int], httpx.Response],
                ) -> dict[str, Any]:
    """``clients`` threads, each sending requests until ``seconds`` have passed; latencies and status codes.

    A 503 or 429 with Retry-After is back-pressure, not an error: the client waits what the server asked (at most
    until the run ends) and sends again; those answers are counted apart (``backpressure``)."""
    latencies: list[float] = []
    statuses: list[int] = []
    backpressure: list[float] = []  # the Retry-After each one carried
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def work(index: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=3600) as client:
            n = 0
            while time.monotonic() < end:
                t = time.perf_counter()
                retry_after: float | None = None
                try:
                    response = request(client, index * 1000 + n)
                    status = response.status_code
                    if status in (429, 503) and response.headers.get("retry-after", "").isdigit():
                        retry_after = float(response.headers["retry-after"])
                except httpx.HTTPError:
                    status = 0
                with lock:
                    if retry_after is not None:
                        backpressure.append(retry_after)
                    else:
                        latencies.append(time.perf_counter() - t)
                        statuses.append(status)
                n += 1
                if retry_after is not None:
                    time.sleep(max(0.0, min(retry_after, end - time.monotonic())))

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = [lat for lat, s in zip(latencies, statuses, strict=True) if 200 <= s < 300]
    return {"clients": clients, "elapsed_s": round(elapsed, 1), "requests": len(statuses), "ok": len(ok),
            "errors": len(statuses) - len(ok), "status_codes": {str(s): statuses.count(s) for s in set(statuses)},
            "backpressure": len(backpressure),
            "retry_after_s_max": max(backpressure) if backpressure else None,
            "requests_per_s": round(len(ok) / elapsed, 2), "p50_ms": _pct(ok, 50), "p95_ms": _pct(ok, 95)}


def _pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0] * 1000, 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000, 1)


def queue_waits(db_url: str) -> list[float]:
    from aurora.store import Store

    store = Store.open(db_url, run_migrations=False)
    try:
        user = store.user_for_token(TOKEN)
        assert user is not None
        items, _ = store.history(user_id=user.id, limit=100_000, kind="generate")
        return [(i.started_at - i.created_at).total_seconds() for i in items if i.started_at]
    finally:
        store.close()


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def rows(db_url: str, kind: str) -> int:
    from aurora.store import Store

    store = Store.open(db_url, run_migrations=False)
    try:
        return store.count("aurora_sessions", kind=kind)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--parse-s", type=float, default=60.0)
    ap.add_argument("--gen-clients", type=int, default=20)
    ap.add_argument("--gen-s", type=float, default=60.0)
    ap.add_argument("--gen-duration", type=float, default=10.0)
    ap.add_argument("--queue-size", type=int, default=16,
                    help="the server's generation queue (16 = the default): fewer places than clients exercises "
                         "503 + Retry-After")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT")
    ap.add_argument("--screenshots", type=Path, default=None, metavar="DIR")
    args = ap.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="soundstar-api-load-"))
    db_url = f"sqlite:///{folder / 'soundstar.db'}"
    proc, url = start_server(folder, queue_size=args.queue_size)
    report: dict[str, Any] = {"machine_cpus": os.cpu_count(),
                              "server": f"python app.py, SQLite, 1 generation worker, queue {args.queue_size}"}
    try:
        parse = run_clients(url, args.clients, args.parse_s, lambda c, i: c.post(
            f"{API}/parse", json={"prompt": PROMPTS[i % len(PROMPTS)]}))
        parse["rows_counted"] = rows(db_url, "parse")
        report["parse"] = parse

        def generate(client: httpx.Client, i: int) -> httpx.Response:
            return client.post(f"{API}/generate", json={"prompt": PROMPTS[i % len(PROMPTS)], "options": {
                "duration_seconds": args.gen_duration, "seed": i}})

        gen = run_clients(url, args.gen_clients, args.gen_s, generate)
        waits = queue_waits(db_url)
        gen.update({"track_s": args.gen_duration, "rows_counted": rows(db_url, "generate"),
                    "tracks_per_min": round(gen["ok"] / gen["elapsed_s"] * 60, 2),
                    "queue_wait_p50_s": round(statistics.median(waits), 1) if waits else None,
                    "queue_wait_p95_s": round(_pct(waits, 95) / 1000, 1) if len(waits) > 1 else None,  # type: ignore[operator]
                    "queue_wait_max_s": round(max(waits), 1) if waits else None})
        report["generate"] = gen
        load = os.getloadavg()
        report["load_average_1_5_15"] = [round(x, 1) for x in load]

        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=3600) as client:
            before = folder_bytes(folder / "files")
            body = client.post(f"{API}/generate", json={"prompt": PROMPTS[0], "options": {"duration_seconds": 30}}
                               ).json()
            sizes = {kind: len(client.get(body[f"{kind}_url"]).content) for kind in ("audio", "midi", "stems")}
            on_disk = folder_bytes(folder / "files") - before
            metrics = client.get("/metrics").text  # closed without a token: the server has API tokens
        report["disk_per_30s_generation"] = {**sizes, "total_bytes": sum(sizes.values()),
                                             "data_folder_growth_bytes": on_disk}
        report["metrics_lines"] = len(metrics.splitlines())
        if args.screenshots:
            report["screenshots"] = screenshots(url, args.screenshots)
    finally:
        proc.terminate()
        proc.wait(60)
    shutil.rmtree(folder, ignore_errors=True)  # kept (with server.log) only when the run raised
    print_table(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    parse, gen = report["parse"], report["generate"]
    rows_match = parse["rows_counted"] == parse["ok"] and gen["rows_counted"] == gen["ok"]
    return 0 if rows_match and parse["errors"] == 0 and gen["errors"] == 0 else 1


def screenshots(url: str, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, path in (("api_load_ui.png", "/"), ("api_load_docs.png", "/docs")):
        out = folder / name
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--virtual-time-budget=8000", "--window-size=1280,1600", f"--screenshot={out}", url + path],
                       check=False, capture_output=True, timeout=120)
        if out.exists():
            saved.append(str(out))
    return saved


def print_table(report: dict[str, Any]) -> None:
    p, g, d = report["parse"], report["generate"], report["disk_per_30s_generation"]
    print(f"\nAPI load bench ({report['machine_cpus']} CPUs, load average {report['load_average_1_5_15']}; "
          f"{report['server']})")
    print(f"{'endpoint':<22}{'clients':>8}{'secs':>7}{'ok':>6}{'errors':>7}{'503/429':>8}{'req/s':>8}{'p50 ms':>10}"
          f"{'p95 ms':>10}{'rows':>6}")
    for name, row in (("parse", p), (f"generate {g['track_s']:g} s", g)):
        print(f"{name:<22}{row['clients']:>8}{row['elapsed_s']:>7}{row['ok']:>6}{row['errors']:>7}"
              f"{row['backpressure']:>8}{row['requests_per_s']:>8}{row['p50_ms']!s:>10}{row['p95_ms']!s:>10}"
              f"{row['rows_counted']:>6}")
    print(f"generate: {g['tracks_per_min']} tracks/min, queue wait p50 {g['queue_wait_p50_s']} s, "
          f"p95 {g['queue_wait_p95_s']} s, max {g['queue_wait_max_s']} s (requests in flight at the end were "
          f"awaited; 503/429 = back-pressure answered with Retry-After, honoured by the clients, max "
          f"{g['retry_after_s_max']} s)")
    print(f"disk per 30 s generation: audio {d['audio'] / 1e6:.2f} MB, MIDI {d['midi'] / 1e3:.1f} kB, "
          f"stems {d['stems'] / 1e6:.2f} MB, total {d['total_bytes'] / 1e6:.2f} MB "
          f"(data folder grew {d['data_folder_growth_bytes'] / 1e6:.2f} MB)")
    for path in report.get("screenshots", []):
        print(f"screenshot: {path}")


if __name__ == "__main__":
    sys.exit(main())
