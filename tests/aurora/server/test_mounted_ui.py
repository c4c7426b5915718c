"""The Gradio studio mounted inside the service: one server for UI and API, a browser cookie for the anonymous
user, uploads refused, the UI's handlers behind the login when UI auth is on, and rate-limited like the API."""

from __future__ import annotations

from typing import Any

import httpx

from aurora import Aurora
from aurora.server import BROWSER_COOKIE

from .conftest import ALICE, ServeFn

JOIN = {"data": ["lo-fi"], "fn_index": 0, "session_hash": "abc123", "event_data": None, "trigger_id": None}


def _blocks(aurora: Aurora) -> Any:
    import app

    return app.build_app(aurora)


def test_ui_and_api_on_one_server_with_a_browser_cookie_and_no_uploads(serve: ServeFn, aurora: Aurora) -> None:
    blocks = _blocks(aurora)
    _, live = serve(blocks=blocks, gradio_queue_size=7)
    assert blocks._queue.max_size == 7  # the UI's queue is bounded
    with httpx.Client(base_url=live.url) as browser:
        page = browser.get("/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
        assert browser.cookies.get(BROWSER_COOKIE)
        again = browser.get("/")
        assert "set-cookie" not in again.headers  # the browser keeps its id
        assert browser.get("/gradio_api/info").status_code == 200
        assert browser.get("/api/v1/aurora/history").status_code == 401  # the API still needs a token
        for size in (10, 2 * 1024 * 1024):
            upload = browser.post("/gradio_api/upload", files={"files": ("a.bin", b"x" * size)})
            assert upload.status_code in (403, 413), size
            assert upload.json()["error"]["code"] in ("AURORA_UPLOADS_DISABLED", "AURORA_REQUEST_TOO_LARGE")
        called = browser.post("/gradio_api/call/parse", json={"data": ["lo-fi beat"]})
        assert called.status_code == 200 and "event_id" in called.json()


def test_the_ui_serves_data_folder_files_without_copying_them(serve: ServeFn, aurora: Aurora) -> None:
    from gradio import utils

    service, _ = serve(blocks=_blocks(aurora))
    track = service.files.folder_for(1, "session") / "track.wav"
    track.parent.mkdir(parents=True)
    track.write_bytes(b"RIFF")
    assert utils.is_static_file(str(track))  # Gradio serves it in place: one copy on disk


def test_ui_auth_guards_the_internal_handlers_and_rate_limits_apply(serve: ServeFn, aurora: Aurora) -> None:
    _, live = serve(blocks=_blocks(aurora), ui_auth=True, rate_limit_per_min=1, rate_limit_burst=4)
    with httpx.Client(base_url=live.url) as browser:
        for path, body in (("/gradio_api/queue/join", JOIN), ("/gradio_api/call/parse", {"data": ["x"]})):
            assert browser.post(path, json=body).status_code == 401, path
        assert browser.get("/gradio_api/info").status_code == 401
        assert browser.post("/login", data={"username": "alice", "password": "wrong"}).status_code == 400
        assert browser.post("/login", data={"username": "alice", "password": ALICE}).status_code == 200
        assert browser.get("/gradio_api/info").status_code == 200
        limited = browser.post("/gradio_api/call/parse", json={"data": ["x"]})
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "AURORA_RATE_LIMITED"
        assert int(limited.headers["retry-after"]) >= 1
