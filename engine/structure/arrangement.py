"""The composer: plan + decoded controls -> multi-track Score.

Numbered steps in ``compose``: read the meter, tempo and key; fit whole bars to the duration and
share them among the plan's sections; pick the groove and the orchestra; then write each section
bar by bar, letting its energy choose pattern level, density, velocity and which layers play;
mark transitions (fills, builds, drops, cuts, fades); end on a ringing tonic chord.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass

import numpy as np

from engine.ddsp.textures import texture_layers
from engine.inputs import ParametersIn, PlanIn, SectionIn
from engine.score import ChordSpan, Note, Score, SectionSpan, Track, TrackRole
from engine.structure import drums as drum_parts
from engine.structure import feel
from engine.structure.bass import bass_bar
from engine.structure.dynamics import LEVELS, chorus_level, dynamics, hairpin_touch, mark_transition, section_gains
from engine.structure.endings import cold_stop, hand_solos, ring_out
from engine.structure.groove_choice import ASKED_SWING, select_groove, swing_asked
from engine.structure.harmony import (
    CompStyle,
    bar_chord_spans,
    change_in_bar,
    comp_bar,
    guitar_power_chord,
    parse_chord,
    parse_grid,
    tonic_triad,
    voice_lead,
)
from engine.structure.melody import SINGING_FAMILIES, TESSITURA, MelodyWriter, counter_line, counter_split
from engine.structure.meter import Meter
from engine.structure.modulation import (
    home_chords,
    key_spans,
    last_tonic,
    move_sections,
    section_step,
    turned_tonic,
)
from engine.structure.orchestration import orchestrate
from engine.structure.parts import kit_without, make_tracks, percussion_bar, percussion_grids, percussion_voices
from engine.structure.percussion import played_lines
from engine.structure.players import keep_section_players, leads_alone
from engine.structure.riffs import riff_bass_bar, riff_for
from engine.structure.rolls import ROLL_RANGE, rolled
from engine.structure.tempo_warp import warp_tempo
from knowledge_base import KnowledgeBase, normalise_name, theory
from knowledge_base.layout import DecodedControls
from knowledge_base.limits import music_bars as count_music_bars
from knowledge_base.schema import Instrument
from knowledge_base.sound import Groove
from knowledge_base.tempo_curve import TempoCurve

LEAD_RANGES = {"low": (48, 67), "mid": (60, 81), "high": (67, 88), "wide": (60, 84)}
SOLO_DENSITY_LIFT = 0.3  # a solo chorus plays more notes than the head or a verse's tune
FELT_TEMPO = {"straight": 1.0, "half_time": 0.5, "double_time": 2.0}
_QUIET_SECTIONS = {"intro", "outro", "interlude"}
_EDGE_SECTIONS = {"intro", "outro", "interlude", "ending", "coda"}


def rng_for(seed: int, part: str) -> np.random.Generator:
    """One generator per part, so adding a layer never changes the notes of another."""
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(part.encode())])


def lead_range(inst: Instrument | None) -> tuple[int, int]:
    """The MIDI range a player's melody is written in: its tessitura, else its register's."""
    return TESSITURA.get(inst.id if inst else "", LEAD_RANGES.get(inst.pitch_register if inst else "mid", (60, 81)))


def energy_level(section_energy: float, global_energy: float) -> tuple[float, str]:
    e = float(np.clip(0.7 * section_energy + 0.3 * global_energy, 0.0, 1.0))
    return e, "low" if e < 0.38 else "mid" if e < 0.68 else "high"


def allocate_bars(ratios: list[float], music_bars: int) -> list[int]:
    """Whole bars per section, in phrase units (4, 2 or 1 bars), proportional to the ratios."""
    n = len(ratios)
    keep = sorted(sorted(range(n), key=lambda i: -ratios[i])[: max(music_bars, 1)])
    out = [0] * n
    unit = 4 if music_bars >= 4 * len(keep) else 2 if music_bars >= 2 * len(keep) else 1
    units = music_bars // unit
    weights = np.array([ratios[i] for i in keep])
    raw = weights / weights.sum() * units
    alloc = np.maximum(np.floor(raw).astype(int), 1)
    while alloc.sum() > units:
        alloc[int(np.argmax(alloc))] -= 1
    while alloc.sum() < units:
        alloc[int(np.argmax(raw - alloc))] += 1
    for i, a in zip(keep, alloc, strict=True):
        out[i] = int(a) * unit
    out[keep[-1]] += music_bars - units * unit
    return out


def _transition_type(plan: PlanIn, a: SectionIn, b: SectionIn) -> str:
    for t in plan.transitions:
        if t.from_ == a.name and t.to == b.name:
            return t.type
    delta = b.energy_level - a.energy_level
    return "build" if delta > 0.3 else "fill" if delta > 0.05 else "none"


def compose(*, plan: PlanIn, controls: DecodedControls, params: ParametersIn, kb: KnowledgeBase,
            duration_s: float, seed: int) -> Score:
    # 1. meter, tempo, key, energy
    meter = Meter.parse(plan.time_signature)
    tempo_bpm = controls.tempo_bpm if controls.tempo_bpm is not None else plan.tempo_bpm
    global_energy = controls.energy_level if controls.energy_level is not None else params.energy_level.value
    key = theory.read_key(plan.chord_progression.key, kb.chords, mode=plan.chord_progression.mode)
    tonic_pc, mode = key.tonic_pc, key.mode
    scale_intervals = kb.chords.mode_intervals[mode]
    lineage = kb.genre_lineage(params.sub_genre.value) or kb.genre_lineage(controls.genre) or \
        kb.genre_lineage(params.genre.value)
    genre_id = lineage[0].id if lineage else controls.genre
    step_s, bar_s = meter.step_s(tempo_bpm), meter.bar_s(tempo_bpm)
    n = meter.steps_per_bar

    # 2. bars for each section (the plan's own when they fill the music), the chords of every bar as written
    music_bars = count_music_bars(duration_s, bar_s, loop=plan.ending == "loop", tempo_curve=plan.tempo_curve)
    planned = [s.bars for s in plan.sections]
    bars = planned if sum(planned) == music_bars else \
        allocate_bars([s.duration_ratio for s in plan.sections], music_bars)
    sections = [(s, b) for s, b in zip(plan.sections, bars, strict=True) if b > 0]
    minor = key.is_minor
    tonic_chord = tonic_triad(tonic_pc, minor=minor)
    global_chords = [c for c in (parse_chord(x, kb.chords) for x in plan.chord_progression.chords) if c] or \
        [tonic_chord]
    score = Score(tempo_bpm=tempo_bpm, beats_per_bar=meter.numerator, beat_unit=meter.denominator,
                  key_tonic_pc=tonic_pc, key_mode=mode, key_is_minor=minor, genre_id=genre_id, duration_s=duration_s,
                  bar_s=bar_s, step_s=step_s, textures=list(params.textures),
                  texture_layers=texture_layers(params.textures, kb))
    bar_spans: list[list[ChordSpan]] = []  # the chords of every bar: one, or two where the genre changes faster
    bar = 0
    steps = [section_step(s.key, key, kb.chords) for s, _ in sections]  # a key change: composed home, moved after
    for (section, count), step in zip(sections, steps, strict=True):
        own = home_chords([c for c in (parse_chord(x, kb.chords) for x in section.chords) if c], step,
                          flats=key.prefers_flats) or global_chords
        per_bar = section.chords_per_bar if len(own) == len(section.chords) else 1
        e, _ = energy_level(section.energy_level, global_energy)
        score.sections.append(SectionSpan(section.name, bar * bar_s, count * bar_s, bar, count, e, section.key))
        for b in range(count):
            bar_spans.append(bar_chord_spans([own[(b * per_bar + k) % len(own)] for k in range(per_bar)],
                                             (bar + b) * bar_s, bar_s))
        bar += count
    score.chords = [c for spans in bar_spans for c in spans]
    bar_chords = [spans[0] for spans in bar_spans]  # the chord each bar starts on
    changes = [change_in_bar(spans, bar_s, n) for spans in bar_spans]  # (step, chord) of a change within

    # 3. groove and orchestra
    groove, style = select_groove(kb.grooves, lineage, meter)
    genre_swing = style.swing if style.swing is not None else (lineage[0].swing if lineage else 0.0)
    stated_swing = params.feel_swing  # "swinging", "shuffle": the prompt's feel beats the genre's groove ...
    if stated_swing is not None and stated_swing > 0.0:  # ... but never swings less than the genre already does
        stated_swing = max(stated_swing, genre_swing)
    swing = 0.0 if meter.compound else (stated_swing if stated_swing is not None else genre_swing)
    # 8ths vs 16ths: a swinging genre swings its eighths, unless its groove runs in sixteenths (R&B's hats): then
    # the sixteenths swing, as a neo-soul drummer plays them; a stated swing always swings the eighths
    sixteenths = any(s % 2 for v, p in drum_parts.level_patterns(groove, meter, "mid").items()
                     if v.startswith(("hat", "ride", "shaker")) for s, _l, _a in parse_grid(p))
    swing_unit = 2 if (lineage and lineage[0].swing >= 0.3 and not sixteenths) or (stated_swing or 0.0) >= 0.3 else 1
    if stated_swing is None and swing_asked(params) and not meter.compound:  # "swing" as a mood or sub-genre word
        swing, swing_unit = max(swing, ASKED_SWING), 2
    kinds = {section_kind(s.name) for s, _ in sections}
    orchestra = orchestrate(controls=controls, params=params, genres=lineage, kb=kb,
                            song_form={"verse", "chorus"} <= kinds, groove_voices=played_lines(groove.levels))
    tracks = make_tracks(orchestra, kb, style, tempo_bpm)
    # the layer a chorus adds: silent in verses and builds, playing in choruses and drops
    lift = next((r for r in ("counter", "pad", "arp") if r in {t.role for t in tracks}
                 and r not in orchestra.stated_roles), None) if {"verse", "chorus"} <= kinds else None
    by_role: dict[TrackRole, Track] = {t.role: t for t in reversed(tracks)}  # a role's first track
    score.tracks = tracks
    # drum voice -> GM drum note, the pieces this kit has (a brush swirl only on brushes)
    gm = kb.synth_presets.gm_notes(kit=by_role["drums"].preset if "drums" in by_role else None)

    # 4. write every section
    lead_inst = kb.find_instrument(by_role["lead"].instrument_id) if "lead" in by_role else None
    low, high = lead_range(lead_inst)
    melody = MelodyWriter(tonic_pc=tonic_pc, scale_intervals=scale_intervals, low=low, high=high, meter=meter,
                          step_s=step_s, rng=rng_for(seed, "lead"),
                          breathes=lead_inst is not None and lead_inst.family in SINGING_FAMILIES)
    rngs = {t.name: rng_for(seed, t.name) for t in tracks}  # a role's first track is named for the role
    players = percussion_voices(orchestra, tracks)
    # a banjo picks rolls around its part (instruments.yaml idiom: rolls), whatever the part
    rolls = {role for role in ("lead", "counter", "harmony") if role in by_role and
             (inst := kb.find_instrument(by_role[role].instrument_id)) is not None and inst.idiom == "rolls"}
    roll_rng = rng_for(seed, "rolls")
    backing: list[Note] = []  # a rolling harmony part's tune: the top of each chord's voicing, held for the chord
    voicings: dict[str, tuple[int, ...] | None] = {"harmony": None, "pad": None, "arp": None}
    # a guitar through an overdriven or distorted sound plays power chords, a rhythm part on the low strings, a held
    # (pad) part an octave up (knowledge_base sampler.power_chords; sampler.full_chord_genres keep full chords)
    power = {role: role in by_role and kb.synth_presets.sampler.plays_power_chords(
        by_role[role].instrument_id, role, tuple(g.id for g in lineage), by_role[role].gm_program)
        for role in ("harmony", "pad")}
    # a distorted rhythm guitar in a genre that riffs plays the genre's riffs on the plan's chords (riffs.py)
    riff = riff_for(kb, lineage, meter, seed=seed, key=key) if power["harmony"] else None
    bass_prev, counter_prev = 40, (low + 55) // 2
    last_tom_fill = -8
    main_levels: set[str] = set()
    club = any(g.id == "edm" for g in lineage)  # dance music: builds and breakdowns strip the bass
    take = Take.for_seed(seed)
    openings: list[float | None] = []  # where a verse that opens light reaches its full groove (dynamics)
    verse_level = max((energy_level(s.energy_level, global_energy)[1] for s, _ in sections
                       if section_kind(s.name) == "verse"), key=LEVELS.index, default=None)
    # the fullest level the piece reaches: a counter line plays there (a 30 s mariachi, one mid-level verse, had
    # no violins: the counter played only at the high level, which the clip never reached); a piece whose every main
    # section is quiet still has its genre's beat in them (a calm lo-fi beat at energy 0.23 had no snare at all: the
    # low drum level is a stripped intro's): the drummer plays the mid groove, softly (velocity follows the energy)
    levels = [chorus_level(energy_level(s.energy_level, global_energy)[1], section_kind(s.name), verse_level)
              for s, _ in sections]
    edges = [normalise_name(s.name).split(" ")[0] in _EDGE_SECTIONS for s, _ in sections]
    top_level = max((lv for lv, edge in zip(levels, edges, strict=True) if not edge), key=LEVELS.index,
                    default="high")
    quiet_piece = top_level == "low"
    split = counter_split(meter.steps_per_bar, meter.strong_steps)  # the counter line's second note, on an accent
    previous_level, previous_take = "", ""
    for idx, (section, count) in enumerate(sections):
        span = score.sections[idx]
        e = energy_level(section.energy_level, global_energy)[0]
        level, edge = levels[idx], edges[idx]
        drum_level = "mid" if quiet_piece and not edge else level
        # the drummer's take on the level's groove; a later main section at a level already played (verse 2, a loop
        # B's switch-up, chorus 3) gets a take of its own (a song's second verse is not a copy of its first); the
        # genre's kick and backbeat stay in every take
        take_key = "take:" + drum_level + (":" + section.name if drum_level in main_levels else "")
        if normalise_name(section.name) == "ending" and idx and level == previous_level:
            take_key = previous_take  # a tag ending is the last section's groove going on to the final chord
        previous_level, previous_take = level, take_key
        main_levels |= set() if edge else {drum_level}
        patterns = drum_parts.take_patterns(drum_parts.level_patterns(groove, meter, drum_level), meter,
                                            rng_for(seed, take_key))
        quiet = normalise_name(section.name).split(" ")[0] in _QUIET_SECTIONS and len(sections) > 2 and \
            not leads_alone(section, by_role.get("lead"), kb)  # "starts with just a cello": its tune, not silence
        kind = section_kind(section.name)
        chorus_follows = any(section_kind(s.name) == "chorus" for s, _ in sections[idx + 1:])
        opening = drum_parts.opening_patterns(groove, meter, section.name, level, count,
                                              rng_for(seed, take_key + ":opening"), chorus_follows=chorus_follows)
        openings.append(None if opening is None else span.start_s + count // 2 * bar_s)
        # an EDM breakdown: the drums drop out (the build back in still rolls), pads and melody alone
        breakdown = normalise_name(section.name).startswith("breakdown") and "drums" not in orchestra.stated_roles
        # a club build strips the low end: the bass rests under the riser and comes back on the drop's downbeat
        build_up = club and normalise_name(section.name).startswith("build")
        bass_rests = (breakdown or build_up) and "bass" not in orchestra.stated_roles
        nxt = sections[idx + 1][0] if idx + 1 < len(sections) else None
        transition = _transition_type(plan, section, nxt) if nxt is not None else "none"
        chords = bar_chords[span.start_bar: span.start_bar + count]
        starts = [(span.start_bar + b) * bar_s for b in range(count)]
        final = nxt is None
        for b in range(count):
            start, chord = starts[b], chords[b]
            grooving = opening if opening is not None and b < count // 2 else patterns  # this bar's drum groove
            score.bar_levels.append(LEVELS[LEVELS.index(level) - 1] if grooving is opening else level)
            following = bar_chords[span.start_bar + b + 1] if span.start_bar + b + 1 < len(bar_chords) else None
            last_bar = b == count - 1
            # the percussion's bar first (at the bar's level: a verse that opens light opens light for every player);
            # a line of the groove a percussion part plays leaves the kit's patterns
            hands = [] if breakdown else percussion_grids(
                players, levels=groove.levels, meter=meter, level=score.bar_levels[-1],
                pickup=drum_parts.genre_pickup(groove, meter) if last_bar and transition == "fill" else None)
            if "drums" in by_role and not (breakdown and not (last_bar and transition == "build")):
                fill_from, fill_kind = None, transition
                if last_bar and transition == "fill":
                    # the genre's full fill at most once in 8 bars, into a long section's end; otherwise a pickup
                    toms = count >= 8 and span.start_bar + b - last_tom_fill >= 8
                    fill_kind = "fill" if toms else "pickup"
                    fill_from = max(n - meter.beat_steps * (2 if toms else 1), 0)
                    last_tom_fill = span.start_bar + b if toms else last_tom_fill
                elif last_bar and transition == "build" and level != "low":
                    fill_from = 0
                # the genre's own fill (grooves.yaml), from where it starts; else the generic one
                own_fill = drum_parts.genre_fill(groove, meter) if fill_kind == "fill" and fill_from is not None else \
                    drum_parts.genre_pickup(groove, meter) if fill_kind == "pickup" and fill_from is not None else None
                fill_from = own_fill[0] if own_fill is not None else fill_from
                vel = 0.72 + 0.25 * e
                bar_patterns = drum_parts.turnaround_patterns(grooving, meter, rngs["drums"], phrase_end=b % 8 == 7) \
                    if b % 4 == 3 and fill_from is None else drum_parts.bar_variation(grooving, meter, rngs["drums"])
                bar_patterns = kit_without(bar_patterns, hands)
                notes = drum_parts.drum_bar(patterns=bar_patterns, gm=gm, bar_start_s=start, step_s=step_s,
                                            velocity=vel, rng=rngs["drums"], until_step=fill_from)
                if transition == "build" and fill_from is not None:  # the groove's kick goes on under the roll
                    notes += [Note(start + s * step_s, step_s, gm["kick"], int(90 + 30 * e))
                              for s in (drum_parts.kick_steps(grooving) or meter.strong_steps)]
                if own_fill is not None and fill_from is not None:
                    notes += drum_parts.drum_bar(patterns=kit_without(own_fill[1], hands), gm=gm, bar_start_s=start,
                                                 step_s=step_s, velocity=vel, rng=rngs["drums"])
                elif fill_from is not None:
                    notes += drum_parts.fill_notes(gm=gm, bar_start_s=start, from_step=fill_from, steps_per_bar=n,
                                                   step_s=step_s, velocity=vel, kind=fill_kind,
                                                   rng=rngs["drums"])
                # the section-start crash follows the groove the bar plays: a verse that opens light (its first
                # half on the low groove) comes in quietly, as a drummer opening a verse softly does not crash into it
                if b == 0 and idx > 0 and score.bar_levels[-1] != "low":
                    notes.append(Note(start, bar_s, gm["crash"], int(85 + 35 * e)))
                by_role["drums"].notes += notes
            kicks = drum_parts.kick_steps(grooving) if "drums" in by_role else list(meter.strong_steps)
            percussion_bar(hands, gm=gm, bar_start_s=start, step_s=step_s, energy=e, rngs=rngs)
            riffed = None if riff is None else riff.bar(  # this bar of the riff, over its chords
                bar_spans[span.start_bar + b], cell=riff.cell(kind, section.name), bar=b, level=level, meter=meter,
                bar_start_s=start, step_s=step_s, velocity=0.6 + 0.25 * e, previous=voicings["harmony"],
                register=take.register, rng=rngs["harmony"])
            if "bass" in by_role and not bass_rests:  # the bass doubles a riff, else plays the groove's line
                notes, bass_prev = bass_bar(style=style.bass, chord=chord, next_chord=following, kicks=kicks,
                                            meter=meter, bar_start_s=start, step_s=step_s, velocity=0.68 + 0.25 * e,
                                            level=level, previous=bass_prev, rng=rngs["bass"],
                                            scale_pcs=[(tonic_pc + i) % 12 for i in scale_intervals],
                                            later=changes[span.start_bar + b]) if riffed is None else \
                    riff_bass_bar(riffed, meter, start, step_s, 0.68 + 0.25 * e, bass_prev, rngs["bass"])
                by_role["bass"].notes += notes
            for role in ("harmony", "pad", "arp"):
                track = by_role.get(role)  # type: ignore[call-overload]
                if track is None or not (_plays(role, level, quiet, by_role, orchestra.stated_roles, lift=lift,
                                                kind=kind) or (breakdown and role == "pad")):  # a breakdown's pads
                    continue
                if role == "harmony" and riffed is not None:
                    track.notes += riffed.notes
                    voicings[role] = riffed.voicing
                    continue
                lo, hi = (55, 79) if role == "pad" and "harmony" in by_role else (50, 74)
                if role == "arp":
                    lo, hi = 60, 84
                lo, hi = lo + take.register, hi + take.register
                strong = tuple(meter.strong_steps)
                comp = _comp_style(role, style, n, anticipate=take.anticipate, level=level, strong=strong)
                vel = (0.5 if role == "pad" else 0.6) + 0.25 * e
                in_bar = bar_spans[span.start_bar + b]
                for k, part in enumerate(in_bar):  # every chord of the bar, on its own part of the bar
                    struck = guitar_power_chord(role, part.pitch_classes, voicings[role], take.register,
                                                 tonic_pc=key.tonic_pc) if power.get(role) else None
                    voicing = struck or voice_lead(part.pitch_classes, voicings[role],
                                                   n_voices=4 if role != "arp" else 3, low=lo, high=hi)
                    voicings[role] = voicing
                    if role in rolls:  # a banjo backs up with rolls over the chord, not strums
                        until_s = in_bar[k + 1].start_s if k + 1 < len(in_bar) else start + bar_s
                        top = voicing[-1]
                        while top < ROLL_RANGE[0]:  # up into the banjo's range
                            top += 12
                        backing.append(Note(part.start_s, until_s - part.start_s - 0.4 * step_s, top,
                                            int(np.clip(round(vel * 127), 1, 127))))
                        continue
                    window = {} if len(in_bar) == 1 else {
                        "from_step": round((part.start_s - start) / step_s),
                        "until_step": round((in_bar[k + 1].start_s - start) / step_s) if k + 1 < len(in_bar) else n}
                    track.notes += comp_bar(chord=part, voicing=voicing, style=comp, bar_start_s=start,
                                            step_s=step_s, steps_per_bar=n, velocity=vel, rng=rngs[role],
                                            metre=None if role == "arp" else (meter.beat_steps, strong), **window)
        if "lead" in by_role and _plays("lead", level, quiet, by_role, orchestra.stated_roles):
            felt_bpm = tempo_bpm * FELT_TEMPO.get(style.felt, 1.0)  # dnb at 174 is felt, and sung, at 87
            density = float(np.clip(e * (1.2 if felt_bpm < 100 else 0.85)  # a solo is busier than a sung tune
                                    + (SOLO_DENSITY_LIFT if normalise_name(section.name).startswith("solo") else 0.0),
                                    0.1, 1.0))
            line = melody.section(name=section.name, chords=chords, bar_starts_s=starts, density=density,
                                  velocity=0.7 + 0.2 * e, final=final, centre=turned_tonic(span.key, key, kb.chords),
                                  later=changes[span.start_bar: span.start_bar + count])
            by_role["lead"].notes += rolled(line, score.chords, step_s=step_s, bar_s=bar_s, low=low, high=high,
                                            tonic_pc=tonic_pc, rng=roll_rng, beat_steps=meter.beat_steps) \
                if "lead" in rolls else line
        if "counter" in by_role and _plays("counter", level, quiet, by_role, orchestra.stated_roles, lift=lift,
                                           kind=kind, top=top_level):
            halves = [next((c for c in reversed(bar_spans[span.start_bar + b]) if c.start_s <= starts[b] + bar_s * split
                            + 1e-6), chords[b]) for b in range(count)]
            notes, counter_prev = counter_line(chords=chords, bar_starts_s=starts, bar_s=bar_s, low=55, high=74,
                                               velocity=0.55 + 0.2 * e, previous=counter_prev,
                                               rng=rngs["counter"], halves=halves, split=split)
            by_role["counter"].notes += rolled(notes, score.chords, step_s=step_s, bar_s=bar_s, low=55, high=74,
                                               tonic_pc=tonic_pc, rng=roll_rng, beat_steps=meter.beat_steps) \
                if "counter" in rolls else notes
        if nxt is not None:
            mark_transition(score, transition, boundary_s=(span.start_bar + count) * bar_s, bar_s=bar_s,
                             beat_s=step_s * meter.beat_steps, energy=e, section_bars=count)

    if backing:
        by_role["harmony"].notes += rolled(backing, score.chords, step_s=step_s, bar_s=bar_s, low=ROLL_RANGE[0],
                                           high=ROLL_RANGE[1], tonic_pc=tonic_pc, rng=roll_rng,
                                           beat_steps=meter.beat_steps)
    family = kb.mix_presets.for_genres([g.id for g in lineage]).dynamics  # the genre family's dynamic range
    gains = section_gains([sp.energy for sp in score.sections], family.section_db_per_energy,  # an arc: no lift
                          None if plan.arc else [section_kind(sp.name) for sp in score.sections])
    dynamics(score, gains, [_transition_type(plan, a, b) for (a, _), (b, _) in itertools.pairwise(sections)],
             bar_s=bar_s, beat_s=step_s * meter.beat_steps, swell_db=family.swell_db,
             build_rise_db=family.build_rise_db, openings=openings)
    if family.swell_db > 0:  # a family that swells plays its hairpins with its touch too
        hairpin_touch(score, gains)

    # 5. the ending: a tonic chord on the bar line that rings to the end
    ring_out(score, by_role, tonic_chord=last_tonic(tonic_chord, score, key, kb.chords), end_bar_s=music_bars * bar_s,
            voicings=voicings, melody_last=melody.last_pitch, power=power)
    if plan.ending == "cold":  # "ends abruptly": the band stops together on the last chord, held a beat
        cold_stop(tracks, music_bars * bar_s + step_s * meter.beat_steps, hit_s=music_bars * bar_s)
    hand_solos(tracks, score.sections, plan.sections, kb, range_of=lambda i: lead_range(kb.find_instrument(i)))
    keep_section_players(tracks, score.sections, plan.sections, kb)  # "starts with solo piano": the others rest
    for track in tracks:
        track.notes = sorted((nt for nt in track.notes if nt.start_s < duration_s), key=lambda nt: nt.start_s)
    score.tracks = [t for t in tracks if t.notes]  # a part with nothing to play exports no silent stem
    move_sections(score, key_spans(score.sections, steps, kb.chords))
    # 6. one feel for the whole band: swing, push and pull, human timing and velocity
    feel.apply(score, feel.GrooveMap(swing, swing_unit, style.humanize_ms),
               {"feel:" + t.name: rng_for(seed, "feel:" + t.name) for t in score.tracks})
    score.kick_times_s = [nt.start_s for nt in by_role["drums"].notes if nt.pitch == 36] if "drums" in by_role else []
    # 7. a tempo that moves ("slows down at the end"): the strict score moved along the curve
    warp_tempo(score, None if plan.ending == "loop" else TempoCurve.of(plan.tempo_curve, music_end_s=music_bars * bar_s,
                                                                        bar_s=bar_s))
    return score


_VERSE_KIND = ("verse", "pre chorus", "prechorus", "build", "rise")
_CHORUS_KIND = ("chorus", "hook", "drop", "refrain", "climax")


def section_kind(name: str) -> str | None:
    """'verse' (verses, pre-choruses, builds), 'chorus' (choruses, hooks, drops) or None, from the name."""
    text = normalise_name(name).replace("-", " ")
    if text.startswith(_VERSE_KIND):
        return "verse"
    if text.startswith(_CHORUS_KIND):
        return "chorus"
    return None


def _plays(role: str, level: str, quiet: bool, by_role: dict[TrackRole, Track],
           stated: frozenset[TrackRole] = frozenset(), *, lift: str | None = None, kind: str | None = None,
           top: str = "high") -> bool:
    """Which layers an energy level turns on. A stated instrument plays at every level (the lead rests
    in intros and outros only). The song's lift layer rests in verses and plays in every chorus, so a
    chorus always adds a part. A counter line plays at the fullest level the piece reaches (``top``)."""
    if role == lift and kind is not None:
        return kind == "chorus"
    if role in stated:
        return not (role == "lead" and quiet)
    if role == "lead":
        return not quiet
    if role == "pad":  # it fills a thin low section and a full high one; a chorus never loses the verse's pad
        return level != "mid" or "harmony" not in by_role or kind == "chorus"
    if role == "arp":
        return level == "high" or (level == "mid" and not quiet)
    if role == "counter":
        return level == top
    return True


@dataclass(frozen=True, slots=True)
class Take:
    """The arrangement choices a seed makes (another seed, another take): the comping register, and
    whether the comping anticipates the next bar on its last eighth."""

    register: int
    anticipate: bool

    @classmethod
    def for_seed(cls, seed: int) -> Take:
        rng = rng_for(seed, "take")
        return cls(register=(0, 3, -2, 5, -4)[seed % 5], anticipate=bool(rng.random() < 0.5))


def _comp_style(role: str, style: Groove, steps: int, *, anticipate: bool = False, level: str = "mid",
                strong: tuple[int, ...] = ()) -> CompStyle:
    if role == "harmony" and anticipate and len(style.comping.pattern) == steps >= 8 and \
            style.comping.pattern[steps - 2:] == "..":
        return CompStyle(style.comping.style, style.comping.pattern[: steps - 2] + "x.")
    if role == "pad":
        return CompStyle("block", "X" + "-" * (steps - 1))
    if role == "arp":
        pattern = style.arp if len(style.arp) == steps else "".join("x" if s % 2 == 0 else "." for s in range(steps))
        return CompStyle("arpeggio", pattern)
    if level == "low":  # thinner, same rhythm: ghosts go, and accented patterns keep their accents
        pattern = style.comping.pattern.replace("o", ".")
        if "X" in pattern:
            pattern = "".join("." if ch == "x" and i not in strong else ch for i, ch in enumerate(pattern))
        return CompStyle(style.comping.style, pattern)
    return CompStyle(style.comping.style, style.comping.pattern)  # the genre's rhythm at every energy
