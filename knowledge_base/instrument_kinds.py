"""A word that names a kind of instrument means the genre's own instrument of that kind.

"bass" is the head noun of a dozen instruments (bass guitar, double bass, synth bass, ...): in a jazz trio
it is the double bass, in deep house the synth bass; "guitar" in bossa nova is the nylon-string guitar.
A word is a kind when two or more instruments are called "... <word>" (names and aliases in
instruments.yaml); a specific name, or an instrument the genre's line-up already has, stays as it is. A part
alias (``part_aliases``: "walking bass", "bass line") names what a player plays, not an instrument: it is read
as its last kind word, so a bebop tune's walking bass is the upright.
Used by the parser (aurora) and the orchestration (engine), so both read a prompt the same way.
"""

from __future__ import annotations

from knowledge_base.schema import Instrument, KnowledgeBase


def is_kind_word(kb: KnowledgeBase, word: str) -> bool:
    text = " ".join(word.lower().replace("-", " ").split())
    if not text:
        return False
    named = {i.id for i in kb.instruments if any(n.lower().endswith(" " + text) for n in (i.name, *i.aliases))}
    return len(named) >= 2


def kind_in_lineup(kb: KnowledgeBase, word: str, found: Instrument, lineup: list[str]) -> Instrument:
    """The line-up's instrument of the kind ``word`` names (same first role, nearest genre first), else ``found``."""
    text = " ".join(word.lower().replace("-", " ").split())
    if text in (p.lower() for p in found.part_aliases):
        text = next((w for w in reversed(text.split()) if is_kind_word(kb, w)), text)
    if found.id in lineup or not found.roles or not is_kind_word(kb, text):
        return found
    for inst_id in lineup:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst.family == "vocal" or inst.roles[:1] != found.roles[:1]:
            continue
        if any(n.lower().endswith(" " + text) for n in (inst.name, *inst.aliases)):
            return inst
    return found


# a section's resting "player" that is a part, whoever plays it ("no melody in the intro": "part:lead"): the parser
# writes it, the engine's section players read it
PART_PREFIX = "part:"
UNPLUGGED_NOBODY = "none"  # instruments.yaml ``unplugged: none``: an acoustic version has no one in its place


def unplugged_swap(kb: KnowledgeBase) -> dict[str, str | None]:
    """Each electric or electronic instrument's acoustic counterpart in an unplugged version (None: no one), from
    instruments.yaml ``unplugged``; the parser swaps inferred players with it and the orchestration the line-up."""
    return {i.id: (None if i.unplugged == UNPLUGGED_NOBODY else i.unplugged) for i in kb.instruments if i.unplugged}
