"""Who plays each section: a plan may name a section's players ("starts with solo piano, then the whole band
comes in" opens on the piano alone, "then the drums come in" rests them until then; a user's edit can thin any
section). The composer writes every part for
every section; this pass takes out the notes of parts a section does not name, so the rest of the arrangement
(voicings, melody, the band's entrance) is the one the full line-up plays."""

from __future__ import annotations

from collections.abc import Sequence

from engine.inputs import SectionIn
from engine.score import SectionSpan, Track
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import PART_PREFIX


def keep_section_players(tracks: Sequence[Track], spans: Sequence[SectionSpan], sections: Sequence[SectionIn],
                         kb: KnowledgeBase) -> None:
    """Silence, within each section that names its players, every track not played by one of them, and the tracks
    of the players it names as resting ("slow intro, then the drums come in"). A section whose named players play
    no track keeps the whole line-up (a plan never silences a section by a name the band does not have)."""
    by_name = {s.name: s for s in sections}
    for span in spans:
        section = by_name.get(span.name)
        if section is None or not (section.instruments or section.resting):
            continue
        players = [t for name in section.instruments or [] for t in played_by(tracks, name, kb)]
        silent = [t for t in tracks if t not in players] if players else []
        pieces = _piece_notes(section.resting, kb)  # "no kick in the breakdown": those notes of the drums
        silent += [t for name in section.resting for t in played_by(tracks, name, kb) if name not in pieces]
        if len(set(map(id, silent))) >= len(tracks):  # never the whole band: a section always sounds
            continue
        start, end = span.start_s - 1e-6, span.start_s + span.duration_s - 1e-6
        end = float("inf") if span is spans[-1] else end  # the last section's players ring its final chord too
        for track in silent:
            track.notes = [n for n in track.notes if not start <= n.start_s < end]
        notes = frozenset().union(*pieces.values()) if pieces else frozenset()
        for track in (t for t in tracks if t.is_drum and notes):
            track.notes = [n for n in track.notes if not (start <= n.start_s < end and n.pitch in notes)]


def leads_alone(section: SectionIn, lead: Track | None, kb: KnowledgeBase) -> bool:
    """Whether the section's named players include the lead's ("starts with just a cello", the cello on the tune):
    the lead then plays there even where it would rest (an intro), or the section would be silent."""
    return lead is not None and any(played_by([lead], name, kb) for name in section.instruments or [])


def _piece_notes(names: Sequence[str], kb: KnowledgeBase) -> dict[str, frozenset[int]]:
    """The kit pieces among ``names`` and the GM notes each plays."""
    found = {name: inst for name in names if (inst := kb.find_instrument(name)) is not None}
    notes = {name: kb.synth_presets.piece_notes(inst.id) for name, inst in found.items()}
    return {name: played for name, played in notes.items() if played}


def played_by(tracks: Sequence[Track], name: str, kb: KnowledgeBase) -> list[Track]:
    """The tracks a named player plays: that instrument's; else, for a drum kit or kit piece, every drum track (the
    'Drum Kit' of a lo-fi beat is its drum machine); else those of its kind ('Guitar': the lead and rhythm guitars),
    and for a bass the band's bass part. A part ('part:lead') is whoever plays it."""
    if name.startswith(PART_PREFIX):  # a part, whoever plays it ("no melody in the intro": "part:lead")
        role = name[len(PART_PREFIX):]
        return [t for t in tracks if (t.is_drum if role == "rhythm" else t.role == role)]
    found = kb.find_instrument(name)
    exact = [t for t in tracks if found is not None and t.instrument_id == found.id]
    if exact or found is None:
        return exact
    if found.drum or found.family == "drums":
        return [t for t in tracks if t.is_drum]
    kind = found.name.lower().split()[-1]
    akin = [t for t in tracks if not t.is_drum and (inst := kb.find_instrument(t.instrument_id)) is not None
            and inst.name.lower().split()[-1] == kind]
    # a bass of another make is the band's bass ("bass solo" read as a bass guitar, played by a trio's double bass)
    return akin or ([t for t in tracks if t.role == "bass"] if found.roles[:1] == ["bass"] else [])
