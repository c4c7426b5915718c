"""Which instrument plays which part.

The instruments the embedding marks present come first, each in the role the prompt gave it (or
its first role in instruments.yaml). Parts still missing are filled from the genre's defaults in
genres.yaml, then from defaults.yaml's ``fill_instruments``: the rhythm section (drums, bass) always,
harmony and lead when nothing stated can play them. Excluded instruments never appear, and excluding
one (say the drum kit) also keeps the engine from filling its role with a substitute. Which
instruments mean a drum track (the ones drum kits list) and which drum voices hand percussion plays
come from synth_presets.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.inputs import ParametersIn
from engine.score import TrackRole
from knowledge_base import KnowledgeBase
from knowledge_base.layout import DecodedControls
from knowledge_base.schema import Genre, Instrument

PITCHED_ROLES: tuple[TrackRole, ...] = ("bass", "harmony", "pad", "lead", "counter", "arp")
_ROLE_MAP: dict[str, TrackRole] = {
    "bass": "bass", "harmony": "harmony", "rhythm": "harmony", "pad": "pad", "lead": "lead", "vocal": "lead",
    "counter": "counter", "texture": "arp", "percussion": "percussion",
}
MAX_PITCHED_PARTS = 5


@dataclass(frozen=True, slots=True)
class Part:
    role: TrackRole
    instrument_id: str


@dataclass(frozen=True, slots=True)
class Orchestra:
    parts: tuple[Part, ...]
    percussion_voices: tuple[str, ...]
    kit_instrument: str | None  # the drum instrument that chose the kit

    def has(self, role: TrackRole) -> bool:
        return any(p.role == role for p in self.parts)


def _roles_for(inst: Instrument, stated_role: str | None) -> list[TrackRole]:
    roles: list[TrackRole] = []
    for name in ([stated_role] if stated_role else []) + list(inst.roles):
        role = _ROLE_MAP.get(name)
        if role is not None and role in PITCHED_ROLES and role not in roles:
            roles.append(role)
    return roles


def orchestrate(*, controls: DecodedControls, params: ParametersIn, genres: list[Genre],
                kb: KnowledgeBase) -> Orchestra:
    kit_pieces = kb.synth_presets.kit_pieces()  # instruments that mean a drum track
    excluded = set(controls.excluded_instruments)
    for name in params.excluded_instruments:
        found = kb.find_instrument(name)
        if found is not None:
            excluded.add(found.id)
    stated_roles: dict[str, str] = {}
    for item in params.instrumentation:
        found = kb.find_instrument(item.name)
        if found is not None and item.role:
            stated_roles.setdefault(found.id, item.role)
    stated = [i for i in controls.instruments if i not in excluded]
    blocked: set[TrackRole] = set()
    for inst_id in excluded:
        inst = kb.find_instrument(inst_id)
        if inst is None:
            continue
        if inst.drum and inst_id in kit_pieces:
            blocked.add("drums")
        elif inst.roles and _ROLE_MAP.get(inst.roles[0]) == "bass":
            blocked.add("bass")

    taken: dict[TrackRole, str] = {}
    percussion: list[str] = []
    percussion_ids: list[str] = []
    kit: str | None = None
    for inst_id in stated:
        inst = kb.find_instrument(inst_id)
        if inst is None:
            continue
        if inst.drum or inst_id in kit_pieces:
            if inst_id in kit_pieces or inst.family == "drums":
                kit = kit or inst_id
                taken.setdefault("drums", inst_id)
            else:
                percussion_ids.append(inst_id)
                percussion.extend(v for v in kb.synth_presets.percussion_voices(inst_id) if v not in percussion)
            continue
        for role in _roles_for(inst, stated_roles.get(inst_id)):
            if role not in taken:
                taken[role] = inst_id
                break

    genre_defaults = [(gi.instrument, _ROLE_MAP.get(gi.role, "harmony")) for g in genres for gi in g.instruments]
    defaults = genre_defaults + [(fill.instrument, _ROLE_MAP.get(fill.role, "harmony"))
                                 for fill in kb.defaults.fill_instruments]
    genre_has_drums = not genre_defaults or any(i in kit_pieces for i, _ in genre_defaults)
    have_stated = bool(stated)
    wanted: tuple[TrackRole, ...] = ("drums", "bass", "harmony", "lead") if have_stated else \
        ("drums", "bass", "harmony", "pad", "lead", "counter", "arp")
    if "lead" not in taken and have_stated:  # a stated instrument that can lead doubles up
        for inst_id in stated:
            inst = kb.find_instrument(inst_id)
            if inst is not None and not inst.drum and "lead" in _roles_for(inst, None):
                taken["lead"] = inst_id
                break
    for inst_id, role in defaults:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst_id in excluded or role in blocked or role not in wanted:
            continue
        if inst.drum or inst_id in kit_pieces:
            if "drums" not in taken and "drums" not in blocked and genre_has_drums and inst_id in kit_pieces:
                taken["drums"] = inst_id
                kit = kit or inst_id
            continue
        if role in ("counter", "arp") and len([r for r in taken if r in PITCHED_ROLES]) >= MAX_PITCHED_PARTS:
            continue
        if role not in taken and (role not in ("counter", "arp", "pad") or inst_id not in taken.values()):
            taken[role] = inst_id
    parts = [Part(role, inst_id) for role, inst_id in taken.items()]
    if percussion:
        parts.append(Part("percussion", percussion_ids[0]))
    order = ("drums", "percussion", "bass", "harmony", "pad", "lead", "counter", "arp")
    parts.sort(key=lambda p: order.index(p.role))
    return Orchestra(tuple(parts), tuple(percussion), kit)
