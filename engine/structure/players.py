"""Who plays each section: a plan may name a section's players ("starts with solo piano, then the whole band
comes in" opens on the piano alone; a user's edit can thin any section). The composer writes every part for
every section; this pass takes out the notes of parts a section does not name, so the rest of the arrangement
(voicings, melody, the band's entrance) is the one the full line-up plays."""

from __future__ import annotations

from collections.abc import Sequence

from engine.inputs import SectionIn
from engine.score import SectionSpan, Track
from knowledge_base import KnowledgeBase


def keep_section_players(tracks: Sequence[Track], spans: Sequence[SectionSpan], sections: Sequence[SectionIn],
                         kb: KnowledgeBase) -> None:
    """Silence, within each section that names its players, every track not played by one of them. A section
    whose named players play no track keeps the whole line-up (a plan never silences a section by a name the
    band does not have)."""
    by_name = {s.name: s for s in sections}
    for span in spans:
        section = by_name.get(span.name)
        if section is None or not section.instruments:
            continue
        ids = {found.id for found in (kb.find_instrument(name) for name in section.instruments) if found}
        players = [t for t in tracks if t.instrument_id in ids]
        if not players:
            continue
        start, end = span.start_s - 1e-6, span.start_s + span.duration_s - 1e-6
        for track in tracks:
            if track not in players:
                track.notes = [n for n in track.notes if not start <= n.start_s < end]
