"""One spelled chord alone ("jazz ballad, Ebmaj7"; "funk jam, E9") names the home chord: its key, its colour, and
the tonic chord the planner plays so, never a one-chord loop. It was dropped: the ballad was in F major and the funk
jam an E dorian vamp on Em7 (the G the E9 does not have)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.contracts import PlanParameters
from aurora.parser.chords import lone_tonic_chord
from aurora.planner import StructuralPlanner
from knowledge_base import KnowledgeBase
from knowledge_base.theory import parse_chord


@pytest.mark.parametrize(("text", "symbol", "mode"), [
    ("jazz ballad, Ebmaj7, 60 bpm", "Ebmaj7", "major"),
    ("funk jam, slap bass, horns, clavinet, E9, 108 bpm", "E9", "mixolydian"),
    ("lofi beat, Cm7, 80 bpm", "Cm7", "minor"),
    ("house, Am9 pads", "Am9", "minor"),
    ("metal riff E5, 180", None, None),      # a power chord names no mode
    ("Am, 120 bpm", None, None),             # a plain minor chord letter is a key, read by the key parser
    ("Dm7 G7 Cmaj7 changes", None, None),    # several chords: a progression, not a home
    ("slow waltz, Bdim7 suspense", None, None),  # a diminished chord is no home
])
def test_a_lone_spelled_chord(kb: KnowledgeBase, text: str, symbol: str | None, mode: str | None) -> None:
    found = lone_tonic_chord(text, kb.chords)
    assert (found.symbol, found.mode) == (symbol, mode) if symbol else found is None


@pytest.mark.parametrize(("prompt", "key", "home"), [
    ("jazz ballad, Ebmaj7, 60 bpm", "Eb major", "Ebmaj7"),
    ("funk jam, slap bass, horns, clavinet, E9, 108 bpm", "E mixolydian", "E9"),  # not funk's usual dorian
    ("lofi beat, Cm7, 80 bpm", "C dorian", "Cm7"),  # lo-fi's usual dorian holds a Cm7
    ("in C major, Dm7 colour", "C major", None),   # a chord on another tonic than the stated key's is no home
])
def test_the_parse_keeps_the_home_chord(aurora: Aurora, prompt: str, key: str, home: str | None) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.key_signature.value == key and p.tonic_chord == home and p.chords == []


@pytest.mark.parametrize("genre", ["Jazz", "Pop", "Lo-fi Hip Hop", "Rock"])
def test_the_plan_plays_the_home_chord_as_spelled(kb: KnowledgeBase, genre: str) -> None:
    home = {"Jazz": "Ebmaj7", "Pop": "Ebadd9", "Lo-fi Hip Hop": "Ebmaj9", "Rock": "Eb6"}[genre]
    params = PlanParameters(genre=genre, mood="", tempo_bpm=90.0, duration_seconds=60.0, key="Eb major",
                            tonic_chord=home, seed=0)
    plan, _ = StructuralPlanner(kb).plan(params)
    bars = [c for s in plan.sections for c in s.chords]
    tonics = [c for c in bars if (ch := parse_chord(c, kb.chords)) is not None and ch.root_pc == 3
              and ch.bass_pc is None and not ch.is_minor(kb.chords)]
    assert tonics and set(tonics) == {home}
    assert len(set(bars)) >= 3  # the progression moves: the home chord is no one-chord loop


def test_an_llm_parse_keeps_the_spelled_home_chord(aurora: Aurora) -> None:
    """The LLM tiers' parse has no home chord of its own: the user's spelled one goes with the stated key."""
    from aurora.facade import keep_stated

    stated = aurora.parse(prompt="jazz ballad, Ebmaj7, 60 bpm").parsed_parameters
    llm = stated.model_copy(update={"tonic_chord": None, "key_signature": stated.key_signature.model_copy(
        update={"value": "F major"})})
    merged = keep_stated(llm, stated)
    assert merged.tonic_chord == "Ebmaj7" and merged.key_signature.value == "Eb major"
