"""Real-time suggestions for a partial prompt (spec §8): completions of the word being typed, and
the dimensions still missing (genre, tempo, instruments, mood, key, structure).

Runs on every keystroke, so it uses only the fast keyword parsers (no sentence embedding):
a few hundred microseconds per call.
"""

from __future__ import annotations

import bisect
import re

from aurora.contracts import Suggestion
from aurora.parser.instruments import InstrumentParser
from aurora.parser.key import parse_key
from aurora.parser.lexicon import Lexicon
from aurora.parser.structure import StructureParser
from aurora.parser.tempo import TempoParser
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre

_LAST_WORD_RE = re.compile(r"([A-Za-z][\w\-&']*)$")


class Suggester:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.tempo = TempoParser(kb)
        self.instruments = InstrumentParser(kb)
        self.structures = StructureParser(kb)
        self.genres = Lexicon([(n, g.id) for g in kb.genres for n in (g.name, *g.aliases)])
        self.moods = Lexicon([(n, m.id) for m in kb.moods for n in (m.name, *m.aliases)], plurals=False)
        vocabulary: dict[str, float] = {}
        for weight, names in ((1.0, [g.name for g in kb.genres]), (0.9, [i.name for i in kb.instruments]),
                              (0.8, [m.name for m in kb.moods]), (0.7, [t.name for t in kb.textures]),
                              (0.6, [a.name for a in kb.artists])):
            for name in names:
                vocabulary.setdefault(name.lower(), weight)
        self._words = sorted(vocabulary)
        self._weights = vocabulary

    def suggest(self, partial: str, *, count: int = 3) -> list[Suggestion]:
        text = partial.rstrip()
        lowered = text.lower()
        out: list[Suggestion] = []
        out += self._completions(partial)
        genre = self._genre(lowered)
        missing = self._missing(text, lowered, genre)
        out += missing
        seen: set[str] = set()
        unique = [s for s in out if not (s.text in seen or seen.add(s.text))]  # type: ignore[func-returns-value]
        unique.sort(key=lambda s: s.score, reverse=True)
        return unique[:max(count, 3)]

    def _completions(self, partial: str) -> list[Suggestion]:
        if partial.endswith(" "):
            return []
        m = _LAST_WORD_RE.search(partial)
        if not m or len(m.group(1)) < 2:
            return []
        # complete phrases whose start matches the last one or two words typed
        tail_words = partial[: m.end()].lower().split()[-2:]
        out: list[Suggestion] = []
        for n_words in (2, 1):
            prefix = " ".join(tail_words[-n_words:])
            if len(tail_words) < n_words:
                continue
            start = bisect.bisect_left(self._words, prefix)
            for word in self._words[start:start + 40]:
                if not word.startswith(prefix):
                    break
                if word == prefix:
                    continue
                stem = partial[: len(partial) - len(prefix)]
                score = 0.95 * self._weights[word] - 0.002 * len(word)
                out.append(Suggestion(kind="completion", dimension="completion", text=word,
                                      preview=stem + word, score=round(max(0.0, score), 3)))
            if out:
                break
        out.sort(key=lambda s: s.score, reverse=True)
        return out[:3]

    def _genre(self, lowered: str) -> Genre | None:
        for match in self.genres.find(lowered):
            return self.kb.genre(match.key)
        found = {f.instrument_id for f in self.instruments.parse(lowered).found}
        if not found:
            return None
        best = max(self.kb.genres, key=lambda g: sum(i.instrument in found for i in g.instruments))
        return best if any(i.instrument in found for i in best.instruments) else None

    def _missing(self, text: str, lowered: str, genre: Genre | None) -> list[Suggestion]:
        base = text.rstrip(" ,.")
        out: list[Suggestion] = []

        def add(dimension: str, addition: str, score: float) -> None:
            joiner = " " if addition.startswith(("at ", "in ", "with ", "-")) else ", "
            out.append(Suggestion(kind="missing_dimension", dimension=dimension, text=addition,
                                  preview=(base + joiner + addition).strip(" ,"), score=score))

        if genre is None:
            for i, name in enumerate(("lo-fi hip hop", "cinematic orchestral", "deep house")):
                found = self.kb.find_genre(name)
                if found is not None:
                    add("genre", found.name, 0.8 - 0.01 * i)
        style = genre or self.kb.find_genre("pop") or self.kb.genres[0]
        if self.tempo.parse(lowered) is None:
            add("tempo", f"at {style.tempo_bpm.typical:g} BPM", 0.75)
        if not self.instruments.parse(lowered).found:
            names = [self.kb.instrument(i.instrument).name for i in style.instruments[:3]]
            add("instrumentation", "with " + ", ".join(names[:-1]) + " and " + names[-1], 0.7)
        if not self.moods.find(lowered):
            for i, mood_id in enumerate(style.moods[:2]):
                add("mood", f"{self.kb.mood(mood_id).name} mood", 0.65 - 0.01 * i)
        if parse_key(text, self.kb.chords) is None and style.keys:
            add("key", f"in {style.keys[0]}", 0.6)
        if self.structures.parse(lowered) is None:
            structure = self.kb.find_structure(style.structures[0])
            if structure is not None:
                add("structure", f"with a {structure.name} structure", 0.5)
        return out
