"""Meter: "3/4", "6/8 feel", "waltz", "the beat is 3", "beat counts to two", "in common time". A dance form's meter
(a jig's 6/8, a slip jig's 9/8, a reel's 4/4) is its feel's (knowledge_base/feels.yaml, aurora.parser.feel): one
vocabulary, so "slip jig" is never read as a jig."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aurora.parser.lexicon import words_to_int

_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_FRACTION_RE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(2|4|8|16)(?![\d/])")
_COUNT_RES = (
    re.compile(rf"\bbeats?\s+(?:is|are|count(?:s|ing)?|counted)\s+(?:in\s+|to\s+|at\s+|of\s+)?{_NUMBER}\b", re.I),
    re.compile(rf"\bbeat\s+count\s+(?:is\s+|of\s+)?{_NUMBER}\b", re.I),
    re.compile(rf"\bcount(?:s|ing|ed)?\s+(?:to|in)\s+{_NUMBER}\b", re.I),
    re.compile(rf"\b{_NUMBER}[\s-]+beats?\s+(?:per|a|to\s+the|in\s+(?:a|each|every))\s+(?:bar|measure)\b", re.I),
    re.compile(rf"\b{_NUMBER}[\s-]+(?:beat|count)\s+(?:pulse|feel|meter|bar|rhythm|groove|pattern)\b", re.I),
    re.compile(rf"\b(?:bars?|measures?)\s+of\s+{_NUMBER}\b", re.I),
    re.compile(rf"\bbeats?\s+(?:of|in)\s+{_NUMBER}\b(?!\s*(?:bpm|beats?\s+(?:per|a)\s+min))", re.I),
    re.compile(rf"\bcount(?:s|ing|ed)?\s+(?:the\s+)?beats?\s+(?:to|in)\s+{_NUMBER}\b", re.I),
    re.compile(rf"\b{_NUMBER}[\s-]+(?:beat|count)s?(?:[\s-]+(?:beat|count))?\b(?!\s*(?:per|a|/)\s*min)", re.I),
    re.compile(rf"\bcount\s+of\s+{_NUMBER}\b", re.I),
    re.compile(rf"\bbeats?\b[^.;]{{0,25}}?\b(?:to|at|in|of)\s+{_NUMBER}\b"
               rf"(?!\s*(?:bpm|beats?|min|sec|s\b|%|/|\.\d|x\b|times))", re.I),
)
_WORDS = (  # meter words; "waltz" predates the feels and agrees with its feel's 3/4
    (re.compile(r"\bwaltz\w*|\btriple\s+(?:meter|metre|time)\b|\bin\s+three\b", re.I), "3/4", 0.8),
    (re.compile(r"\bcommon\s+time\b|\bfour\s+on\s+the\s+floor\b|\b4\s+on\s+the\s+floor\b", re.I), "4/4", 0.75),
    (re.compile(r"\bcut\s+time\b|\balla\s+breve\b", re.I), "2/2", 0.8),
    (re.compile(r"\bduple\s+(?:meter|metre|time)\b", re.I), "2/4", 0.6),
    (re.compile(r"\bcompound\s+(?:duple\s+)?(?:meter|metre|time)\b", re.I), "6/8", 0.7),
)  # dance forms with a meter of their own (march, polka, jig, slip jig, reel, ...): feels.yaml


@dataclass
class MeterFinding:
    value: str
    confidence: float
    source: str


def parse_meter(text: str) -> MeterFinding | None:
    for m in _FRACTION_RE.finditer(text):
        top, bottom = int(m.group(1)), int(m.group(2))
        if 1 <= top <= 15 and not _looks_like_other_fraction(text, m):
            return MeterFinding(f"{top}/{bottom}", 0.97, "signature")
    for regex in _COUNT_RES:
        found = regex.search(text)
        if found:
            count = words_to_int(found.group(1).lower())
            if count is not None and 1 <= count <= 15:
                return MeterFinding(meter_for_beats(count), 0.93, "beat_count")
    for regex, value, confidence in _WORDS:
        if regex.search(text):
            return MeterFinding(value, confidence, "word")
    return None


def meter_for_beats(count: int) -> str:
    """Beats per bar -> a time signature with that many beats (compound meters for 6, 9, 12)."""
    return f"{count}/8" if count in (6, 9, 12) else f"{count}/4"


def _looks_like_other_fraction(text: str, m: re.Match[str]) -> bool:
    """'24/7', '1/2 speed', '50/50' are not meters; a signature usually stands near 'time'/'meter'."""
    top = int(m.group(1))
    context = text[max(0, m.start() - 30):m.end() + 30].lower()
    if re.search(r"time|meter|metre|signature|feel|groove|rhythm|beat|waltz|bar|count|in\s*$", context):
        return False
    return top not in (2, 3, 4, 5, 6, 7, 9, 12)
