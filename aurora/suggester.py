"""Real-time suggestions for a partial prompt (spec §8): completions of the word being typed, and
the dimensions still missing (genre, tempo, instruments, mood, key, structure).

Runs on every keystroke, so it uses only the fast keyword parsers (no sentence embedding): well under a
millisecond per call. Every chip must read as English once applied: it completes the word being typed
("D mi" -> "D minor"), joins the text the way the text ends ("... with" takes instruments, "... at" a tempo,
"a melancholic" a genre as a noun), never restates or contradicts what is typed, and proposes the values
Parse infers from the same words (knowledge_base habits via aurora.parser.habits).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aurora.contracts import Suggestion
from aurora.exceptions import AuroraError
from aurora.parser.feel import FeelParser, feel_meter
from aurora.parser.habits import usual_key, usual_tempo
from aurora.parser.instruments import InstrumentParser
from aurora.parser.key import parse_key
from aurora.parser.lexicon import Lexicon, is_negated
from aurora.parser.meter import parse_meter
from aurora.parser.structure import StructureParser
from aurora.parser.tempo import TempoParser
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre

if TYPE_CHECKING:
    from aurora.parser.semantic import SemanticParser

_LAST_WORD_RE = re.compile(r"([A-Za-z][\w\-&']*)$")
_NOTE_THEN_WORD_RE = re.compile(r"(?:^|[\s,(])[A-Ga-g][#b♯♭]?\s+([a-z]{1,10})$")
_NUMBER_THEN_WORD_RE = re.compile(r"(?<!\d)(\d{2,3})\s*([bB][pP]?[mM]?)$")
_TRAILING_WORD_RE = re.compile(r"(?:^|\s)([A-Za-z]+)\s*$")
MODE_WORDS = ("minor", "major", "dorian", "mixolydian", "lydian", "phrygian", "aeolian", "locrian", "harmonic minor")
_SONG_WORDS = ("beat", "beats", "song", "track", "tune", "piece", "loop", "music", "groove", "vibe", "vibes", "melody",
               "jam", "instrumental", "riff", "riffs", "anthem", "theme", "bpm")
_ARTICLES = frozenset({"a", "an", "the", "some"})
_LISTS = frozenset({"and", "plus", "featuring", "feat", "&"})
_NEGATORS = frozenset({"no", "without", "minus", "sans", "except", "excluding", "w/o", "not", "avoid", "skip"})
_DANGLING = frozenset({"of", "for", "to", "like", "by", "from", "into", "on", "over", "under", "about", "very",
                       "really", "but", "or", "so", "than", "as", "is", "are"})
_NOUN_WANTED_RE = re.compile(r"\b(?:a|an|the|some)\s+(?:(?:very|really|super|quite)\s+)?[\w-]+$", re.I)


@dataclass(frozen=True)
class _Addition:
    """One missing dimension: ``connector`` ('at', 'in', 'with' or '' for a tag) then ``body``."""

    dimension: str
    connector: str
    body: str
    score: float

    @property
    def text(self) -> str:
        return f"{self.connector} {self.body}".strip()


class Suggester:
    """``parser`` (optional): the semantic parser, so that tempo and key chips carry the values Parse infers for
    the text (its genre and moods come from the sentence embedding); ``clean``: the preprocessor's text
    cleaning (spelling, abbreviations), applied first as Parse does. Without them the keyword habits decide."""

    def __init__(self, kb: KnowledgeBase, *, parser: SemanticParser | None = None,
                 clean: Callable[[str], str] | None = None, is_word: Callable[[str], bool] | None = None) -> None:
        self.kb = kb
        self._is_word = is_word
        self._parser = parser
        self._clean = clean
        self._parsed = functools.lru_cache(maxsize=512)(self._parse_unstated)  # keystrokes repeat a prefix
        self.tempo = TempoParser(kb)
        self.instruments = InstrumentParser(kb)
        self.structures = StructureParser(kb)
        self.feels = FeelParser(kb)
        self.genres = Lexicon([(n, g.id) for g in kb.genres for n in (g.name, *g.aliases)])
        self.moods = Lexicon([(n, m.id) for m in kb.moods for n in (m.name, *m.aliases)], plurals=False)
        vocabulary: dict[str, float] = {}
        for weight, names in ((1.0, [g.name for g in kb.genres]), (0.9, [i.name for i in kb.instruments]),
                              (0.8, [m.name for m in kb.moods]), (0.75, [f.name for f in kb.feels]),
                              (0.7, [t.name for t in kb.textures]), (0.6, [a.name for a in kb.artists])):
            for name in names:
                vocabulary.setdefault(name.lower(), weight)
        self._words = sorted(vocabulary)
        self._weights = vocabulary
        names = [n for group in (kb.genres, kb.instruments, kb.moods, kb.feels, kb.textures)
                 for e in group for n in (e.name, *e.aliases)]
        self._whole_words = {w for n in names for w in re.findall(r"[a-z0-9]+", n.lower())} | set(_SONG_WORDS)

    def suggest(self, partial: str, *, count: int = 3) -> list[Suggestion]:
        text = partial.rstrip()
        lowered = text.lower()
        out: list[Suggestion] = []
        completions = self._completions(partial)
        out += completions
        last = _LAST_WORD_RE.search(partial)
        if completions and last is not None and last.group(1).lower() not in self._whole_words:
            # a word is being typed: the other chips add to the text as the top completion finishes it
            base = completions[0].preview
            out += [s.model_copy(update={"score": round(s.score * 0.9, 3)})
                    for s in self._missing(base, base.lower(), self._genre(base.lower()))]
        elif not self._mid_word(partial):
            out += self._missing(partial, lowered, self._genre(lowered))
        seen: set[str] = set()
        unique = [s for s in out if not (s.preview in seen or seen.add(s.preview))]  # type: ignore[func-returns-value]
        unique.sort(key=lambda s: s.score, reverse=True)
        return unique[:max(count, 3)]

    # -- the word being typed -------------------------------------------------------------------
    def _completions(self, partial: str) -> list[Suggestion]:
        if partial.endswith(" "):
            return []
        m = _LAST_WORD_RE.search(partial)
        if not m:
            return []
        special = self._key_or_unit_completions(partial)
        if special is not None:
            return special
        if len(m.group(1)) < 2:
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

    @staticmethod
    def _key_or_unit_completions(partial: str) -> list[Suggestion] | None:
        """'in D mi' -> 'in D minor'; '80 bp' -> '80 BPM'. None when the text does not end that way."""
        note = _NOTE_THEN_WORD_RE.search(partial)
        if note is not None:
            typed = note.group(1).lower()
            words = [w for w in MODE_WORDS if w.startswith(typed) and w != typed]
            if words:
                stem = partial[: len(partial) - len(typed)]
                return [Suggestion(kind="completion", dimension="key", text=w, preview=stem + w,
                                   score=round(0.98 - 0.01 * i, 3)) for i, w in enumerate(words[:3])]
        unit = _NUMBER_THEN_WORD_RE.search(partial)
        if unit is not None and unit.group(2).lower() != "bpm" and 20 <= int(unit.group(1)) <= 300:
            stem = partial[: len(partial) - len(unit.group(2))]
            return [Suggestion(kind="completion", dimension="tempo", text="BPM", preview=stem + "BPM", score=0.98)]
        return None

    def _mid_word(self, partial: str) -> bool:
        """The text ends inside a word or number being typed ("at 12", "5 m", "piano, n"): nothing can be added
        after it until it is finished (a completion, where there is one, finishes it)."""
        if not partial or not partial[-1].isalnum():
            return False
        token = last_token(partial)
        if len(token) >= 3 and token in self._whole_words:  # "808", "lofi" ("n", "12" are name fragments)
            return False
        if token[-1:].isdigit():
            return True
        word = re.sub(r"[^a-z]", "", token)
        if len(word) == 1:
            return word not in ("a", "i")
        return bool(word) and self._is_word is not None and not self._is_word(word)

    # -- dimensions still missing ---------------------------------------------------------------
    def _genre(self, lowered: str) -> Genre | None:
        for match in self.genres.find(lowered):
            return self.kb.genre(match.key)
        found = {f.instrument_id for f in self.instruments.parse(lowered).found}
        if not found:
            return None
        best = max(self.kb.genres, key=lambda g: sum(i.instrument in found for i in g.instruments))
        return best if any(i.instrument in found for i in best.instruments) else None

    def _missing(self, partial: str, lowered: str, genre: Genre | None) -> list[Suggestion]:
        style = genre or self.kb.find_genre(self.kb.defaults.genre) or self.kb.genres[0]
        stated_moods = [m.key for m in self.moods.find(lowered)]
        feels = self.feels.parse(lowered)
        parsed = self._parsed(partial)
        if parsed is not None:
            style = parsed[0]
        excluded = set(self.instruments.parse(lowered).excluded)
        excluded_families = {self.kb.instrument(i).family for i in excluded}
        additions: list[_Addition] = []
        if genre is None:
            for i, name in enumerate(("lo-fi hip hop", "cinematic", "deep house")):
                found = self.kb.find_genre(name)
                if found is not None:
                    additions.append(_Addition("genre", "", found.name, 0.8 - 0.01 * i))
        if self.tempo.parse(lowered) is None:
            # without the parser, the genre's own moods stand in for the moods Parse infers from the whole text
            bpm = round(parsed[1]) if parsed is not None else \
                round(usual_tempo(self.kb, style, feels, stated_moods, [] if stated_moods else style.moods[:3]))
            additions.append(_Addition("tempo", "at", f"{bpm:g} BPM", 0.75))
        if not self.instruments.parse(lowered).found:
            names = [self.kb.instrument(i.instrument).name.lower() for i in style.instruments
                     if self.kb.instrument(i.instrument).family not in excluded_families][:3]
            if len(names) >= 2:
                additions.append(_Addition("instrumentation", "with", ", ".join(names[:-1]) + " and " + names[-1],
                                           0.7))
        if not stated_moods:
            for i, mood_id in enumerate(style.moods[:2]):
                additions.append(_Addition("mood", "", f"{self.kb.mood(mood_id).name.lower()} mood", 0.65 - 0.01 * i))
        if parse_key(partial, self.kb.chords) is None and not _typing_a_key(partial):
            votes = [self.kb.mood(m).mode for m in stated_moods]
            key = parsed[2] if parsed is not None and parsed[2] else usual_key(self.kb, style, votes).label()
            additions.append(_Addition("key", "in", key, 0.6))
        lineage = [g.id for g in self.kb.genre_lineage(style.id)]
        meter_stated = parse_meter(partial) is not None or feel_meter(self.feels.parse(lowered)) is not None
        if self.structures.parse(lowered, lineage) is None and not meter_stated:  # "a military march" states 2/4
            structure = self.kb.find_structure(style.structures[0])
            if structure is not None:
                additions.append(_Addition("structure", "with", f"a {structure.name} structure", 0.5))
        return [s for s in (self._join(partial, a) for a in additions) if s is not None]

    def _parse_unstated(self, partial: str) -> tuple[Genre, float, str | None] | None:
        """(style, tempo, key) as Parse infers them for the text, when the parser is at hand."""
        if self._parser is None or not partial.strip():
            return None
        text = partial
        if self._clean is not None:
            try:
                text = self._clean(partial)
            except AuroraError:  # unusable as a prompt on its own (only an instruction, ...): read it as typed
                text = partial
        return self._parser.unstated(text)

    def _join(self, partial: str, addition: _Addition) -> Suggestion | None:
        """The addition joined to the text the way the text ends, or None when it cannot follow it."""
        text = partial.rstrip()
        trailing_match = _TRAILING_WORD_RE.search(text)
        trailing = trailing_match.group(1).lower() if trailing_match else ""
        if not text:
            if addition.dimension != "genre":
                return None  # an empty prompt starts with a style
            preview = addition.body
        elif trailing in _DANGLING or trailing in _NEGATORS or text.lower().endswith("w/o"):
            return None  # "in the style of", "very", "without": only a completion can follow
        elif trailing in ("with", "at", "in"):
            if addition.connector != trailing:
                return None  # "... with" takes instruments, "... at" a tempo, "... in" a key
            preview = f"{text} {addition.body}"
        elif trailing in _LISTS:
            if addition.dimension != "instrumentation":
                return None
            preview = f"{text} {addition.body}"
        elif trailing in _ARTICLES or (self._ends_with_mood(text) and _NOUN_WANTED_RE.search(text)):
            if addition.dimension != "genre":
                return None  # "a melancholic" wants a noun: the genre, as words of the sentence
            preview = f"{text} {addition.body.lower()}"
        elif addition.connector:
            preview = f"{text.rstrip(' ,')} {addition.text}"
        else:
            preview = f"{text.rstrip(' ,.')}, {addition.body}"
        if not addition.connector and text and is_negated(preview.lower(), len(preview) - len(addition.body)):
            # "lofi beat without drums" + ", chill mood" would rule the mood out: start a new clause
            preview = f"{text.rstrip(' ,.;')}; {addition.text}"
        return Suggestion(kind="missing_dimension", dimension=addition.dimension, text=addition.text,
                          preview=preview, score=addition.score)

    def _ends_with_mood(self, text: str) -> bool:
        lowered = text.lower()
        return any(m.end == len(lowered) for m in self.moods.find(lowered))


def last_token(text: str) -> str:
    parts = text.lower().split()
    return parts[-1] if parts else ""


def _typing_a_key(partial: str) -> bool:
    """'in D mi', 'key of F#': a key is on its way; a key chip would contradict it."""
    return bool(_NOTE_THEN_WORD_RE.search(partial) or re.search(r"\b(?:in|key(?:\s+of)?)\s+[A-Ga-g][#b♯♭]?\s*$",
                                                                partial))
