"""The engine's arrays use small pages (engine/memory.py): numpy's huge-page advice is off once an Engine exists,
unless the person set numpy's own switch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from engine import Engine
from engine.memory import HUGEPAGE_ENV, prefer_small_pages

multiarray: Any = np._core.multiarray  # type: ignore[attr-defined]  # the switch's private home in numpy 2


@pytest.fixture
def advice() -> Iterator[None]:
    """Whatever a test does to numpy's process-wide switch is undone after it."""
    before = multiarray._get_madvise_hugepage()
    yield
    multiarray._set_madvise_hugepage(before)


def test_an_engine_turns_numpys_huge_page_advice_off(advice: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HUGEPAGE_ENV, raising=False)
    multiarray._set_madvise_hugepage(True)
    Engine(device="cpu")
    assert multiarray._get_madvise_hugepage() is False


def test_numpys_own_switch_wins(advice: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HUGEPAGE_ENV, "1")
    multiarray._set_madvise_hugepage(True)
    assert prefer_small_pages() is False
    assert multiarray._get_madvise_hugepage() is True
