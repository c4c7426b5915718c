"""Values the text states that no extractor could use: '0 bpm', '-120 bpm', 'in H minor', '17/0 time',
'10 hours long', '-5 minutes'. Each is reported with what was asked and what the parse uses instead, so
an out-of-range statement is never replaced silently. This module only reports; it changes no value.

The ranges are the shared limits (knowledge_base.limits); durations that parse but fall outside 5-600 s
are reported where the duration is decided (the facade), so they are not repeated here.
"""

from __future__ import annotations

import re

from aurora.contracts import ParsedMusicalParameters
from knowledge_base.limits import MAX_DURATION_S, MAX_TEMPO_BPM, MIN_DURATION_S, MIN_TEMPO_BPM, meter_problem

_BPM_RE = re.compile(r"(?<![\w.])(-\s?)?(\d+(?:\.\d+)?)\s*-?\s*(?:bpm|b\.p\.m\b|beats?\s+(?:per|a)\s+minute)",
                     re.I)
_KEY_RE = re.compile(r"\b(?:in(?:\s+the\s+key\s+of)?|key\s+of|key:?)\s+([H-Zh-z])(?:\s*[#♯b♭])?\s*"
                     r"(major|minor|maj|min)\b")
_METER_RE = re.compile(r"(?<![\w/.])(-?\d{1,6})\s*/\s*(-?\d{1,6})(?![\w/.])")
_METER_CUE_BEFORE = re.compile(r"\b(?:in|time\s+signature(?:\s+of)?|meter\s+of|metre\s+of)\s*$", re.I)
_METER_CUE_AFTER = re.compile(r"\s*(?:time|meter|metre|feel|signature|groove)\b", re.I)
_DURATION_RE = re.compile(r"(?<![\w.])(-\s?)?(\d+(?:\.\d+)?)\s*-?\s*(hours?|hrs?|minutes?|mins?|seconds?|secs?)\b",
                          re.I)
_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0}
# a concert-pitch reference other than A = 440 Hz ("432hz", "A=432 Hz tuning", "baroque pitch 415 Hz"): the engine
# tunes every voice to A = 440 Hz, and says so rather than ignore it (a filter's "120 Hz" is no concert pitch)
_TUNING_HZ_RE = re.compile(r"(?<![\w.])(?:a\s*[=:]?\s*)?(\d{3})\s*hz\b", re.I)
CONCERT_PITCH_HZ = (400, 470)


def unusable_values(text: str, params: ParsedMusicalParameters) -> list[str]:
    """One warning per stated value the parse could not use, naming what was asked and what is used."""
    out: list[str] = []
    for m in _BPM_RE.finditer(text):
        asked = float(m.group(2)) * (-1 if m.group(1) else 1)
        if not MIN_TEMPO_BPM <= asked <= MAX_TEMPO_BPM:
            out.append(f"Asked {asked:g} BPM; tempos are {MIN_TEMPO_BPM:g}-{MAX_TEMPO_BPM:g} BPM, "
                       f"so {params.tempo.bpm:g} BPM is used.")
    for m in _KEY_RE.finditer(text):
        used = params.key_signature.value or "a key that suits the genre"
        out.append(f"'{m.group(0).strip()}' names no key (key names are A to G); {used} is used.")
    for m in _METER_RE.finditer(text):
        asked_meter = f"{m.group(1)}/{m.group(2)}"
        cued = _METER_CUE_BEFORE.search(text[max(0, m.start() - 24):m.start()]) or _METER_CUE_AFTER.match(
            text[m.end():m.end() + 12])
        if not cued or asked_meter == params.time_signature.value:
            continue
        problem = meter_problem(asked_meter)
        reason = f" ({problem})" if problem else ""
        out.append(f"Asked for {asked_meter} time{reason}; {params.time_signature.value} is used.")
    for m in _DURATION_RE.finditer(text):
        seconds = float(m.group(2)) * _UNIT_S[m.group(3)[0].lower()] * (-1 if m.group(1) else 1)
        if seconds < 0 or seconds > 3600:  # the parse drops these (or misreads a negative one)
            out.append(f"Asked for {m.group(0).strip()} ({seconds:g} s); durations are {MIN_DURATION_S:g}-"
                       f"{MAX_DURATION_S:g} s, so it is not used as the length.")
    for m in _TUNING_HZ_RE.finditer(text):
        if m.group(1) != "440" and CONCERT_PITCH_HZ[0] <= int(m.group(1)) <= CONCERT_PITCH_HZ[1]:
            out.append(f"Asked for {m.group(0).strip()}; every instrument is tuned to A = 440 Hz (another concert "
                       f"pitch is not supported yet).")
    return list(dict.fromkeys(out))
