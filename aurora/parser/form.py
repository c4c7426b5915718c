"""A form the prompt lists section by section: "pop song with intro, verse, chorus, verse, chorus, outro",
"structure: intro -> verse -> chorus -> bridge -> chorus -> outro".

Such a list had been read, at best, as the name of a song form, and the plan played that form's template: a user who
listed six sections got eight, a bridge and a third chorus among them. The list is the form: each section as named,
in order, a repeat numbered as the templates number it ("verse 2"). Three section words in a row, joined only by
separators ("," "->" "then" "and"), make a list; "a catchy chorus and a quiet verse" is no form.
"""

from __future__ import annotations

import re

# the words people write for the sections the knowledge base's forms have (structures.yaml), and what each is there
SECTION_WORDS: dict[str, str] = {
    "intro": "intro", "introduction": "intro", "verse": "verse", "verses": "verse", "pre-chorus": "pre-chorus",
    "pre chorus": "pre-chorus", "prechorus": "pre-chorus", "chorus": "chorus", "refrain": "chorus", "hook": "hook",
    "bridge": "bridge", "middle eight": "bridge", "middle 8": "bridge", "breakdown": "breakdown", "build": "build",
    "build-up": "build", "build up": "build", "buildup": "build", "drop": "drop", "solo": "solo",
    "guitar solo": "solo", "outro": "outro", "ending": "outro", "coda": "coda", "interlude": "bridge",
}
_WORD = "|".join(sorted((re.escape(w) for w in SECTION_WORDS), key=len, reverse=True))
_SECTION_RE = re.compile(rf"(?<![\w-])(?:{_WORD})(?![\w-])", re.I)
# what may sit between two sections of one list: separators, "then", "and", "a", "another", "the", "second"
_JOIN_RE = re.compile(r"^(?:\s|[,;/+>|]|-+>?|→|–|—|\bthen\b|\band\b|\ba\b|\banother\b|\bthe\b|\bsecond\b|\bfinal\b"
                      r"|\blast\b|\bagain\b|\binto\b|\bto\b)*$", re.I)
MIN_SECTIONS = 3


def parse_form(lowered: str) -> list[str]:
    """The sections a prompt lists, in order, repeats numbered ("verse", "verse 2"); [] where it lists none."""
    best: list[re.Match[str]] = []
    run: list[re.Match[str]] = []
    for m in _SECTION_RE.finditer(lowered):
        if run and not _JOIN_RE.match(lowered[run[-1].end():m.start()]):
            best = run if len(run) > len(best) else best
            run = []
        run.append(m)
    best = run if len(run) > len(best) else best
    if len(best) < MIN_SECTIONS:
        return []
    seen: dict[str, int] = {}
    out: list[str] = []
    for m in best:
        name = SECTION_WORDS[" ".join(m.group(0).lower().split())]
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out
