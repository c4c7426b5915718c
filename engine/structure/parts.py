"""The orchestra's parts as score tracks, and what the hand-percussion tracks play.

A track a part: the drums on the groove's kit at the tempo (brushes on a jazz ballad, sticks above) unless a
whole-kit instrument chooses another (resolve_kit: an 808, "live drums" in a lo-fi beat), whose track it then is;
a pitched part on its instrument's preset. Each stated hand-percussion instrument has a track of its own
(orchestration.percussion_parts): the first is named "percussion", the others "percussion_<instrument>", so every
stem is one instrument a person asked for; each plays its voices' figures (engine/structure/percussion.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.ddsp.presets import gm_program_for, resolve_kit, resolve_preset
from engine.score import Track
from engine.structure import drums as drum_parts
from engine.structure.meter import Meter
from engine.structure.orchestration import Orchestra
from engine.structure.percussion import percussion_pattern
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


def percussion_bar(players: list[tuple[Track, tuple[str, ...]]], *, meter: Meter, level: str, gm: Mapping[str, int],
                   bar_start_s: float, step_s: float, energy: float, rngs: Mapping[str, np.random.Generator]) -> None:
    """One bar of every percussion track. A stated instrument plays at every level (thinner when quiet); the
    line-up's percussion rests in low sections."""
    for track, voices in players:
        if level == "low" and not track.featured:
            continue
        grids = {v: percussion_pattern(v, meter, level, alone=len(voices) == 1) for v in voices}
        track.notes += drum_parts.drum_bar(patterns=grids, gm=gm, bar_start_s=bar_start_s, step_s=step_s,
                                           velocity=0.55 + 0.3 * energy, rng=rngs[track.name])
