"""The app bench's first-sound path on a real Gradio page in headless Chromium: a page with cached examples
(``#ss-examples``) is measured through its first example, until the player plays it; the player's clock is read as
the player prints it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from bench.app_bench import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PLAYABLE_SCRIPT,
    Disk,
    StepTimeoutError,
    clock,
    first_sound,
    seconds_of,
    wait_for_step,
)

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
TRACK_S = 3


def test_the_players_clock() -> None:
    assert [clock(s) for s in (30, 180, 59.6, 600)] == ["0:30", "3:00", "1:00", "10:00"]
    assert seconds_of("3:00") == 180 and seconds_of("0:05") == 5 and seconds_of("") is None


@pytest.fixture(params=[False, True], ids=["press-play", "autoplay"])
def page_with_examples(request: pytest.FixtureRequest, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, bool]]:
    import gradio as gr

    monkeypatch.setenv("GRADIO_EXAMPLES_CACHE", str(tmp_path / "cached_examples"))  # not in the checkout

    def render(prompt: str) -> str:
        path = tmp_path / f"{abs(hash(prompt))}.wav"
        t = np.arange(TRACK_S * 22050) / 22050
        sf.write(path, 0.3 * np.sin(2 * np.pi * 220 * t), 22050)
        return str(path)

    with gr.Blocks() as demo:
        prompt = gr.Textbox(elem_id="ss-prompt")
        generate = gr.Button("Generate", elem_id="ss-generate")
        player = gr.Audio(elem_id="ss-audio", type="filepath", interactive=False, autoplay=request.param)
        gr.Examples([["a calm tone"], ["a second tone"]], inputs=[prompt], outputs=[player], fn=render,
                    cache_examples=True, cache_mode="eager", elem_id="ss-examples")
        generate.click(render, [prompt], [player])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield str(demo.local_url), bool(request.param)
    finally:
        demo.close()


def test_first_sound_goes_through_a_cached_example(page_with_examples: tuple[str, bool], tmp_path: Path) -> None:
    url, autoplay = page_with_examples
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        result: dict[str, Any] = first_sound(browser, url, Disk(tmp_path), timeout_s=60)
        # a step that never finishes fails within its bound, naming the step (the bench once waited forever)
        page = browser.new_page()
        page.goto(url)
        with pytest.raises(StepTimeoutError, match="a 9:59 track: not done after 1 s"):
            wait_for_step(page, PLAYABLE_SCRIPT, ["9:59"], timeout_s=1, step="a 9:59 track")
        browser.close()
    assert result["path"] == "cached example"
    # an autoplaying player (the studio's) is not pressed: a press would pause it
    assert result["playback_started_by"] == ("autoplay" if autoplay else "play pressed")
    assert result["track_s"] == TRACK_S
    assert 0 < result["page_load_s"] <= result["playable_s"] <= result["first_sound_s"]
