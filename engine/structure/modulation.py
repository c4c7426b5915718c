"""Key changes: a plan's section in another key (a last chorus up a half step) is composed in the home key and moved.

The planner writes a modulated section's chords in its new key and names the key (``SectionIn.key``). The composer
writes every part of it against the same chords moved back to the home key (so the melody's scale, the bass's
passing notes and a riff's shapes all agree with the chords, as they do everywhere else), then moves every pitched
note that starts in the section, and the section's chord spans, up (or down) by the step: the band plays the same
song a step higher, as bands modulate. A melody note sent just ahead of the section's downbeat belongs to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from engine.score import ChordSpan, Note, Score, SectionSpan
from engine.structure.harmony import Chord, chord_span, tonic_triad
from knowledge_base import theory
from knowledge_base.schema import Chords

AHEAD_S = 0.06  # a note this far ahead of a section's downbeat is its pickup (an anticipation), moved with it


def section_step(section_key: str | None, home: theory.Key, chords: Chords) -> int:
    """Semitones from the home key to a section's key (-6..5, the nearer way; a key in the other mode counts by its
    relative, which shares its notes): 0 for the home key or no key."""
    return theory.key_step(home, theory.read_key(section_key, chords, mode=home.mode), chords) if section_key else 0


def turned_tonic(section_key: str | None, home: theory.Key, chords: Chords) -> int | None:
    """The tonic of a section in the relative key of the other mode (a mood's turn: A minor to C major, step 0):
    composed in the home scale, which holds the same notes, it closes on its own tonic. None for any other."""
    if not section_key:
        return None
    key = theory.read_key(section_key, chords, mode=home.mode)
    return key.tonic_pc if key.is_minor != home.is_minor and theory.key_step(home, key, chords) == 0 else None


def last_tonic(home_tonic: Chord, score: Score, home: theory.Key, chords: Chords) -> ChordSpan:
    """The chord the piece rings out on: the tonic (the home key's, or that of the key its mood turned to: a sad
    piece that ends hopeful in C major rings C, not A minor; a modulated end is moved with the notes,
    move_sections), as the last bar wrote it where that is the tonic: a blues's E7 rings E7 (a plain E minor triad
    had rung after it, its blue third against the chord's G#), a jazz ballad's Ebmaj7 its seventh, a minor piece's
    major last chord (a Picardy third) major."""
    centre = turned_tonic(score.sections[-1].key if score.sections else None, home, chords)
    tonic = home_tonic if centre is None else tonic_triad(centre, minor=not home.is_minor)  # the other mode's
    final = score.chords[-1] if score.chords else None
    if final is not None and final.root_pc == tonic.root_pc:
        tonic = Chord(final.symbol, final.root_pc, final.pitch_classes, final.bass_pc)
    return chord_span(tonic, 0.0, 0.0)


def moved(chord: Chord, semitones: int, *, flats: bool) -> Chord:
    """A chord ``semitones`` away, the same quality and slash bass."""
    return Chord(theory.transpose_chord(chord.symbol, semitones, flats=flats), (chord.root_pc + semitones) % 12,
                 tuple((pc + semitones) % 12 for pc in chord.pitch_classes), (chord.bass_pc + semitones) % 12)


def home_chords(chords: list[Chord], step: int, *, flats: bool) -> list[Chord]:
    """A modulated section's chords moved back to the home key, to be composed there (``step`` 0: as written)."""
    return [moved(c, -step, flats=flats) for c in chords] if step else chords


def key_spans(sections: Sequence[SectionSpan], steps: Sequence[int], chords: Chords,
              ) -> list[tuple[float, float, int, bool]]:
    """(start_s, end_s, semitones, flats) of each modulated section; the last one runs on through the ring-out."""
    out = []
    for k, (section, step) in enumerate(zip(sections, steps, strict=True)):
        if step:
            end = section.start_s + section.duration_s if k < len(sections) - 1 else float("inf")
            flats = theory.read_key(section.key or "C", chords).prefers_flats
            out.append((section.start_s, end, step, flats))
    return out


def move_sections(score: Score, spans: Sequence[tuple[float, float, int, bool]]) -> None:
    """Move the pitched notes starting in each (start_s, end_s, semitones, flats) span, and its chord spans."""
    spans = [s for s in spans if s[2]]
    if not spans:
        return

    def step_at(t: float) -> tuple[int, bool]:
        return next(((semis, flats) for start, end, semis, flats in spans if start - AHEAD_S <= t < end - AHEAD_S),
                    (0, False))

    for track in score.tracks:
        if track.is_drum:
            continue
        track.notes = [_note(nt, step_at(nt.start_s)[0]) for nt in track.notes]
    out: list[ChordSpan] = []
    for c in score.chords:
        semis, flats = step_at(c.start_s + 1e-4)
        out.append(c if not semis else chord_span(
            moved(Chord(c.symbol, c.root_pc, c.pitch_classes, c.bass_pc), semis, flats=flats), c.start_s, c.duration_s))
    score.chords = out


def _note(nt: Note, semitones: int) -> Note:
    return nt if not semitones else replace(nt, pitch=min(127, max(0, nt.pitch + semitones)))
