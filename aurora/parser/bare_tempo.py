"""A bare number that states the tempo without a unit: "funky house 124", "dnb 174 rolling bassline", "a hard techno
145 track", "dark techno at 128", "boom bap @ 92". Producers write a tempo this way, beside the style it is for.

A number is read as the tempo when it is in the tempo range (40-220) and either follows "at" / "@" or stands next to
a style word (a genre or sub-genre name or alias, a feel such as "ballad", a tempo word such as "slow"), with at most
one noun such as "track" or "beat" between them ("a trance 138 anthem", "a techno track at 130").

Numbers that name something else never take: an era ("90s", "1970s", "80's"), a year ("1985"), an instrument's
model ("808", "tb-303", "sp-1200", "sh-101", a number inside an instrument's name), a meter ("3/4", "7/8"), a length
or a count ("2 minutes", "90 seconds", "64 bar intro", "16 bars", "8 loops"), a key code ("9A"), a chart ("top 40"),
a percentage, a frequency ("100 hz").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aurora.parser.lexicon import Lexicon, Match
from knowledge_base import KnowledgeBase

BARE_BPM = (40.0, 220.0)  # a unitless number is a tempo only in this range (a comma tag "rock, 130" too: tempo.py)
BARE_CONFIDENCE = 0.8
# a digit, a letter, a hyphen or slash or colon or point touching the number makes it part of a name, a meter, a
# time or a decimal of another thing ("sp-1200", "3/4", "1:30", "90s", "80's", "9a", "100%")
_NUMBER_RE = re.compile(r"(?<![\w\-/.:#$£€'’])(\d{2,3}(?:\.\d+)?)(?![\w'’%/:°]|[.\-]\d|-\w)")
# what follows the number when it counts or measures something else
_UNIT_AFTER_RE = re.compile(
    r"\s*(?:bars?|measures?|loops?|beats|steps?|hz|khz|kbps|k|db|ms|s|secs?|seconds?|mins?|minutes?|hours?|hrs?|"
    r"years?|yrs?|times|x|voices?|notes?|semitones?|cents?|bit|percent|people|players|tracks|songs|strings?|keys|"
    r"edo|tet|tone|st|nd|rd|th)\b",
    re.I,
)
# words before a number that make it an index, a chart or a count, not a tempo
_INDEX_BEFORE_RE = re.compile(r"\b(?:top|vol|volume|no|number|op|opus|part|episode|chapter|take|level|channel|page|"
                              r"year|of|since|until|version)\.?\s*$", re.I)
_AT_BEFORE_RE = re.compile(r"(?:\bat|@)\s*(?:around\s+|about\s+|roughly\s+|~\s*)?$", re.I)
# one noun allowed between the style word and the number: "a trance track 138", "techno tune at 130"
_FILLER = r"(?:track|tune|beat|song|groove|jam|instrumental|banger|anthem|piece|vibe|cut|number|riddim|roller)"
_FILLER_BEFORE_RE = re.compile(rf"\s*\b{_FILLER}s?\s*$", re.I)
_GAP = " \t-–—(~"
_OPENS_PHRASE_RE = re.compile(r"(?:^|[,;:(|/]|\b(?:a|an|the|some|my|our|this|that)\b)\s*$")
# "101" reads as the SH-101 or "an introduction to" ("techno 101") far more often than as a tempo
_NOT_BARE = {"101"}


class BareTempo:
    """Finds the tempo a bare number states beside a style word or after "at"/"@" (see the module docstring)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        phrases: list[tuple[str, str]] = []
        for genre in kb.genres:
            phrases += [(p, "style") for p in (genre.name, genre.id.replace("_", " "), *genre.aliases,
                                               *genre.adjectives)]
        for feel in kb.feels:
            phrases += [(p, "style") for p in (feel.name, *feel.aliases)]
        for term in kb.tempo_terms:
            phrases += [(p, "style") for p in (term.term, *term.aliases)]
        self._styles = Lexicon(phrases)
        instruments: list[tuple[str, str]] = []
        for inst in kb.instruments:
            instruments += [(p, inst.id) for p in (inst.name, *inst.aliases) if re.search(r"\d", p)]
        self._models = Lexicon(instruments)

    def find(self, lowered: str) -> float | None:
        """The tempo stated by a bare number in ``lowered`` (lower-cased text), or None."""
        styles = self._styles.find(lowered)
        models = [(m.start, m.end) for m in self._models.find(lowered)]
        for m in _NUMBER_RE.finditer(lowered):
            bpm = float(m.group(1))
            if not BARE_BPM[0] <= bpm <= BARE_BPM[1] or m.group(1) in _NOT_BARE:
                continue
            if any(start <= m.start() < end for start, end in models):  # "808 bass", "tb 303"
                continue
            before, after = lowered[:m.start()], lowered[m.end():]
            if _UNIT_AFTER_RE.match(after) or _INDEX_BEFORE_RE.search(before[-12:]):
                continue
            if _AT_BEFORE_RE.search(before[-14:]) or _beside_style(lowered, m.start(), m.end(), styles):
                return bpm
        return None


def _beside_style(lowered: str, start: int, end: int, styles: Sequence[Match]) -> bool:
    """A style word ends just before the number ("house 124", "house track 124") or starts just after a number that
    opens its phrase ("124 house", "a 174 dnb roller")."""
    before, after = lowered[:start], lowered[end:]
    ends = {len(before.rstrip(_GAP))}  # "deep house - 124", "lofi (70)", "lofi ~70"
    filler = _FILLER_BEFORE_RE.search(before)
    if filler is not None:
        ends.add(len(before[:filler.start()].rstrip(_GAP)))
    if any(s.end in ends for s in styles):
        return True
    # before the style word, the number opens its phrase ("a 128 techno track", "174 dnb"): after "juno" or "tr" it
    # is a model's number ("juno 106 synthwave")
    first_after = end + len(after) - len(after.lstrip())
    return bool(_OPENS_PHRASE_RE.search(before)) and any(s.start == first_after for s in styles)
