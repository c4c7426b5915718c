"""Fixtures for the service tests: a real PostgreSQL (started once per session from the PostgreSQL 15 binaries),
SQLite files, the real Aurora and engine, and the app served by uvicorn on a free local port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from aurora import Aurora
from aurora.server import ServerSettings, StudioService, create_app
from aurora.store import Store, sqlite_url

PG_BIN = Path(os.environ.get("SOUNDSTAR_PG_BIN", "/usr/lib/postgresql/15/bin"))
ALICE = "alice-token-0123456789abcdef"
BOB = "bob-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server (initdb + pg_ctl on a temporary folder); yields its admin URL."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN} (.ci/run installs postgresql-15)")
    root = Path(tempfile.mkdtemp(prefix="soundstar-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, port = root / "data", free_port()
    subprocess.run(_as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
                                "UTF8"), check=True, capture_output=True)
    subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                       check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(postgres: str) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(f"{postgres}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{postgres}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "soundstar.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def server_engine() -> Any:
    from engine import Engine

    return Engine()


class LiveServer:
    """uvicorn serving ``app`` on a free port in a thread; ``stop`` runs the app's shutdown (queue stop)."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(300)

    def client(self, token: str | None = ALICE, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=600, **kwargs)


ServeFn = Callable[..., tuple[StudioService, LiveServer]]


@pytest.fixture
def serve(tmp_path: Path, aurora: Aurora, server_engine: Any) -> Iterator[ServeFn]:
    """serve(db_url=..., engine=..., **settings) -> (service, started live server); all stopped at teardown."""
    started: list[LiveServer] = []

    def start(*, db_url: str | None = None, engine: Any = None, data_dir: Path | None = None,
              blocks: Any = None, aurora_override: Aurora | None = None,
              **settings: Any) -> tuple[StudioService, LiveServer]:
        config = ServerSettings(data_dir=data_dir or tmp_path / "data",
                                database_url=db_url or sqlite_url(tmp_path / "soundstar.db"),
                                api_tokens={"alice": ALICE, "bob": BOB}, **settings)
        service = StudioService.create(config, aurora=aurora_override or aurora, engine=engine or server_engine)
        live = LiveServer(create_app(service, blocks=blocks)).start()
        started.append(live)
        return service, live

    yield start
    for live in started:
        live.stop()


def wait_for(client: httpx.Client, generation_id: str, *, timeout_s: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/aurora/generate/{generation_id}").json()
        if body["status"] in ("completed", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def count(url: str, table: str) -> int:
    store = Store.open(url, run_migrations=False)
    try:
        return store.count(table)
    finally:
        store.close()
