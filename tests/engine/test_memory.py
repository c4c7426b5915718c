"""The engine's arrays use small pages (engine/memory.py): numpy's huge-page advice is off once an Engine exists,
unless its config keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from engine import Engine, EngineConfig

multiarray: Any = np._core.multiarray  # type: ignore[attr-defined]  # the switch's private home in numpy 2


@pytest.fixture
def advice() -> Iterator[None]:
    """Whatever a test does to numpy's process-wide switch is undone after it."""
    before = multiarray._get_madvise_hugepage()
    yield
    multiarray._set_madvise_hugepage(before)


def test_an_engine_turns_numpys_huge_page_advice_off(advice: None) -> None:
    multiarray._set_madvise_hugepage(True)
    Engine(device="cpu")
    assert multiarray._get_madvise_hugepage() is False


def test_a_config_can_keep_huge_pages(advice: None) -> None:
    multiarray._set_madvise_hugepage(True)
    Engine(device="cpu", config=EngineConfig(huge_pages=True))
    assert multiarray._get_madvise_hugepage() is True
