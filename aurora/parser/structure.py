"""Song form ("verse-chorus", "AABA", "12-bar blues", "build and drop") and texture layers
("vinyl crackle", "rain"). A named form is stated; a cue word ("the drop hits") suggests one, in the genres whose word
it is (structures.yaml ``cue_genres``): a "bluegrass breakdown" is a fiddle tune, not a club track's build and drop."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from aurora.parser.lexicon import Lexicon, is_negated
from knowledge_base import KnowledgeBase


@dataclass
class StructureFinding:
    structure_id: str
    confidence: float
    stated: bool


class StructureParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._names = Lexicon([(n, s.id) for s in kb.structures for n in (s.name, *s.aliases)], plurals=False)
        self._cues = Lexicon([(c, s.id) for s in kb.structures for c in s.cues])
        self._cue_genres = {s.id: frozenset(s.cue_genres) for s in kb.structures}

    def parse(self, lowered: str, lineage: Collection[str]) -> StructureFinding | None:
        """The form the text names or suggests for a piece in the genre whose ``lineage`` (the genre's id and its
        ancestors') is given: a cue word counts only in the families its form lists."""
        for match in self._names.find(lowered):
            return StructureFinding(match.key, 0.92, True)
        votes: dict[str, int] = {}
        for match in self._cues.find(lowered):
            families = self._cue_genres[match.key]
            if (families and not families & set(lineage)) or _NOT_A_CUE_RE.match(lowered, match.end) or \
                    _REFUSED_RE.search(lowered[max(0, match.start - 12):match.start]):
                continue  # "the beat drops in" names no drop, "no drop" refuses one
            votes[match.key] = votes.get(match.key, 0) + 1
        if votes:
            best = max(votes, key=lambda k: votes[k])
            return StructureFinding(best, min(0.8, 0.55 + 0.1 * votes[best]), True)
        return None


# a cue word used as a verb ("the beat drops in", "drums drop out") or refused ("no drop", "without a breakdown")
_NOT_A_CUE_RE = re.compile(r"\s+(?:in|out|off|away|down|back)\b")
_REFUSED_RE = re.compile(r"\b(?:no|without(?:\s+an?)?|skip\s+the|not)\s+(?:\w+\s+)?$")


class TextureParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._names = {t.id: t.name for t in kb.textures}
        self._lexicon = Lexicon([(n, t.id) for t in kb.textures for n in (t.name, *t.aliases)])

    def parse(self, lowered: str) -> list[str]:
        out: list[str] = []
        for match in self._lexicon.find(lowered):
            name = self._names[match.key]
            if not is_negated(lowered, match.start) and name not in out:
                out.append(name)
        return out
