"""App bench: what a visitor waits for in the studio, measured in headless Chromium against `python app.py`.

    python -m bench.app_bench [--durations 30,180] [--json OUT] [--screenshots DIR]

Starts the studio as users do (`python app.py`: SQLite file, data folder, Gradio's cache and the temp folder all in
one temporary directory, so every byte a generation leaves is counted), then in Debian's Chromium
(/usr/bin/chromium through Playwright; never `playwright install`):

1. time to first sound for a new visitor: a fresh browser profile opens the page; when the page has cached examples
   (``#ss-examples``) it clicks the first one, else it types a prompt and presses Generate at the default settings;
   the clock stops when the player (``#ss-audio``) is playing: the studio's player autoplays a new track (its play
   button turns into "Pause"); only when no autoplay starts within AUTOPLAY_WAIT_S is play pressed (pressing it on
   a playing player would pause it). Measured twice: at the first launch on a fresh data folder, while the
   examples still render in the background (the click waits for its example's render, and the table says how
   many were ready), then once all are rendered (what a visitor gets after ``make demo``);
2. Generate to playable for each ``--durations`` track (after the background renders, so they do not share the
   CPUs): the duration set, Generate pressed, the clock stops when the player shows a track of the asked length
   (Gradio's waveform player decodes the file before it shows it; its own <audio> element stays empty); the wait
   from playable to playing (autoplay, else a press) is reported too;
3. disk used per generation: growth of the data folder, Gradio's cache and the temp folder for each run.

Every step has a bound (``--timeout-s``); one that does not finish fails with a message naming it (exit 2).
Prints a table and, with ``--json``, writes the numbers. Wall-clock numbers depend on the machine and its load: the
table says the CPU count and load average beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.api_load import PROMPTS, start_server

CHROMIUM = Path(os.environ.get("SOUNDSTAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--autoplay-policy=no-user-gesture-required",
                 "--mute-audio"]
DURATION_INPUTS = ("#ss-gen-duration input[type=number]", "#ss-duration input[type=number]")
PROMPT = PROMPTS[0]
# Gradio's waveform player decodes the track itself (its <audio> element stays empty): the track is playable when
# the player shows its length, and playing when its play button turns into "Pause".
_LENGTH = "() => { const t = document.querySelector('#ss-audio time#duration'); return t ? t.textContent : null; }"
PLAYABLE_SCRIPT = """(expected) => { const t = document.querySelector('#ss-audio time#duration');
    const text = t ? t.textContent.trim() : '';
    return expected ? expected.includes(text) : (text !== '' && text !== '0:00'); }"""
_PLAYING = """() => { const b = document.querySelector('#ss-audio button.play-pause-button');
    return !!b && b.getAttribute('aria-label') === 'Pause'; }"""
PLAY_BUTTON = "#ss-audio button.play-pause-button"
EXAMPLES_WAIT_S = 5.0
AUTOPLAY_WAIT_S = 3.0  # a new track that autoplays starts within this; else play is pressed


def clock(seconds: float) -> str:
    """How the player prints a length: 0:30, 3:00."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def seconds_of(text: str | None) -> float | None:
    if not text or ":" not in text:
        return None
    minutes, _, secs = text.strip().partition(":")
    return int(minutes) * 60 + float(secs)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


class Disk:
    """Bytes under the server's data folder, Gradio's cache and temp folder, before and after a run."""

    def __init__(self, root: Path) -> None:
        self.folders = {"data": root / "data", "gradio_cache": root / "gradio", "tmp": root / "tmp"}

    def snapshot(self) -> dict[str, int]:
        return {name: folder_bytes(path) for name, path in self.folders.items()}

    @staticmethod
    def growth(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
        grown = {name: after[name] - before[name] for name in after}
        return {**grown, "total": sum(grown.values())}


def _set_duration(page: Any, duration_s: float) -> str:
    """Set the Generate duration; returns how (the slider's number box, or the prompt's stated duration)."""
    for selector in DURATION_INPUTS:
        box = page.locator(selector)
        if box.count():
            box.first.fill(f"{duration_s:g}")
            box.first.press("Enter")
            page.wait_for_timeout(300)
            return selector
    stated = f"{PROMPT}, {duration_s / 60:g} minutes long" if duration_s >= 60 else f"{PROMPT}, {duration_s:g} seconds"
    page.locator("#ss-prompt textarea").fill(stated)
    page.wait_for_timeout(1500)  # the prompt's stated duration reaches the slider through its change event
    return "prompt"


class StepTimeoutError(RuntimeError):
    """A bench step that did not finish within its bound (the message names the step and what it waited for)."""


def _log(message: str) -> None:
    print(f"[app_bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wait_for_step(page: Any, script: str, arg: Any = None, *, timeout_s: float, step: str) -> float:
    """Wait until ``script`` is true, at most ``timeout_s``; a step that does not finish raises StepTimeoutError."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = time.perf_counter()
    try:
        page.wait_for_function(script, arg=arg, timeout=max(timeout_s, 0.1) * 1000, polling=50)
    except PlaywrightTimeout:
        raise StepTimeoutError(f"{step}: not done after {timeout_s:g} s (player length {page.evaluate(_LENGTH)!r}, "
                          f"playing {page.evaluate(_PLAYING)})") from None
    return time.perf_counter() - started


def _play(page: Any, *, timeout_s: float) -> str:
    """Until the player plays: it autoplays a new track (the studio's player does), else play is pressed once.

    Pressing play on a player that already plays would pause it, so the press comes only when no autoplay started
    within AUTOPLAY_WAIT_S. Returns how it started: "autoplay" or "play pressed"."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_PLAYING, timeout=AUTOPLAY_WAIT_S * 1000, polling=50)
        return "autoplay"
    except PlaywrightTimeout:
        pass
    page.locator(PLAY_BUTTON).first.click(timeout=timeout_s * 1000)
    wait_for_step(page, _PLAYING, timeout_s=timeout_s, step="play pressed, waiting for the player to play")
    return "play pressed"


def _pause(page: Any) -> None:
    if page.evaluate(_PLAYING):
        page.locator(PLAY_BUTTON).first.click(timeout=10_000)


def examples_rendered(data: Path) -> int:
    """How many example tracks the studio has rendered into its data folder (files/examples/<key>/track.*)."""
    folder = data / "files" / "examples"
    return sum(1 for p in folder.glob("*/track.*") if p.is_file()) if folder.exists() else 0


def wait_for_examples(data: Path, count: int, *, timeout_s: float) -> float:
    """Wait (bounded) until the first launch's background render has written all ``count`` examples."""
    started = time.perf_counter()
    while examples_rendered(data) < count:
        if time.perf_counter() - started > timeout_s:
            raise StepTimeoutError(f"examples: {examples_rendered(data)} of {count} rendered after {timeout_s:g} s "
                              f"in {data / 'files' / 'examples'}")
        time.sleep(0.5)
    return time.perf_counter() - started


def first_sound(browser: Any, url: str, disk: Disk, *, timeout_s: float) -> dict[str, Any]:
    """A new visitor (fresh profile): page load, then an example (or Generate at the defaults) until it plays."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(timeout_s * 1000)
    try:
        page = context.new_page()
        before = disk.snapshot()
        _log("first sound: opening the page in a fresh profile")
        started = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        page.locator("#ss-generate").wait_for(state="visible", timeout=timeout_s * 1000)
        page_load_s = time.perf_counter() - started
        examples = page.locator("#ss-examples")
        probe_started = time.perf_counter()
        try:  # the examples may render a moment after the Generate button
            examples.first.wait_for(state="attached", timeout=EXAMPLES_WAIT_S * 1000)
            has_examples = True
        except PlaywrightTimeout:
            has_examples = False
            started += time.perf_counter() - probe_started  # a visitor would not have waited for them
        if has_examples:
            path = "cached example"
            clickable = examples.locator("button, tr, td, .gallery-item").first
            (clickable if clickable.count() else examples.first).click(timeout=timeout_s * 1000)
        else:
            path = "Generate at the default settings (no #ss-examples on this build)"
            page.locator("#ss-prompt textarea").fill(PROMPT)
            page.locator("#ss-generate").click(timeout=timeout_s * 1000)
        _log(f"first sound: {path} clicked, waiting for the player to hold its track")
        wait_for_step(page, PLAYABLE_SCRIPT, timeout_s=timeout_s,
                      step=f"first sound ({path}): waiting for the player's track")
        playable_s = time.perf_counter() - started
        started_by = _play(page, timeout_s=timeout_s)
        total_s = time.perf_counter() - started
        track_s = seconds_of(page.evaluate(_LENGTH))
        _log(f"first sound: playing after {total_s:.1f} s ({started_by})")
        _pause(page)
    finally:
        context.close()
    return {"path": path, "page_load_s": round(page_load_s, 2), "playable_s": round(playable_s, 2),
            "first_sound_s": round(total_s, 2), "playback_started_by": started_by, "track_s": track_s,
            "disk": Disk.growth(before, disk.snapshot())}


def generate_to_playable(page: Any, duration_s: float, disk: Disk, *, timeout_s: float) -> dict[str, Any]:
    """Generate pressed -> the player holds a track of the asked length (decoded by the browser), then plays it."""
    how = _set_duration(page, duration_s)
    expected = [clock(duration_s + delta) for delta in (-1, 0, 1)]
    if page.evaluate(_LENGTH) in expected:
        raise RuntimeError(f"a {duration_s:g} s track is already on screen: ask for distinct durations")
    before = disk.snapshot()
    _log(f"Generate {duration_s:g} s: pressed (duration set by {how})")
    page.locator("#ss-generate").click(timeout=timeout_s * 1000)
    waited = wait_for_step(page, PLAYABLE_SCRIPT, expected, timeout_s=timeout_s,
                       step=f"Generate {duration_s:g} s: waiting for a track of {expected[1]} in the player")
    started = time.perf_counter()
    started_by = _play(page, timeout_s=timeout_s)
    play_s = time.perf_counter() - started
    _log(f"Generate {duration_s:g} s: playable after {waited:.1f} s, playing ({started_by})")
    _pause(page)
    page.wait_for_timeout(1000)  # the history row is written after the player gets the track
    return {"asked_s": duration_s, "duration_set_by": how, "generate_to_playable_s": round(waited, 2),
            "playable_to_playing_s": round(play_s, 2), "playback_started_by": started_by,
            "track_s": seconds_of(page.evaluate(_LENGTH)), "disk": Disk.growth(before, disk.snapshot())}


def run(durations: list[float], *, timeout_s: float, screenshots: Path | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from aurora.ui.examples import EXAMPLES

    root = Path(tempfile.mkdtemp(prefix="soundstar-app-bench-"))
    for name in ("gradio", "tmp"):
        (root / name).mkdir()
    disk = Disk(root)
    data = root / "data"
    _log(f"starting python app.py (data folder {data}, fresh: the first launch)")
    proc, url = start_server(root, queue_size=16, data_dir=data,
                             env_extra={"GRADIO_TEMP_DIR": str(root / "gradio"), "TMPDIR": str(root / "tmp")})
    server_up = time.perf_counter()
    report: dict[str, Any] = {"machine_cpus": os.cpu_count(), "server": "python app.py (UI + API), SQLite",
                              "examples": len(EXAMPLES)}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                                 timeout=timeout_s * 1000)
            ready = examples_rendered(data)
            first = first_sound(browser, url, disk, timeout_s=timeout_s)
            report["first_sound"] = {**first, "data_folder": "fresh (first launch: the examples render in the "
                                     "background meanwhile)", "examples_rendered_before_click": ready}
            # the rest waits for the background renders: they would share the CPUs with what is measured next
            _log("waiting for the first launch's background renders of the examples")
            wait_for_examples(data, len(EXAMPLES), timeout_s=timeout_s)
            report["examples_all_rendered_after_start_s"] = round(time.perf_counter() - server_up, 2)
            warm = first_sound(browser, url, disk, timeout_s=timeout_s)
            report["first_sound_rendered"] = {**warm, "data_folder": "examples already rendered (as after "
                                              "`make demo`)", "examples_rendered_before_click": len(EXAMPLES)}
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(timeout_s * 1000)
            page = context.new_page()
            page.goto(url, timeout=timeout_s * 1000)
            page.locator("#ss-generate").wait_for(state="visible", timeout=timeout_s * 1000)
            page.locator("#ss-prompt textarea").fill(PROMPT)
            report["generate"] = [generate_to_playable(page, d, disk, timeout_s=timeout_s) for d in durations]
            if screenshots:
                screenshots.mkdir(parents=True, exist_ok=True)
                shot = screenshots / "app_bench_generate.png"
                page.screenshot(path=str(shot), full_page=True)
                report["screenshots"] = [str(shot)]
            browser.close()
        report["load_average_1_5_15"] = [round(x, 1) for x in os.getloadavg()]
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except Exception:
            proc.kill()
    shutil.rmtree(root, ignore_errors=True)
    return report


def _mb(value: int) -> str:
    return f"{value / 1e6:.2f}"


def print_table(report: dict[str, Any]) -> None:
    first, warm = report["first_sound"], report.get("first_sound_rendered")
    print(f"\nApp bench ({report['machine_cpus']} CPUs, load average {report['load_average_1_5_15']}; "
          f"{report['server']}; headless Chromium)")
    print(f"{'run':<44}{'wait s':>8}{'track s':>9}{'data MB':>9}{'cache MB':>10}{'tmp MB':>8}{'total MB':>10}")
    kind = "example" if first["path"] == "cached example" else "Generate, defaults"
    rows = [(f"first sound ({kind}), first launch", first["first_sound_s"], first["track_s"], first["disk"])]
    if warm:
        rows.append((f"first sound ({kind}), examples rendered", warm["first_sound_s"], warm["track_s"],
                     warm["disk"]))
    rows += [(f"Generate {g['asked_s']:g} s -> playable", g["generate_to_playable_s"], g["track_s"], g["disk"])
             for g in report["generate"]]
    for name, wait_s, track_s, disk in rows:
        print(f"{name:<44}{wait_s:>8}{track_s!s:>9}{_mb(disk['data']):>9}{_mb(disk['gradio_cache']):>10}"
              f"{_mb(disk['tmp']):>8}{_mb(disk['total']):>10}")
    for label, entry in (("first launch", first), ("examples rendered", warm)):
        if entry:
            print(f"first sound, {label}: page load to Generate visible {entry['page_load_s']} s, to playable "
                  f"{entry['playable_s']} s, playing ({entry['playback_started_by']}) {entry['first_sound_s']} s; "
                  f"{entry['examples_rendered_before_click']} of {report['examples']} examples rendered at the click")
    if "examples_all_rendered_after_start_s" in report:
        print(f"first launch: all {report['examples']} examples rendered in the background "
              f"{report['examples_all_rendered_after_start_s']} s after the server answered")
    for g in report["generate"]:
        print(f"Generate {g['asked_s']:g} s: playable to playing {g['playable_to_playing_s']} s "
              f"({g['playback_started_by']}); duration set by {g['duration_set_by']}")
    for path in report.get("screenshots", []):
        print(f"screenshot: {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--durations", default="30,180", help="track lengths in seconds, comma-separated")
    ap.add_argument("--timeout-s", type=float, default=900.0,
                    help="longest wait for one step; a step that takes longer fails with a message")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT")
    ap.add_argument("--screenshots", type=Path, default=None, metavar="DIR")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"error: no Chromium at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    durations = [float(d) for d in args.durations.split(",") if d.strip()]
    try:
        report = run(durations, timeout_s=args.timeout_s, screenshots=args.screenshots)
    except StepTimeoutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_table(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    played = [g for g in report["generate"] if g["track_s"] is not None]
    ok = len(played) == len(durations) and all(abs(g["track_s"] - g["asked_s"]) <= 1.0 for g in played)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
