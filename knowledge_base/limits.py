"""Limits both layers share: how long a track may be, and how hard Aurora may enhance a prompt.

One owner for each limit: Aurora's contracts, CLI and UI and the engine's facade import these names
instead of restating the numbers. Audio formats, sample rates and channels are the engine's own
(``engine.export``). This module imports neither ``aurora`` nor ``engine``.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Field

MIN_DURATION_S: Final = 5.0
MAX_DURATION_S: Final = 600.0
DEFAULT_DURATION_S: Final = 30.0
DurationS = Annotated[float, Field(ge=MIN_DURATION_S, le=MAX_DURATION_S)]
"""A track length in seconds, 5-600 (spec §5.2.3 duration_seconds)."""

EnhancementLevel = Literal["minimal", "moderate", "aggressive"]
ENHANCEMENT_LEVELS: Final[tuple[EnhancementLevel, ...]] = ("minimal", "moderate", "aggressive")
DEFAULT_ENHANCEMENT_LEVEL: Final[EnhancementLevel] = "moderate"


def duration_in_range(duration_s: float) -> bool:
    """True when ``duration_s`` is a finite number of seconds within MIN_DURATION_S-MAX_DURATION_S."""
    return MIN_DURATION_S <= duration_s <= MAX_DURATION_S


def duration_message(duration_s: float) -> str:
    """The one wording of an out-of-range duration, so every entry point says the same thing."""
    return f"duration must be between {MIN_DURATION_S:g} and {MAX_DURATION_S:g} seconds, got {duration_s:g}"


def ring_out_s(duration_s: float) -> float:
    """The tail after the last full bar where the final chord rings (10% of the track, 0.6-3 s). The planner
    and the composer both count whole bars in ``duration_s - ring_out_s``, so the plan and the MIDI agree."""
    return min(3.0, max(0.6, 0.1 * duration_s))
