"""What a style does where the text is silent: the tempo a genre, a feel and a mood settle on, and the key
a genre and its moods suggest (beside the stated key). One home, so that Parse and the suggester's chips pick the
same values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aurora.contracts import KeySignatureValue
from aurora.parser.artists import ArtistFinding
from aurora.parser.feel import FeelFinding, tempo_window
from aurora.parser.key import KeyFinding, stated_mode
from aurora.parser.mood import MoodFinding
from aurora.parser.mood_turn import OTHER_MODE, parse_turn
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre
from knowledge_base.theory import Key, key_of, typical_key


def usual_tempo(kb: KnowledgeBase, genre: Genre, feels: Sequence[FeelFinding], stated_moods: Sequence[str],
                other_moods: Sequence[str] = ()) -> float:
    """The genre's (or the feel's) usual tempo, moved by the mood: a stated mood with a tempo position places it
    in the range ("a gentle waltz" near the slow end), other moods nudge it by their tempo shift."""
    window = tempo_window(genre, list(feels))
    positions = [p for p in (kb.mood(m).tempo_position for m in stated_moods) if p is not None]
    if positions:
        pos = float(np.mean(positions))
        span = window.typical - window.min if pos < 0 else window.max - window.typical
        return float(window.typical + pos * span)
    moods = [*stated_moods, *other_moods]
    shift = float(np.mean([kb.mood(m).tempo_shift_bpm for m in moods])) if moods else 0.0
    return float(np.clip(window.typical + shift, window.min, window.max))


def usual_mode(genre: Genre, votes: Sequence[str]) -> str:
    """The mode the stated moods (and artists) vote for, else the genre's first. A tie goes to the mode the genre
    plays first, then to the earliest vote: it had gone by a set's order, so "dreamy bedroom pop" (dreamy votes
    minor, sensual major) was A minor in one process and G major in the next."""
    counted = [v for v in votes if v != "any"]
    if not counted:
        return genre.modes[0]
    rank: dict[str, int] = {m: i for i, m in enumerate(genre.modes)}
    return max(dict.fromkeys(counted), key=lambda m: (counted.count(m), -rank.get(m, len(rank)), -counted.index(m)))


def usual_key(kb: KnowledgeBase, genre: Genre, votes: Sequence[str]) -> Key:
    return typical_key(genre.keys, usual_mode(genre, votes), kb.chords)


def key_signature(kb: KnowledgeBase, finding: object, genre: Genre, moods: Sequence[MoodFinding],
                  artists: Sequence[ArtistFinding], explicit: list[str], text: str) -> KeySignatureValue:
    """The stated key (its mode the style's where only the tonic is stated: "hip hop beat in Bb"), else the genre's
    usual key in the mode the stated moods and artists vote for. A mood that turns ("starts sad and ends hopeful")
    votes the mode it starts in: the planner turns it to the other at the end."""
    votes: list[str] = [kb.mood(m.mood_id).mode for m in moods if m.stated]
    votes += [a.artist.mode for a in artists]
    named_mode = stated_mode(text)  # "minor blues": the mode, stated without a tonic, decides
    votes = [named_mode] if named_mode else votes
    turn = parse_turn(text.lower(), kb.find_mood)
    votes = [OTHER_MODE[turn]] if turn else votes
    mode = usual_mode(genre, votes)
    if isinstance(finding, KeyFinding):
        explicit.append("key_signature")
        key = finding.key
        if not finding.mode_stated:  # "hip hop beat in Bb": the tonic is stated, the mode is the style's
            key = key_of(key.tonic_pc, mode, kb.chords)
        return KeySignatureValue(value=key.label(), confidence=finding.confidence,
                                 changes=[k.label() for k in finding.changes])
    return KeySignatureValue(value=usual_key(kb, genre, votes).label(), confidence=0.35)
