"""Phrase matching against KB vocabularies: longest phrase first, whole words, plurals allowed.

One compiled alternation per vocabulary keeps a parse at a few microseconds per entity group,
which is what lets the suggester re-parse on every keystroke.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

NEGATORS = ("no", "without", "minus", "sans", "lacking", "lacks", "w/o", "zero", "except", "excluding",
            "not", "never", "skip", "avoid", "nor")
_NEGATION_RE = re.compile(
    r"(?:\b(?:no|without|minus|sans|lacking|lacks|zero|excluding|avoid|skip|nor|never|not\s+(?:any|a|an|the))\b|w/o|\bdon'?t\s+(?:use|want|add|include)\b|\bno\s+other\b)"
    r"(?:\s+(?:the|any|all|a|an))?"  # "minus the drums", "without any vocals", "without a bassline"
    r"(?:\s*(?:,|\s(?!a\b|an\b|the\b|some\b|its\b|their\b)(?:\w+(?:-\w+)?))){0,4}\s*$"
)
_OR_LIST_RE = re.compile(r"\b(?:or|nor)\b")
_NEGATED_SENTENCE_RE = re.compile(r"\bthere\s+(?:is|are)\s+no\b[^.;]*$")
_REPLACED_BEFORE_RE = re.compile(r"\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+(?:the\s+|a\s+|an\s+|any\s+)?$")
_INSTEAD_AFTER_RE = re.compile(r"[^,.;!?]{0,40}?\b(?:instead|in\s+its\s+place)\b")
_NEGATION_STOP = re.compile(r"\b(?:but|with|featuring|plus|and then|however|just|only|instead|rather)\b")


HeadLast = Callable[[str, str, str], bool]
"""(left key, right key, the words only the right name has) -> whether the right name wins the overlap."""


@dataclass(frozen=True)
class Match:
    key: str  # the entry id the phrase belongs to
    phrase: str
    start: int
    end: int


class Lexicon:
    """Maps phrases (names, aliases) to entry ids and finds them in lower-cased text."""

    def __init__(self, phrases: Iterable[tuple[str, str]], *, plurals: bool = True,
                 head_last: HeadLast | None = None) -> None:
        """``head_last``: read overlapping names head-last where it says the right one wins (see ``find``)."""
        self._head_last_rule = head_last
        table: dict[str, str] = {}
        for phrase, key in phrases:
            norm = normalise_phrase(phrase)
            if norm and norm not in table:
                table[norm] = key
        self.table = table
        self._compact = {_compact(k): v for k, v in table.items()}
        alternatives = sorted(table, key=len, reverse=True)
        body = "|".join(_phrase_pattern(p) for p in alternatives) or r"(?!x)x"
        plural = r"(?:e?s)?" if plurals else ""
        self._regex = re.compile(rf"(?<![\w\-])(?:{body}){plural}(?![\w\-])")

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, leftmost-longest, in text order. With ``head_last``, of two names that
        overlap the one that ends further right may win, as an English head noun comes last: "80s synth pop" is
        synth-pop, not "80s synth" (synthwave) and a bare "pop"; the rule (left key, right key, the words only
        the right one has) decides."""
        out: list[Match] = []
        pos = 0
        while (m := self._regex.search(text, pos)) is not None:
            if self._head_last_rule is not None:
                m = self._head_last(text, m)
            phrase = m.group(0)
            key = self.lookup(phrase)
            if key is not None:
                out.append(Match(key, phrase, m.start(), m.end()))
            pos = max(m.end(), pos + 1)
        return out

    def _head_last(self, text: str, m: re.Match[str]) -> re.Match[str]:
        left = self.lookup(m.group(0))
        for word in re.finditer(r"(?<=[\s\-])\w", text[: m.end()]):
            if word.start() <= m.start():
                continue
            inner = self._regex.match(text, word.start())
            right = self.lookup(inner.group(0)) if inner is not None and inner.end() > m.end() else None
            if inner is not None and left is not None and right is not None and right != left and \
                    self._head_last_rule is not None and self._head_last_rule(left, right, text[m.end():inner.end()]):
                return inner
        return m

    def lookup(self, phrase: str) -> str | None:
        """Entry id for a phrase, ignoring case, spaces/hyphens and a plural ending."""
        compact = _compact(phrase)
        for candidate in (compact, _singular(compact)):
            if candidate in self._compact:
                return self._compact[candidate]
        return None


def normalise_phrase(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower())


def _phrase_pattern(phrase: str) -> str:
    # spaces and hyphens are interchangeable inside a phrase ("hi hat" == "hi-hat" == "hihat" is an alias)
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", phrase) if p]
    return r"[\s\-]?".join(parts) if len(parts) > 1 else parts[0]


def _compact(phrase: str) -> str:
    return re.sub(r"[\s\-]+", "", phrase.lower())


def _singular(word: str) -> str:
    if word.endswith("es") and word[:-2] and word[-3] in "sxz":
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def adjacent(text: str, first: Match, second: Match) -> bool:
    """``second`` follows ``first`` with only spaces or hyphens between: one compound ("jazzy hip hop", "synth arps",
    "disco strings")."""
    return second.start >= first.end and not text[first.end:second.start].strip(" -")


def is_negated(text: str, start: int) -> bool:
    """True when the phrase starting at `start` sits in a negation: 'no drums', 'without any vocals',
    'there are no voices', 'no guitars or bass'."""
    if _INSTEAD_AFTER_RE.match(text, start):
        return False  # "without piano, guitar instead": the replacement is asked for, not ruled out
    window = text[max(0, start - 60):start]
    if _REPLACED_BEFORE_RE.search(window):
        return True  # "guitar instead of piano", "live drums rather than a drum machine": the one replaced
    clause = re.split(r"[.;!?]", window)[-1]
    if _NEGATION_STOP.search(clause):
        clause = _NEGATION_STOP.split(clause)[-1]
    if _NEGATED_SENTENCE_RE.search(clause):
        return True
    # the refusal nearest the phrase ("no drums, no bass": the bass's own "no")
    negation = next((m for k in range(len(clause) - 1, -1, -1) if (m := _NEGATION_RE.match(clause, k))), None)
    if negation is None:
        return False
    # a comma ends the refusal unless the refused list goes on past it to an "or": "no drums, bass or guitars"
    # refuses all three, but "no vocals, piano and strings" asks for the piano and the strings (a tag list: it had
    # refused them), as does "no drums or bass, piano"
    refused = negation.group(0)
    rest = re.split(r"[.;!?]", text[start:])[0]
    return "," not in refused or bool(_OR_LIST_RE.search(refused.rsplit(",", 1)[1] + rest))


# a refusal scoped to a part of the piece: "no drums in the verse", "no bass until the chorus"
SECTION_WORDS = r"(?:intro|verses?|chorus(?:es)?|bridge|breakdown|drops?|outro|ending|solo|build(?:-?up)?|hook)"
SCOPE_RE = re.compile(r"\s+(?:(?P<until>until|till|before)|in|during|for|at|on)\s+(?:the\s+)?(?:first\s+|second\s+|"
                      rf"last\s+|final\s+)?(?:(?P<kind>{SECTION_WORDS})|(?P<start>start|beginning|opening))\b")


# "only"/"just" scoped to a section ("only piano in the intro", "strings only in the chorus"): no closed line-up
SCOPED_ONLY_RE = re.compile(rf"\b(?:only|just|alone)\b(?=[^,.;]{{0,50}}?\b(?:in|during|for)\s+the\s+(?:first\s+|"
                            rf"last\s+|final\s+)?{SECTION_WORDS}\b)")


# "only"/"just"/"solo" scoped to the piece's start or end ("ends with just piano", "starts with only a cello")
EDGE_ONLY = (r"\b(?P<edge>starts?|starting|begins?|beginning|opens?|opening|ends?|ending|finish(?:es|ing)?|closes?|"
             r"closing)\s+(?:with|on)\s+(?P<only>just|only|solo)")
_EDGE_ONLY_RE = re.compile(EDGE_ONLY + r"\b")


def without_scoped_only(text: str) -> str:
    """``text`` with each section-scoped "only" blanked (offsets kept): a line-up closed for one section ("only
    piano in the intro", "ends with just piano") is no closed line-up for the piece."""
    text = SCOPED_ONLY_RE.sub(lambda m: " " * len(m.group(0)), text)
    for m in _EDGE_ONLY_RE.finditer(text):
        text = text[:m.start("only")] + " " * len(m.group("only")) + text[m.end("only"):]
    return text


_LISTED_ON_RE = re.compile(r"(?:\s*(?:,|and|or|&)\s*\w+)*")  # "no bass or drums in the intro": the list's end


def section_scoped(text: str, end: int) -> re.Match[str] | None:
    """The section a refusal ending at ``end`` is scoped to ("no drums in the verse": only there), else None."""
    listed = _LISTED_ON_RE.match(text, end)
    return SCOPE_RE.match(text, listed.end() if listed else end) or SCOPE_RE.match(text, end)


def words_to_int(word: str) -> int | None:
    numbers = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
    if word.isdigit():
        return int(word)
    return numbers.get(word.lower())
