"""Stage: structural planner (spec §3.2.4, §4.2.3). Parameters -> a section-by-section plan in whole
bars, with energy per section, typed transitions and a chord progression in the key.

Time convention shared with the engine (``seconds_per_bar``): the tempo counts quarter notes, or
dotted quarters in compound meters, so a 4/4 bar lasts 4 beats and a 6/8 bar 2 dotted-quarter beats.
The plan covers exactly the requested duration: whole bars, plus a ring-out shorter than one bar
added to the last section.
"""

from __future__ import annotations

import itertools
import math
import random

from aurora.arrangement_plan import (
    arc_energies,
    arranged_template,
    halved_main,
    hand_solos,
    names_intro,
    picardy_end,
    resized_bars,
    rest_in_sections,
    rest_late_players,
    scoped_lineups,
    turning_point,
)
from aurora.bar_grid import (
    EDGE_UNIT_BARS,
    MAIN_UNIT_BARS,
    SONG_GRID,
    PhraseGrid,
    allocate_bars,
    form_bars,
    grid_units,
    phrase_units,
    seconds_per_bar,
    whole_form_s,
)
from aurora.contracts import ChordProgression, PlanParameters, Section, StructuralPlan, Transition
from aurora.exceptions import PlanError
from aurora.harmony_plan import (
    MODAL,
    chords_per_bar,
    in_mode,
    is_edge,
    modal_progressions,
    mode_fit,
    mood_progressions,
    phrase_loop,
    progression_is_minor,
    section_chords,
    section_role,
    with_home_chord,
)
from aurora.parser.mood_turn import OTHER_MODE
from aurora.stated_form import stated_template
from knowledge_base import KnowledgeBase
from knowledge_base.limits import loop_bars, music_bars
from knowledge_base.schema import Genre, Structure, StructureSection
from knowledge_base.theory import (
    Key,
    chord_to_roman,
    estimate_key_from_chords,
    key_of,
    key_step,
    parse_chord,
    parse_key_label,
    roman_to_chord,
    transpose_chord,
    typical_key,
)

# Bars a duration leaves off the 4-bar grid (a 30 s clip at 95 BPM in 2/4 has 23) close the piece as a tag: the band
# plays the last cadence and lands on the final chord, instead of a 5-bar intro or a 14-bar B section.
TAG_NAME = "ending"
TAG_DESCRIPTION = "Tag ending: the last cadence and the final chord"
MODAL_FIT = 1.0  # a modal key's bridge borrows only the genre's progressions wholly inside the mode
SHORT_FORM_S = 45.0  # clips shorter than this play the structure's short form
# a clip that holds at least this share of a form longer than a phrase (a 12-bar blues chorus) plays it whole, a
# little longer than asked: a 30 s blues at 96 BPM had played a 10-bar chorus with its IV and turnaround cut
WHOLE_FORM_SHARE = 0.75
# a clip with room for most of two sections but not both plays both when a key change is stated, a little longer
# than asked (the whole-form rule's share): a 30 s ballad at 60 BPM "modulating for the final chorus" was one chorus
# and a tag, and never changed key
MODULATION_SECTIONS = 2
CYCLE_RISE = 0.15  # energy the last round of a repeated core adds over the first


class StructuralPlanner:
    def __init__(self, kb: KnowledgeBase, *, default_structure: str = "verse_chorus") -> None:
        self.kb = kb
        self.default_structure = default_structure

    def plan(self, params: PlanParameters) -> tuple[StructuralPlan, list[str]]:
        warnings: list[str] = []
        genre = self.kb.find_genre(params.genre)
        if genre is None:
            genre = self.kb.find_genre("pop") or self.kb.genres[0]
            warnings.append(f"Unknown genre '{params.genre}'; planning with {genre.name} conventions.")
        structure = self._structure(params, genre, warnings)
        bar_s = seconds_per_bar(params.tempo_bpm, params.time_signature)
        looping = params.arrangement.ending == "loop"  # a seamless loop: whole phrases of music, no ring, no ending
        length_s = (lambda bars: bars * bar_s) if looping else (lambda bars: whole_form_s(bars, bar_s))
        curve = None if looping else params.arrangement.tempo_curve  # "slows down at the end": fewer, longer bars
        total_bars = loop_bars(params.duration_seconds, bar_s) if looping else \
            music_bars(params.duration_seconds, bar_s, tempo_curve=curve)
        if looping and abs(length_s(total_bars) - params.duration_seconds) > 0.05:
            params = params.model_copy(update={"duration_seconds": length_s(total_bars)})
            warnings.append(f"A seamless loop is whole phrases: {total_bars} bars, {params.duration_seconds:.1f} s at "
                            f"{params.tempo_bpm:g} BPM.")
        key, chords, numerals = self._progression(params, genre, structure, total_bars, warnings)
        turn = self._turn(params, key, genre, structure, total_bars, warnings)  # "starts sad and ends hopeful"
        home = None if params.chords else params.tonic_chord  # "jazz ballad, Ebmaj7": the tonic spelled so
        chords = with_home_chord(chords, key, home, self.kb.chords)
        alternatives = [] if params.chords else self._alternatives(genre, key, numerals)
        energy_level = 0.5 if params.energy_level is None else params.energy_level
        per_bar = 1 if params.chords else chords_per_bar(  # stated chords: one a bar, as the user wrote them
            next((g.harmonic_rhythm_beats for g in self.kb.genre_lineage(genre.id) if g.harmonic_rhythm_beats),
                 None), params.time_signature)
        main_bars = form_bars(chords, per_bar)
        if main_bars > max(total_bars, MAIN_UNIT_BARS) and total_bars >= math.ceil(WHOLE_FORM_SHARE * main_bars):
            params = params.model_copy(update={"duration_seconds": length_s(main_bars)})
            total_bars = main_bars
            warnings.append(f"One whole {main_bars}-bar chorus at {params.tempo_bpm:g} BPM lasts "
                            f"{params.duration_seconds:.1f} s with its last chord; the piece is that long, so the "
                            f"form is played whole.")
        moving = MODULATION_SECTIONS * main_bars  # a stated key change: a section in the home key, one after it
        if (params.key_changes or turn) and total_bars < moving <= math.ceil(total_bars / WHOLE_FORM_SHARE):
            params = params.model_copy(update={"duration_seconds": length_s(moving)})
            total_bars = moving
            change = "A turn of mood" if turn else "A key change"
            warnings.append(f"{change} needs a section before it and one after it: at {params.tempo_bpm:g} BPM "
                            f"the two last {params.duration_seconds:.1f} s with the last chord; the piece is that "
                            f"long.")
        grid, template = self._grid_and_sections(structure, total_bars, params.duration_seconds, main_bars,
                                                 keep_intro=bool(params.opening) or names_intro(params.arrangement))
        if params.form:  # the sections the user listed, as listed, each a whole phrase (the piece grows to hold them)
            template = stated_template(params.form, structure, self.kb.structures)
        template = arranged_template(template, params.arrangement, warnings)  # "no drop", "a long intro"
        if params.form or params.arrangement.solos:
            needed = sum(phrase_units([s.name for s in template], grid))
            if needed > total_bars:
                params = params.model_copy(update={"duration_seconds": length_s(needed)})
                total_bars = needed
                warnings.append(f"The {len(template)} sections you listed need {needed} bars; at "
                                f"{params.tempo_bpm:g} BPM the piece is {params.duration_seconds:.1f} s long.")
        mains = [s for s in template if not is_edge(s.name)]
        if turn and len(mains) == 1 and total_bars >= moving:  # one verse cannot turn its mood: its two halves can
            template, mains = halved_main(template, edges=total_bars >= moving + MAIN_UNIT_BARS), []
        if len(mains) == 1 and len(structure.sections) > 1:  # a clip of one section has no arc to climb: a 30 s
            # Gregorian chant asked at energy 0.2 was the form's climax at 0.72; it plays at the piece's own level
            template = [s.model_copy(update={"energy": 0.5}) if s is mains[0] else s for s in template]
        bars = allocate_bars([s.ratio for s in template], total_bars, [s.name for s in template], grid,
                             tag=not looping)
        bars = resized_bars([s.name for s in template], bars, params.arrangement.section_lengths, warnings)
        kept = [i for i, b in enumerate(bars[: len(template)]) if b]  # a repeat that gave way to it is left out
        template, bars = [template[i] for i in kept], [bars[i] for i in kept] + bars[len(template):]
        if len(bars) > len(template):  # the odd bars off the phrase grid: a tag ending, not a 5-bar intro or verse
            template = [*template, StructureSection(name=TAG_NAME, ratio=bars[-1] / total_bars,
                                                    energy=template[-1].energy, description=TAG_DESCRIPTION)]

        arc = arc_energies(len(template), params.arrangement.arc)  # "starts quiet and builds to a big finish"
        turn_at = turning_point([s.name for s in template], bars) if turn else None
        if turn and turn_at is None:
            warnings.append(f"The mood's turn to {turn[0].label()} needs a later section; it stays in {key.label()}.")
        sections: list[Section] = []
        start_bar = 0
        for index, (tpl, n_bars) in enumerate(zip(template, bars, strict=True)):
            start_s = start_bar * bar_s
            duration_s = n_bars * bar_s
            if index == len(template) - 1:
                duration_s = params.duration_seconds - start_s  # ring-out shorter than a bar
            energy = arc[index] if arc else float(min(1.0, max(0.05, tpl.energy + (energy_level - 0.5) * 0.6)))
            turned = turn is not None and turn_at is not None and index >= turn_at  # the later key of a mood's turn
            here, loop_chords, others = turn if turn is not None and turned else (key, chords, alternatives)
            loop = section_chords(loop_chords, tpl.name, n_bars, key=here, chords=self.kb.chords,
                                  final=index == len(template) - 1 and not looping, stated=bool(params.chords),
                                  alternatives=others, per_bar=per_bar)
            loop = loop if turned else with_home_chord(loop, key, home, self.kb.chords)
            sections.append(Section(
                name=tpl.name, duration_ratio=duration_s / params.duration_seconds, energy_level=round(energy, 3),
                description=f"{tpl.description} ({_energy_word(energy)}, {n_bars} bar{'s' if n_bars > 1 else ''})"
                            + (f"; the mood turns: {here.label()}" if turned and index == turn_at else ""),
                bars=n_bars, start_s=round(start_s, 4), duration_s=round(duration_s, 4), chords=loop,
                chords_per_bar=per_bar, key=here.label() if turned else None,
            ))
            start_bar += n_bars
        modulate_sections(sections, key, params, self.kb, warnings)
        if params.arrangement.picardy:  # "ends on a major chord"
            picardy_end(sections, key, self.kb.chords, warnings)
        if params.opening and len(sections) > 1 and (is_edge(sections[0].name) or sections[1].name != TAG_NAME):
            # "starts with solo piano, then the band comes in"; never a whole short piece's one section alone
            sections[0].instruments = list(params.opening)
            sections[0].description += f"; {' and '.join(params.opening).lower()} alone"
        hand_solos(sections, params.arrangement)
        rest_late_players(sections, params.arrangement)  # "slow intro, then the drums come in"
        rest_in_sections(sections, params.arrangement, warnings)  # "no drums in the verse"
        scoped_lineups(sections, params.arrangement, warnings)  # "only piano in the intro", "strings only in chorus"
        _normalise_ratios(sections)
        plan = StructuralPlan(
            structure_type=structure.name,
            sections=sections,
            transitions=self._transitions(structure, sections),
            chord_progression=ChordProgression(key=key.tonic, mode=key.mode, chords=chords, roman_numerals=numerals),
            tempo_bpm=params.tempo_bpm, time_signature=params.time_signature,
            duration_s=params.duration_seconds, total_bars=total_bars, seed=params.seed,
            ending=params.arrangement.ending or "ring", arc=params.arrangement.arc, fade_in=params.arrangement.fade_in,
            tempo_curve=curve,
        )
        return plan, warnings

    # -- pieces --------------------------------------------------------------------------------
    def _structure(self, params: PlanParameters, genre: Genre, warnings: list[str]) -> Structure:
        own = self.kb.find_structure(genre.structures[0]) if genre.structures else None
        for name in (params.structure, *genre.structures, self.default_structure):
            if name and (found := self.kb.find_structure(name)) is not None:
                if name == params.structure or params.structure is None:
                    # the genre's own form, unless the prompt named it, may give way to a drop
                    own_form = own is not None and found.id == own.id and (params.structure is None or
                                                                           params.structure_inferred)
                    return self._club_short_form(genre, found, params.duration_seconds) if own_form else found
                warnings.append(f"Unknown structure '{params.structure}'; using {found.name}.")
                return found
        raise PlanError("No structural template available in the knowledge base.")

    def _club_short_form(self, genre: Genre, structure: Structure, duration_s: float) -> Structure:
        """A club track's clip is a drop, not a loop: under SHORT_FORM_S a dance genre whose first form is a loop
        (one section in its short form: techno's loop) plays its next form that builds to a drop instead (intro,
        build, drop), as a producer cuts a preview; a lo-fi or funk loop stays a loop."""
        if duration_s >= SHORT_FORM_S or len(structure.short_form) > 1 or \
                not any(g.id == "edm" for g in self.kb.genre_lineage(genre.id)):
            return structure
        for name in genre.structures:
            other = self.kb.find_structure(name)
            if other is not None and any(s.startswith("drop") for s in other.short_form):
                return other
        return structure

    def _grid_and_sections(self, structure: Structure, total_bars: int, duration_s: float, main_bars: int, *,
                           keep_intro: bool) -> tuple[PhraseGrid, list[StructureSection]]:
        """The form's own phrase (8 bars in club and rap forms) where the piece holds as many sections in it as in
        4-bar phrases; else 4 (a 60 s house clip keeps its breakdown in 4 bars rather than lose it)."""
        grid = PhraseGrid(main_bars)
        sections = self._sections_for(structure, total_bars, duration_s, grid, keep_intro=keep_intro)
        if main_bars == MAIN_UNIT_BARS and structure.phrase_bars > MAIN_UNIT_BARS:
            phrase = structure.phrase_bars  # intros and outros in half a phrase, else in 2 bars (a 47-bar rap song)
            for wide in (PhraseGrid(phrase, phrase // 2), PhraseGrid(phrase, EDGE_UNIT_BARS)):
                wide_sections = self._sections_for(structure, total_bars, duration_s, wide, keep_intro=keep_intro)
                if len(wide_sections) >= len(sections):
                    return wide, wide_sections
        return grid, sections

    @staticmethod
    def _sections_for(structure: Structure, total_bars: int, duration_s: float = 60.0,
                      grid: PhraseGrid = SONG_GRID, *, keep_intro: bool = False) -> list[StructureSection]:
        """The form that fits: a clip under SHORT_FORM_S plays the structure's short form (with the intro
        when there is room); sections are dropped until every one gets a whole phrase (4 bars, intros and
        outros 2); long pieces repeat the core (sections <= the form's max_section_bars). A bridge or a solo goes
        before the verse, the verse before the chorus (a 30 s jazz ballad plays its head, not a solo, and an AB
        form its A); a song keeps its last chorus (it had ended on its second verse) and a drop leaves no two
        choruses side by side where another drop can; ``keep_intro``: the intro an opening player plays alone
        is kept."""
        main_bars = grid.main
        sections = list(structure.sections)
        if duration_s < SHORT_FORM_S:
            short = [s for s in sections if s.name in structure.short_form]
            if short:
                edges = [s for s in sections[:1] if is_edge(s.name)]
                room = total_bars - main_bars * len(short)
                sections = (edges if room >= grid.edge else []) + short
        if total_bars < grid_units(sections, grid):
            keep = list(sections)
            while len(keep) > 1 and total_bars < grid_units(keep, grid):
                edges = [s for s in keep if is_edge(s.name) and not (keep_intro and s is keep[0])]  # the opening
                mains = [s for s in keep if not is_edge(s.name)]                                      # player's
                if grid.whole_form and len(mains) > 1:
                    edges = []  # a 12-bar form loses a whole chorus before its two-bar intro and ending
                last_chorus = next((s for s in reversed(mains) if section_role(s.name) == "chorus"), None)
                keep.remove(edges[-1] if edges else min(mains or keep, key=lambda s: (
                    s.name in structure.short_form, s is last_chorus, _joins_twins(keep, s),
                    _KEEP_RANK.get(section_role(s.name), 2), s.ratio, s.energy)))
            return _renormalised(_merged_twins(keep))
        if len(sections) < len(structure.sections):
            return _renormalised(sections)
        head = sections[:1] if len(sections) >= 3 and is_edge(sections[0].name) else []
        tail = sections[-1:] if len(sections) >= 3 and is_edge(sections[-1].name) else []
        core = sections[len(head):len(sections) - len(tail)]
        core_bars = total_bars * sum(s.ratio for s in core) / sum(s.ratio for s in sections)
        cycles = math.ceil(core_bars / len(core) / max(structure.max_section_bars, main_bars))
        while cycles > 1 and grid_units(head + core * cycles + tail, grid) > total_bars:
            cycles -= 1  # every repeat still a whole phrase or form (a 12-bar chorus is never cut to 8)
        if cycles <= 1:
            return sections
        # each round of the core a little fuller than the last: a 3-minute strophic song had restarted its arc at
        # every round (verses at 0.64, 0.68, 0.71 and again 0.64, 0.68, 0.71)
        repeated = [StructureSection(name=s.name if c == 0 else f"{s.name} ({c + 1})", ratio=s.ratio,
                                     energy=min(1.0, s.energy + CYCLE_RISE * c / (cycles - 1)),
                                     description=s.description)
                    for c in range(cycles) for s in core]
        return _renormalised(head + repeated + tail)

    def _progression(self, params: PlanParameters, genre: Genre, structure: Structure, room_bars: int,
                     warnings: list[str], *, opening_tonic: bool = False) -> tuple[Key, list[str], list[str]]:
        chords_kb = self.kb.chords
        key = parse_key_label(params.key, chords_kb) if params.key else None
        stated = [c for c in params.chords if parse_chord(c, chords_kb) is not None]
        if len(stated) < len(params.chords):
            warnings.append("Some stated chords were not recognised and were left out.")
        if key is None:
            start_mode = OTHER_MODE.get(params.arrangement.turn or "")  # the mode a turning piece starts in
            key = (estimate_key_from_chords(stated, chords_kb) if stated else None) or \
                _default_key(genre, params.mood, self.kb, mode=start_mode)
        if stated:
            return key, stated, [chord_to_roman(c, key, chords_kb) for c in stated]
        rng = random.Random(params.seed)
        minor = _minor_changes(key)
        form = structure.progression  # a form made of its changes (a 12-bar blues) plays whole choruses of them
        whole_form = bool(form) and room_bars >= math.ceil(WHOLE_FORM_SHARE * len(form))  # where a chorus fits
        progressions = ([p for p in genre.progressions if len(p) == len(form)] or [form]) if whole_form else \
            genre.progressions  # (else the genre's short loops: an 8-bar blues)
        fitting = [p for p in progressions if progression_is_minor(p) == minor]
        options = modal_progressions(progressions, key, chords_kb) or fitting or \
            [in_mode(p, minor) for p in progressions] or chords_kb.default_progressions.get(key.mode) or \
            chords_kb.default_progressions["minor" if minor else "major"]
        stated_moods = params.moods if params.moods is not None else [params.mood]
        moods = [m for m in (self.kb.find_mood(name) for name in stated_moods if name) if m is not None]
        by_mood = [] if whole_form else \
            mood_progressions(moods, progressions, options, key, chords_kb, minor=minor)  # a form keeps its changes
        pool = by_mood or options
        if opening_tonic:  # a key arrived at (a mood's turn) is heard by its tonic: a loop that opens on it, else one
            def tonic_at(p: list[str]) -> list[bool]:  # that holds it (lo-fi's ii-V-I over its IV-iii-vi)
                return [(c := parse_chord(roman_to_chord(n, key, chords_kb), chords_kb)) is not None
                        and c.root_pc == key.tonic_pc for n in p]
            pool = [p for p in pool if tonic_at(p)[0]] or [p for p in pool if any(tonic_at(p))] or pool
        numerals = list(rng.choice(pool))
        chords = [roman_to_chord(n, key, chords_kb) for n in numerals]
        return key, chords, numerals

    def _turn(self, params: PlanParameters, key: Key, genre: Genre, structure: Structure, room_bars: int,
              warnings: list[str]) -> tuple[Key, list[str], list[list[str]]] | None:
        """The key, progression and bridge contrasts of a mood's turned end ("starts sad and ends hopeful"): the
        relative key in the turn's mode (the same notes, so every part composed in the home scale agrees with it),
        the genre's progressions of that mode. None, with a warning, where the piece cannot turn."""
        turn = params.arrangement.turn
        if turn is None:
            return None
        why = "the chords are stated" if params.chords else "a key change is asked" if params.key_changes else \
            f"{key.label()} is a mode of its own" if key.mode not in ("major", "minor") else \
            f"{key.label()} is already {turn}" if key.is_minor == (turn == "minor") else None
        if why:
            warnings.append(f"The mood's turn to {turn} is not played: {why}.")
            return None
        ending = [m for m in (params.moods or [params.mood]) if (mood := self.kb.find_mood(m)) and mood.mode == turn]
        turned = params.model_copy(update={"key": key.relative(self.kb.chords).label(), "moods": ending,
                                           "mood": ending[0] if ending else params.mood})  # the hope, not the sorrow
        target, chords, numerals = self._progression(turned, genre, structure, room_bars, warnings, opening_tonic=True)
        return target, chords, self._alternatives(genre, target, numerals)

    def _alternatives(self, genre: Genre, key: Key, numerals: list[str]) -> list[list[str]]:
        """The genre's other progressions in the key's mode (a bridge's contrast), as chord symbols."""
        out = []
        modal = key.mode in MODAL  # a modal key's contrast: the genre's progressions that sound the mode, as written
        for p in genre.progressions:
            if modal and mode_fit(p, key, self.kb.chords) < MODAL_FIT:
                continue
            translated = list(p) if modal else in_mode(p, _minor_changes(key))
            if translated != numerals:
                out.append([roman_to_chord(n, key, self.kb.chords) for n in translated])
        return out

    @staticmethod
    def _transitions(structure: Structure, sections: list[Section]) -> list[Transition]:
        by_pair = {(t.from_, t.to): t.type for t in structure.transitions}
        out: list[Transition] = []
        for a, b in itertools.pairwise(sections):
            base_a, base_b = a.name.split(" (")[0], b.name.split(" (")[0]
            kind = by_pair.get((base_a, base_b))
            if kind is None:
                delta = b.energy_level - a.energy_level
                if "drop" in base_b:
                    kind = "drop"
                elif "outro" in base_b or "ending" in base_b:
                    kind = "fade" if delta < 0 else "fill"
                elif delta > 0.15:
                    kind = "build"
                elif delta < -0.25:
                    kind = "cut"
                else:
                    kind = "fill"
            out.append(Transition(**{"from": a.name, "to": b.name, "type": kind}))
        return out


def modulate_sections(sections: list[Section], key: Key, params: PlanParameters, kb: KnowledgeBase,
                      warnings: list[str]) -> None:
    """A stated key change: from the last chorus on (the pop lift), else the bridge alone, else the outro, the
    sections play their chords a step away and name their key. A key in the other mode moves by its relative
    (C major to A minor shares its notes: nothing to move); a clip of one section has nowhere to change."""
    if not params.key_changes:
        return
    target = parse_key_label(params.key_changes[0], kb.chords)
    if target is None:
        warnings.append(f"Key change to '{params.key_changes[0]}' not understood; it stays in {key.label()}.")
        return
    step = key_step(key, target, kb.chords)
    roles = [section_role(s.name) for s in sections]
    at = params.key_change_at or "last chorus"
    if at == "bridge":
        moved = [roles.index("bridge")] if "bridge" in roles else []
    elif at == "outro" and roles[-1] == "edge":
        moved = [len(sections) - 1] if len(sections) > 1 else []
    else:  # the last chorus on; "at the end" of a plan that ends on its chorus is that chorus (it had changed nothing)
        last = max((i for i, r in enumerate(roles) if r == "chorus"), default=None)
        last = last if last else max((i for i, r in enumerate(roles) if r != "edge" and i), default=None)
        moved = list(range(last, len(sections))) if last else []
    if step == 0 or not moved:
        reason = f"{target.label()} shares {key.label()}'s notes" if step == 0 else \
            f"the {len(sections)}-section plan has no {at} to change in"
        warnings.append(f"No key change: {reason}; the piece stays in {key.label()}.")
        return
    new_key = key_of((key.tonic_pc + step) % 12, key.mode, kb.chords)
    if at == "outro" and roles[-1] != "edge":
        warnings.append(f"The plan ends on its {sections[moved[0]].name}, so the key changes there.")
    for i in moved:
        sections[i].chords = [transpose_chord(c, step, flats=new_key.prefers_flats) for c in sections[i].chords]
        sections[i].key = new_key.label()
        sections[i].description += f" Key change: {new_key.label()}."


def _renormalised(sections: list[StructureSection]) -> list[StructureSection]:
    total = sum(s.ratio for s in sections)
    return [s.model_copy(update={"ratio": s.ratio / total}) for s in sections]


def _normalise_ratios(sections: list[Section]) -> None:
    total = sum(s.duration_ratio for s in sections)
    running = 0.0
    for s in sections[:-1]:
        s.duration_ratio = round(s.duration_ratio / total, 6)
        running += s.duration_ratio
    sections[-1].duration_ratio = round(1.0 - running, 6)


def _section_chords(chords: list[str], name: str, n_bars: int) -> list[str]:
    """One chord per bar, looping the progression as written on the phrase grid (no key or cadence known: an
    LLM's plan); bridges and breakdowns start elsewhere in the loop."""
    chords = phrase_loop(chords)
    offset = len(chords) // 2 if any(w in name.lower() for w in ("bridge", "breakdown", "b section")) else 0
    return [chords[(offset + i) % len(chords)] for i in range(n_bars)]


# which section a form that must lose some keeps longest: the chorus (the hook), then the main strain (a verse, the
# A, the head), then anything else, a solo, and last a bridge (a contrast needs something to contrast with)
_KEEP_RANK = {"chorus": 4, "half": 3, "other": 2, "loop": 1, "bridge": 0}


def _merged_twins(sections: list[StructureSection]) -> list[StructureSection]:
    """Two kept sections of one role side by side are one longer section: a 45-60 s song keeps its short form's
    chorus and its last chorus, and with no room for the verse between them had played verse, chorus, chorus 3 (4
    bars each) where a songwriter writes a verse and a chorus twice as long, at the last chorus's energy."""
    out: list[StructureSection] = []
    for section in sections:
        first = out[-1] if out and not is_edge(section.name) else None
        if first is not None and section_role(first.name) == section_role(section.name):
            out[-1] = section.model_copy(update={"name": first.name, "ratio": first.ratio + section.ratio,
                                                 "energy": max(first.energy, section.energy)})
        else:
            out.append(section)
    return out


def _joins_twins(sections: list[StructureSection], dropped: StructureSection) -> bool:
    """Whether dropping ``dropped`` leaves two sections of one role side by side: a 45 s song had dropped its second
    verse and bridge and played verse, chorus, chorus 2, chorus 3; it drops a later chorus first."""
    at = sections.index(dropped)
    if at == 0 or at == len(sections) - 1:
        return False
    return section_role(sections[at - 1].name) == section_role(sections[at + 1].name)


def _minor_changes(key: Key) -> bool:
    """Whether the key's chords are a minor key's. A blues is minor to the melody (its scale has the minor third, the
    blue note) but its changes are dominant sevenths: "a slow blues in E" is the 12-bar E7 A7 B7, with the blue G
    sung over the E7's G#; a minor blues is asked for by name ("blues in E minor": mode minor). The blues mode took
    the genre's minor loops (Em D A, Em Am Em Bm) under a 12-bar blues form."""
    return key.is_minor and key.mode != "blues"


def _default_key(genre: Genre, mood: str, kb: KnowledgeBase, *, mode: str | None = None) -> Key:
    """The genre's typical key in ``mode``, else the mood's mode, else the genre's first."""
    found = kb.find_mood(mood)
    mode = mode or (found.mode if found is not None and found.mode != "any" else genre.modes[0])
    return typical_key(genre.keys, mode, kb.chords)


def _energy_word(energy: float) -> str:
    return "low energy" if energy < 0.35 else "medium energy" if energy < 0.7 else "high energy"
