"""Checks the style vocabulary tests share: a named style parses with its own band and its named players, plays its
own groove, and the grids of its grooves (tests/aurora/parser/test_*_styles.py)."""

from __future__ import annotations

from aurora import Aurora
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase


def assert_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str, genre: str, style: str) -> None:
    """The genre and sub-genre are the style's, and every guessed player comes from its line-up."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    entry = kb.genre(style)
    assert (p.genre.value, p.sub_genre.value) == (genre, entry.name)
    lineup = {kb.instrument(i.instrument).name for i in entry.instruments}
    inferred = [i.name for i in p.instrumentation if i.source == "inferred"]
    assert inferred and set(inferred) <= lineup, inferred


def assert_players_stated(aurora: Aurora, prompt: str, players: set[str]) -> None:
    """Every one of the style's own players the prompt names is read as stated (KB names)."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert players <= {i.name for i in p.instrumentation if i.source == "stated"}


def assert_own_groove(kb: KnowledgeBase, genre: str, meter: str, groove: str) -> None:
    pattern, style = select_groove(kb.grooves, kb.genre_lineage(genre), Meter.parse(meter))
    assert pattern.id == groove and style.id == groove


def hits(grid: str) -> list[int]:
    return [i for i, c in enumerate(grid) if c in "Xx"]


def groove_levels(kb: KnowledgeBase, groove_id: str) -> dict[str, dict[str, str]]:
    return next(g for g in kb.grooves if g.id == groove_id).levels
