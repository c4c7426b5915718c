"""The REST API of spec §5 against a live server: bodies field for field, token auth, isolation between users,
and bad input answered with a clear 4xx and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurora import Aurora, AuroraConfig
from aurora.config import CodexConfig
from aurora.server import BROWSER_COOKIE

from .conftest import ALICE, BOB, ServeFn, count

API = "/api/v1/aurora"
ROUTES = {("post", "/enhance"), ("post", "/suggest"), ("post", "/parse"), ("post", "/plan"), ("post", "/generate"),
          ("get", "/history"), ("post", "/feedback")}


def test_docs_list_the_seven_endpoints_and_tokens_are_required(serve: ServeFn) -> None:
    _, live = serve()
    with live.client(token=None) as anon:
        docs = anon.get("/docs")
        assert docs.status_code == 200 and "cdn" not in docs.text  # Swagger UI served from here: works offline
        script = docs.text.split('<script src="')[1].split('"')[0]
        assert anon.get(script).status_code == 200
        spec = anon.get("/openapi.json").json()
        listed = {(method, path.removeprefix(API)) for path, ops in spec["paths"].items() for method in ops}
        assert listed >= ROUTES
        missing = anon.post(f"{API}/parse", json={"prompt": "lo-fi beat"})
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "AURORA_AUTH_REQUIRED"
        for header in ("Bearer not-a-token", "Basic abc", "Bearer"):
            wrong = anon.post(f"{API}/parse", json={"prompt": "lo-fi beat"}, headers={"Authorization": header})
            assert wrong.status_code == 401, header
            assert wrong.json()["error"]["code"] in ("AURORA_AUTH_INVALID", "AURORA_AUTH_REQUIRED")
        assert anon.get(f"{API}/history").status_code == 401
        assert anon.get(f"{API}/nope").json()["error"]["code"] in ("AURORA_NOT_FOUND", "AURORA_AUTH_REQUIRED")


def test_enhance_parse_plan_suggest_history_feedback(serve: ServeFn) -> None:
    _, live = serve()
    with live.client() as alice:
        enhanced = alice.post(f"{API}/enhance", json={
            "prompt": "sad piano", "context": {"mood_hint": "wistful", "duration_hint": 60},
            "enhancement_level": "aggressive"})
        assert enhanced.status_code == 200, enhanced.text
        body = enhanced.json()
        assert body["original_prompt"] == "sad piano"
        assert len(body["enhanced_prompt"]) > len("sad piano")
        assert body["additions"] and {"type", "value", "reasoning", "confidence"} <= set(body["additions"][0])
        meta = body["aurora_metadata"]
        assert meta["module"] == "prompt_enhancer" and meta["implementation"] == "rule_based"
        assert isinstance(meta["processing_time_ms"], float) and isinstance(meta["cache_hit"], bool)

        parsed = alice.post(f"{API}/parse", json={"prompt": "a melancholic lo-fi beat at 80 BPM in D minor"}).json()
        params = parsed["parsed_parameters"]
        assert params["tempo"]["bpm"] == 80 and params["tempo"]["type"] == "explicit"
        assert params["key_signature"]["value"] == "D minor"
        for name in ("genre", "sub_genre", "mood", "instrumentation", "structure", "time_signature", "energy_level",
                     "reference_artists"):
            assert name in params
        control = parsed["control_encoder_params"]
        assert len(control["genre_embedding"]) == 128 and len(control["structure_embedding"]) == 64
        assert parsed["aurora_metadata"]["module"] == "semantic_parser"

        planned = alice.post(f"{API}/plan", json={"parameters": {
            "genre": "house", "mood": "uplifting", "tempo_bpm": 124, "duration_seconds": 60}})
        assert planned.status_code == 200, planned.text
        plan = planned.json()["structural_plan"]
        assert abs(sum(s["duration_ratio"] for s in plan["sections"]) - 1) < 1e-3
        assert all({"from", "to", "type"} <= set(t) for t in plan["transitions"])
        assert plan["chord_progression"]["chords"]

        suggested = alice.post(f"{API}/suggest", json={"partial_prompt": "dreamy synthwave", "suggestion_count": 3})
        assert suggested.status_code == 200
        assert 1 <= len(suggested.json()["suggestions"]) <= 3

        history = alice.get(f"{API}/history").json()
        assert history["total"] == 3  # suggest is not stored
        assert [item["kind"] for item in history["items"]] == ["plan", "parse", "enhance"]
        enhance_session = body["session_id"]
        assert history["items"][2]["id"] == enhance_session

        suggestion_ids = [s["id"] for s in live_suggestions(live, enhance_session)]
        assert len(suggestion_ids) == len(body["additions"])
        sent = alice.post(f"{API}/feedback", json={
            "session_id": enhance_session, "feedback_type": "positive", "prompt_quality_rating": 4,
            "suggestion_relevance_rating": 5, "comments": "nice",
            "suggestions": [{"id": suggestion_ids[0], "accepted": True}]})
        assert sent.status_code == 201, sent.text
        assert live_suggestions(live, enhance_session)[0]["user_accepted"] is True


def live_suggestions(live: object, session_id: str) -> list[dict[str, object]]:
    service = live.server.config.app.state.service  # type: ignore[attr-defined]
    user = service.store.user_for_token(ALICE)
    rows: list[dict[str, object]] = service.store.suggestions(user_id=user.id, session_id=session_id)
    return rows


def test_the_ui_user_is_the_login_or_the_browser_cookie(serve: ServeFn) -> None:
    service, _ = serve()
    assert service.ui_user(cookies={}) is None
    first = service.ui_user(cookies={BROWSER_COOKIE: "browser-1"})
    assert first is not None and first.kind == "anonymous"
    assert service.ui_user(cookies={BROWSER_COOKIE: "browser-1"}) == first
    assert service.ui_user(cookies={BROWSER_COOKIE: "browser-2"}) != first
    signed_in = service.ui_user(cookies={BROWSER_COOKIE: "browser-1"}, username="alice")
    assert signed_in is not None and signed_in == service.store.user_for_token(ALICE)


def test_a_user_never_sees_another_users_rows(serve: ServeFn) -> None:
    _, live = serve()
    with live.client(ALICE) as alice, live.client(BOB) as bob:
        session = alice.post(f"{API}/parse", json={"prompt": "jazz waltz"}).json()["session_id"]
        assert bob.get(f"{API}/history").json()["total"] == 0
        theirs = bob.post(f"{API}/feedback", json={"session_id": session, "feedback_type": "negative"})
        assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "AURORA_NOT_FOUND"
        assert bob.get(f"{API}/generate/{session}").status_code == 404
        assert bob.get(f"{API}/files/{session}/audio.wav").status_code == 404
        mine = alice.post(f"{API}/feedback", json={"session_id": session, "feedback_type": "neutral"})
        assert mine.status_code == 201


def test_bad_bodies_get_a_coded_4xx_and_store_nothing(serve: ServeFn, tmp_path: object) -> None:
    service, live = serve()
    url = service.settings.db_url
    with live.client() as alice:
        cases: list[tuple[str, dict[str, object], int, str]] = [
            ("/parse", {"content": b""}, 400, "AURORA_INPUT_UNREADABLE"),
            ("/parse", {"json": {}}, 422, "AURORA_INPUT_EMPTY"),
            ("/parse", {"json": {"prompt": ""}}, 422, "AURORA_INPUT_EMPTY"),
            ("/parse", {"json": {"prompt": "x" * 50_000}}, 422, "AURORA_INPUT_TOO_LONG"),
            ("/parse", {"json": {"prompt": "x" * 100_000}}, 413, "AURORA_REQUEST_TOO_LARGE"),
            ("/parse", {"json": {"prompt": "x" * 5_000}}, 422, "AURORA_INPUT_TOO_LONG"),
            ("/parse", {"json": {"prompt": 42}}, 422, "AURORA_INPUT_INVALID"),
            ("/parse", {"json": ["prompt"]}, 400, "AURORA_INPUT_UNREADABLE"),
            ("/parse", {"content": bytes(range(256)) * 4, "headers": {"content-type": "application/json"}}, 400,
             "AURORA_INPUT_UNREADABLE"),
            ("/parse", {"json": {"prompt": "\x00\x01\x02"}}, 422, "AURORA_INPUT_EMPTY"),
            ("/enhance", {"json": {"prompt": "rock", "enhancement_level": "extreme"}}, 422, "AURORA_INPUT_INVALID"),
            ("/plan", {"json": {"parameters": {"genre": "rock", "mood": "sad", "tempo_bpm": 500,
                                               "duration_seconds": 30}}}, 422, "AURORA_INPUT_INVALID"),
            ("/generate", {"json": {"prompt": "rock", "options": {"duration_seconds": 1}}}, 422,
             "AURORA_INPUT_INVALID"),
            ("/generate", {"json": {"prompt": "rock", "options": {"output_format": "ogg"}}}, 422,
             "AURORA_INPUT_INVALID"),
            ("/generate", {"json": {"prompt": "rock", "options": {"sample_rate": 1000}}}, 422,
             "AURORA_INPUT_INVALID"),
            ("/generate", {"json": {"prompt": "   "}}, 422, "AURORA_INPUT_EMPTY"),
            ("/generate", {"json": {"prompt": "rock", "unknown": 1}}, 422, "AURORA_INPUT_INVALID"),
            ("/feedback", {"json": {"session_id": "x", "feedback_type": "great"}}, 422, "AURORA_INPUT_INVALID"),
            ("/feedback", {"json": {"session_id": "x", "feedback_type": "positive", "audio_quality_rating": 9}},
             422, "AURORA_INPUT_INVALID"),
            ("/feedback", {"json": {"session_id": "missing", "feedback_type": "positive"}}, 404, "AURORA_NOT_FOUND"),
        ]
        for path, kwargs, status, code in cases:
            response = alice.post(f"{API}{path}", **kwargs)  # type: ignore[arg-type]
            assert response.status_code == status, (path, kwargs.keys(), response.text[:300])
            error = response.json()["error"]
            assert error["code"] == code, (path, response.text[:300])
            assert error["message"]
        assert alice.get(f"{API}/history", params={"limit": 0}).status_code == 422
    for table in ("aurora_sessions", "aurora_suggestions", "generation_results", "user_feedback"):
        assert count(url, table) == 0, table


def test_unknown_routes_and_methods_answer_json(serve: ServeFn) -> None:
    _, live = serve()
    with live.client() as alice:
        assert alice.get(f"{API}/parse").status_code == 405
        response = alice.get(f"{API}/generate/00000000-0000-0000-0000-000000000000")
        assert response.status_code == 404 and response.json()["error"]["code"] == "AURORA_NOT_FOUND"


def test_metrics_count_requests_by_endpoint_and_implementation(serve: ServeFn, aurora: Aurora) -> None:
    from .conftest import free_port

    # codex configured but down: every parse falls back to the rule tier, and the metrics say why
    down = Aurora(config=AuroraConfig(implementations=("codex", "rule_based", "defaults"), codex=CodexConfig(
        base_url=f"http://127.0.0.1:{free_port()}/v1", api_key="k", max_retries=0, timeout_s=2.0)),
        knowledge_base=aurora.knowledge_base, embedder=aurora._embedder)
    _, live = serve(aurora_override=down)
    with live.client() as alice:
        for _ in range(2):
            alice.post(f"{API}/parse", json={"prompt": "techno at 130 bpm"})
        alice.post(f"{API}/parse", json={"prompt": ""})
        text = alice.get("/metrics").text
    assert 'soundstar_requests_total{endpoint="/parse",implementation="rule_based",status="200"} 2.0' in text
    assert 'soundstar_requests_total{endpoint="/parse",implementation="none",status="422"} 1.0' in text
    assert 'aurora_cache_lookups_total{module="semantic_parser",result="miss"} 2.0' in text
    assert "soundstar_queue_depth 0.0" in text
    assert "aurora_cache_hit_ratio 0.0" in text
    assert ('aurora_fallbacks_total{error_code="AURORA_CODEX_UNAVAILABLE",implementation="codex",'
            'module="semantic_parser"} 1.0') in text  # then the breaker skips codex at no cost


def test_token_command_creates_a_hashed_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from aurora.server.__main__ import main
    from aurora.store import Store, hash_token

    monkeypatch.setenv("SOUNDSTAR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOUNDSTAR_DATABASE_URL", raising=False)
    assert main(["token", "carol"]) == 0
    token = capsys.readouterr().out.strip()
    store = Store.open(f"sqlite:///{tmp_path / 'soundstar.db'}")
    user = store.user_for_token(token)
    assert user is not None and user.name == "carol"
    raw = (tmp_path / "soundstar.db").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("*-wal"))
    assert token.encode() not in raw and hash_token(token).encode() in raw  # only the hash is stored
    store.close()
