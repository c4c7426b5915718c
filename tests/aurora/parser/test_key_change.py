"""Key changes asked for by a step or a place, not a key (the parser read only "modulates to E major")."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.key_change import parse_key_change


@pytest.mark.parametrize(("text", "semitones", "at"), [
    ("ballad in Bb, key change up a half step for the last chorus", 1, "last chorus"),
    ("power ballad with a key change", 1, "last chorus"),  # the pop lift
    ("gospel, modulates up a whole step in the bridge", 2, "bridge"),
    ("a semitone key change into the final chorus", 1, "last chorus"),
    ("song that changes key down a semitone at the end", -1, "outro"),
    ("truck driver's gear change before the last chorus", 1, "last chorus"),
    ("pop song in C major that modulates to D major in the final chorus", None, "last chorus"),  # parse_key's
])
def test_a_change_by_step_and_place(text: str, semitones: int | None, at: str) -> None:
    found = parse_key_change(text)
    assert found is not None and (found.semitones, found.at) == (semitones, at)


@pytest.mark.parametrize("text", ["no key change, pop song in G", "uk garage 2step 132", "a step sequencer groove",
                                  "techno with a key lift-off"])
def test_no_change_asked(text: str) -> None:
    assert parse_key_change(text) is None


def test_the_parse_carries_the_later_key_and_says_how_it_read_a_step(aurora: Aurora) -> None:
    result = aurora.parse(prompt="ballad in Bb, key change up a half step for the last chorus")
    key = result.parsed_parameters.key_signature
    assert (key.value, key.changes, key.change_at) == ("Bb major", ["B major"], "last chorus")
    assert any("up 1 semitone" in w for w in result.warnings)
    named = aurora.parse(prompt="rock song in E, modulating to F# for the outro").parsed_parameters.key_signature
    assert named.changes and named.changes[0].endswith("major") and named.change_at == "outro"
