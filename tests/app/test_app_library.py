"""The studio inside its server, in a real headless Chromium: a generated track is stored for the browser's
anonymous user, thumbs-up with a comment stores a user_feedback row, and History lists the track after a reload
and after a restart of the server on the same SQLite file."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fake_aurora import PROMPT
from test_app_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, TIMEOUT_MS, type_and_take_first_chip

import app
from aurora.server import ServerSettings, StudioService, create_app
from aurora.store.db import sqlite_url

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")


class Served:
    def __init__(self, service: StudioService, engine: Any) -> None:
        blocks = app.build_app(engine=engine, service=service)
        self.blocks = blocks
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server = uvicorn.Server(uvicorn.Config(create_app(service, blocks=blocks), host="127.0.0.1",
                                                    port=self.port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "server did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(120)


def wait_for(read: Callable[[], Any], timeout_s: float = TIMEOUT_MS / 1000) -> Any:
    """What ``read`` returns once it is truthy: a stored record the page's click asked for lands a moment later."""
    deadline = time.monotonic() + timeout_s
    while not (value := read()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert value, f"nothing after {timeout_s:g} s"
    return value


@pytest.fixture
def serve(tmp_path: Path, live_aurora: Any, live_engine: Any,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], tuple[StudioService, Served]]]:
    started: list[Served] = []
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-temp"))  # this app's own Gradio cache

    def start() -> tuple[StudioService, Served]:
        settings = ServerSettings(data_dir=tmp_path / "data", database_url=sqlite_url(tmp_path / "soundstar.db"))
        service = StudioService.create(settings, aurora=live_aurora, engine=live_engine)
        served = Served(service, live_engine)
        started.append(served)
        return service, served

    yield start
    for served in started:
        served.stop()


def test_feedback_is_stored_and_history_survives_reload_and_restart(
        serve: Callable[[], tuple[StudioService, Served]], tmp_path: Path, live_aurora: Any) -> None:
    expect = sync_api.expect
    service, served = serve()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(served.url)

        page.locator("#ss-thumbs-up").click()  # nothing on screen yet: nothing to rate
        expect(page.locator("#ss-feedback-status")).to_contain_text("Generate a track first")
        prompt = page.locator("#ss-prompt textarea")
        first = type_and_take_first_chip(page, live_aurora, "a melancholic lo-fi beat")
        expect(prompt).to_have_value(first.preview)  # the chip applied its suggestion
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        user = service.ui_user(cookies=cookies)
        assert user is not None and user.kind == "anonymous"
        suggest_sessions = wait_for(lambda: service.store.history(user_id=user.id, kind="suggest")[0])
        (accepted,) = service.store.suggestions(user_id=user.id, session_id=suggest_sessions[0].id)
        assert accepted["user_accepted"] is True and accepted["suggested_value"] == first.preview
        assert accepted["original_value"] == "a melancholic lo-fi beat"

        prompt.fill(PROMPT)
        duration = page.locator("#ss-duration input[type=number]")
        duration.fill("10")
        duration.press("Enter")
        page.locator("#ss-seed input").fill("11")
        page.locator("#ss-format").get_by_label("flac").check()
        page.locator("#ss-refine").get_by_text("Refine before rendering").click()  # opening it fills it
        tempo = page.locator("#ss-refine-tempo input")
        expect(tempo).to_have_value("80")
        expect(page.locator("#ss-refine-sections")).to_contain_text("Dm")  # the plan's chords, per section
        tempo.fill("96")  # edit the tempo: the plan follows
        expect(page.locator("#ss-refine-note")).to_contain_text("96 BPM")
        expect(page.locator("#ss-refine-use input")).to_be_checked()
        page.screenshot(path=str(SHOTS / "soundstar_refine.png"), full_page=True)
        page.locator("#ss-generate").click()
        expect(page.get_by_text(re.compile(r"step \d of 8")).first).to_be_visible()  # one bar, the stage named
        expect(page.locator("#ss-audio audio[src]").first).to_be_attached()
        expect(page.locator("#ss-audio time#duration")).to_have_text("0:10")  # the browser decoded it
        expect(page.locator("#ss-gen-summary")).to_contain_text("96 BPM")  # rendered as refined
        page.locator("#ss-rating-audio").get_by_label("4").check()
        page.locator("#ss-rating-prompt").get_by_label("5").check()
        page.locator("#ss-comment textarea").fill("warm rhodes, more crackle please")
        page.locator("#ss-thumbs-up").click()
        expect(page.locator("#ss-feedback-status")).to_contain_text("saved")
        page.screenshot(path=str(SHOTS / "soundstar_feedback.png"), full_page=True)

        assert service.store.count("user_feedback", feedback_type="positive", audio_quality_rating=4,
                                   prompt_quality_rating=5, comments="warm rhodes, more crackle please") == 1
        assert service.store.count("user_feedback", suggestion_relevance_rating=None) == 1  # not given
        sessions, total = service.store.history(user_id=user.id, kind="generate")
        assert total == 1 and sessions[0].original_prompt == PROMPT and sessions[0].status == "completed"
        result = sessions[0].results[0]
        assert result.files_available and result.audio_duration_seconds == 10 and result.output_format == "flac"
        # the track on screen is the stored file, written once in the data folder and served from there
        links = page.locator("#ss-downloads a").evaluate_all("links => links.map(a => a.href)")
        audio_path = service.files.resolve(service.store.result_file(user_id=user.id, result_id=result.id,
                                                                      kind="audio"))
        assert audio_path is not None and any(link.endswith(str(audio_path)) for link in links), links
        assert sorted(p.name for p in audio_path.parent.iterdir()) == ["plan.json", "score.mid", "stems.zip",
                                                                      "track.flac"]
        caches = {Path(b.GRADIO_CACHE) for b in served.blocks.blocks.values() if hasattr(b, "GRADIO_CACHE")}
        assert caches == {tmp_path / "gradio-temp"}
        copied = [p for p in (tmp_path / "gradio-temp").rglob("*")
                  if p.suffix in (".flac", ".wav", ".mid", ".zip", ".json")]
        assert copied == [], copied  # nothing of it copied into Gradio's cache (GRADIO_TEMP_DIR)

        page.reload()
        page.get_by_role("tab", name="History").click()
        history = page.locator("#ss-history")
        expect(history).to_contain_text(PROMPT[:30])
        expect(history).to_contain_text("completed")

        # a restart: a new service, store and server on the same database file and data folder
        _, served2 = serve()
        page.goto(served2.url)
        page.get_by_role("tab", name="History").click()
        expect(page.locator("#ss-history")).to_contain_text(PROMPT[:30])
        page.locator("#ss-history").get_by_role("gridcell", name=PROMPT).click()  # pick it: play, download, restore
        expect(page.locator("#ss-history-info")).to_contain_text("seed 11")
        expect(page.locator("#ss-history-audio audio[src]").first).to_be_attached()
        expect(page.locator("#ss-history-downloads").get_by_role("cell", name="track.flac", exact=True)).to_be_visible()
        page.screenshot(path=str(SHOTS / "soundstar_history.png"), full_page=True)
        page.locator("#ss-restore").click()
        expect(page.get_by_role("tab", name="Generate")).to_have_attribute("aria-selected", "true")
        expect(page.locator("#ss-prompt textarea")).to_have_value(PROMPT)
        expect(page.locator("#ss-duration input[type=number]")).to_have_value("10")
        expect(page.locator("#ss-seed input")).to_have_value("11")
        expect(page.locator("#ss-format").get_by_label("flac")).to_be_checked()
        page.locator("#ss-refine").get_by_text("Refine before rendering").click()
        expect(page.locator("#ss-refine-tempo input")).to_have_value("96")  # its refinements too
        expect(page.locator("#ss-refine-use input")).to_be_checked()
        page.get_by_role("tab", name="History").click()
        page.locator("#ss-again-new").click()  # generate again with a new seed: a second row, newest first
        expect(page.get_by_role("tab", name="Generate")).to_have_attribute("aria-selected", "true")
        expect(page.locator("#ss-seed input")).not_to_have_value("11")
        expect(page.locator("#ss-audio audio[src]").first).to_be_attached()
        new_seed = page.locator("#ss-seed input").input_value()
        page.get_by_role("tab", name="History").click()
        rows = page.locator("#ss-history").get_by_role("row")
        expect(rows).to_have_count(3)  # the header and two generations
        expect(rows.nth(1).get_by_role("gridcell").nth(3)).to_have_text(new_seed)
        expect(rows.nth(2).get_by_role("gridcell").nth(3)).to_have_text("11")
        browser.close()  # before the servers stop: uvicorn waits for open connections
