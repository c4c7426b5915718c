"""Who the prompt named and who the parser guessed, as knowledge-base ids, for the orchestration to place.

A kind of instrument named by its head noun is the line-up's own ("bass" in a jazz trio is the double bass), a
compound name wins over its head noun (a "reese bass" over the "bass" the parser also heard), and a whole kit is
never read as a kit of the other kind (a trap beat's live drummer stays a drum kit).
"""

from __future__ import annotations

from engine.inputs import ParametersIn
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import kind_in_lineup
from knowledge_base.layout import DecodedControls
from knowledge_base.schema import Instrument


def _heard_as(inst: Instrument) -> list[str]:
    return [x.lower() for x in (inst.name, *inst.aliases)]


def _compound_winners(ids: list[str], kb: KnowledgeBase) -> list[str]:
    """Drops an instrument whose name is the head noun of another stated one ('bass' in 'reese bass'); a drum kit
    beside a drum machine is no such pair (a 'trap beat' and a 'live drummer': the "Drum Kit" is the live one)."""
    found = {i: kb.find_instrument(i) for i in ids}
    out = []
    for a in ids:
        inst_a = found[a]
        shadowed = inst_a is not None and any(
            b != a and (inst_b := found[b]) is not None and inst_b.roles[:1] == inst_a.roles[:1]
            and not _kits_of_two_kinds(kb, a, b)
            and any(n.endswith(" " + h) for n in _heard_as(inst_b) for h in _heard_as(inst_a) if len(h) >= 3)
            for b in ids)
        if not shadowed:
            out.append(a)
    return out


def lineup_kind(kb: KnowledgeBase, word: str, found: Instrument, lineup: list[str]) -> Instrument:
    """``kind_in_lineup``, except that a whole kit is never read as a kit of the other kind. The parser has read the
    prompt's own words as kinds already ("drums" in a lo-fi beat is its drum machine); the name it hands on for a live
    drummer ("live drums", "real drums", "drummer") is "Drum Kit", which "trap drum kit" and "electronic drum kit"
    make a kind word too: read again here, a trap beat's live drummer became the line-up's 808."""
    own = kind_in_lineup(kb, word, found, lineup)
    return found if _kits_of_two_kinds(kb, found.id, own.id) else own


def _kits_of_two_kinds(kb: KnowledgeBase, a: str, b: str) -> bool:
    """Whether two instruments are whole kits of different kinds (a drummer's kit and a drum machine)."""
    kit_a, kit_b = kb.synth_presets.kit_named(a), kb.synth_presets.kit_named(b)
    return kit_a is not None and kit_b is not None and kit_a.kind != kit_b.kind


def stated_and_inferred(controls: DecodedControls, params: ParametersIn, kb: KnowledgeBase,
                        excluded: set[str], lineup: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Instrument ids the prompt named, and the ones the parser inferred (a kind of instrument named by
    its head noun is the genre's own: ``kind_in_lineup``). Without parameters that say (an embedding
    alone), every instrument the embedding marks counts as stated."""
    stated: list[str] = []
    inferred: list[str] = []
    for item in params.instrumentation:
        found = kb.find_instrument(item.name)
        if found is not None and lineup:
            found = lineup_kind(kb, item.name, found, lineup)
        if found is None or found.id in excluded:
            continue
        target = stated if item.source == "stated" else inferred
        if found.id not in stated and found.id not in target:
            target.append(found.id)
    for inst_id in controls.instruments:
        if inst_id not in excluded and inst_id not in stated and inst_id not in inferred:
            (inferred if params.instrumentation else stated).append(inst_id)
    return _compound_winners(stated, kb), [i for i in inferred if i not in stated]
