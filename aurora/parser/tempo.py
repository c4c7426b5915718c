"""Tempo: stated numbers ("80 BPM", "bpm is 118", "120-128 bpm", a bare number beside a style word: "house 124",
"techno at 130": aurora.parser.bare_tempo), Italian markings, tempo words.

Priority follows how precise the statement is: a number beats an Italian marking, which beats
a word like "uptempo". Several conflicting words ("slow and fast") are reported as a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aurora.parser.bare_tempo import BARE_BPM, BARE_CONFIDENCE, BareTempo
from aurora.parser.lexicon import Lexicon, Match
from knowledge_base import KnowledgeBase
from knowledge_base.schema import TempoTerm

_NUM = r"(\d{2,3}(?:\.\d+)?)"
_UNIT = r"(?:bpm|b\.p\.m\.?|beats?\s+(?:per|a|each)\s+minute|beats/min)"
_RANGE_RE = re.compile(rf"\b{_NUM}\s*(?:-|–|—|to|and)\s*{_NUM}\s*{_UNIT}", re.I)
_NUM_UNIT_RE = re.compile(rf"\b{_NUM}\s*-?\s*{_UNIT}", re.I)
_UNIT_NUM_RE = re.compile(
    rf"\b(?:bpm|tempo)\b\s*(?:is|of|at|:|=|set\s+to|around|about|roughly|approximately|~|\s)*"
    rf"(?:is\s+)?(?:around|about|roughly|approximately|~)?\s*{_NUM}\b(?!\s*(?:seconds?|s\b|%|times|x\b|semitones?))",
    re.I,
)
# a tag of a tag list that is a bare number ("house, piano, 124"): a producer's tempo. 40-220 only, so "808"
# (the bass) or "303" (the synth) or a year never read as one
_TAG_SEP = r"(?:[,;|/]|\.(?=\s|$))"
_BARE_TAG_RE = re.compile(rf"(?:^|{_TAG_SEP})\s*(\d{{2,3}}(?:\.\d+)?)\s*(?={_TAG_SEP}|$)")
_TAG_SEP_RE = re.compile(_TAG_SEP)
_NOT_RE = re.compile(r"\b(?:not|never|isn't|aren't)\s+(?:too\s+|very\s+|so\s+|that\s+)?$")


@dataclass
class TempoFinding:
    bpm: float
    confidence: float
    source: str  # "number" | "range" | "italian" | "word"
    term: str | None = None
    range_bpm: tuple[float, float] | None = None
    conflicts: list[str] = field(default_factory=list)
    feel: bool = False  # a feel word ("half-time"): how the beat is felt, not how fast the music goes


class TempoParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._terms: dict[str, TempoTerm] = {}
        phrases: list[tuple[str, str]] = []
        for term in kb.tempo_terms:
            for phrase in (term.term, *term.aliases):
                phrases.append((phrase, term.term))
            self._terms[term.term] = term
        self._lexicon = Lexicon(phrases, plurals=False)
        self._bare = BareTempo(kb)

    def parse(self, text: str) -> TempoFinding | None:
        lowered = text.lower()
        for m in _RANGE_RE.finditer(lowered):
            lo, hi = sorted((float(m.group(1)), float(m.group(2))))
            if 20 <= lo <= 300 and 20 <= hi <= 300:
                return TempoFinding(round((lo + hi) / 2, 1), 0.95, "range", range_bpm=(lo, hi))
        for regex in (_NUM_UNIT_RE, _UNIT_NUM_RE):
            for m in regex.finditer(lowered):
                bpm = float(m.group(1))
                if 20 <= bpm <= 300 and not _is_change_statement(lowered, m.start()):
                    return TempoFinding(bpm, 0.98, "number", conflicts=self._words_against(lowered, bpm))
        if _TAG_SEP_RE.search(lowered):  # a tag list, not one bare number alone
            for m in _BARE_TAG_RE.finditer(lowered):
                bpm = float(m.group(1))
                if BARE_BPM[0] <= bpm <= BARE_BPM[1]:
                    return TempoFinding(bpm, 0.85, "number", conflicts=self._words_against(lowered, bpm))
        bare = self._bare.find(lowered)  # "funky house 124", "dark techno at 128"
        if bare is not None:
            return TempoFinding(bare, BARE_CONFIDENCE, "number", conflicts=self._words_against(lowered, bare))
        return self._from_words(lowered)

    def _words_against(self, lowered: str, bpm: float) -> list[str]:
        """Tempo words that cannot describe the stated number ("slow ... at 200 bpm")."""
        out: list[str] = []
        for hit in self._words(lowered):
            term = self._terms[hit.key]
            if not (term.italian or term.feel) and not term.min_bpm * 0.8 <= bpm <= term.max_bpm * 1.2 \
                    and hit.key not in out:
                out.append(hit.key)
        return out

    def _words(self, lowered: str) -> list[Match]:
        return [h for h in self._lexicon.find(lowered) if not _NOT_RE.search(lowered[max(0, h.start - 20):h.start])]

    def _from_words(self, lowered: str) -> TempoFinding | None:
        hits = self._words(lowered)
        if not hits:
            return None
        italian = [h for h in hits if self._terms[h.key].italian]
        chosen = italian[0] if italian else hits[0]
        term = self._terms[chosen.key]
        conflicts = sorted({
            h.key for h in hits
            if h.key != chosen.key and not _overlap(self._terms[h.key], term)
        })
        confidence = 0.8 if term.italian else 0.6
        if conflicts:
            confidence -= 0.2
        return TempoFinding(term.typical_bpm, confidence, "italian" if term.italian else "word",
                            term=term.term, range_bpm=(term.min_bpm, term.max_bpm), conflicts=conflicts,
                            feel=term.feel)


def _overlap(a: TempoTerm, b: TempoTerm) -> bool:
    return a.min_bpm <= b.max_bpm and b.min_bpm <= a.max_bpm


def _is_change_statement(lowered: str, start: int) -> bool:
    """'changes by 20 bpm', 'speeds up by 10 bpm' describe a change, not the tempo."""
    before = lowered[max(0, start - 25):start]
    return bool(re.search(r"\b(?:by|plus|minus|faster|slower|up|down)\s*$", before))
