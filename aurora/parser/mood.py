"""Mood (stated words, else nearest mood anchors by embedding) and energy level."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aurora.parser.anchors import AnchoredVocabulary
from aurora.parser.lexicon import is_negated
from aurora.text_embedding import TextEmbedder
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre

_ENERGY_NUMBER_RE = re.compile(
    r"\benergy(?:\s+level)?\s*(?:of|is|at|:|=)?\s*(\d+(?:\.\d+)?)\s*(%|/\s*10|/\s*100|/\s*5)?", re.I
)
_ENERGY_WORDS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\b(?:very|super|extremely|maximum|max)\s+(?:high[\s-]energy|energetic|intense)\b"), 0.95),
    (re.compile(r"\b(?:high[\s-]energy|energetic|intense|explosive|powerful|hard[\s-]hitting|banger|pumping)\b"), 0.85),
    (re.compile(r"\b(?:medium|moderate|mid)[\s-](?:energy|intensity)\b"), 0.5),
    (re.compile(r"\b(?:low[\s-]energy|low[\s-]key|minimal|subdued|calm|quiet|gentle|soft|relaxed|chill)\b"), 0.25),
    (re.compile(r"\b(?:very|super|extremely)\s+(?:calm|quiet|soft|gentle)\b|\bsleep\w*|\blullaby\b"), 0.12),
)
STATED_MOOD_CONFIDENCE = 0.88
PLAUSIBLE_DISTANCE = 0.3  # |valence| + |arousal| distance to a mood the genre lists


@dataclass
class MoodFinding:
    mood_id: str
    confidence: float
    stated: bool


@dataclass
class EnergyFinding:
    value: float
    confidence: float
    stated: bool


class MoodParser:
    def __init__(self, kb: KnowledgeBase, embedder: TextEmbedder) -> None:
        self._kb = kb
        self._vocabulary = AnchoredVocabulary(kb.moods, embedder, plurals=False)
        self._plausible: dict[str, frozenset[str]] = {}

    def warm_up(self) -> None:
        self._vocabulary.warm_up()

    def named(self, lowered: str) -> list[str]:
        """Mood ids the text names (not ruled out), in order."""
        return self._vocabulary.named(lowered)[0]

    def parse(self, lowered: str, prompt_vec: NDArray[np.float32], *, limit: int = 3,
              genre: Genre | None = None) -> list[MoodFinding]:
        """Stated moods; else the moods nearest the prompt among those plausible in ``genre`` (its own and their
        neighbours: a bossa nova is not inferred "menacing"), the style's own moods first: a short prompt's
        nearest moods are noise ("lofi beat w/ rhodes + vinyl crackle" was hard-hitting and action, "jazz,
        saxophone, late night, rain" cheerful and corporate), the style's own are what it is."""
        stated, negated = self._vocabulary.named(lowered)
        if stated:
            return [MoodFinding(m, STATED_MOOD_CONFIDENCE, True) for m in stated[:6]]
        plausible = self.plausible(genre) if genre is not None else None
        own = self.own(genre) if genre is not None else frozenset()
        best = self._vocabulary.similarities(prompt_vec)
        order = sorted((int(i) for i in np.argsort(-best) if not plausible or self._kb.moods[int(i)].id in plausible),
                       key=lambda i: self._kb.moods[i].id not in own)  # stable: by similarity within each
        out: list[MoodFinding] = []
        for index in order[: limit + len(negated)]:
            mood = self._kb.moods[int(index)]
            if mood.id in negated:
                continue
            confidence = float(np.clip(0.15 + float(best[index]) * 0.8, 0.15, 0.55))
            out.append(MoodFinding(mood.id, round(confidence, 3), False))
        return out[:limit]

    def own(self, genre: Genre) -> frozenset[str]:
        """The moods the style itself lists: the genre's, else its nearest ancestor's that lists any."""
        return frozenset(next((g.moods for g in self._kb.genre_lineage(genre.id) if g.moods), []))

    def plausible(self, genre: Genre) -> frozenset[str]:
        """Moods that fit the genre: those it and its ancestors list, and those near them in valence and arousal
        (within PLAUSIBLE_DISTANCE). Cached per genre."""
        cached = self._plausible.get(genre.id)
        if cached is not None:
            return cached
        listed: list[str] = []
        node: Genre | None = genre
        while node is not None:
            listed += node.moods
            node = self._kb.genre(node.parent) if node.parent else None
        anchors = [self._kb.mood(m) for m in dict.fromkeys(listed)]
        near = {m.id for m in self._kb.moods
                if any(abs(m.valence - a.valence) + abs(m.arousal - a.arousal) <= PLAUSIBLE_DISTANCE for a in anchors)}
        result = frozenset(near | set(listed))
        self._plausible[genre.id] = result
        return result

    def energy(self, lowered: str, moods: list[MoodFinding]) -> EnergyFinding | None:
        m = _ENERGY_NUMBER_RE.search(lowered)
        if m:
            value = float(m.group(1))
            scale = (m.group(2) or "").replace(" ", "")
            divisor = {"%": 100.0, "/10": 10.0, "/100": 100.0, "/5": 5.0}.get(scale, 1.0 if value <= 1 else 10.0)
            return EnergyFinding(float(np.clip(value / divisor, 0.0, 1.0)), 0.95, True)
        for regex, value in _ENERGY_WORDS:
            if regex.search(lowered) and not is_negated(lowered, regex.search(lowered).start()):  # type: ignore[union-attr]
                return EnergyFinding(value, 0.8, True)
        stated = [f for f in moods if f.stated]
        if stated:
            value = float(np.mean([self._kb.mood(f.mood_id).energy for f in stated]))
            return EnergyFinding(value, 0.7, True)
        return None
