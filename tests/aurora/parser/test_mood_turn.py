"""A mood that turns on the way ("starts sad and ends hopeful") is read as the mode the piece ends in, and the
inferred key starts in the other mode (aurora/parser/mood_turn.py, aurora/parser/habits.py)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.mood_turn import parse_turn
from knowledge_base import KnowledgeBase


@pytest.mark.parametrize(("text", "turn"), [
    ("a piano piece that starts sad and ends hopeful", "major"),   # start ... end
    ("begins very sad and becomes really hopeful", "major"),       # words around the moods
    ("starts in minor and ends in major, acoustic guitar", "major"),  # the modes by name
    ("cinematic track from dark to triumphant", "major"),          # from ... to
    ("sadness turning to hope, piano and strings", "major"),       # nouns of the moods
    ("a sad-to-happy journey", "major"),
    ("happy at first, then sad, indie folk", "minor"),             # at first ... then
    ("a sad piano piece with a hopeful ending", "major"),          # the end alone, the start stated elsewhere
    ("in D minor, with a hopeful ending", "major"),
    ("dark ambient that slowly turns triumphant", "major"),
    ("lofi beat that starts melancholic and gets happier", "major"),  # a comparative
])
def test_a_turning_mood_is_read_as_the_mode_it_ends_in(kb: KnowledgeBase, text: str, turn: str) -> None:
    assert parse_turn(text, kb.find_mood) == turn


@pytest.mark.parametrize("text", [
    "starts quiet and builds to a big finish",  # a loudness arc, no mood of a mode
    "from 80 to 120 bpm",
    "sad to see it end",
    "starts sad, stays sad",
    "happy pop with a happy ending",            # one mode all through
    "an uplifting song with a hopeful ending",  # the end's mode is the only one stated
])
def test_no_turn_where_the_text_asks_none(kb: KnowledgeBase, text: str) -> None:
    assert parse_turn(text, kb.find_mood) is None


def test_the_inferred_key_starts_in_the_mode_the_mood_turns_from(aurora: Aurora) -> None:
    for text, start in (("pop song that goes from melancholy to happy", "minor"),
                        ("indie folk, happy at first, then sad", "major")):
        parsed = aurora.parse(prompt=text).parsed_parameters
        assert parsed.arrangement.turn == {"minor": "major", "major": "minor"}[start]
        assert (parsed.key_signature.value or "").endswith(start)
        assert "turns to" in parsed.arrangement.words()
    stated = aurora.parse(prompt="rock song in E minor that ends on a hopeful note").parsed_parameters
    assert stated.key_signature.value == "E minor" and stated.arrangement.turn == "major"
