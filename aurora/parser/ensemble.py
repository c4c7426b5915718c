"""Named ensembles ("jazz trio", "string quartet", "brass quintet"): a closed line-up (knowledge_base/ensembles.yaml).

Naming an ensemble states every one of its players: a string quartet is two violins, a viola and a cello, and a
jazz trio gets no trumpet however jazz is usually played. The ensemble also names its genre when the prompt
names none ("string quartet, G major, calm" is classical, not the default pop). Entries sharing an alias
("piano trio": classical piano, violin, cello; or a jazz piano trio) are told apart by the genres the prompt
names, else the first listed wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from aurora.parser.lexicon import Lexicon, is_negated, normalise_phrase
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Ensemble


@dataclass(frozen=True)
class EnsembleFinding:
    ensemble: Ensemble
    start: int
    end: int


class EnsembleParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._by_phrase: dict[str, list[Ensemble]] = {}
        for ensemble in kb.ensembles:
            for phrase in (ensemble.name, *ensemble.aliases):
                entries = self._by_phrase.setdefault(normalise_phrase(phrase), [])
                if ensemble not in entries:
                    entries.append(ensemble)
        self._lexicon = Lexicon((phrase, phrase) for phrase in self._by_phrase)

    def parse(self, lowered: str, named_genres: list[str] | None = None) -> EnsembleFinding | None:
        """The first ensemble the text names (not negated: "no string quartet"), chosen among entries sharing
        the phrase by the genres the text names (ids, in order)."""
        for match in self._lexicon.find(lowered):
            if is_negated(lowered, match.start):
                continue
            entries = self._by_phrase.get(match.key, [])
            if not entries:
                continue
            return EnsembleFinding(self._choose(entries, named_genres or []), match.start, match.end)
        return None

    def _choose(self, entries: list[Ensemble], named_genres: list[str]) -> Ensemble:
        for genre_id in named_genres:
            lineage = {g.id for g in self._kb.genre_lineage(genre_id)}
            for ensemble in entries:
                if ensemble.genre in lineage or genre_id in {g.id for g in self._kb.genre_lineage(ensemble.genre)}:
                    return ensemble
        return entries[0]
