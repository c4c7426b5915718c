"""An acoustic version: "acoustic rock song", "unplugged rock ballad", "stripped back pop".

The words had chosen nothing but, at most, the genre: "acoustic rock song" played an electric rhythm guitar and a
lead guitar, "acoustic version of a pop song" a synthesizer pad. Said of the music (not inside an instrument's own
name: "acoustic guitar", "acoustic drums"), they swap each electric or electronic player the style would bring for
the acoustic one an unplugged set plays in its place (instruments.yaml ``unplugged``: an electric guitar for an
acoustic guitar, a Rhodes for a piano, a synth pad for nobody); the engine plays the style's line-up swapped so. A
player the text names stays, electric or not ("acoustic rock with an electric guitar solo").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aurora.contracts import InstrumentValue
from aurora.parser.instruments import InstrumentFinding
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import unplugged_swap

_UNPLUGGED_RE = re.compile(r"\b(?:acoustic|unplugged|stripped[- ](?:back|down)|all[- ]acoustic)\b")


def asks_unplugged(lowered: str, found: Sequence[InstrumentFinding]) -> bool:
    """The text asks for an acoustic version: the word said of the music, not inside a named instrument."""
    spans = [(f.start, f.start + len(f.phrase)) for f in found]
    return any(not any(a <= m.start() < b for a, b in spans) for m in _UNPLUGGED_RE.finditer(lowered))


def unplugged(lowered: str, found: Sequence[InstrumentFinding], instruments: list[InstrumentValue],
              kb: KnowledgeBase) -> tuple[list[InstrumentValue], bool]:
    """(instruments, acoustic): the inferred players swapped for their acoustic counterparts when the text asks an
    acoustic version (the engine's orchestration swaps the style's line-up likewise: ParametersIn.acoustic), else
    as given."""
    if not asks_unplugged(lowered, found):
        return instruments, False
    swap = unplugged_swap(kb)
    out: list[InstrumentValue] = []
    for value in instruments:
        inst = kb.find_instrument(value.name)
        if value.source == "stated" or inst is None or inst.id not in swap:
            out.append(value)
        elif (acoustic := swap[inst.id]) is not None:
            name = kb.instrument(acoustic).name
            if all(v.name != name for v in (*instruments, *out)):
                out.append(value.model_copy(update={"name": name}))
    return out, True
