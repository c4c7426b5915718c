"""A tempo that moves, as people ask it, is read as its curve (Arrangement.tempo_curve, aurora/parser/arrangement.py)
and said in the parse's words."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize(("prompt", "curve"), [
    ("sad piano ballad that slows down at the end", "rit"),
    ("waltz with a ritardando at the end", "rit"),
    ("hymn with a rallentando on the last bars", "rit"),
    ("music box melody slowly winding down at the end", "rit"),
    ("pop ballad that ends with a big ritardando", "rit"),
    ("rock song that speeds up towards the end", "accel"),
    ("dance tune, accelerando at the end", "accel"),
    ("a lullaby that gets slower and slower", "slowing"),
    ("klezmer tune that gets faster and faster", "quickening"),
    ("march that keeps speeding up", "quickening"),
    ("ballad, doesn't slow down at the end", None),
    ("slow ballad in D major", None),
    ("a fast song", None),
])
def test_a_moving_tempo_is_read(aurora: Aurora, prompt: str, curve: str | None) -> None:
    arrangement = aurora.parse(prompt=prompt).parsed_parameters.arrangement
    assert arrangement.tempo_curve == curve
    if curve is not None:
        assert arrangement.words()  # the parse table says so
