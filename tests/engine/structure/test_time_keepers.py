"""A kitless band's time keeper (genres.yaml line-up role ``rhythm``: the mariachi's vihuela, the Hawaiian ukulele, a
folk strummer, a bluegrass mandolin) has a part ahead of the line-up's other guessed players; a stated player still
comes first (engine/structure/orchestration.py time_keepers)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.inputs import parse_parameters
from engine.structure.orchestration import orchestrate
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls


def lineup(kb: KnowledgeBase, genre: str) -> list[tuple[str, str]]:
    """(instrument, role) of the genre's band: its line-up and its ancestors' up to one that closes it."""
    lineage = kb.genre_lineage(genre)
    closed = next((k for k, g in enumerate(lineage) if g.own_lineup), None)
    return [(gi.instrument, gi.role) for g in lineage[: None if closed is None else closed + 1] for gi in g.instruments]


def kitless_strummers(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(genre, instrument) for every line-up without a kit whose ``rhythm`` player is a pitched instrument."""
    kit = kb.synth_presets.kit_pieces()
    out = []
    for genre in kb.genres:
        band = lineup(kb, genre.id)
        if band and not any(i in kit for i, _ in band):
            out += [(genre.id, i) for i, role in band if role == "rhythm" and not kb.instrument(i).drum]
    return out


def parts(kb: KnowledgeBase, genre: str, items: list[dict[str, Any]]) -> dict[str, str]:
    controls = make_controls(kb, tempo_bpm=100.0, genre=genre)
    params = parse_parameters({**controls["parameters"], "instrumentation": items})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage(genre), kb=kb)
    return {p.instrument_id: p.role for p in orchestra.parts}


def guessed(kb: KnowledgeBase, genre: str, order: int) -> list[dict[str, Any]]:
    """The genre's band as the parser guesses it, in its order (1) or the reverse (-1)."""
    return [{"name": kb.instrument(i).name, "role": r, "confidence": 0.5, "source": "inferred"}
            for i, r in lineup(kb, genre)[::order]]


def test_the_kitless_strummers_are_the_ones_named() -> None:
    """The class this covers (a test that found no line-up would pass on nothing)."""
    import knowledge_base

    found = set(kitless_strummers(knowledge_base.load()))
    assert {("mariachi", "cuatro"), ("hawaiian", "ukulele"), ("folk", "strummed_guitar"),
            ("bluegrass", "mandolin")} <= found


@pytest.mark.parametrize("order", [1, -1])
def test_a_kitless_band_s_strummer_has_a_part(kb: KnowledgeBase, order: int) -> None:
    """Guessed by the parser in either order, or filled from the line-up with nothing guessed, the time keeper plays
    the comping (a Hawaiian song's guessed acoustic guitar had taken it and the ukulele was never heard; a folk song's
    guitar had taken the strummed guitar's)."""
    for genre, keeper in kitless_strummers(kb):
        for items in (guessed(kb, genre, order), []):
            assert keeper in parts(kb, genre, items), (genre, keeper, order, len(items))


def test_a_stated_player_still_outranks_the_time_keeper(kb: KnowledgeBase) -> None:
    """'a Hawaiian song with an acoustic guitar': the stated guitar comps; the guessed ukulele never takes its part."""
    items = [{"name": "Acoustic Guitar", "role": "", "confidence": 0.9, "source": "stated"},
             *guessed(kb, "hawaiian", 1)]
    played = parts(kb, "hawaiian", items)
    assert played.get("acoustic_guitar") == "harmony", played


@pytest.mark.parametrize(("genre", "picker"), [("hawaiian", "acoustic_guitar"), ("mariachi", "acoustic_guitar"),
                                               ("folk", "acoustic_guitar")])
def test_the_chordal_player_beside_the_strummer_picks(kb: KnowledgeBase, genre: str, picker: str) -> None:
    """The time keeper's comping leaves the line-up's other chordal player the broken chords (the slack-key guitar
    beside the ukulele, the mariachi's guitar beside the vihuela); one of the two had been left out of the band."""
    keeper = next(i for g, i in kitless_strummers(kb) if g == genre)
    played = parts(kb, genre, guessed(kb, genre, 1))
    assert played.get(keeper) == "harmony" and played.get(picker) == "arp", played
