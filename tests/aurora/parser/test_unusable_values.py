"""Stated values the parser cannot use are reported with what was asked and what is used, never dropped silently."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize(("prompt", "asked", "used"), [
    ("house at 0 bpm", "Asked 0 BPM", "BPM is used"),
    ("house at 100000 bpm", "Asked 100000 BPM", "BPM is used"),
    ("house at -120 bpm", "Asked -120 BPM", "BPM is used"),
    ("a rock song in H minor", "'in H minor' names no key", "is used"),
    ("rock in 17/0 time", "Asked for 17/0 time", "4/4 is used"),
    ("a jazz tune, 10 hours long", "Asked for 10 hours (36000 s)", "not used as the length"),
    ("ambient, duration -5 minutes", "Asked for -5 minutes (-300 s)", "not used as the length"),
    ("meditation music with tibetan bowls 432hz", "Asked for 432hz", "tuned to A = 440 Hz"),
    ("lofi beat, A=432 Hz tuning", "Asked for A=432 Hz", "tuned to A = 440 Hz"),
])
def test_unusable_stated_values_are_warned(aurora: Aurora, prompt: str, asked: str, used: str) -> None:
    result = aurora.process(prompt=prompt)
    assert any(asked in w and used in w for w in result.warnings), result.warnings


def test_out_of_range_duration_from_the_text_names_the_maximum(aurora: Aurora) -> None:
    result = aurora.process(prompt="a 60 minute ambient drone")
    assert any("asks for 3600 s; the maximum is 600 s" in w for w in result.warnings), result.warnings
    assert result.plan.structural_plan.duration_s == 600


@pytest.mark.parametrize("prompt", ["house at 124 bpm in A minor in 4/4, 2 minutes long",
                                    "house, high-pass at 120 Hz, sub bass at 50 hz", "a 440 Hz reference tone"])
def test_usable_values_raise_no_warning(aurora: Aurora, prompt: str) -> None:
    result = aurora.process(prompt=prompt)
    assert not any(w.startswith("Asked") or "names no key" in w for w in result.warnings), result.warnings
