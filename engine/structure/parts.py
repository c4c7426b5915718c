"""The orchestra's parts as score tracks, and what the hand-percussion tracks play.

A track a part: the drums on the groove's kit at the tempo (brushes on a jazz ballad, sticks above) unless a
whole-kit instrument chooses another (resolve_kit: an 808, "live drums" in a lo-fi beat), whose track it then is;
a pitched part on its instrument's preset. Each stated hand-percussion instrument has a track of its own
(orchestration.percussion_parts): the first is named "percussion", the others "percussion_<instrument>", so every
stem is one instrument a person asked for. Each plays the groove's own line for a voice where the groove writes one
(grooves.yaml levels: the cha-cha-chá güiro, the son clave) and its voice's figure where it writes none
(engine/structure/percussion.py); a line a percussion part plays leaves the kit's patterns, so it is heard once (a
stated shaker in a bossa had doubled the kit's written shaker, 106 of its 112 hits on a step with the kit's).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.ddsp.presets import gm_program_for, resolve_kit, resolve_preset
from engine.score import Track
from engine.structure import drums as drum_parts
from engine.structure.meter import Meter
from engine.structure.orchestration import Orchestra
from engine.structure.percussion import line_voice, percussion_pattern, written_line
from knowledge_base import KnowledgeBase
from knowledge_base.sound import Groove


def make_tracks(orchestra: Orchestra, kb: KnowledgeBase, style: Groove, tempo_bpm: float) -> list[Track]:
    """A track a part; the drums on the groove's kit at this tempo (brushes on a jazz ballad, sticks above), unless
    a stated instrument names a kit."""
    tracks: list[Track] = []
    for part in orchestra.parts:
        inst = kb.find_instrument(part.instrument_id)
        name = part.role if all(t.name != part.role for t in tracks) else f"{part.role}_{part.instrument_id}"
        if part.role in ("drums", "percussion"):
            kit, chooser = resolve_kit(kb, orchestra.kit_choices, style.kit_at(tempo_bpm)) \
                if part.role == "drums" else ("percussion", None)
            tracks.append(Track(name, part.role, chooser or part.instrument_id, kit, 0, True,
                                featured=part.role in orchestra.stated_roles and not part.guessed))
        else:
            preset = resolve_preset(kb, inst, role=part.role)
            tracks.append(Track(name, part.role, part.instrument_id, preset, gm_program_for(inst, preset, kb),
                                False, featured=part.role in orchestra.stated_roles))
    return tracks


def percussion_voices(orchestra: Orchestra, tracks: list[Track]) -> list[tuple[Track, tuple[str, ...]]]:
    """Each percussion track with the drum voices its instrument plays (the parts and tracks are in one order)."""
    return [(t, p.voices or orchestra.percussion_voices) for p, t in zip(orchestra.parts, tracks, strict=True)
            if p.role == "percussion"]


Grids = list[tuple[Track, dict[str, str], frozenset[str]]]  # a percussion track, its bar (voice -> grid), the lines


def percussion_grids(players: list[tuple[Track, tuple[str, ...]]], *, levels: Mapping[str, Mapping[str, str]],
                     meter: Meter, level: str, pickup: tuple[int, dict[str, str]] | None = None) -> Grids:
    """What every percussion track plays in a bar at ``level``, with the groove voices whose lines it plays: the
    groove's line for each voice it writes (a voice it writes at other levels only rests here; a wood block plays
    the clave's), the voice's figure for the others. A stated part plays at every level (thinner when quiet: a part
    the groove leaves silent here plays its nearest level's line, thinned); the line-up's percussion plays the
    groove's lines at every level too (in a band without a kit they are its rhythm: a charanga's güiro in a quiet
    verse) and its own figures above the low level only. ``pickup`` (drums.genre_pickup: the groove's fill's last
    beat) when the bar leads into a new section: a voice the fill writes plays it there, in place of its line (a
    charanga's timbales roll into the verse), so a band without a kit leads in too; the kit's fill leaves it to them."""
    start, tail = pickup if pickup is not None else (meter.steps_per_bar, {})
    out: Grids = []
    for track, voices in players:
        sources = {v: line_voice(levels, v, meter) for v in voices}
        grids: dict[str, str] = {}
        for v, src in sources.items():
            line = None if src is None else written_line(levels, src, meter, level)
            if line is None and (level != "low" or track.featured):
                line = percussion_pattern(v, meter, level, alone=len(voices) == 1)
            grids[v] = line or ""
        if track.featured and not any(g.strip(".") for g in grids.values()):
            grids = {v: "" if src is None else written_line(levels, src, meter, level, borrow=True) or ""
                     for v, src in sources.items()}
        if track.featured:  # a line of ghost notes is a kit's shading; a stated player's only line is heard (a
            grids = {v: g.replace("o", "x") if "x" not in g.lower() else g  # house track's stated shaker had
                     for v, g in grids.items()}  # played the groove's ghosts at -23 dB under the mix)
        lead_in = {v for v in voices if v in tail}
        grids.update({v: (grids[v] or "." * start)[:start] + tail[v][start:] for v in lead_in})
        bar = {v: g for v, g in grids.items() if g.strip(".")}
        lines = {src for v, src in sources.items() if v in bar and src is not None} | lead_in
        out.append((track, bar, frozenset(lines)))
    return out


def kit_without(patterns: dict[str, str], grids: Grids) -> dict[str, str]:
    """The kit's patterns less the lines a percussion part plays this bar: a line is played once, by its player."""
    played = {v for _t, bar, lines in grids for v in (*bar, *lines)}
    return {v: p for v, p in patterns.items() if v not in played}


def percussion_bar(grids: Grids, *, gm: Mapping[str, int], bar_start_s: float, step_s: float, energy: float,
                   rngs: Mapping[str, np.random.Generator]) -> None:
    """One bar of every percussion track (``percussion_grids``)."""
    for track, bar, _lines in grids:
        if bar:
            track.notes += drum_parts.drum_bar(patterns=bar, gm=gm, bar_start_s=bar_start_s, step_s=step_s,
                                               velocity=0.55 + 0.3 * energy, rng=rngs[track.name])
