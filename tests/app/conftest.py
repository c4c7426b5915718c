"""Fixtures for the app tests: a fake Aurora for callback tests, the real one (and the real engine) for
the Generate callbacks and the live server."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from fake_aurora import FakeAurora


def _real_aurora_class() -> type[Any] | None:
    try:
        from aurora import Aurora
    except ImportError:
        return None
    return Aurora


def pytest_report_header() -> str:
    which = "real Aurora" if _real_aurora_class() else "FakeAurora (aurora.Aurora not importable yet)"
    return f"app live tests use: {which}"


@pytest.fixture
def fake_aurora() -> FakeAurora:
    return FakeAurora()


@pytest.fixture(scope="session")
def live_aurora() -> Any:
    """The real facade once it exists (the live tests must exercise it), else the fake."""
    cls = _real_aurora_class()
    if cls is None:
        return FakeAurora()
    aurora = cls()
    aurora.warm_up()  # as app.main() does: the cold start is measured by bench/, not by UI timeouts
    return aurora


@pytest.fixture(scope="session")
def live_engine() -> Any:
    """One real engine for the whole run (its drum one-shot cache and knowledge load are reused)."""
    from engine import Engine

    return Engine()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(live_aurora: Any, live_engine: Any) -> Iterator[str]:
    """The app served on a free local port in a background thread, for the client and browser tests."""
    import app
    from aurora.ui.theme import launch_options

    blocks = app.build_app(live_aurora, live_engine)
    blocks.launch(server_name="127.0.0.1", server_port=_free_port(), prevent_thread_lock=True, quiet=True,
                  **launch_options())
    try:
        yield str(blocks.local_url)
    finally:
        blocks.close()
