"""Instruments users name that the vocabulary lacked went unheard (a prog rock prompt's mellotron, a jug band's
washboard and kazoo): each is now an instrument the parser finds and the line-up plays, and the names a marching band
gives its drums and horns (tenors, field drum, mellophone) are aliases of the instruments they are."""

from __future__ import annotations

import pytest

from aurora import Aurora


def _named(aurora: Aurora, prompt: str) -> set[str]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return {i.name for i in p.instrumentation if i.source == "stated"}


@pytest.mark.parametrize(("prompt", "instruments"), [
    ("progressive rock in 7/8 with mellotron", {"Mellotron"}),
    ("70s prog, mellotron flutes over a 12-string guitar", {"Mellotron Flute"}),  # its flute tapes
    ("prog rock with mellotron choir and moog", {"Mellotron Choir"}),
    ("jug band with washboard and kazoo", {"Washboard", "Kazoo"}),
    ("zydeco, accordion and rubboard", {"Washboard"}),
    ("eerie singing saw over a slow waltz", {"Musical Saw"}),
    ("amapiano with log drums and shakers", {"Log Drum"}),
    ("samba batucada, surdo and tamborim", {"Surdo"}),
    ("80s synth pop with a keytar solo", {"Synth Lead"}),
    ("drumline: snares, tenor drums, marching bass drums and cymbals", {"Snare Drum", "Toms", "Kick Drum"}),
    ("marching band with mellophones and sousaphones", {"French Horn", "Tuba"}),
    ("baroque gigue on a clavichord", {"Harpsichord"}),
    ("horror cue with waterphone scrapes", {"Sound Effects"}),
    # a sound named by a style's name: the 8-bit chip sound plays even where another genre is the one played
    ("video game boss battle music, 8-bit, fast", {"Chiptune Synth"}),
    ("lofi hip hop with chiptune bleeps", {"Chiptune Synth"}),
])
def test_an_instrument_users_name_is_found(aurora: Aurora, prompt: str, instruments: set[str]) -> None:
    assert instruments <= _named(aurora, prompt)
