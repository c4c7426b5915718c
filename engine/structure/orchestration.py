"""Which instrument plays which part.

The instruments the embedding marks present come first, each in the role the prompt gave it (or
its first role in instruments.yaml). Parts still missing are filled from the genre's defaults in
genres.yaml: the rhythm section (drums, bass) always, harmony and lead when nothing stated can
play them. Excluded instruments never appear, and excluding one (say the drum kit) also keeps the
engine from filling its role with a substitute.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.controls import DecodedControls
from engine.inputs import ParametersIn
from engine.knowledge import GenreInfo, InstrumentInfo, KnowledgeData
from engine.score import TrackRole

PITCHED_ROLES: tuple[TrackRole, ...] = ("bass", "harmony", "pad", "lead", "counter", "arp")
_ROLE_MAP: dict[str, TrackRole] = {
    "bass": "bass", "harmony": "harmony", "rhythm": "harmony", "pad": "pad", "lead": "lead", "vocal": "lead",
    "counter": "counter", "texture": "arp", "percussion": "percussion",
}
# Instruments that are a whole kit or a piece of one: they mean "a drum track".
KIT_PIECES = {"drum_kit", "kick", "snare", "rimshot", "drum_roll", "hi_hat", "ride_cymbal", "crash_cymbal",
              "cymbals", "toms", "brushed_drums", "breakbeat", "drum_machine", "tr808", "electronic_drums",
              "trap_drums", "beatbox"}
PERCUSSION_VOICES: dict[str, tuple[str, ...]] = {
    "congas": ("conga_high", "conga_low"), "bongos": ("bongo_high", "bongo_low"), "djembe": ("conga_low",),
    "cajon": ("conga_low",), "tabla": ("bongo_high", "conga_low"), "dhol": ("conga_low",),
    "darbuka": ("bongo_high",), "frame_drum": ("conga_low",), "timbales": ("timbale",),
    "shaker": ("shaker",), "maracas": ("shaker",), "tambourine": ("tambourine",), "cowbell": ("cowbell",),
    "triangle": ("triangle",), "wood_block": ("wood_block",), "castanets": ("clave",), "guiro": ("shaker",),
    "clap": ("clap",), "finger_snaps": ("clap",), "sleigh_bells": ("tambourine",),
}
_GENERIC_DEFAULTS: tuple[tuple[str, TrackRole], ...] = (
    ("drum_kit", "drums"), ("bass_guitar", "bass"), ("piano", "harmony"), ("synth_pad", "pad"),
    ("electric_piano", "lead"),
)
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


def _roles_for(inst: InstrumentInfo, stated_role: str | None) -> list[TrackRole]:
    roles: list[TrackRole] = []
    for name in ([stated_role] if stated_role else []) + list(inst.roles):
        role = _ROLE_MAP.get(name)
        if role is not None and role in PITCHED_ROLES and role not in roles:
            roles.append(role)
    return roles


def orchestrate(*, controls: DecodedControls, params: ParametersIn, genres: list[GenreInfo],
                kb: KnowledgeData) -> Orchestra:
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
        inst = kb.instrument(inst_id)
        if inst is None:
            continue
        if inst.drum and inst_id in KIT_PIECES:
            blocked.add("drums")
        elif inst.roles and _ROLE_MAP.get(inst.roles[0]) == "bass":
            blocked.add("bass")

    taken: dict[TrackRole, str] = {}
    percussion: list[str] = []
    percussion_ids: list[str] = []
    kit: str | None = None
    for inst_id in stated:
        inst = kb.instrument(inst_id)
        if inst is None:
            continue
        if inst.drum or inst_id in KIT_PIECES:
            if inst_id in KIT_PIECES or inst.family == "drums":
                kit = kit or inst_id
                taken.setdefault("drums", inst_id)
            else:
                percussion_ids.append(inst_id)
                percussion.extend(v for v in PERCUSSION_VOICES.get(inst_id, ("shaker",)) if v not in percussion)
            continue
        for role in _roles_for(inst, stated_roles.get(inst_id)):
            if role not in taken:
                taken[role] = inst_id
                break

    genre_defaults = [(gi.instrument, _ROLE_MAP.get(gi.role, "harmony")) for g in genres for gi in g.instruments]
    defaults = genre_defaults + list(_GENERIC_DEFAULTS)
    genre_has_drums = not genre_defaults or any(i in KIT_PIECES for i, _ in genre_defaults)
    have_stated = bool(stated)
    wanted: tuple[TrackRole, ...] = ("drums", "bass", "harmony", "lead") if have_stated else \
        ("drums", "bass", "harmony", "pad", "lead", "counter", "arp")
    if "lead" not in taken and have_stated:  # a stated instrument that can lead doubles up
        for inst_id in stated:
            inst = kb.instrument(inst_id)
            if inst is not None and not inst.drum and "lead" in _roles_for(inst, None):
                taken["lead"] = inst_id
                break
    for inst_id, role in defaults:
        inst = kb.instrument(inst_id)
        if inst is None or inst_id in excluded or role in blocked or role not in wanted:
            continue
        if inst.drum or inst_id in KIT_PIECES:
            if "drums" not in taken and "drums" not in blocked and genre_has_drums and inst_id in KIT_PIECES:
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
