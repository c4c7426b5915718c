"""Feels and forms (knowledge_base/feels.yaml): "waltz", "ballad", "march", "shuffle", "swinging", "half-time".

They say how the music moves, not which style it is, so they apply *within* the genre the prompt names:
"a slow jazz waltz" is jazz in 3/4, "a jazz trio swinging at 140 bpm" is jazz with a swing feel. A feel
word names a genre only when nothing else does ("a gentle waltz" is a Waltz).
"""

from __future__ import annotations

from dataclasses import dataclass

from aurora.parser.lexicon import Lexicon, is_negated
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Feel, Genre, TempoRange


@dataclass(frozen=True)
class FeelFinding:
    feel: Feel
    span: tuple[int, int]


class FeelParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._feels = {f.id: f for f in kb.feels}
        self._lexicon = Lexicon([(n, f.id) for f in kb.feels for n in (f.name, *f.aliases)])

    def parse(self, lowered: str) -> list[FeelFinding]:
        """Feels the text names (not negated), in text order, each once."""
        out: list[FeelFinding] = []
        for match in self._lexicon.find(lowered):
            if is_negated(lowered, match.start) or any(f.feel.id == match.key for f in out):
                continue
            out.append(FeelFinding(self._feels[match.key], (match.start, match.end)))
        return out


def blank_feel_words(lowered: str, feels: list[FeelFinding]) -> str:
    """The text with the feel words blanked, so the genre ranker sees "jazz" in "jazz waltz"."""
    for finding in feels:
        start, end = finding.span
        lowered = lowered[:start] + " " * (end - start) + lowered[end:]
    return lowered


def tempo_window(genre: Genre, feels: list[FeelFinding]) -> TempoRange:
    """The range a tempo is chosen in: the genre's, or the feel's where one sets it (a ballad is 60-84 BPM in
    any genre); the genre's usual tempo stays when it lies inside the feel's window."""
    window = genre.tempo_bpm
    for finding in feels:
        rng = finding.feel.tempo_bpm
        if rng is not None:
            typical = genre.tempo_bpm.typical if rng.min <= genre.tempo_bpm.typical <= rng.max else rng.typical
            return TempoRange(min=rng.min, max=rng.max, typical=typical)
    return window


def feel_swing(feels: list[FeelFinding]) -> float | None:
    return next((f.feel.swing for f in feels if f.feel.swing is not None), None)


def feel_meter(feels: list[FeelFinding]) -> str | None:
    return next((f.feel.meter for f in feels if f.feel.meter is not None), None)
