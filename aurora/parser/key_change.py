"""Key changes asked for by a step rather than a key: "a key change up a half step for the last chorus", "modulates
up a whole tone", "a semitone lift into the final chorus", "with a key change at the end", and where it happens.

``parse_key`` reads a change that names its key ("modulates to E major"); a prompt that names a step, or only
asks for a key change, is read here as semitones from the home key (a bare "key change" is the pop lift, up a
half step). Where it happens: the last chorus unless the text names the bridge or the outro ("for the bridge",
"in the outro"); the planner moves every section from there on (a bridge's change returns home after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aurora.contracts import KeySignatureValue
from aurora.parser.lexicon import is_negated
from knowledge_base.schema import Chords
from knowledge_base.theory import key_of, parse_key_label

_TRIGGER_RE = re.compile(
    r"\b(?:key[\s-]+changes?|change\s+(?:of\s+)?key|changes?\s+keys?|modulat\w*|(?:truck[\s-]?driver'?s?\s+)?"
    r"gear[\s-]+change|key[\s-]+(?:lift|shift)s?)\b(?!-)",
    re.I)
_STEPS = {"half step": 1, "half-step": 1, "halfstep": 1, "semitone": 1, "semi-tone": 1, "half tone": 1,
          "half-tone": 1, "whole step": 2, "whole-step": 2, "whole tone": 2, "whole-tone": 2, "tone": 2,
          "full step": 2, "step": 2, "minor third": 3, "major third": 4, "fourth": 5}
_STEP = "|".join(sorted((re.escape(s) for s in _STEPS), key=len, reverse=True))
_STEP_RE = re.compile(rf"\b(?P<dir>up|down)?\s*(?:by\s+)?(?:a|an|one)?\s*(?P<step>{_STEP})\b(?:\s+(?P<dir2>up|down))?",
                      re.I)
_CLAUSE_END_RE = re.compile(r"[.;!?\n]|,\s*(?!up\b|down\b|for\b|in\b|into\b|at\b)")
_WHERE = (("bridge", re.compile(r"\b(?:bridge|middle\s+eight|middle\s+8)\b", re.I)),
          ("outro", re.compile(r"\b(?:outro|ending|coda|end)\b", re.I)),
          ("last chorus", re.compile(r"\b(?:chorus|hook|refrain|drop)\b", re.I)))
DEFAULT_LIFT = 1  # a key change with no step named: the pop lift, up a half step


@dataclass(frozen=True)
class KeyChangeFinding:
    semitones: int | None  # None: the change names its own key (parse_key reads it)
    at: str  # "last chorus" | "bridge" | "outro"


def parse_key_change(text: str) -> KeyChangeFinding | None:
    """The first key change the text asks for (not negated: "no key change"), by step and place."""
    for trigger in _TRIGGER_RE.finditer(text):
        if is_negated(text.lower(), trigger.start()):
            continue
        start = max(0, trigger.start() - 30)
        before = text[start:trigger.start()]
        cut = list(_CLAUSE_END_RE.finditer(before))
        before = before[cut[-1].end():] if cut else before
        after = text[trigger.end():]
        end = _CLAUSE_END_RE.search(after)
        clause = before + " " + trigger.group(0) + " " + (after[:end.start()] if end else after)[:80]
        step = _STEP_RE.search(clause)
        semitones: int | None = None
        if step is not None:
            semitones = _STEPS[step.group("step").lower().replace("  ", " ")]
            if (step.group("dir") or step.group("dir2") or "up").lower() == "down":
                semitones = -semitones
        elif not re.search(r"\bto\s+(?:the\s+key\s+of\s+)?[A-Ga-g]\b", after[:30]):
            semitones = DEFAULT_LIFT
        at = next((name for name, pattern in _WHERE if pattern.search(clause)), "last chorus")
        return KeyChangeFinding(semitones, at)
    return None


def with_key_change(value: KeySignatureValue, found: KeyChangeFinding | None, chords: Chords,
                    warnings: list[str]) -> KeySignatureValue:
    """The key signature with the change the text asks for: a step from the home key becomes the later key (a
    change that names its key is already there), and where it happens. Says how a step was read."""
    if found is None or value.value is None:
        return value
    changes = list(value.changes)
    home = parse_key_label(value.value, chords)
    if found.semitones and not changes and home is not None:
        later = key_of((home.tonic_pc + found.semitones) % 12, home.mode, chords)
        changes = [later.label()]
        way, size = "up" if found.semitones > 0 else "down", abs(found.semitones)
        warnings.append(f"Key change read as {way} {size} semitone{'s' if size > 1 else ''} at the {found.at}: "
                        f"{value.value} to {later.label()}.")
    if not changes:
        return value
    return value.model_copy(update={"changes": changes, "change_at": found.at})
