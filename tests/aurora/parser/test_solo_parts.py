"""'Solo' closes a line-up before the instrument ("solo piano") and in a solo piece ("piano solo, sad, 60"); an
instrument's solo played over or beside other parts is a part of a band ("electric guitar solo and synth pads",
"guitar solo over a funky groove"): the genre's players join it."""

from __future__ import annotations

import pytest

from aurora import Aurora


def _lineup(aurora: Aurora, prompt: str) -> tuple[str | None, list[str], list[str]]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    return (p.ensemble, [i.name for i in p.instrumentation if i.source == "stated"],
            [i.name for i in p.instrumentation if i.source != "stated"])


@pytest.mark.parametrize("prompt", [
    "80s power ballad with big drums, electric guitar solo and synth pads",
    "guitar solo over a funky groove",
    "rock song with a long guitar solo",
    "sax solo over smooth jazz chords",
    "slow blues, harmonica solo then a guitar solo",
    "hard rock anthem with a screaming guitar solo over pounding drums",
])
def test_a_solo_within_a_band_leaves_the_line_up_open(aurora: Aurora, prompt: str) -> None:
    ensemble, _, inferred = _lineup(aurora, prompt)
    assert ensemble is None and inferred  # the band around the solo: bass, drums, chords from the genre


@pytest.mark.parametrize(("prompt", "players"), [
    ("solo piano", ["Piano"]),
    ("piano solo, sad, 60", ["Piano"]),
    ("solo acoustic guitar, fingerpicked, calm", ["Acoustic Guitar"]),
    ("violin solo, melancholic, slow", ["Violin"]),
    ("a solo performance on cello", ["Cello"]),
    ("violin solo with piano accompaniment", ["Violin", "Piano"]),
])
def test_a_solo_piece_is_a_closed_line_up(aurora: Aurora, prompt: str, players: list[str]) -> None:
    ensemble, stated, inferred = _lineup(aurora, prompt)
    assert ensemble == "Named instruments only"
    assert stated == players and not inferred


@pytest.mark.parametrize(("prompt", "drums"), [
    ("80s power ballad with big drums, electric guitar solo and synth pads", "Drum Kit"),
    ("power ballad, rock, big drums, guitar solo", "Drum Kit"),
    ("epic trailer music with big drums and brass", "Taiko"),
])
def test_big_drums_are_the_genre_s_own_drums(aurora: Aurora, prompt: str, drums: str) -> None:
    """'Big drums' in a power ballad are a big drum kit, in a trailer the taiko its line-up holds (the alias made
    every one of them a taiko)."""
    assert drums in _lineup(aurora, prompt)[1]
