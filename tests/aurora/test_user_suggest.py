"""Suggestion chips that read as English once applied and agree with Parse (issue 14), on the real suggester."""

from __future__ import annotations

import re

import pytest

from aurora import Aurora

_BROKEN = re.compile(r"\b(?:with|at|in|and|of|a|an|the)\s+(?:with|at|in|of)\b|,\s*,|\b(?:a|an|the|with|at|in),",
                     re.I)


@pytest.mark.parametrize("partial", [
    "sad lofi beat in D minor with ", "sad lofi beat in D minor with", "jazz waltz at ", "ambient drone in",
    "a melancholic", "an upbeat", "song in the style of", "trap, 808, ", "house track", "piano and",
])
def test_applied_chips_read_as_english(aurora: Aurora, partial: str) -> None:
    for s in aurora.suggest(partial_prompt=partial, suggestion_count=6).suggestions:
        assert not _BROKEN.search(s.preview), (partial, s.preview)
        assert s.preview.lower().startswith(partial.rstrip().rstrip(",").lower()[: max(0, len(partial.rstrip()) - 12)])


def test_with_takes_instruments_and_at_takes_a_tempo(aurora: Aurora) -> None:
    with_ = aurora.suggest(partial_prompt="sad lofi beat in D minor with ", suggestion_count=6).suggestions
    assert with_ and {s.dimension for s in with_} <= {"instrumentation", "structure", "completion"}
    at = aurora.suggest(partial_prompt="jazz waltz at ", suggestion_count=6).suggestions
    bpm = aurora.parse(prompt="jazz waltz at ").parsed_parameters.tempo.bpm
    assert [s.dimension for s in at] == ["tempo"] and at[0].preview == f"jazz waltz at {bpm:g} BPM"


def test_a_melancholic_takes_a_genre_as_a_noun(aurora: Aurora) -> None:
    chips = aurora.suggest(partial_prompt="a melancholic", suggestion_count=3).suggestions
    assert chips and all(s.dimension == "genre" for s in chips)
    assert chips[0].preview == "a melancholic lo-fi hip hop"


def test_the_word_being_typed_is_completed(aurora: Aurora) -> None:
    key = aurora.suggest(partial_prompt="sad piano in D mi", suggestion_count=5).suggestions
    assert key[0].preview == "sad piano in D minor"
    assert not any(s.dimension == "key" and s.kind == "missing_dimension" for s in key)  # never "in F major"
    bpm = aurora.suggest(partial_prompt="lofi at 80 bp", suggestion_count=3).suggestions
    assert bpm[0].preview == "lofi at 80 BPM"


@pytest.mark.parametrize("partial", ["ambient drone, no drums ", "a calm piano ballad ", "dark techno "])
def test_chip_values_are_the_ones_parse_picks(aurora: Aurora, partial: str) -> None:
    chips = {s.dimension: s for s in aurora.suggest(partial_prompt=partial, suggestion_count=8).suggestions}
    parsed = aurora.parse(prompt=partial).parsed_parameters
    assert "tempo" in chips and "key" in chips
    assert chips["tempo"].text == f"at {parsed.tempo.bpm:g} BPM", (chips["tempo"].text, parsed.tempo.bpm)
    assert chips["key"].text == f"in {parsed.key_signature.value}"
    applied = aurora.parse(prompt=chips["tempo"].preview).parsed_parameters
    assert applied.tempo.bpm == parsed.tempo.bpm


@pytest.mark.parametrize("partial", ["techno, 5 m", "rain and piano, n", "lofi beat at 12"])
def test_nothing_is_added_after_an_unfinished_word(aurora: Aurora, partial: str) -> None:
    chips = aurora.suggest(partial_prompt=partial, suggestion_count=5).suggestions
    assert all(s.kind == "completion" for s in chips), [s.preview for s in chips]
