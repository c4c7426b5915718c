"""Limits both layers share: how long a track may be, how hard Aurora may enhance a prompt, which meters,
seeds and suggestion counts are accepted.

One owner for each limit: Aurora's contracts, CLI and UI and the engine's facade import these names
instead of restating the numbers. Audio formats, sample rates and channels are the engine's own
(``engine.export``). This module imports neither ``aurora`` nor ``engine``.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, Field

from knowledge_base.tempo_curve import curved_music_bars

MIN_DURATION_S: Final = 5.0
MAX_DURATION_S: Final = 600.0
DEFAULT_DURATION_S: Final = 30.0
DurationS = Annotated[float, Field(ge=MIN_DURATION_S, le=MAX_DURATION_S)]
"""A track length in seconds, 5-600 (spec §5.2.3 duration_seconds)."""

MIN_TEMPO_BPM: Final = 20.0
MAX_TEMPO_BPM: Final = 300.0
TempoBpm = Annotated[float, Field(ge=MIN_TEMPO_BPM, le=MAX_TEMPO_BPM)]
"""A tempo in beats per minute, 20-300."""

EnhancementLevel = Literal["minimal", "moderate", "aggressive"]
ENHANCEMENT_LEVELS: Final[tuple[EnhancementLevel, ...]] = ("minimal", "moderate", "aggressive")
DEFAULT_ENHANCEMENT_LEVEL: Final[EnhancementLevel] = "moderate"


def duration_in_range(duration_s: object) -> bool:
    """True when ``duration_s`` is a finite number (not a bool or text) of seconds within
    MIN_DURATION_S-MAX_DURATION_S."""
    if isinstance(duration_s, bool) or not isinstance(duration_s, numbers.Real):
        return False
    try:
        seconds = float(duration_s)
    except (OverflowError, ValueError):
        return False
    return MIN_DURATION_S <= seconds <= MAX_DURATION_S


def duration_message(duration_s: object) -> str:
    """The one wording of an out-of-range duration, so every entry point says the same thing."""
    shown = _shown(duration_s)
    if isinstance(duration_s, numbers.Real) and not isinstance(duration_s, bool):
        with contextlib.suppress(OverflowError):
            shown = f"{float(duration_s):g}"
    return f"duration must be between {MIN_DURATION_S:g} and {MAX_DURATION_S:g} seconds, got {shown}"


# ---------------------------------------------------------------- meter, seed, suggestions
MIN_BEATS_PER_BAR: Final = 1
MAX_BEATS_PER_BAR: Final = 15
BEAT_UNITS: Final[tuple[int, ...]] = (2, 4, 8, 16)
"""A time signature is 'N/D' with N beats per bar (1-15) and a beat unit D of 2, 4, 8 or 16."""

MIN_SEED: Final = 0
MAX_SEED: Final = 2**32 - 1
"""Seeds are unsigned 32-bit integers (numpy's and the engine's generators take them as they are)."""

MIN_SUGGESTIONS: Final = 1
MAX_SUGGESTIONS: Final = 10
DEFAULT_SUGGESTIONS: Final = 5


def meter_problem(time_signature: object) -> str | None:
    """None when ``time_signature`` is a supported 'N/D' meter, else the one wording of what is wrong."""
    if not isinstance(time_signature, str):
        return f"time signature must be text like '3/4', got {type(time_signature).__name__}"
    parts = time_signature.strip().split("/")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        return f"time signature must look like '3/4', got {time_signature[:20]!r}"
    top, bottom = int(parts[0]), int(parts[1])
    if not MIN_BEATS_PER_BAR <= top <= MAX_BEATS_PER_BAR or bottom not in BEAT_UNITS:
        return (f"time signature {time_signature!r} is not supported: {MIN_BEATS_PER_BAR}-{MAX_BEATS_PER_BAR} beats "
                f"per bar over {', '.join(map(str, BEAT_UNITS))}")
    return None


def check_meter(time_signature: str) -> str:
    """Pydantic after-validator for meter fields: the canonical 'N/D' text, or ValueError."""
    problem = meter_problem(time_signature)
    if problem:
        raise ValueError(problem)
    top, bottom = time_signature.strip().split("/")
    return f"{int(top)}/{int(bottom)}"


Meter = Annotated[str, AfterValidator(check_meter)]
"""A supported time signature such as '4/4', '6/8' or '7/8'."""
Seed = Annotated[int, Field(ge=MIN_SEED, le=MAX_SEED)]
"""A random seed, 0 to 2**32 - 1."""


def seed_message(seed: object) -> str:
    return f"seed must be a whole number from {MIN_SEED} to {MAX_SEED}, got {_shown(seed)}"


def suggestion_count_message(count: object) -> str:
    return f"suggestion_count must be a whole number from {MIN_SUGGESTIONS} to {MAX_SUGGESTIONS}, got {_shown(count)}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


MIN_RING_OUT_S: Final = 0.6
PHRASE_BARS: Final = 4  # a main section's phrase unit (aurora.bar_grid.MAIN_UNIT_BARS)


def ring_out_s(duration_s: float) -> float:
    """The tail after the last full bar where the final chord rings (10% of the track, 0.6-3 s), at most: a bar
    short of whole phrases is taken from it (``music_bars``)."""
    return min(3.0, max(MIN_RING_OUT_S, 0.1 * duration_s))


def loop_bars(duration_s: float, bar_s: float) -> int:
    """A seamless loop's length in bars: whole phrases (PHRASE_BARS), as near the asked duration as the grid allows;
    no ring-out (the end runs into the start)."""
    return max(PHRASE_BARS, round(duration_s / bar_s / PHRASE_BARS) * PHRASE_BARS)


def music_bars(duration_s: float, bar_s: float, *, loop: bool = False, tempo_curve: str | None = None) -> int:
    """Whole bars before the ring-out: the planner and the composer both count them here, so the plan and the MIDI
    agree. A count one bar short of the 4-bar phrase grid takes that bar from the ring-out while the final chord
    keeps MIN_RING_OUT_S: a 30 s ballad at 66 BPM had 7 bars (a 4-bar chorus and a 3-bar tag, no verse) where
    verse and chorus fit with 0.9 s left to ring. A tempo that slows (``tempo_curve``) makes its bars longer: those
    it would push past the asked duration are left out (knowledge_base.tempo_curve)."""
    if loop:  # every bar is music: the piece runs into its own start
        return max(1, round(duration_s / bar_s))
    bars = max(1, math.floor((duration_s - ring_out_s(duration_s)) / bar_s + 1e-6))
    if (bars + 1) % PHRASE_BARS == 0 and (bars + 1) * bar_s <= duration_s - MIN_RING_OUT_S + 1e-6:
        bars += 1
    return curved_music_bars(bars, bar_s, duration_s, MIN_RING_OUT_S, tempo_curve)

