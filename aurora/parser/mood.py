"""Mood (stated words, else nearest mood anchors by embedding) and energy level."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aurora.knowledge import KnowledgeBase
from aurora.parser.lexicon import Lexicon, is_negated
from aurora.text_embedding import TextEmbedder

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
        self._embedder = embedder
        phrases = [(n, m.id) for m in kb.moods for n in (m.name, m.id.replace("_", " "), *m.aliases)]
        self._lexicon = Lexicon(phrases, plurals=False)
        self._matrix: NDArray[np.float32] | None = None
        self._owner: NDArray[np.int64] | None = None

    def warm_up(self) -> None:
        if self._matrix is not None:
            return
        anchors, owners = [], []
        for index, mood in enumerate(self._kb.moods):
            for anchor in mood.anchors:
                anchors.append(anchor)
                owners.append(index)
        self._matrix = self._embedder.encode_cached(anchors)
        self._owner = np.asarray(owners, dtype=np.int64)

    def stated(self, lowered: str) -> tuple[list[str], list[str]]:
        found: list[str] = []
        negated: list[str] = []
        for match in self._lexicon.find(lowered):
            target = negated if is_negated(lowered, match.start) else found
            if match.key not in target:
                target.append(match.key)
        return [m for m in found if m not in negated], negated

    def parse(self, lowered: str, prompt_vec: NDArray[np.float32], *, limit: int = 3) -> list[MoodFinding]:
        stated, negated = self.stated(lowered)
        if stated:
            return [MoodFinding(m, STATED_MOOD_CONFIDENCE, True) for m in stated[:6]]
        self.warm_up()
        assert self._matrix is not None and self._owner is not None
        sims = self._matrix @ prompt_vec
        best = np.full(len(self._kb.moods), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, sims)
        order = np.argsort(-best)
        out: list[MoodFinding] = []
        for index in order[: limit + len(negated)]:
            mood = self._kb.moods[int(index)]
            if mood.id in negated:
                continue
            confidence = float(np.clip(0.15 + float(best[index]) * 0.8, 0.15, 0.55))
            out.append(MoodFinding(mood.id, round(confidence, 3), False))
        return out[:limit]

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
