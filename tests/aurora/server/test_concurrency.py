"""20 clients at once submitting feedback and generations lose no row, and a restart in the middle keeps every
accepted row and replays the unfinished generations (SQLite file and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .conftest import ALICE, BOB, ServeFn, count, wait_for

API = "/api/v1/aurora"
CLIENTS = 20


def test_twenty_clients_lose_no_row_and_a_restart_keeps_them(serve: ServeFn, db_url: str, tmp_path: Path) -> None:
    service, live = serve(db_url=db_url, queue_size=CLIENTS + 5)
    with live.client(ALICE) as alice, live.client(BOB) as bob:
        sessions = {ALICE: alice.post(f"{API}/parse", json={"prompt": "lo-fi"}).json()["session_id"],
                    BOB: bob.post(f"{API}/parse", json={"prompt": "techno"}).json()["session_id"]}

    def client_work(i: int) -> tuple[int, int, str]:
        token = ALICE if i % 2 else BOB
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
            feedback = client.post(f"{API}/feedback", json={"session_id": sessions[token], "feedback_type": "neutral",
                                                            "comments": f"client {i}"})
            generation = client.post(f"{API}/generate", json={"prompt": f"ambient piece number {i}", "wait": False,
                                                              "options": {"duration_seconds": 5, "stems": False}})
            return feedback.status_code, generation.status_code, generation.json().get("generation_id", "")

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(client_work, range(CLIENTS)))
    assert [o[:2] for o in outcomes] == [(201, 202)] * CLIENTS
    accepted = {o[2] for o in outcomes}
    assert len(accepted) == CLIENTS
    assert count(db_url, "user_feedback") == CLIENTS
    assert count(db_url, "aurora_sessions") == CLIENTS + 2

    live.stop()  # a restart in the middle: waiting jobs are dropped from memory, their rows stay pending
    service2, live2 = serve(db_url=db_url, data_dir=service.settings.data_dir, queue_size=2)
    assert count(db_url, "aurora_sessions") == CLIENTS + 2 and count(db_url, "user_feedback") == CLIENTS
    replay_order = [gid for gid in service2.store.unfinished_generations() if gid in accepted]
    unfinished = set(service2.store.unfinished_generations())
    finished = accepted - unfinished
    assert unfinished and unfinished <= accepted
    with live2.client(ALICE) as alice, live2.client(BOB) as bob:
        statuses = {gid: (alice.get(f"{API}/generate/{gid}").json().get("status")
                          or bob.get(f"{API}/generate/{gid}").json().get("status")) for gid in accepted}
        assert all(s in ("queued", "processing", "completed") for s in statuses.values()), statuses
        assert all(statuses[gid] == "completed" for gid in finished)
        first = replay_order[0]
        owner = alice if alice.get(f"{API}/generate/{first}").status_code == 200 else bob
        assert wait_for(owner, first)["status"] == "completed"  # a replayed job runs after the restart
