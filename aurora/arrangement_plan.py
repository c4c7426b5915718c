"""The arrangement a prompt asks (aurora.contracts.Arrangement) laid on the genre's form, for the planner.

- Refused sections ("no drop", "without an intro") leave the form; a form never loses all its main sections. A
  piece that builds all the way loses its breakdowns too (their point is the dip).
- A solo ("a guitar solo in the middle", "with a drum solo") is a section of its own before the last chorus (in
  the middle of a form without one), over the loop's chords at the piece's top energy, with the soloist named as
  its lead; a form that has solos already gives them to that player.
- Players who come in later ("slow intro, then the drums come in") rest in the sections before their entry.
- An arc ("starts quiet and builds", "winds down") sets every section's energy on a line from the first section to
  the last, whatever the genre's form did with them, so the loudness follows the words.
- A mood that turns ("starts sad and ends hopeful") starts in the other mode and turns at ``turning_point``: the
  last chorus when it lies past the first 40% of the piece, else the first main section in the second half.
"""

from __future__ import annotations

from collections.abc import Mapping

from aurora.arrangement_contract import Arrangement
from aurora.contracts import Section
from aurora.harmony_plan import base_name, is_edge, section_role
from aurora.parser.arrangement import DRUM_KIT_NAME, EDGE_KINDS
from knowledge_base.schema import Chords, StructureSection
from knowledge_base.theory import Key, parse_key_label, roman_to_chord

# the kinds of section a text can refuse (aurora/parser/arrangement.py reads them) and the names the knowledge
# base's forms give them (structures.yaml)
SECTION_KINDS: dict[str, tuple[str, ...]] = {
    "drop": ("drop",), "intro": ("intro",), "outro": ("outro", "ending", "coda", "tag"),
    "bridge": ("bridge", "middle"), "breakdown": ("breakdown",), "build": ("build", "rise"), "solo": ("solo",),
    "chorus": ("chorus", "hook", "refrain"),
}
SOLO_NAME = "solo"
PHRASE = 4  # bars of a main section's phrase (aurora.bar_grid.MAIN_UNIT_BARS)
EDGE_BARS = {"long": 8, "short": 2}  # an intro or outro asked long (two phrases) or short (half a phrase)
# the energy of the first and of the last section of a piece that rises (quiet to full) or falls (full to quiet)
RISE = (0.15, 0.95)
FALL = (0.85, 0.12)


def arranged_template(template: list[StructureSection], arrangement: Arrangement,
                      warnings: list[str] | None = None) -> list[StructureSection]:
    """The form's sections less the refused kinds, with the asked solo section in place; a kind asked longer or
    shorter ("a long intro") that the form lacks is said in ``warnings`` (``resized_bars`` sizes the others)."""
    # a piece that builds all the way has no breakdown: a breakdown is there to dip
    omitted = [*arrangement.omitted_sections, *(["breakdown"] if arrangement.arc == "rise" else []),
               *(["intro", "outro"] if arrangement.ending == "loop" else [])]  # a loop runs into its own start
    kept = [s for s in template if not refused(s.name, omitted)]
    if all(is_edge(s.name) for s in kept):  # "no drop" in a form of drops alone: the drops stay
        kept = list(template)
    names = {s.name for s in kept}
    for player in arrangement.solos[sum(1 for s in kept if _is_solo(s.name)):]:  # one solo section a soloist
        name = next(n for k in range(1, len(kept) + 2) if (n := SOLO_NAME if k == 1 else f"{SOLO_NAME} {k}")
                    not in names)
        names.add(name)
        kept.insert(_solo_at(kept), _solo_section(kept, player, name))  # the next soloist after the last one
    kept = _chorus_first(kept) if arrangement.chorus_first else kept  # "starts with the chorus"
    for kind, length in arrangement.section_lengths.items():
        if not any(refused(s.name, [kind]) for s in kept) and warnings is not None:
            asked = f"{length} bars long" if isinstance(length, int) else f"{length}er"
            warnings.append(f"The form has no {kind} to make {asked}.")
    return kept


def _chorus_first(template: list[StructureSection]) -> list[StructureSection]:
    """The form opening on its chorus ("starts with the chorus"): no intro; the first chorus played first as well,
    named "chorus" (so it is the chorus the song comes back to) and the later ones numbered after it."""
    choruses = [s for s in template if section_role(s.name) == "chorus"]
    if not choruses:
        return template
    body = template[1:] if is_edge(template[0].name) else list(template)
    numbered = iter(range(2, len(choruses) + 2))
    renamed = [s.model_copy(update={"name": f"chorus {next(numbered)}"}) if section_role(s.name) == "chorus" else s
               for s in body]
    return [choruses[0].model_copy(update={"name": "chorus"}), *renamed]


def refused(name: str, omitted: list[str]) -> bool:
    base = base_name(name)
    return any(base == word or base.startswith(word + " ") for kind in omitted for word in SECTION_KINDS.get(kind, ()))


TURN_CHORUS_FROM = 0.4  # a last chorus this far into the piece is where the mood turns (a song's lift)


def turning_point(names: list[str], bars: list[int]) -> int | None:
    """The index of the first section in the turned mood, or None where the piece has no later main section."""
    starts = [sum(bars[:i]) for i in range(len(bars))]
    total = sum(bars)
    roles = [section_role(n) for n in names]
    chorus = max((i for i, r in enumerate(roles) if r == "chorus" and i), default=None)
    if chorus is not None and starts[chorus] >= TURN_CHORUS_FROM * total:
        return chorus
    return next((i for i, n in enumerate(names) if i and not is_edge(n) and starts[i] >= total / 2), None) or \
        next((i for i in range(len(names) - 1, 0, -1) if not is_edge(names[i])), None)


def halved_main(template: list[StructureSection], *, edges: bool) -> list[StructureSection]:
    """A form's one main section as two halves ("verse", "verse 2"), so that a mood has somewhere to turn; without
    its intro and outro where the piece has no room for them beside two whole phrases (``edges`` False)."""
    out: list[StructureSection] = []
    for s in template:
        halves = ([s] if edges else []) if is_edge(s.name) else [
            s.model_copy(update={"ratio": s.ratio / 2}),
            s.model_copy(update={"name": f"{s.name} 2", "ratio": s.ratio / 2})]
        out += halves
    return out


def resized_bars(names: list[str], bars: list[int], lengths: Mapping[str, str | int],
                 warnings: list[str] | None = None) -> list[int]:
    """The bars of each section with the kinds asked longer or shorter resized ("a long intro": two phrases, 8
    bars; "a short intro": 2; a long solo or breakdown twice its phrases, a short one half, never under a phrase).
    The bars it needs come from the longest main sections a phrase at a time, else from a section the form plays
    again in its middle (a second verse or chorus, never the last main section), which gives way whole (0 bars:
    the planner leaves it out); the bars it frees go to the other edge section, else to a tag ending (a trailing
    count, as the planner's odd bars are). The piece keeps its length; a section with no room keeps what it has."""
    out = list(bars)
    sections = range(len(names[: len(bars)]))
    mains = [j for j in sections if not is_edge(names[j])]
    for i in sections:
        length = next((lg for kind, lg in lengths.items() if refused(names[i], [kind])), None)
        if length is None:
            continue
        want = length if isinstance(length, int) else EDGE_BARS[length] if is_edge(names[i]) else \
            max(PHRASE, out[i] * 2 if length == "long" else out[i] // 2 // PHRASE * PHRASE)  # "a 16 bar intro": 16
        while out[i] < want:
            donor = max((j for j in mains if j != i and out[j] >= 2 * PHRASE), key=lambda j: out[j], default=None)
            if donor is not None:  # whole phrases: what is over goes on below
                step = PHRASE
            else:  # a repeat in the form's middle gives way whole
                donor = next((j for j in mains[:-1] if j != i and out[j] and base_name(names[j]) != names[j]), None)
                step = out[donor] if donor is not None else 0
            if donor is None:
                if warnings is not None:
                    warnings.append(f"The {names[i]} has {out[i]} of the {want} bars asked: the piece has no room "
                                    f"for more at its length.")
                break
            out[donor] -= step
            out[i] += step
        if out[i] > want:
            edges = [j for j in sections if j != i and is_edge(names[j]) and out[j]]
            spare, out[i] = out[i] - want, want
            if edges:
                out[edges[-1]] += spare
            elif len(out) > len(names):
                out[-1] += spare
            else:
                out.append(spare)
    return out


def arc_energies(count: int, arc: str | None) -> list[float] | None:
    """Each section's energy on the arc's line, first to last; None without an arc."""
    if arc is None or count < 1:
        return None
    first, last = RISE if arc == "rise" else FALL
    if count == 1:
        return [last]
    return [round(first + (last - first) * i / (count - 1), 3) for i in range(count)]


def hand_solos(sections: list[Section], arrangement: Arrangement) -> None:
    """Name the soloists on the last solo sections, in order (one chorus each: a jazz form's other solo choruses keep
    their own soloist); a drum solo is a break the drums play alone."""
    solos = [s for s in sections if _is_solo(s.name)]
    players = arrangement.solos[-len(solos):] if solos else []
    for section, player in zip(solos[len(solos) - len(players):], players, strict=True):
        section.lead = player
        if player == DRUM_KIT_NAME:
            section.instruments = [DRUM_KIT_NAME]
        section.description += f"; {player.lower()} solo"


def _is_solo(name: str) -> bool:
    return base_name(name).startswith(SOLO_NAME)


def _solo_at(sections: list[StructureSection]) -> int:
    """Right after the form's last solo; else before the last chorus when the form has two or more; else in the
    middle of its main sections."""
    solos = [i for i, s in enumerate(sections) if _is_solo(s.name)]
    if solos:
        return solos[-1] + 1
    mains = [i for i, s in enumerate(sections) if not is_edge(s.name)]
    choruses = [i for i in mains if section_role(sections[i].name) == "chorus"]
    if len(choruses) >= 2:
        return choruses[-1]
    if len(mains) >= 2:
        return mains[len(mains) // 2]
    return mains[0] + 1 if mains else len(sections)


def _solo_section(sections: list[StructureSection], player: str, name: str) -> StructureSection:
    mains = [s for s in sections if not is_edge(s.name) and not _is_solo(s.name)] or sections
    return StructureSection(name=name, ratio=sum(s.ratio for s in mains) / len(mains),
                            energy=max(s.energy for s in mains),
                            description=f"{player} solo over the loop's chords")


def rest_late_players(sections: list[Section], arrangement: Arrangement) -> None:
    """The players who come in later rest in every section before their entry: the first section of the kind they
    come in at ("the beat drops in at the chorus"), else the second section ("slow intro, then the drums come in")."""
    if not arrangement.late_players or len(sections) < 2:
        return
    at = arrangement.enter_at
    entry = next((i for i, s in enumerate(sections) if i and at and of_kind(s.name, at)), None) if at else 1
    for section in sections[:entry or 1]:
        _rest(section, arrangement.late_players)
        section.description += f"; {' and '.join(arrangement.late_players).lower()} not yet"


def rest_in_sections(sections: list[Section], arrangement: Arrangement, warnings: list[str]) -> None:
    """"no drums in the verse": the players rest in every section of that kind (a piece that would go silent keeps
    them: the engine never silences a whole section); a kind the plan lacks is said."""
    for kind, players in arrangement.section_rests.items():
        chosen = [s for s in sections if of_kind(s.name, kind)]
        for section in chosen:
            _rest(section, players)
            section.description += f"; no {' or '.join(players).lower()}"
        if not chosen:
            warnings.append(f"The plan has no {kind} for {' and '.join(players)} to rest in.")


def scoped_lineups(sections: list[Section], arrangement: Arrangement, warnings: list[str]) -> None:
    """"only piano in the intro": the intro's players are the piano alone; "strings only in the chorus": the strings
    rest in every other section. A kind the plan lacks is said."""
    for kind, players in arrangement.section_players.items():
        if kind in EDGE_KINDS:  # "ends with just piano": the first or last section, never a whole one-section piece
            chosen = [] if len(sections) < 2 else sections[:1] if kind == EDGE_KINDS[0] else sections[-1:]
        else:
            chosen = [s for s in sections if of_kind(s.name, kind)]
        for section in chosen:
            section.instruments = list(players)
            section.description += f"; {' and '.join(players).lower()} alone"
        if not chosen:
            warnings.append(f"The plan has no {kind} for {' and '.join(players)} to play alone.")
    for kind, players in arrangement.section_only.items():
        if not any(of_kind(s.name, kind) for s in sections):
            warnings.append(f"The plan has no {kind}; {' and '.join(players)} play throughout.")
            continue
        for section in sections:
            if not of_kind(section.name, kind):
                _rest(section, players)


def _rest(section: Section, players: list[str]) -> None:
    section.resting = list(dict.fromkeys([*section.resting, *players]))


def picardy_end(sections: list[Section], key: Key, chords: Chords, warnings: list[str]) -> None:
    """"Ends on a major chord": a minor piece's last chord becomes the major tonic of the key it ends in (a Picardy
    third; after a key change, the new key's), rung out so by the engine; a piece ending in major (a mood turned to
    it) says so."""
    if not sections or not sections[-1].chords:
        return
    last = parse_key_label(sections[-1].key, chords) if sections[-1].key else key
    if last is None or not last.is_minor:
        warnings.append("The piece already ends in major; its last chord stays.")
        return
    sections[-1].chords[-1] = roman_to_chord("I", last, chords)
    sections[-1].description += "; ends on the major tonic"


def names_intro(arrangement: Arrangement) -> bool:
    """The text says who plays (or rests in) the intro ("no bass in the intro", "only piano in the intro"): the plan
    has one, whatever the clip's length would drop."""
    return "intro" in {*arrangement.section_rests, *arrangement.section_players, *arrangement.section_only,
                       *arrangement.section_lengths}


def of_kind(name: str, kind: str) -> bool:
    """A section of the kind a text names: its name's ('verse 2' is a verse), or a chorus's role for a chorus word
    ('drop', 'hook' are choruses of their forms) or a bridge word (an AABA form's B is its bridge)."""
    return base_name(name).startswith(kind) or (section_role(kind) in ("chorus", "bridge") and
                                                section_role(name) == section_role(kind))

