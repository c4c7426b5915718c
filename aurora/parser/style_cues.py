"""Which sub-genre a prompt means when it names only the parent ("hip hop, 808, dark, minor"): the facts it
states (moods, instruments, a tempo) against each style's own moods, line-up and tempo range in the KB.

Why not the embedding alone: a tag list is a poor sentence, and its similarity to the children's anchor
phrases is noise ("hip hop, 808 bass, dark, minor" sits at 0.609 to lo-fi and 0.587 to trap), so the
dusty, mellow lo-fi style was chosen for a dark 808 beat. The stated facts discriminate: dark is a trap
mood and no lo-fi one, the 808 is in trap's line-up and not in lo-fi's. The embedding still breaks ties.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge_base.schema import Genre

# a genre's moods are listed most characteristic first: a later mood counts a little less (a tie-break)
MOOD_RANK_STEP = 0.05
MOOD_RANK_FLOOR = 0.75
# a tempo is felt at half or double time as well (a 70 BPM trap beat is written at 140)
TEMPO_FACTORS = (1.0, 0.5, 2.0)
EPS = 1e-9


@dataclass(frozen=True)
class StyleCues:
    """Facts the text states that tell styles apart: mood ids, instrument ids, a tempo stated as a number."""

    moods: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    bpm: float | None = None

    def __bool__(self) -> bool:
        return bool(self.moods or self.instruments or self.bpm is not None)


def cue_score(genre: Genre, cues: StyleCues) -> float:
    """How well the stated facts fit the style: +1 for each of its moods (a little less the later the mood
    is listed), +1 for each instrument of its own line-up, +1 for a tempo in its range (at half or double
    time too), -1 for a tempo outside it."""
    score = sum(max(1.0 - MOOD_RANK_STEP * genre.moods.index(m), MOOD_RANK_FLOOR)
                for m in cues.moods if m in genre.moods)
    own = {item.instrument for item in genre.instruments}
    score += sum(1.0 for i in cues.instruments if i in own)
    if cues.bpm is not None:
        span = genre.tempo_bpm
        score += 1.0 if any(span.min <= cues.bpm * f <= span.max for f in TEMPO_FACTORS) else -1.0
    return score


def best_child(parent: Genre, children: list[tuple[Genre, float]], cues: StyleCues) -> tuple[Genre, float] | None:
    """The child style the stated facts fit better than the parent, with its embedding similarity; ties on
    the facts go to the more similar child. None when no child fits better than the parent."""
    if not cues or not children:
        return None
    floor = cue_score(parent, cues)
    scored = [(cue_score(child, cues), similarity, child) for child, similarity in children]
    top_score, similarity, child = max(scored, key=lambda t: (t[0], t[1]))
    return (child, similarity) if top_score > floor + EPS else None


def has_say(parent: Genre, children: list[Genre], cues: StyleCues) -> bool:
    """True when the stated facts bear on the family at all (some style of it scores other than zero): then
    they decide, and a child that does not fit better than its parent is not chosen by similarity alone."""
    return bool(cues) and any(abs(cue_score(g, cues)) > EPS for g in (parent, *children))
