"""What a style does where the text is silent: the tempo a genre, a feel and a mood settle on, and the key
a genre and its moods suggest. One home, so that Parse and the suggester's chips pick the same values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aurora.parser.feel import FeelFinding, tempo_window
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre
from knowledge_base.theory import Key, typical_key


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
