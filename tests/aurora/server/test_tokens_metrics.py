"""Tokens listed and revoked (store and CLI; a revoked token answers 401 on a live server, and configuration does not
bring it back), and /metrics closed to callers without a token once auth is configured or the address is public."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from aurora.server import ServerSettings
from aurora.store import Store, hash_token, sqlite_url

from .conftest import ALICE, BOB, ServeFn

API = "/api/v1/aurora"
SCRAPER = "scraper-token-0123456789abcdef"


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from aurora.server.__main__ import main

    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tokens_are_listed_by_fingerprint_and_revoked_for_good(db_url: str) -> None:
    store = Store.open(db_url)
    first, second = store.create_token("alice"), store.create_token("alice")
    store.add_token("bob", BOB)
    listed = store.list_tokens()
    assert [t.user for t in listed] == ["alice", "alice", "bob"]
    assert [t.fingerprint for t in listed] == [hash_token(x)[:12] for x in (first, second, BOB)]
    assert all(t.revoked_at is None for t in listed)
    assert [t.fingerprint for t in store.list_tokens("bob")] == [hash_token(BOB)[:12]]

    [revoked] = store.revoke_tokens(token_id=listed[0].id)
    assert revoked.user == "alice" and revoked.revoked_at is not None
    assert store.user_for_token(first) is None and store.user_for_token(second) is not None
    assert store.revoke_tokens(token_id=listed[0].id) == []  # already revoked: nothing matches
    assert [t.id for t in store.list_tokens()] == [listed[1].id, listed[2].id]
    assert len(store.list_tokens(include_revoked=True)) == 3
    assert store.token_count() == 3 and store.token_count(live_only=True) == 2

    store.add_token("bob", BOB)  # idempotent
    [by_print] = store.revoke_tokens(fingerprint=hash_token(BOB)[:8])
    assert by_print.user == "bob"
    store.add_token("bob", BOB)  # a revoked token listed in the configuration stays revoked
    assert store.user_for_token(BOB) is None
    with pytest.raises(ValueError, match="8 characters"):
        store.revoke_tokens(fingerprint="abc")
    with pytest.raises(ValueError, match="say which"):
        store.revoke_tokens()
    assert [t.user for t in store.revoke_tokens(user_name="alice")] == ["alice"]
    assert store.token_count(live_only=True) == 0
    store.close()


def test_token_cli_creates_lists_and_revokes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOUNDSTAR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOUNDSTAR_DATABASE_URL", raising=False)
    code, carol, _ = _cli(["token", "create", "carol"], capsys)
    assert code == 0
    code, dave, _ = _cli(["token", "dave"], capsys)  # the short form still creates
    carol, dave = carol.strip(), dave.strip()
    assert code == 0 and carol.startswith("sst_") and dave.startswith("sst_")

    code, out, _ = _cli(["token", "list"], capsys)
    assert code == 0 and carol not in out and dave not in out  # never the tokens themselves
    assert hash_token(carol)[:12] in out and hash_token(dave)[:12] in out and "live" in out
    carol_id = next(line.split()[0] for line in out.splitlines() if hash_token(carol)[:12] in line)

    code, out, err = _cli(["token", "revoke", carol_id], capsys)
    assert code == 0 and "carol" in out and "1 token(s) revoked" in err
    code, out, _ = _cli(["token", "list"], capsys)
    assert hash_token(carol)[:12] not in out and hash_token(dave)[:12] in out
    code, out, _ = _cli(["token", "list", "--all", "--user", "carol"], capsys)
    assert hash_token(carol)[:12] in out and "revoked" in out
    assert _cli(["token", "revoke", carol_id], capsys)[0] == 1  # nothing live matched
    assert _cli(["token", "revoke", "--fingerprint", "ab"], capsys)[0] == 2
    assert _cli(["token", "revoke", "--token", dave], capsys)[0] == 0

    store = Store.open(sqlite_url(tmp_path / "soundstar.db"))
    assert store.user_for_token(carol) is None and store.user_for_token(dave) is None
    store.close()


def test_a_revoked_token_answers_401_on_the_live_server(serve: ServeFn) -> None:
    service, live = serve()
    with live.client(ALICE) as alice, live.client(BOB) as bob:
        assert alice.get(f"{API}/history").status_code == 200
        assert bob.get(f"{API}/history").status_code == 200
        service.store.revoke_tokens(token=ALICE)
        refused = alice.get(f"{API}/history")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "AURORA_AUTH_INVALID"
        assert alice.post(f"{API}/parse", json={"prompt": "lo-fi beat"}).status_code == 401
        assert bob.get(f"{API}/history").status_code == 200  # other users' tokens keep working


def test_metrics_need_a_token_once_auth_is_configured(serve: ServeFn) -> None:
    _, live = serve()  # API tokens configured (alice, bob)
    anon = httpx.get(f"{live.url}/metrics")
    assert anon.status_code == 401 and anon.json()["error"]["code"] == "AURORA_AUTH_REQUIRED"
    assert anon.headers["www-authenticate"] == "Bearer"
    wrong = httpx.get(f"{live.url}/metrics", headers={"Authorization": "Bearer not-a-token-at-all"})
    assert wrong.status_code == 401 and "soundstar_requests_total" not in wrong.text
    with live.client(ALICE) as alice:
        ok = alice.get("/metrics")
    assert ok.status_code == 200 and "soundstar_queue_depth" in ok.text


def test_a_metrics_token_is_the_only_key_when_set(serve: ServeFn) -> None:
    _, live = serve(metrics_token=SCRAPER)
    assert httpx.get(f"{live.url}/metrics", headers={"Authorization": f"Bearer {SCRAPER}"}).status_code == 200
    with live.client(ALICE) as alice:
        assert alice.get("/metrics").status_code == 401  # a user's API token is not a scraper's
        assert alice.get(f"{API}/history").status_code == 200
    assert httpx.get(f"{live.url}/metrics").status_code == 401


def test_metrics_open_without_auth_on_loopback_and_closed_on_a_public_address(tmp_path: Path) -> None:
    from aurora.server import StudioService, create_app

    from .conftest import LiveServer

    def live_with(**settings: object) -> tuple[LiveServer, StudioService]:
        config = ServerSettings(data_dir=tmp_path / str(len(settings)), database_url=sqlite_url(
            tmp_path / f"{len(settings)}-{'-'.join(settings)}.db"), **settings)  # type: ignore[arg-type]
        service = StudioService.create(config, engine=object())  # type: ignore[arg-type]
        return LiveServer(create_app(service)).start(), service

    local, local_service = live_with()  # loopback, no token anywhere: a developer's machine
    public, _ = live_with(public=True)  # a Space: closed even before any token exists
    forced, _ = live_with(public=True, metrics_open=True)  # the operator opens it on purpose
    try:
        assert httpx.get(f"{local.url}/metrics").status_code == 200
        assert httpx.get(f"{public.url}/metrics").status_code == 401
        assert httpx.get(f"{forced.url}/metrics").status_code == 200
        token = local_service.store.create_token("ops")  # a token created later closes it
        assert httpx.get(f"{local.url}/metrics").status_code == 401
        assert httpx.get(f"{local.url}/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        for live in (local, public, forced):
            live.stop()


def test_metrics_settings_from_the_environment() -> None:
    env = {"SOUNDSTAR_METRICS_TOKEN": SCRAPER, "SOUNDSTAR_METRICS_OPEN": "off"}
    settings = ServerSettings.from_env(env)
    assert settings.metrics_token == SCRAPER and settings.metrics_open is False
    assert ServerSettings.from_env({"SOUNDSTAR_METRICS_OPEN": "auto"}).metrics_open is None
    assert ServerSettings.from_env({"SOUNDSTAR_METRICS_OPEN": "1"}).metrics_open is True
    with pytest.raises(ValueError):
        ServerSettings.from_env({"SOUNDSTAR_METRICS_TOKEN": "short"})
