"""The parts stated players play: the prompt's part words first, then the style's line-up, then their nature.

"piano piece in G minor" had its piano comping under an inferred upright piano's melody: a stated player took its
first role in the knowledge base whatever the style, and the style's line-up then filled the empty lead. The line-up
knows the piano leads a neoclassical piece and a distorted guitar riffs (harmony) in a metal band.
"""

from __future__ import annotations

from dataclasses import replace

from aurora.parser.instruments import InstrumentFinding
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre

OWN_LINES = ("lead", "bass")  # the lines a stated player keeps from inferred ones


def lineup_roles(kb: KnowledgeBase, found: list[InstrumentFinding], genre: Genre) -> list[InstrumentFinding]:
    """A stated player whose part the text does not name plays the part the style's line-up gives it: the
    piano of a neoclassical piece leads (it had comped as a piano does first, under an inferred upright piano's
    melody), a metal band's distorted guitar riffs as its harmony (the drum kit then shows as the rhythm). A
    part the text names ("piano chords") stays the text's, and the melody and the bass line stay with stated
    players (OWN_LINES): where the line-up would give every stated one another part, the first that plays it by
    nature still does ("folk song with acoustic guitar and fiddle": the fiddle leads, not an inferred
    harmonica; "violin viola cello": the cello is the bass, not an inferred double bass)."""
    out = []
    for f in found:
        roles = kb.instrument(f.instrument_id).roles
        listed = None if f.cued else next((gi.role for g in kb.genre_lineage(genre.id)
                                           for gi in g.instruments
                                           if gi.instrument == f.instrument_id and gi.role in roles), None)
        out.append(replace(f, role=listed) if listed else f)
    for line in OWN_LINES:
        if not any(f.role == line for f in out):
            first = next((i for i, f in enumerate(found) if f.role == line), None)
            if first is not None:
                out[first] = found[first]
    return out


def filled_roles(kb: KnowledgeBase, found: list[InstrumentFinding]) -> set[str]:
    """The parts stated players fill, which the style's line-up then leaves alone. A strummed or skanking guitar in
    the rhythm part leaves the beat to the style's drums: only a drum fills the drums' part ("reggae with skank
    guitar" and "funk with clavinet" had no drum kit in their line-ups)."""
    return {f.role for f in found if f.role != "rhythm" or kb.instrument(f.instrument_id).drum}
