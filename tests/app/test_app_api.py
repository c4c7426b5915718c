"""The named gradio_client endpoints of the studio server (`python app.py`: the UI mounted in the service), called
with gradio_client against a live server: typed inputs, named outputs, files written once into the store's data
folder for the caller's user, /history and /feedback for the caller only, and the API page's own snippets, read from
the "Use via API" page in headless Chromium, run as printed."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import soundfile as sf
from gradio_client import Client
from gradio_client.exceptions import AppError

ALICE = "alice-token-0123456789abcdef"
CHROMIUM = Path(os.environ.get("SOUNDSTAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
NAMED = ("/enhance", "/suggest", "/parse", "/plan", "/process", "/generate", "/history", "/feedback")


class Served:
    def __init__(self, url: str, service: Any, server: Any, thread: threading.Thread) -> None:
        self.url, self.service, self.server, self.thread = url, service, server, thread

    @contextlib.contextmanager
    def client(self, **kwargs: Any) -> Iterator[Client]:
        client = Client(self.url, verbose=False, analytics_enabled=False, **kwargs)
        try:
            yield client
        finally:
            client.close()


@contextlib.contextmanager
def serving(aurora: Any, engine: Any, folder: Path, **settings: Any) -> Iterator[Served]:
    """`python app.py`'s server (the studio mounted in the service) on a free port, in a thread."""
    import uvicorn

    import app
    from aurora.server import ServerSettings, StudioService, create_app

    config = ServerSettings(data_dir=folder / "data", database_url=f"sqlite:///{folder / 'soundstar.db'}",
                            api_tokens={"alice": ALICE}, **settings)
    service = StudioService.create(config, aurora=aurora, engine=engine)
    blocks = app.build_app(aurora, engine, service=service)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(service, blocks=blocks), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=2))  # clients' event streams end at once
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the studio server did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", service, server, thread)
    finally:
        server.should_exit = True
        thread.join(60)


@pytest.fixture(scope="module")
def served(live_aurora: Any, live_engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(live_aurora, live_engine, tmp_path_factory.mktemp("api")) as live:
        yield live


def test_named_endpoints_have_typed_named_inputs_and_outputs(served: Served) -> None:
    info = httpx.get(f"{served.url}/gradio_api/info").json()["named_endpoints"]
    assert set(NAMED) <= set(info)
    generate = info["/generate"]
    types = {p["parameter_name"]: p["python_type"]["type"] for p in generate["parameters"]}
    assert types["sample_rate"] == "int" and types["seed"] == "int" and types["stems"] == "bool"
    assert types["prompt"] == "str" and types["duration_s"] == "float"
    assert "'wav'" in types["audio_format"] and "'moderate'" in types["enhancement_level"]
    assert [r["label"] for r in generate["returns"]] == ["audio", "midi", "stems", "plan", "metadata"]
    feedback = {p["parameter_name"]: p["python_type"]["type"] for p in info["/feedback"]["parameters"]}
    assert feedback["audio_quality_rating"] == "None | int" and "'negative'" in feedback["feedback_type"]
    assert [p["parameter_name"] for p in info["/history"]["parameters"]] == ["limit", "offset"]


def test_generate_writes_its_files_once_for_the_caller_and_history_and_feedback_are_theirs(served: Served) -> None:
    data = served.service.files.root / "files"
    with served.client() as mine, served.client() as theirs:
        audio, midi, stems, plan, meta = mine.predict(
            prompt="a melancholic lo-fi beat at 80 BPM in D minor", duration_s=5, audio_format="wav",
            sample_rate=32000, seed=11, enhancement_level="moderate", stems=True, api_name="/generate")
        samples, rate = sf.read(audio)
        assert rate == 32000 and samples.shape[0] == 5 * 32000 and abs(samples).max() > 0.01
        assert Path(midi).read_bytes()[:4] == b"MThd"
        with zipfile.ZipFile(stems) as archive:
            assert archive.namelist() and all(n.endswith(".flac") for n in archive.namelist())
        structural = json.loads(Path(plan).read_text())["structural_plan"]  # beside the parsed parameters
        assert structural["sections"] and structural["chord_progression"]["chords"]
        assert meta["seed"] == 11 and meta["key"] == "D minor" and meta["session_id"] and meta["result_id"]

        # written once, in the caller's folder of the data folder (Gradio serves it from there)
        session = served.service.store.load_session(meta["session_id"])
        folder = served.service.files.folder_for(session.user_id, meta["session_id"])
        assert sorted(p.name for p in folder.iterdir()) == ["plan.json", "score.mid", "stems.zip", "track.wav"]
        assert len(list(data.rglob("track.wav"))) == 1
        remote = mine.predict(prompt="ambient drone in A", duration_s=5, stems=False, api_name="/generate")
        assert remote[2] is None  # no stems asked for, none written

        history = mine.predict(api_name="/history")
        assert [i["session_id"] for i in history["items"]][1] == meta["session_id"] and history["total"] == 2
        assert history["items"][1]["options"]["seed"] == 11 and history["items"][1]["files_available"]
        assert theirs.predict(api_name="/history")["total"] == 0  # another browser: another user

        with pytest.raises(AppError, match="AURORA_NOT_FOUND"):
            theirs.predict(session_id=meta["session_id"], feedback_type="negative", api_name="/feedback")
        with pytest.raises(AppError, match="AURORA_INPUT_INVALID"):
            mine.predict(session_id=meta["session_id"], audio_quality_rating=9, api_name="/feedback")
        saved = mine.predict(session_id=meta["session_id"], result_id=meta["result_id"], feedback_type="positive",
                             audio_quality_rating=5, comments="warm keys", api_name="/feedback")
        assert saved["session_id"] == meta["session_id"] and saved["feedback_id"]
    assert served.service.store.count("user_feedback") == 1


def test_files_are_served_from_the_data_folder(served: Served) -> None:
    with served.client(download_files=False) as client:
        audio, *_ = client.predict(prompt="slow jazz waltz", duration_s=5, stems=False, api_name="/generate")
    assert Path(audio["path"]).is_relative_to(served.service.files.root)  # no copy in Gradio's cache


def test_a_bearer_token_client_acts_for_its_user_and_a_bad_token_is_refused(served: Served) -> None:
    with served.client(headers={"Authorization": f"Bearer {ALICE}"}) as alice:
        *_, meta = alice.predict(prompt="techno at 130 bpm", duration_s=5, stems=False, api_name="/generate")
        owner = served.service.store.load_session(meta["session_id"]).user_id
        assert owner == served.service.store.user_for_token(ALICE).id  # type: ignore[union-attr]
        assert [i["session_id"] for i in alice.predict(api_name="/history")["items"]] == [meta["session_id"]]
    with (served.client(headers={"Authorization": "Bearer not-a-token-0123456789"}) as stranger,
          pytest.raises(AppError, match="AURORA_AUTH_INVALID")):
        stranger.predict(api_name="/history")


@pytest.fixture(scope="module")
def printed_snippets(served: Served) -> dict[str, str]:
    """The Python snippets of the app's "Use via API" page as headless Chromium renders them, by endpoint."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(served.url)
        page.get_by_text("Use via API").first.click()
        page.get_by_text('api_name="/feedback"').first.wait_for(state="attached", timeout=20_000)
        texts: list[str] = page.locator("pre, code").evaluate_all("els => els.map(e => e.innerText)")
        browser.close()
    snippets: dict[str, str] = {}
    for text in texts:
        found = re.search(r'api_name="(/\w+)"', text)
        if found and text.strip().startswith("from gradio_client import Client"):
            snippets.setdefault(found.group(1), text.strip())
    return snippets


@pytest.mark.parametrize("api_name", NAMED)
def test_the_api_pages_snippet_runs_as_printed(served: Served, printed_snippets: dict[str, str],
                                               api_name: str) -> None:
    snippet = printed_snippets[api_name]  # as the page shows it
    served_info = httpx.get(f"{served.url}/gradio_api/info").json()["named_endpoints"][api_name]
    assert snippet.split() == served_info["code_snippets"]["python"].split()
    assert "Client(" in snippet
    printed = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(printed):
        if api_name == "/feedback":  # it names a session: the printed '...' is none, and says so with its code
            with pytest.raises(AppError, match="AURORA_NOT_FOUND"):
                exec(snippet, namespace)  # the snippet the API page prints, as printed
            return
        exec(snippet, namespace)
    result = namespace["result"]
    assert printed.getvalue().strip()
    if api_name == "/generate":
        audio, midi, _stems, plan, meta = result
        assert sf.info(audio).samplerate == 44100 and Path(midi).stat().st_size > 0
        assert json.loads(Path(plan).read_text())["structural_plan"]["sections"] and meta["duration_s"] > 0
    elif api_name == "/history":
        assert set(result) == {"items", "total", "limit", "offset"}
    elif api_name == "/process":
        assert result["plan"]["structural_plan"]["sections"]
    else:
        assert result["aurora_metadata"]["implementation"] in {"codex", "local_llm", "rule_based", "defaults"}


def test_the_caller_is_the_login_then_the_token_then_the_cookie(served: Served) -> None:
    from types import SimpleNamespace

    from aurora.exceptions import AuthInvalidError
    from aurora.server import BROWSER_COOKIE
    from aurora.ui.api import caller

    service = served.service

    def who(username: str | None = None, auth: str | None = None, cookie: str | None = None) -> str:
        request = SimpleNamespace(username=username, headers={"authorization": auth} if auth else {},
                                  cookies={BROWSER_COOKIE: cookie} if cookie else {})
        return caller(service, request).name  # type: ignore[arg-type]

    assert who(username="carol", auth=f"Bearer {ALICE}", cookie="b1") == "carol"  # the UI login wins
    assert who(auth=f"Bearer {ALICE}", cookie="b1") == "alice"
    assert who(cookie="b1") == "anonymous:b1"
    for bad in ("Bearer wrong-token-0123456789", "Basic abc"):
        with pytest.raises(AuthInvalidError):
            who(auth=bad, cookie="b1")  # a bad token is refused, never taken for the cookie's user
    with pytest.raises(AuthInvalidError):
        who()


def test_with_ui_auth_a_signed_in_client_acts_for_its_user(live_aurora: Any, live_engine: Any,
                                                           tmp_path: Path) -> None:
    from gradio_client.exceptions import AuthenticationError

    with serving(live_aurora, live_engine, tmp_path, ui_auth=True) as live:
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {ALICE}"}, timeout=300) as rest:
            made = rest.post("/api/v1/aurora/generate", json={"prompt": "ambient drone in A", "options": {
                "duration_seconds": 5, "stems": False}}).json()
        assert made["status"] == "completed"
        with pytest.raises(AuthenticationError), live.client():
            pass  # the page and its API need the login
        with live.client(auth=("alice", ALICE)) as alice:
            assert [i["session_id"] for i in alice.predict(api_name="/history")["items"]] == [made["generation_id"]]
            saved = alice.predict(session_id=made["generation_id"], feedback_type="neutral", api_name="/feedback")
        assert saved["session_id"] == made["generation_id"]
        assert live.service.store.count("user_feedback") == 1


@pytest.mark.parametrize("api_name", ["/generate", "/history"])
def test_the_curl_snippet_works_for_a_client_that_keeps_no_cookies(served: Served, api_name: str) -> None:
    """The API page's curl snippet, its two requests sent as printed by a client with no cookie jar: a new
    anonymous visitor on each request (nothing of another user's is ever shown)."""
    bash = httpx.get(f"{served.url}/gradio_api/info").json()["named_endpoints"][api_name]["code_snippets"]["bash"]
    post = re.search(r"curl -X POST (\S+) .*?-d '(.*?)'", bash, re.S)
    stream = re.search(r"curl -N (\S+)/\$EVENT_ID", bash)
    assert post and stream, bash
    body = json.loads(post.group(2))
    if api_name == "/generate":
        body.update(duration_s=5, stems=False)  # the printed 30 s track, shortened for the test
    event_id = httpx.post(post.group(1), json=body).json()["event_id"]
    with httpx.stream("GET", f"{stream.group(1)}/{event_id}", timeout=300) as events:
        lines = [line for line in events.iter_lines() if line]
    assert lines[-2] == "event: complete", lines[-4:]
    result = json.loads(lines[-1].removeprefix("data: "))
    if api_name == "/generate":
        audio, _midi, stems, _plan, meta = result
        assert audio["url"] and stems is None and meta["session_id"]
    else:
        assert result[0]["total"] == 0  # a new visitor has no history
