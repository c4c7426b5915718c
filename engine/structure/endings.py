"""How a piece ends and who solos: the plan's ``ending`` and its sections' ``lead`` (aurora's Arrangement).

- "ring" (the default): the last chord rings out under a short master fade (a tenth of the piece, 0.5-4 s).
- "fade_out" ("fades out at the end"): the band plays on while the master fades it away over the last section(s),
  at least ``FADE_OUT_MIN_S`` and never more than ``FADE_OUT_MAX_SHARE`` of the piece.
- "loop" ("a seamless loop for a game menu"): whole phrases of music to the last sample, no fade either way.
- "cold" ("ends abruptly"): the band stops together on the final chord, held one beat; nothing rings on but the
  room, and the master only de-clicks the end.
A section with a ``lead`` hands its melody to that player: "a guitar solo in the middle" is the rhythm guitar (or the
lead guitar, if the band has one) playing the section's tune in its own register, while the usual lead rests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from engine.inputs import SectionIn
from engine.score import ChordSpan, Note, Score, SectionSpan, Track, TrackRole
from engine.structure.bass import nearest_pitch
from engine.structure.harmony import guitar_power_chord, voice_lead
from engine.structure.players import played_by
from knowledge_base import KnowledgeBase

FADE_OUT_MIN_S = 6.0
FADE_OUT_MAX_SHARE = 0.35
COLD_FADE_S = 0.03
LOOP_TAIL_S = 2.0  # how long a loop's last notes may ring on into its start
FADE_IN_MIN_S = 2.0
FADE_IN_MAX_SHARE = 0.2
SOLO_VELOCITY_LIFT = 8  # a soloist steps forward
RINGING_CYMBALS = (49, 51, 52, 53, 55, 57, 59)  # General MIDI: crashes, rides, china, splash


def master_fade_s(ending: str, sections: Sequence[SectionSpan], duration_s: float) -> float:
    """The master's fade-out length for the plan's ending."""
    if ending == "cold":
        return COLD_FADE_S
    if ending == "loop":  # the end runs into the start: no fade to dip at the seam
        return 0.0
    if ending == "fade_out" and sections:
        start_s = next((s.start_s for s in reversed(sections) if duration_s - s.start_s >= FADE_OUT_MIN_S),
                       sections[0].start_s)
        return float(min(duration_s - start_s, FADE_OUT_MAX_SHARE * duration_s))
    return float(np.clip(0.1 * duration_s, 0.5, 4.0))


def master_fade_in_s(fade_in: bool, sections: Sequence[SectionSpan], duration_s: float, *, loop: bool = False) -> float:
    """The master's fade-in: over the first section ("fades in": 2 s at least, a fifth of the piece at most), else a
    de-click (none for a loop, whose start follows its end)."""
    if not fade_in or not sections:
        return 0.0 if loop else 0.005
    return float(min(max(FADE_IN_MIN_S, sections[0].duration_s), FADE_IN_MAX_SHARE * duration_s))


def wrap_tail(audio: np.ndarray, n_samples: int) -> np.ndarray:
    """A loop's audio ([n] or [ch, n], rendered past its end) folded so what rings past the end sounds at the start,
    as it will when the loop plays again: the first bar carries the last one's release, with no seam."""
    out = np.array(audio[..., :n_samples], copy=True)
    tail = audio[..., n_samples:]
    length = min(tail.shape[-1], n_samples)
    out[..., :length] += tail[..., :length]
    return out


def cold_stop(tracks: Sequence[Track], stop_s: float, *, hit_s: float) -> None:
    """Every note ends by ``stop_s``; a note starting after it is not played. The drummer chokes the cymbals on the
    final hit (from ``hit_s``): a crash there would ring on for seconds, as a drum voice plays its sample whole."""
    for track in tracks:
        track.notes = [replace(n, duration_s=min(n.duration_s, stop_s - n.start_s)) if n.end_s > stop_s else n
                       for n in track.notes if n.start_s < stop_s - 1e-6 and not (
                           track.is_drum and n.pitch in RINGING_CYMBALS and n.start_s >= hit_s - 0.05)]


def hand_solos(tracks: Sequence[Track], spans: Sequence[SectionSpan], sections: Sequence[SectionIn],
               kb: KnowledgeBase, *, range_of: Callable[[str], tuple[int, int]]) -> None:
    """Within each section that names a ``lead``, that player plays the lead part's notes (moved by octaves into
    its range) instead of its own, and the lead part rests. A drum solo is the section's players' business
    (engine/structure/players.py); a soloist the band lacks, or who is the lead already, changes nothing."""
    by_name = {s.name: s for s in sections}
    lead = next((t for t in tracks if t.role == "lead"), None)
    for span in spans:
        section = by_name.get(span.name)
        soloist = _soloist(tracks, section.lead, kb) if section is not None and section.lead else None
        if soloist is None or lead is None or soloist is lead:
            continue
        start, end = span.start_s - 1e-6, span.start_s + span.duration_s - 1e-6
        tune = [n for n in lead.notes if start <= n.start_s < end]
        if not tune:
            continue
        low, high = range_of(soloist.instrument_id)
        centre = float(np.mean([n.pitch for n in tune]))
        shift = 12 * round(((low + high) / 2 - centre) / 12)
        soloist.notes = [n for n in soloist.notes if not start <= n.start_s < end] + [
            replace(n, pitch=n.pitch + shift, velocity=min(127, n.velocity + SOLO_VELOCITY_LIFT)) for n in tune]
        soloist.notes.sort(key=lambda n: n.start_s)
        lead.notes = [n for n in lead.notes if not start <= n.start_s < end]


def _soloist(tracks: Sequence[Track], name: str, kb: KnowledgeBase) -> Track | None:
    """The track the named player plays (players.played_by: that instrument, else one of its kind, so "Guitar" is
    the lead guitar), the lead part first; never a drum track (a drum solo is its section's players' business)."""
    group = [t for t in played_by(tracks, name, kb) if not t.is_drum]
    return next((t for t in group if t.role == "lead"), group[0] if group else None)


def ring_out(score: Score, by_role: dict[TrackRole, Track], *, tonic_chord: ChordSpan, end_bar_s: float,
             voicings: dict[str, tuple[int, ...] | None], melody_last: int, power: dict[str, bool]) -> None:
    """The last chord on the bar line after the music, ringing to the end: the harmony and pad parts' voicing of
    it, the bass on its root, the lead on its root nearest its last note, a kick and a crash."""
    ring_s = score.duration_s - end_bar_s
    if ring_s < 0.3:
        return
    for role in ("harmony", "pad"):
        track = by_role.get(role)  # type: ignore[call-overload]
        if track is not None:
            voicing = (guitar_power_chord(role, tonic_chord.pitch_classes, voicings.get(role),
                                           tonic_pc=score.key_tonic_pc) if power.get(role) else None) or \
                voice_lead(tonic_chord.pitch_classes, voicings.get(role), n_voices=4, low=50, high=76)
            track.notes += [Note(end_bar_s, ring_s, p, 70) for p in voicing]
    if "bass" in by_role:
        by_role["bass"].notes.append(Note(end_bar_s, ring_s, nearest_pitch(tonic_chord.root_pc, 36), 90))
    if "lead" in by_role:
        pitch = min((p for p in range(melody_last - 7, melody_last + 8) if p % 12 == tonic_chord.root_pc),
                    key=lambda p: abs(p - melody_last), default=melody_last)
        by_role["lead"].notes.append(Note(end_bar_s, ring_s, pitch, 80))
    if "drums" in by_role:
        by_role["drums"].notes += [Note(end_bar_s, ring_s, 36, 110), Note(end_bar_s, ring_s, 49, 100)]
