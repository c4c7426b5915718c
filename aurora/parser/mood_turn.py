"""A piece whose mood turns on its way: "starts sad and ends hopeful", "from dark to triumphant", "happy at first,
then sad", "a sad piano piece with a hopeful ending", "goes from minor to major".

These had been read as two moods at once: the piece played the first one's key from start to end, and the hopeful
end never came. A turn is read as the mode the piece ends in ("major" or "minor"), when the moods the text puts at
the start and at the end have different modes (knowledge_base moods.yaml ``mode``; a mood of "any" mode, "calm",
turns nothing). The planner starts the piece in the other mode and moves its last sections to the relative key of
the turn's mode (A minor to C major): the same notes, a new home chord, the way a minor verse opens into a major
chorus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from knowledge_base.schema import Mood

TurnMode = Literal["major", "minor"]
OTHER_MODE: dict[str, TurnMode] = {"major": "minor", "minor": "major"}  # the mode a piece turning to one starts in
# a mood word and up to two words around it ("very sad", "a dark place"): the first word with a mode counts
_WORD = r"(?:an?\s+|the\s+)?(?P<{name}>(?:[a-z][a-z'-]*\s+){{0,2}}[a-z][a-z'-]+)"
_START = (r"\b(?:starts?|starting|begins?|beginning|opens?|opening)\s+(?:out\s+|off\s+)?"
          r"(?:(?:as|in|with|on|feeling)\s+)?")
_END = (r"\b(?:ends?|ending|finish(?:es|ing)?|closes?|resolves?|turns?|turning|becomes?|becoming|grows?|gets?|"
        r"moves?|goes|shifts?|transforms?|evolves?|lands?|comes?\s+out)\s+(?:up\s+)?(?:(?:as|in|on|with|into|feeling)\s+)?")
_PATTERNS = (
    # "starts sad and ends hopeful", "begins in minor, resolves to major", "opens dark and slowly turns triumphant"
    re.compile(_START + _WORD.format(name="a") + r"\b.{0,80}?" + _END + r"(?:to\s+)?" + _WORD.format(name="b")
               + r"\b"),
    # "from dark to triumphant", "goes from sadness to joy", "from minor to major"
    re.compile(r"\bfrom\s+" + _WORD.format(name="a") + r"\s+(?:\w+\s+)?(?:to|into|towards?)\s+" +
               _WORD.format(name="b") + r"\b"),
    # "happy at first, then sad", "sad at the start, hopeful at the end"
    re.compile(r"\b(?P<a>[a-z][a-z'-]+)\s+at\s+(?:first|the\s+(?:start|beginning))\b,?\s+(?:and\s+|but\s+)?"
               r"(?:then\s+|later\s+)?" + _WORD.format(name="b") + r"\b"),
    # "sad turning to hope", "dark becoming triumphant", "a sad-to-happy song"
    re.compile(r"\b(?P<a>[a-z][a-z'-]+)(?:\s+(?:turning|that\s+turns|becoming|that\s+becomes|giving\s+way)"
               r"\s+(?:in)?to|[\s-]+to[\s-]+)\s*" + _WORD.format(name="b") + r"\b"),
)
# "with a hopeful ending", "ends on a hopeful note", "but ends happy": only the end is named, the start is the rest
_END_ONLY = (
    re.compile(r"\b(?P<b>[a-z][a-z'-]+)\s+(?:ending|end|finale|resolution|outro|final\s+chorus)\b"),
    re.compile(r"\b(?:ends?|ending|finish(?:es)?|resolves?)\s+(?:on|with|in)\s+an?\s+(?P<b>[a-z][a-z'-]+)\s+note\b"),
    re.compile(r"\b(?:but|and|that|which)\s+(?:it\s+)?(?:slowly\s+|gradually\s+|eventually\s+|then\s+|finally\s+)?"
               r"(?:ends?|finish(?:es)?|resolves?|turns?|becomes?|grows?|gets?)\s+(?:up\s+)?(?:in\s+|into\s+|to\s+)?"
               r"(?P<b>[a-z][a-z'-]+)\b"),
)
_NEGATED_RE = re.compile(r"\b(?:no|not|never|without|don'?t|doesn'?t)\s+(?:\w+\s+){0,2}$")


def parse_turn(lowered: str, find_mood: Callable[[str], Mood | None]) -> TurnMode | None:
    """The mode the piece turns to, or None. ``find_mood(word)``: the mood a word names (its ``mode`` counts), the
    words 'major' and 'minor' name their mode."""

    def mode_of(word: str) -> str | None:
        return mood.mode if (mood := find_mood(word)) is not None else None

    def one(word: str) -> str | None:  # "happier" and "darker" say where the mood goes as well as "happy"
        return word if word in ("major", "minor") else mode_of(word) or \
            (mode_of(word[:-3] + "y") if word.endswith("ier") else mode_of(word[:-2]) if word.endswith("er") else None)

    def mode(words: str) -> str | None:
        found = (one(w) for w in words.split())
        return next((m for m in found if m in ("major", "minor")), None)

    for pattern in _PATTERNS:
        for m in pattern.finditer(lowered):
            if _NEGATED_RE.search(lowered[:m.start()]):
                continue
            start, end = mode(m.group("a")), mode(m.group("b"))
            if start in ("major", "minor") and end in ("major", "minor") and start != end:
                return end  # type: ignore[return-value]
    modes = {one(w) for w in re.findall(r"[a-z][a-z'-]+", lowered)} - {None}
    for pattern in _END_ONLY:
        for m in pattern.finditer(lowered):
            end = mode(m.group("b"))
            if end in ("major", "minor") and ({"major", "minor"} - {end}) <= modes and \
                    not _NEGATED_RE.search(lowered[:m.start()]):
                return end  # type: ignore[return-value]  # a sad piece's hopeful ending: the other mood is stated
    return None
