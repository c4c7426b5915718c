"""Generation through the job queue against a live server: 202 and polling, waiting for the track, files served
from the data folder, 503 when the queue is full, failed renders stored with their code; SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import soundfile as sf

from engine import EngineError

from .conftest import ALICE, BOB, ServeFn, count, wait_for

API = "/api/v1/aurora"
FIVE_S = {"duration_seconds": 5}


def test_generate_queued_then_polled_then_files_and_feedback(serve: ServeFn, db_url: str) -> None:
    service, live = serve(db_url=db_url)
    with live.client() as alice:
        accepted = alice.post(f"{API}/generate", json={"prompt": "a calm lo-fi beat with rhodes",
                                                       "options": {**FIVE_S, "seed": 3}, "wait": False})
        assert accepted.status_code == 202, accepted.text
        body = accepted.json()
        assert body["status"] in ("queued", "processing") and body["audio_url"] is None
        assert accepted.headers["location"].endswith(body["generation_id"])

        done = wait_for(alice, body["generation_id"])
        assert done["status"] == "completed", done
        meta = done["generation_metadata"]
        for name in ("total_time_ms", "aurora_enhance_time_ms", "aurora_parse_time_ms", "aurora_plan_time_ms",
                     "engine_time_ms", "implementation_used"):
            assert name in meta
        assert meta["implementation_used"] == "rule_based"
        assert done["enhanced_prompt"] and done["parsed_parameters"]["genre"]["value"]
        assert done["structural_plan"]["sections"]

        audio = alice.get(done["audio_url"])
        assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
        samples, rate = sf.read(io.BytesIO(audio.content))
        assert rate == 44100 and 4.5 < len(samples) / rate < 5.6
        assert alice.get(done["midi_url"]).content[:4] == b"MThd"
        with live.client(BOB) as bob:
            for url in (done["audio_url"], done["midi_url"], done["stems_url"]):
                assert bob.get(url).status_code == 404  # another user's file: not found, not forbidden
        stems = zipfile.ZipFile(io.BytesIO(alice.get(done["stems_url"]).content))
        assert stems.namelist() and all(n.endswith(".flac") for n in stems.namelist())
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in stems.infolist())

        # one copy of each file, in the data folder the row points at
        files = sorted(p.name for p in Path(service.settings.data_dir).rglob("*") if p.is_file())
        assert files == ["score.mid", "stems.zip", "track.wav"]

        history = alice.get(f"{API}/history", params={"kind": "generate"}).json()
        item = history["items"][0]
        assert item["request"]["options"]["seed"] == 3  # what a 'restore settings' button needs
        result = item["results"][0]
        assert result["audio_url"] == done["audio_url"] and result["files_available"]
        feedback = alice.post(f"{API}/feedback", json={"session_id": done["generation_id"], "result_id":
                                                       done["result_id"], "feedback_type": "positive",
                                                       "audio_quality_rating": 5})
        assert feedback.status_code == 201
    assert count(db_url, "generation_results") == 1 and count(db_url, "user_feedback") == 1
    metrics = httpx.get(f"{live.url}/metrics", headers={"Authorization": f"Bearer {ALICE}"}).text
    assert "engine_realtime_factor_count 1.0" in metrics
    assert "soundstar_queue_wait_seconds_count 1.0" in metrics


def test_generate_waits_for_the_track_by_default(serve: ServeFn) -> None:
    _, live = serve()
    with live.client() as alice:
        response = alice.post(f"{API}/generate", json={"prompt": "fast punk", "options": {
            **FIVE_S, "output_format": "flac", "sample_rate": 22050, "enhance_prompt": False, "stems": False}})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "completed" and body["stems_url"] is None
        audio = alice.get(body["audio_url"])
        assert audio.headers["content-type"] == "audio/flac"
        assert sf.info(io.BytesIO(audio.content)).samplerate == 22050


class BrokenEngine:
    """An engine whose renders fail, as a real one does when a voice cannot be built."""

    def render(self, **_: Any) -> Any:
        raise EngineError("synthesis failed: no voice could be built")


class StuckEngine:
    """An engine that holds its worker until released, so the queue fills deterministically."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()

    def render(self, **_: Any) -> Any:
        self.release.wait(60)
        raise EngineError("stopped")


def test_a_failed_render_is_stored_with_its_code(serve: ServeFn) -> None:
    _, live = serve(engine=BrokenEngine())
    with live.client() as alice:
        response = alice.post(f"{API}/generate", json={"prompt": "ambient drone", "options": FIVE_S})
        body = response.json()
        assert body["status"] == "failed"
        assert body["error"] == {"code": "ENGINE_ERROR", "message": "synthesis failed: no voice could be built"}
        assert alice.get(f"{API}/generate/{body['generation_id']}").json()["status"] == "failed"
    metrics = httpx.get(f"{live.url}/metrics", headers={"Authorization": f"Bearer {ALICE}"}).text
    assert 'soundstar_generation_failures_total{error_code="ENGINE_ERROR"} 1.0' in metrics


def test_a_full_queue_answers_503_and_stores_nothing_for_the_refused(serve: ServeFn) -> None:
    engine = StuckEngine()
    service, live = serve(engine=engine, queue_size=2)
    try:
        with live.client() as alice:
            statuses = [alice.post(f"{API}/generate", json={"prompt": f"song {i}", "options": FIVE_S,
                                                            "wait": False}) for i in range(6)]
        codes = [r.status_code for r in statuses]
        assert codes.count(202) == 3 and codes.count(503) == 3, codes  # one running + two waiting
        refused = statuses[-1]
        assert refused.json()["error"]["code"] == "AURORA_QUEUE_FULL"
        assert int(refused.headers["retry-after"]) >= 1
        assert count(service.settings.db_url, "aurora_sessions") == 3
    finally:
        engine.release.set()


@pytest.mark.parametrize("limit", [3])
def test_rate_limit_answers_429_with_retry_after(serve: ServeFn, limit: int) -> None:
    _, live = serve(rate_limit_per_min=1, rate_limit_burst=limit)
    with live.client() as alice:
        codes = [alice.post(f"{API}/suggest", json={"partial_prompt": "lo"}).status_code for _ in range(limit + 2)]
        assert codes[:limit] == [200] * limit and codes[limit:] == [429, 429]
        limited = alice.post(f"{API}/suggest", json={"partial_prompt": "lo"})
        assert limited.json()["error"]["code"] == "AURORA_RATE_LIMITED"
        assert 1 <= int(limited.headers["retry-after"]) <= 61
        assert alice.get(f"{API}/history").status_code == 200  # reads are not limited
    with live.client(BOB) as bob:  # another user from the same address: the address's bucket is empty too
        shared = bob.post(f"{API}/suggest", json={"partial_prompt": "lo"})
        assert shared.status_code == 429 and "address" in shared.json()["error"]["message"]
