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

from bench.app_bench import CHROMIUM, CHROMIUM_ARGS, Disk, clock, first_sound, seconds_of

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
TRACK_S = 3


def test_the_players_clock() -> None:
    assert [clock(s) for s in (30, 180, 59.6, 600)] == ["0:30", "3:00", "1:00", "10:00"]
    assert seconds_of("3:00") == 180 and seconds_of("0:05") == 5 and seconds_of("") is None


@pytest.fixture
def page_with_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
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
        player = gr.Audio(elem_id="ss-audio", type="filepath", interactive=False)
        gr.Examples([["a calm tone"], ["a second tone"]], inputs=[prompt], outputs=[player], fn=render,
                    cache_examples=True, cache_mode="eager", elem_id="ss-examples")
        generate.click(render, [prompt], [player])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield str(demo.local_url)
    finally:
        demo.close()


def test_first_sound_goes_through_a_cached_example(page_with_examples: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        result: dict[str, Any] = first_sound(browser, page_with_examples, Disk(tmp_path), timeout_s=60)
        browser.close()
    assert result["path"] == "cached example"
    assert result["track_s"] == TRACK_S
    assert 0 < result["page_load_s"] <= result["playable_s"] <= result["first_sound_s"]
