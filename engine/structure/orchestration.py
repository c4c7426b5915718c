"""Which instrument plays which part.

Stated instruments (the prompt named them) come first and each gets a part: the role the prompt gave
it, else its first free role in instruments.yaml, else any free pitched role (a second harmony as pad,
guide tones as counter, an arpeggio); a choir sings pads. When the prompt gives the melody to no one, the
first stated player whose voice is a line (a cello beside a piano, a clarinet in a duet) takes it. Each
stated hand-percussion instrument is a part of its own. A compound name wins over its head noun (a
stated "reese bass" takes the bass from a "bass guitar" the parser also heard). Inferred instruments
(the parser's guesses) play only when the genre's line-up (genres.yaml, with its ancestors) has them, only
the part the line-up gives them, and never as an invented vocal (there is no singing voice) or an effect
(impacts, scratches: no pitched part). Parts still missing are filled from the
genre's line-up, then from defaults.yaml's ``fill_instruments``: the drums always, the bass in a band
(a line-up with a kit), harmony and lead when nothing stated can play them (a genre whose only lead is a
voice gives the melody to its own line-up first). A song form (``song_form``) gets a layer its choruses add. Excluded
instruments never appear, and excluding one (say the drum kit) also keeps the engine from filling its
role with a substitute. A stated kit piece ("hi-hats") means a drum track but keeps the genre's kit; a
whole kit (an 808, brushes, "live drums", "drum machine") is a kit choice (engine/ddsp/presets.py resolve_kit).
Which instruments mean a drum track, which choose a kit and which drum voices hand percussion plays come from
synth_presets.yaml. A named ensemble (ensembles.yaml: a jazz
trio, a string quartet) is a closed line-up: its players take their parts, other stated instruments join,
and nothing is inferred or filled beside them (a trio has no drummer to add when it has none). A refused part
("no melody", "no bass", "no beat": ParametersIn.excluded_parts) has no player, stated, inferred or filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.inputs import ParametersIn
from engine.score import TrackRole
from engine.structure.stated_players import lineup_kind, stated_and_inferred
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import unplugged_swap
from knowledge_base.layout import DecodedControls
from knowledge_base.schema import Ensemble, Genre, Instrument, normalise_name

PITCHED_ROLES: tuple[TrackRole, ...] = ("bass", "harmony", "pad", "lead", "counter", "arp")
_ROLE_MAP: dict[str, TrackRole] = {
    "bass": "bass", "harmony": "harmony", "rhythm": "harmony", "pad": "pad", "lead": "lead", "vocal": "lead",
    "counter": "counter", "texture": "arp", "percussion": "percussion",
}
# the engine's parts a refused part names (ParametersIn.excluded_parts: "no beat" refuses the kit and the percussion)
_REFUSED_PARTS: dict[str, tuple[TrackRole, ...]] = {
    "rhythm": ("drums", "percussion"), "percussion": ("drums", "percussion"), "texture": ("arp",)}
_NOBODY = ""  # who plays a refused part: every "is this part free" check finds it taken, and it makes no track
MAX_PITCHED_PARTS = 5
MAX_PERCUSSION_PARTS = 3
# families a guessed (inferred or filled) part never comes from: no singing voice exists, and an effect (impacts,
# scratches, sound effects) is no pitched part (an epic trailer's impacts arpeggiated on a sub bass; its hits
# are the transitions' own impacts)
UNPLAYED_GUESSES = ("vocal", "fx")


@dataclass(frozen=True, slots=True)
class Part:
    role: TrackRole
    instrument_id: str
    voices: tuple[str, ...] = ()  # a percussion part's drum voices (synth_presets.yaml percussion)
    guessed: bool = False  # the line-up's percussion beside stated parts: not a named (featured) part


@dataclass(frozen=True, slots=True)
class Orchestra:
    parts: tuple[Part, ...]  # in score order (PART_ORDER)
    # the whole-kit instruments (an 808, "live drums"), each with whether the prompt named it, stated ones first:
    # what resolve_kit chooses the drum track's kit from
    kit_choices: tuple[tuple[str, bool], ...] = ()
    stated_roles: frozenset[TrackRole] = frozenset()  # roles a stated instrument plays: heard in every section

    def has(self, role: TrackRole) -> bool:
        return any(p.role == role for p in self.parts)

    @property
    def percussion_voices(self) -> tuple[str, ...]:
        """Every drum voice the percussion parts play, each once."""
        return tuple(dict.fromkeys(v for p in self.parts for v in p.voices))


PART_ORDER: tuple[TrackRole, ...] = ("drums", "percussion", "bass", "harmony", "pad", "lead", "counter", "arp")


def _in_order(parts: list[Part]) -> tuple[Part, ...]:
    return tuple(sorted(parts, key=lambda p: PART_ORDER.index(p.role)))


CHORDAL_ROLES = frozenset({"harmony", "rhythm", "pad"})  # instruments.yaml roles of a player who can hold a chord


def _spare_roles(inst: Instrument) -> tuple[TrackRole, ...]:
    """The parts a stated player takes when its own are taken, in the order it plays them best. A player of one
    line at a time (a whistler, a flute, a trumpet, a voice: no chordal role in instruments.yaml) plays a second
    line or a broken chord before it would hold a pad's chords: a second stated lead ('banjo, handclaps,
    whistling') had whistled three-note pad chords."""
    if CHORDAL_ROLES & set(inst.roles) or (inst.family == "vocal" and "pad" in inst.roles):
        return ("pad", "counter", "arp", "harmony", "lead")
    return ("counter", "arp", "lead", "pad", "harmony")


def _roles_for(inst: Instrument, stated_role: str | None) -> list[TrackRole]:
    roles: list[TrackRole] = []
    for name in ([stated_role] if stated_role else []) + list(inst.roles):
        role = _ROLE_MAP.get(name)
        if role is not None and role in PITCHED_ROLES and role not in roles:
            roles.append(role)
    return roles


def percussion_parts(ids: list[str], stated: list[str] | set[str], kb: KnowledgeBase) -> list[Part]:
    """Hand percussion: a part (a track, a stem) for each stated instrument, so each is heard and mixed as itself
    (a tambourine beside claps, bongos beside congas); past the third, an instrument's voices join the last part (a
    samba's fourth and fifth players). The line-up's percussion (inferred) plays one part of the voices no stated
    part plays, where there is room (a salsa's timbales and cowbell beside its stated congas)."""
    voices = kb.synth_presets.percussion_voices
    named = [i for i in dict.fromkeys(ids) if i in stated]
    parts = [Part("percussion", i, tuple(voices(i))) for i in named[:MAX_PERCUSSION_PARTS]]
    if len(named) > MAX_PERCUSSION_PARTS:
        more = [v for i in named[MAX_PERCUSSION_PARTS:] for v in voices(i)]
        parts[-1] = Part("percussion", parts[-1].instrument_id, tuple(dict.fromkeys((*parts[-1].voices, *more))))
    played = {v for p in parts for v in p.voices}
    guessed = [i for i in dict.fromkeys(ids) if i not in stated and any(v not in played for v in voices(i))]
    if guessed and len(parts) < MAX_PERCUSSION_PARTS:
        parts.append(Part("percussion", guessed[0],
                          tuple(dict.fromkeys(v for i in guessed for v in voices(i) if v not in played)),
                          guessed=True))
    return parts


def time_keepers(genres: list[Genre], kit_pieces: frozenset[str] | set[str]) -> list[str]:
    """The line-up's players who keep a kitless band's time (genres.yaml role ``rhythm``: the mariachi's vihuela, the
    Hawaiian ukulele, a bluegrass mandolin's chop); none where the line-up has a kit, whose drummer keeps it. They
    take their part before the line-up's other guessed players: a Hawaiian song's guessed guitar had taken the one
    comping part and the ukulele's strum was never heard (stated players still come first)."""
    lineup = [(gi.instrument, gi.role) for g in genres for gi in g.instruments]
    if not lineup or any(i in kit_pieces for i, _ in lineup):
        return []
    return [i for i, role in lineup if role == "rhythm"]


_BASS_NAME = re.compile(r"\bbass\b", re.I)  # a bass by name: "Acid Bass (TB-303)", "808 Bass", "Double Bass"


def _melody_player(stated: list[str], stated_roles: dict[str, str], kb: KnowledgeBase) -> str | None:
    """The stated player who takes the melody when the prompt gives it to no one: the first whose voice is a line (a
    cello, a flute, a horn), not chords (a piano, a guitar, a pad), a bass or a choir. A stated cello beside a piano
    sings the tune; it had played the bass (its first role) under a guessed violin or the piano's right hand."""
    if any(stated_roles.get(i) in ("lead", "vocal") for i in stated):
        return None
    for inst_id in stated:
        inst = kb.find_instrument(inst_id)
        if inst is not None and not inst.drum and inst.family != "bass" and not _BASS_NAME.search(inst.name) \
                and "lead" in inst.roles \
                and inst.roles[0] not in ("harmony", "rhythm", "pad", "texture") \
                and not (inst.family == "vocal" and "pad" in inst.roles):
            return inst_id
    return None


def _lineup_players_first(stated: list[str], stated_roles: dict[str, str], lineup_roles: dict[str, str],
                          kb: KnowledgeBase) -> list[str]:
    """Stated players, those the genre's line-up (``lineup_roles``: the nearest genre's role for each player) gives
    the part they are asked for first: two stated players asked for one part ('ska tune with horns and offbeat
    guitar': both comp) had it go to the first named, the horns, and the ska guitar's skank became the melody; the
    line-up's own rhythm guitar now comps and the horns take the next part free (a counter line, the melody)."""

    def asked(inst_id: str) -> TrackRole | None:
        inst = kb.find_instrument(inst_id)
        return _ROLE_MAP.get(stated_roles.get(inst_id) or (inst.roles[0] if inst is not None else ""))

    return sorted(stated, key=lambda i: not (i in lineup_roles and _ROLE_MAP.get(lineup_roles[i]) == asked(i)))


def _own_part(inst: Instrument, asked: str, lineup_roles: dict[str, str], compers: set[str]) -> str:
    """The part a stated player takes: the one asked for, except in a genre that riffs, a player named with no part
    of its own (asked its first role, comping) whose genre gives it another part beside the riff guitar
    (``compers``): "power metal with keyboards" had the keyboard take the riff's part and the distorted guitar
    left 52 pad notes, "symphonic metal with choir and orchestra" no guitar at all. Elsewhere a named player's
    first part stands (a classical piano piece's piano comps and sings; a jazz guitar comps)."""
    own = lineup_roles.get(inst.id)
    if asked == inst.roles[0] and asked in ("harmony", "rhythm") and own not in (None, "harmony", "rhythm") \
            and compers - {inst.id}:
        return own or asked
    return asked


LAYER_ROLES: tuple[TrackRole, ...] = ("counter", "pad", "arp")  # parts a chorus adds over its verse


def _add_lift_layer(taken: dict[TrackRole, str], genre_defaults: list[tuple[str, TrackRole]], stated: list[str],
                    excluded: set[str], kit_pieces: frozenset[str] | set[str], kb: KnowledgeBase) -> None:
    """A song (verses and choruses) needs a part the chorus adds: when no inferred layer (counter, pad,
    arpeggio) plays yet, the line-up's next unused pitched instrument joins as one (a second guitar in rock
    sustains the chorus' chords; an organ or strings pad)."""
    if any(r in taken and taken[r] not in stated for r in LAYER_ROLES):
        return
    if len([r for r in taken if r in PITCHED_ROLES]) >= MAX_PITCHED_PARTS:
        return
    for inst_id, role in genre_defaults:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst_id in excluded or inst_id in taken.values() or inst.family in UNPLAYED_GUESSES \
                or inst.drum or inst_id in kit_pieces or role == "bass":
            continue
        fits = [r for r in _roles_for(inst, None) if r in LAYER_ROLES and r not in taken]
        free = fits or [r for r in ("pad",) if r not in taken]
        if free:
            taken[free[0]] = inst_id
            return


def _picks_beside_the_strum(taken: dict[TrackRole, str], genre_defaults: list[tuple[str, TrackRole]],
                            keepers: list[str], excluded: set[str], kb: KnowledgeBase) -> None:
    """A kitless band's chordal player whose comping part the time keeper took (the Hawaiian slack-key guitar beside
    the ukulele, the mariachi's guitar beside the vihuela, a folk fingerpicker beside the strummer) picks the chords'
    broken notes, the arpeggio part, where it is free: it had been left out of the band."""
    if "arp" in taken or len([r for r in taken if r in PITCHED_ROLES]) >= MAX_PITCHED_PARTS:
        return
    for inst_id, role in genre_defaults:
        inst = kb.find_instrument(inst_id)
        if role == "harmony" and inst is not None and not inst.drum and inst.family not in UNPLAYED_GUESSES \
                and inst_id not in keepers and inst_id not in excluded and inst_id not in taken.values():
            taken["arp"] = inst_id
            return


def _leader_comps(taken: dict[TrackRole, str], stated: list[str], kb: KnowledgeBase) -> None:
    """A stated chordal player that leads comps as well when no one holds the chords: a pianist's two hands (a
    neoclassical piano's chords had gone to the strings; a solo piano's waltz had played a bass note a bar under its
    tune, with no chord between them)."""
    leader = kb.find_instrument(taken["lead"]) if taken.get("lead") in stated else None
    if "harmony" not in taken and leader is not None and not leader.drum and leader.roles[:1] == ["harmony"]:
        taken["harmony"] = leader.id


def refused_tracks(parts: list[str]) -> set[TrackRole]:
    """The score's parts that refused parts (ParametersIn.excluded_parts: lead, bass, rhythm...) leave out."""
    return {r for part in parts for r in _REFUSED_PARTS.get(part, (_ROLE_MAP.get(part),)) if r}


def _refused(params: ParametersIn) -> dict[TrackRole, str]:
    """The parts the prompt refuses whoever would play them ("no melody", "no bass", "no beat"), held by nobody: a
    refused bass had only dropped the bass guitar, and the style's synth bass played the part."""
    return dict.fromkeys(sorted(refused_tracks(params.excluded_parts)), _NOBODY)


def _played(taken: dict[TrackRole, str], percussion: list[Part], kits: list[tuple[str, bool]],
            refused: dict[TrackRole, str]) -> tuple[tuple[Part, ...], tuple[tuple[str, bool], ...]]:
    """The parts someone plays and the kits, without the refused parts."""
    parts = [Part(role, inst_id) for role, inst_id in taken.items() if inst_id != _NOBODY]
    parts += [] if "percussion" in refused else percussion
    return _in_order(parts), () if "drums" in refused else tuple(kits)


def _ensemble_orchestra(ensemble: Ensemble, stated: list[str], stated_roles: dict[str, str], excluded: set[str],
                        kb: KnowledgeBase, refused: dict[TrackRole, str]) -> Orchestra:
    """The ensemble's players in their roles, then the other stated instruments in free roles; no fill."""
    kit_pieces = kb.synth_presets.kit_pieces()
    taken: dict[TrackRole, str] = dict(refused)
    percussion_ids: list[str] = []
    kits: list[tuple[str, bool]] = []  # the named ensemble is a stated line-up: its drummer's kit is asked for

    def place(inst_id: str, roles: list[TrackRole]) -> None:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst_id in excluded:
            return
        if inst.drum or inst_id in kit_pieces:
            if inst_id in kit_pieces or inst.family == "drums":
                if kb.synth_presets.kit_named(inst_id) is not None and (inst_id, True) not in kits:
                    kits.append((inst_id, True))
                taken.setdefault("drums", inst_id)
            elif inst_id not in percussion_ids:
                percussion_ids.append(inst_id)
            return
        free = [r for r in roles if r not in taken]
        if free and len([r for r in taken if r in PITCHED_ROLES]) < MAX_PITCHED_PARTS:
            taken[free[0]] = inst_id

    members = [p.instrument for p in ensemble.parts]
    firsts = [p for k, p in enumerate(ensemble.parts) if p.instrument not in members[:k]]
    for part in firsts:
        role = _ROLE_MAP.get(part.role, "harmony")
        place(part.instrument, [role] if role in PITCHED_ROLES else [])
    melodic = _melody_player(stated, stated_roles, kb) if not ensemble.parts else None
    if melodic is not None:  # "piano and cello duet": the melody is the cello's, the chords and bass the piano's
        place(melodic, ["lead"])
    for inst_id in stated:  # another stated instrument joins before a player doubles ("trio with vibraphone solo")
        inst = kb.find_instrument(inst_id)
        if inst_id in members or inst is None or inst_id in taken.values():
            continue
        roles = _roles_for(inst, stated_roles.get(inst_id))
        place(inst_id, roles + [r for r in ("counter", "pad", "arp", "harmony", "lead") if r not in roles])
    for part in ensemble.parts:  # a second role of one player (the piano's melody, a second violin)
        role = _ROLE_MAP.get(part.role, "harmony")
        if part not in firsts and role in PITCHED_ROLES:
            place(part.instrument, [role])
    if "bass" not in taken:  # no bass player: one who plays bass lines too (the piano's left hand in a solo piece),
        # never the one playing the tune: a cello and piano duet's cello sang the melody and the bass under it too
        for inst_id in sorted(members + stated, key=lambda i: i in (taken.get("lead"), taken.get("counter"))):
            inst = kb.find_instrument(inst_id)
            if inst is not None and inst_id not in excluded and not inst.drum and "bass" in inst.roles:
                place(inst_id, ["bass"])
                break
    if "lead" not in taken:  # the melody goes to a player who can lead (the piano's right hand in a trio)
        for inst_id in [p.instrument for p in ensemble.parts] + stated:
            inst = kb.find_instrument(inst_id)
            if inst is not None and inst_id not in excluded and not inst.drum and inst_id not in kit_pieces \
                    and "lead" in _roles_for(inst, None):
                taken["lead"] = inst_id
                break
    if not ensemble.parts:  # "solo piano", "just piano and cello": no one else holds the chords
        _leader_comps(taken, stated, kb)
    # every player the ensemble names is stated
    parts, played_kits = _played(taken, percussion_parts(percussion_ids, percussion_ids, kb), kits, refused)
    return Orchestra(parts, played_kits, frozenset(p.role for p in parts))


def orchestrate(*, controls: DecodedControls, params: ParametersIn, genres: list[Genre],
                kb: KnowledgeBase, song_form: bool = False, groove_voices: frozenset[str] = frozenset()) -> Orchestra:
    """``groove_voices``: the drum voices whose lines the style's groove writes (percussion.played_lines); in a band
    without a kit, the style's own hand percussion that plays one of them joins (a son's maracas shake its written
    eighths though the parser did not name them), as its guessed percussion."""
    kit_pieces = kb.synth_presets.kit_pieces()  # instruments that mean a drum track
    excluded = set(controls.excluded_instruments)
    for name in params.excluded_instruments:
        found = kb.find_instrument(name)
        if found is not None:
            excluded.add(found.id)
    closed_at = next((k for k, g in enumerate(genres) if g.own_lineup), None)
    genres = genres if closed_at is None else genres[: closed_at + 1]  # a bluegrass band borrows no country drums
    ensemble = kb.find_ensemble(params.ensemble)
    if ensemble is not None:
        named = {it.name: it.role for it in params.instrumentation if it.role}
        ensemble_roles = {f.id: named[n] for n in named if (f := kb.find_instrument(n)) is not None}
        players = [p.instrument for p in ensemble.parts]
        return _ensemble_orchestra(ensemble, stated_and_inferred(controls, params, kb, excluded, players)[0],
                                   ensemble_roles, excluded, kb, _refused(params))
    ordered_lineup = list(dict.fromkeys(gi.instrument for g in genres for gi in g.instruments))
    swap = unplugged_swap(kb) if params.acoustic else {}  # "unplugged rock": an acoustic guitar for the electric
    stated_ids = {f.id for it in params.instrumentation if it.source == "stated" and (f := kb.find_instrument(it.name))}
    excluded |= set(swap) - stated_ids  # and no electric player drawn from anywhere else, unless the text names it
    ordered_lineup = [i for i in dict.fromkeys(swap.get(i, i) for i in ordered_lineup) if i is not None]
    stated_roles: dict[str, str] = {}
    # each line-up player's role in the nearest genre that lists it
    lineup_roles: dict[str, str] = {player: gi.role for g in reversed(genres) for gi in g.instruments
                                    if (player := swap.get(gi.instrument, gi.instrument)) is not None}
    # a genre that riffs keeps its riff guitar on the comping part (riffs in grooves.yaml)
    riffing = {normalise_name(g) for r in kb.riffs for g in r.genres} & {
        normalise_name(g.id) for g in (kb.genre_lineage(genres[0].id) if genres else [])}  # a parent's riffs too
    compers = {i for i, r in lineup_roles.items() if r in ("harmony", "rhythm")} if riffing else set()
    for item in params.instrumentation:
        found = kb.find_instrument(item.name)
        if found is not None and item.role:
            found = lineup_kind(kb, item.name, found, ordered_lineup)
            stated_roles.setdefault(found.id, _own_part(found, item.role, lineup_roles, compers))
    stated, inferred = stated_and_inferred(controls, params, kb, excluded, ordered_lineup)
    lineup = set(ordered_lineup)
    inferred = [i for i in inferred if i in lineup and (inst := kb.find_instrument(i)) is not None
                and inst.family not in UNPLAYED_GUESSES]
    keepers = time_keepers(genres, kit_pieces)  # a kitless band's strummer takes its part before other guesses
    inferred.sort(key=lambda i: i not in keepers)
    blocked: set[TrackRole] = set()
    for inst_id in excluded:
        inst = kb.find_instrument(inst_id)
        if inst is None:
            continue
        if inst.drum and inst_id in kit_pieces:
            blocked.add("drums")
        elif inst.roles and _ROLE_MAP.get(inst.roles[0]) == "bass":
            blocked.add("bass")

    refused = _refused(params)
    taken: dict[TrackRole, str] = dict(refused)
    percussion_ids: list[str] = []
    kits: list[tuple[str, bool]] = []  # whole-kit instruments (resolve_kit's choices), stated ones first
    placed: list[str] = []
    melodic = _melody_player(stated, stated_roles, kb) if "lead" not in taken else None
    if melodic is not None:
        taken["lead"] = melodic
    for inst_id in _lineup_players_first(stated, stated_roles, lineup_roles, kb) + inferred:
        inst = kb.find_instrument(inst_id)
        if inst is None or inst_id == melodic:
            continue
        if inst.drum or inst_id in kit_pieces:
            if inst_id in kit_pieces or inst.family == "drums":
                if kb.synth_presets.kit_named(inst_id) is not None:
                    kits.append((inst_id, inst_id in stated))
                taken.setdefault("drums", inst_id)
            else:
                percussion_ids.append(inst_id)
            continue
        roles = _roles_for(inst, stated_roles.get(inst_id))
        if inst_id not in stated:  # a guessed player plays the part the line-up gives it, never another's (an
            own = _ROLE_MAP.get(stated_roles.get(inst_id) or inst.roles[0])  # inferred piano took the bass line from
            roles = [own] if own in PITCHED_ROLES else []  # the line-up's bass guitar, a timpani the orchestra's)
        if inst.family == "vocal" and "pad" in roles:  # a choir sings pads
            roles = ["pad", *[r for r in roles if r != "pad"]]
        free = [r for r in roles if r not in taken]
        if not free and inst_id in stated:  # every stated instrument gets a part
            free = [r for r in _spare_roles(inst) if r not in taken]
        if free and len([r for r in taken if r in PITCHED_ROLES]) < MAX_PITCHED_PARTS:
            taken[free[0]] = inst_id
            placed.append(inst_id)

    genre_defaults = [(gi.instrument, _ROLE_MAP.get(gi.role, "harmony")) for g in genres for gi in g.instruments]
    # the global fill list only completes the rhythm section and the harmony, and carries the melody when the
    # genre's only lead is a voice (no singing voice exists); colour parts (pad, counter, arpeggio) come from
    # the genre's own line-up
    sung_lead_only = not any(role == "lead" and (inst := kb.find_instrument(i)) is not None and inst.family != "vocal"
                             for i, role in genre_defaults)
    genre_has_drums = not genre_defaults or any(i in kit_pieces for i, _ in genre_defaults)
    # the fill list's bass guitar joins a band (a line-up with a kit, or a stated kit); a line-up with neither drums
    # nor a bass player of its own (a sitar and tabla, a koto, a chant) gets no bass guitar from outside it
    band = genre_has_drums or "drums" in taken
    fill_roles = ("drums",) + (("bass",) if band else ()) + ("harmony",) + (("lead",) if sung_lead_only else ())
    # a role the line-up gives no one (a bass in meditation music) goes to a line-up instrument that can play
    # it (the piano's left hand) before the global fill list brings in an outsider
    capable: list[tuple[str, TrackRole]] = [
        (gi.instrument, r) for g in genres for gi in g.instruments if (i := kb.find_instrument(gi.instrument))
        is not None and i.family != "vocal" for r in ("bass", "harmony") if r in i.roles]
    # a stated chordal player's own left hand before a line-up player's: a "soft piano" lullaby's felt piano held
    # the chords while the line-up's other piano, never asked for, played the bass under them
    own_hands: list[tuple[str, TrackRole]] = [
        (i, "bass") for i in stated if (inst := kb.find_instrument(i)) is not None and not inst.drum
        and inst.roles[:1] == ["harmony"] and "bass" in inst.roles and any(r == "bass" for _, r in capable)]
    capable = own_hands + capable
    # a kitless band's time keeper fills its part first (time_keepers)
    defaults = sorted(genre_defaults, key=lambda d: d[0] not in keepers) + capable + \
        [(fill.instrument, role) for fill in kb.defaults.fill_instruments
         if (role := _ROLE_MAP.get(fill.role, "harmony")) in fill_roles]
    # a line-up player doubles only when not playing already; a stated player's left hand may double its chords
    spare = set(range(len(genre_defaults) + len(own_hands), len(genre_defaults) + len(capable)))
    have_stated = bool(stated)
    # with stated instruments, the genre's line-up may still add a pad or counter line: layers a chorus adds
    wanted: tuple[TrackRole, ...] = ("drums", "bass", "harmony", "lead", "pad", "counter") if have_stated else \
        ("drums", "bass", "harmony", "pad", "lead", "counter", "arp")
    if "lead" not in taken and have_stated:  # a stated instrument that can lead doubles up
        for inst_id in stated:
            inst = kb.find_instrument(inst_id)
            if inst is not None and not inst.drum and "lead" in _roles_for(inst, None):
                taken["lead"] = inst_id
                break
    _leader_comps(taken, stated, kb)
    if "lead" not in taken and sung_lead_only and "lead" in wanted:  # the line-up's own melody instrument
        for inst_id, _role in genre_defaults:
            inst = kb.find_instrument(inst_id)
            if inst is not None and inst_id not in excluded and inst.family != "vocal" and not inst.drum \
                    and inst_id not in kit_pieces and "lead" in inst.roles and inst_id not in taken.values():
                taken["lead"] = inst_id
                break
    # the style's own hand percussion (not a parent's: a tango shakes no salsa maracas)
    own_percussion = {gi.instrument for gi in genres[0].instruments if (i := kb.find_instrument(gi.instrument))
                      is not None and i.drum} if genres else set()
    for k, (inst_id, role) in enumerate(defaults):
        inst = kb.find_instrument(inst_id)
        if inst is not None and inst_id in own_percussion and inst_id not in kit_pieces | excluded \
                and not genre_has_drums and "drums" not in taken and inst_id not in percussion_ids \
                and set(kb.synth_presets.percussion_voices(inst_id)) & groove_voices:
            percussion_ids.append(inst_id)  # a kitless band's percussion plays its groove's lines
            continue
        if inst is None or inst_id in excluded or role in blocked or role not in wanted or \
                inst.family in UNPLAYED_GUESSES:
            continue
        if k in spare and inst_id in taken.values():
            continue
        if inst.drum or inst_id in kit_pieces:
            if "drums" not in taken and "drums" not in blocked and genre_has_drums and inst_id in kit_pieces:
                taken["drums"] = inst_id
                if kb.synth_presets.kit_named(inst_id) is not None and not kits:
                    kits.append((inst_id, False))
            continue
        if role in ("counter", "arp") and len([r for r in taken if r in PITCHED_ROLES]) >= MAX_PITCHED_PARTS:
            continue
        if role not in taken and (role not in ("counter", "arp", "pad") or inst_id not in taken.values()):
            taken[role] = inst_id
    if taken.get("harmony") in keepers:
        _picks_beside_the_strum(taken, genre_defaults, keepers, excluded, kb)
    if song_form:
        _add_lift_layer(taken, genre_defaults, stated, excluded, kit_pieces, kb)
    parts, played_kits = _played(taken, percussion_parts(percussion_ids, stated, kb), kits, refused)
    return Orchestra(parts, played_kits, frozenset(p.role for p in parts if p.instrument_id in stated))
