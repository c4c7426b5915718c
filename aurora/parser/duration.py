"""Duration: "2 minutes", "30s", "90-second", "1:30", "a minute and a half" -> seconds.

"the 80s" is a decade, not 80 seconds, and "808s" are drum machines, not 13 minutes: a bare "<tens>s" or "<N>s" of
three digits counts only with a duration cue nearby.
"""

from __future__ import annotations

import re

_UNITS = {"h": 3600.0, "hour": 3600.0, "hours": 3600.0, "hr": 3600.0, "hrs": 3600.0,
          "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
          "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0}
_NUMBER_UNIT_RE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b(?!\s*/)", re.I
)
_CLOCK_RE = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?![\d:])(?:\s*(?:min(?:ute)?s?|long|track|song|duration))")
_WORDS_RE = re.compile(
    r"\b(?:(a|one|two|three|four|five|six|seven|eight|nine|ten|half\s+a)\s+(minutes?|hours?|seconds?)"
    r"(\s+and\s+a\s+half)?)\b", re.I
)
_WORD_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "half a": 0.5}
_DURATION_CUE_RE = re.compile(r"\b(?:long|track|clip|loop|intro|jingle|song|piece|duration|length|for|of|lasting)\b")


def parse_duration(lowered: str) -> float | None:
    found: list[tuple[int, int, float, float]] = []  # start, end, seconds, unit size
    for m in _NUMBER_UNIT_RE.finditer(lowered):
        value, unit = float(m.group(1)), m.group(2).lower()
        if unit == "m" and not re.match(r"\s*(?:long|track|clip|song|loop)", lowered[m.end():]):
            continue  # a bare "m" is more often a chord or a typo than minutes
        if unit == "s" and (_looks_like_decade(lowered, m, value) or _looks_like_gear(lowered, m, value)):
            continue
        if _is_bpm_context(lowered, m.end()):
            continue
        seconds = value * _UNITS[unit]
        if 1 <= seconds <= 3600:
            found.append((m.start(), m.end(), seconds, _UNITS[unit]))
    if found:
        total, end, unit = found[0][2], found[0][1], found[0][3]
        for start, next_end, seconds, next_unit in found[1:]:
            if start - end > 6 or next_unit >= unit:
                break  # only "2 minutes 30 seconds"-style compounds add up
            total, end, unit = total + seconds, next_end, next_unit
        return total
    m2 = _CLOCK_RE.search(lowered)
    if m2:
        return int(m2.group(1)) * 60.0 + int(m2.group(2))
    m3 = _WORDS_RE.search(lowered)
    if m3:
        value = _WORD_NUM[re.sub(r"\s+", " ", m3.group(1).lower())] * _UNITS[m3.group(2).lower()]
        return value * 1.5 if m3.group(3) else value
    return None


def _looks_like_decade(lowered: str, m: re.Match[str], value: float) -> bool:
    """'80s' / "the 90s": a decade unless a duration cue says otherwise ('a 30s loop', 'for 20s')."""
    if " " in m.group(0) or "-" in m.group(0) or value % 10 != 0 or not 10 <= value <= 90:
        return False
    return not _duration_cued(lowered, m)


def _looks_like_gear(lowered: str, m: re.Match[str], value: float) -> bool:
    """'808s', '909s', '303s': drum machines and synths in the plural, unless a duration cue says otherwise ('a
    600s drone', 'for 120s'); 'dark trap with 808s' had asked for 13:28."""
    return " " not in m.group(0) and "-" not in m.group(0) and value >= 100 and not _duration_cued(lowered, m)


def _duration_cued(lowered: str, m: re.Match[str]) -> bool:
    before = lowered[max(0, m.start() - 12):m.start()]
    after = lowered[m.end():m.end() + 12]
    return bool(_DURATION_CUE_RE.match(after.strip()) or re.search(r"\b(?:for|of|lasting)\s*$", before))


def _is_bpm_context(lowered: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:bpm|beats)", lowered[end:]))
