"""Hand percussion plays the groove's own lines (grooves.yaml levels: the cha-cha-chá güiro, the son clave, the
merengue güira), once: a line a percussion part plays leaves the kit (engine/structure/parts.py)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.inputs import parse_parameters, parse_plan
from engine.score import Score, Track
from engine.structure.arrangement import compose
from engine.structure.groove_choice import select_groove
from engine.structure.meter import Meter
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from knowledge_base.sound import Groove
from tests.engine.conftest import make_controls, make_plan

SECTIONS = (("intro", 0.2, 0.3), ("verse", 0.3, 0.5), ("chorus", 0.3, 0.9), ("outro", 0.2, 0.3))


def players(source: str, *names: str) -> list[dict[str, Any]]:
    return [{"name": n, "role": "", "confidence": 0.9, "source": source} for n in names]


def composed(kb: KnowledgeBase, genre: str, items: list[dict[str, Any]], *, tempo_bpm: float = 110.0) -> Score:
    plan = make_plan(tempo_bpm=tempo_bpm, key="C major", chords=("C", "F", "G", "C"), duration_s=30.0,
                     sections=SECTIONS)
    controls = make_controls(kb, tempo_bpm=tempo_bpm, genre=genre)
    params = parse_parameters({**controls["parameters"], "instrumentation": items,
                               "sub_genre": {"value": genre, "confidence": 0.9}})
    return compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]), params=params, kb=kb,
                   duration_s=30.0, seed=0)


def groove_of(kb: KnowledgeBase, genre: str, score: Score) -> Groove:
    meter = Meter.parse(f"{score.beats_per_bar}/{score.beat_unit}")
    return select_groove(kb.grooves, kb.genre_lineage(genre), meter)[0]


def struck(kb: KnowledgeBase, score: Score, track: Track) -> list[tuple[str, int, int]]:
    """(voice, bar, step) of every note of ``track``, on the grid (a note humanised early is on its own step)."""
    gm = kb.synth_presets.gm_notes()
    voices = kb.synth_presets.percussion_voices(track.instrument_id) if track.role == "percussion" else list(gm)
    by_pitch = {gm[v]: v for v in reversed(voices) if v in gm}
    if track.role == "percussion":  # a guessed part plays the voices of every guessed instrument: any voice's pitch
        by_pitch = {**{p: v for v, p in gm.items()}, **by_pitch}
    per_bar = round(score.bar_s / score.step_s)
    out = []
    for note in track.notes:
        bar, step = divmod(round(note.start_s / score.step_s), per_bar)
        if bar < len(score.bar_levels) and note.pitch in by_pitch:
            out.append((by_pitch[note.pitch], bar, step))
    return out


def on_groove(groove: Groove, level: str, voice: str, step: int) -> bool:
    """Whether the groove writes ``voice`` at ``step``: at the bar's level, or at any level where that one does not
    write the voice (a stated part plays its nearest level's line then), or in its fill (a lead-in)."""
    line = groove.levels[level].get(voice)
    lines = [line] if line else [grids[voice] for grids in groove.levels.values() if voice in grids]
    return any(step < len(g) and g[step] != "." for g in [*lines, groove.fill.get(voice, "")])


CASES = [
    ("cha_cha_cha", players("inferred", "Timbales", "Guiro", "Congas", "Flute", "Piano")),  # a charanga: no kit
    ("cha_cha_cha", players("stated", "Guiro", "Congas", "Timbales")),
    ("son_cubano", players("stated", "Bongos", "Maracas")),
    ("merengue", players("stated", "Guiro", "Tambora")),
    ("bolero", players("stated", "Bongos", "Maracas")),
    ("qawwali", players("stated", "Tabla", "Clap")),
    ("forro", players("stated", "Zabumba", "Triangle")),
    ("bossa nova", players("stated", "Shaker")),  # beside the kit
    ("motown", players("stated", "Tambourine")),
]


@pytest.mark.parametrize(("genre", "items"), CASES)
def test_hand_percussion_plays_the_groove_s_written_lines(kb: KnowledgeBase, genre: str,
                                                          items: list[dict[str, Any]]) -> None:
    """Every onset of a voice the groove writes falls on the groove's steps for it (the old generic figures: 30% of
    a charanga's, 58% of a merengue's, 65% of a forró's, 79% of a son's percussion onsets)."""
    score = composed(kb, genre, items)
    groove = groove_of(kb, genre, score)
    assert genre.replace(" ", "_").startswith(score.genre_id), score.genre_id
    written = {v for grids in groove.levels.values() for v in grids}
    hits = [(v, bar, step) for t in score.tracks if t.role == "percussion" for v, bar, step in struck(kb, score, t)
            if v in written]
    assert len(hits) >= 2 * len(score.bar_levels), (genre, len(hits))
    off = [(v, bar, step) for v, bar, step in hits if not on_groove(groove, score.bar_levels[bar], v, step)]
    assert len(off) <= 0.02 * len(hits), (genre, len(off), len(hits), off[:8])


@pytest.mark.parametrize(("genre", "items"), [c for c in CASES if c[0] in ("bossa nova", "motown")])
def test_a_line_is_played_once(kb: KnowledgeBase, genre: str, items: list[dict[str, Any]]) -> None:
    """A stated shaker in a bossa, a tambourine in Motown: the groove's line is the percussion part's, and the kit no
    longer plays it too (the kit had struck 106 of the shaker's 112 hits with it)."""
    score = composed(kb, genre, items)
    kit = next(t for t in score.tracks if t.role == "drums")
    hands = {hit for t in score.tracks if t.role == "percussion" for hit in struck(kb, score, t)}
    both = hands & set(struck(kb, score, kit))
    assert hands and len(both) <= 1, sorted(both)[:8]


def test_a_charanga_s_guiro_plays_cha_cha_in_every_bar(kb: KnowledgeBase) -> None:
    """The charanga has no kit: its line-up's güiro is the groove. It scrapes the groove's one, two, three, cha-cha
    in every bar, the quiet intro and outro too (it had rested there, and scraped plain eighths elsewhere)."""
    score = composed(kb, "cha_cha_cha", CASES[0][1])
    assert not any(t.role == "drums" for t in score.tracks)
    guiro = [(bar, step) for t in score.tracks if t.role == "percussion" for v, bar, step in struck(kb, score, t)
             if v == "guiro"]
    bars = range(len(score.bar_levels))
    assert all({(b, 12), (b, 14)} <= set(guiro) for b in bars), sorted(guiro)[:20]
    assert not any(step in (2, 6, 10) for _b, step in guiro)


def test_a_stated_part_never_rests_where_its_groove_line_is_silent(kb: KnowledgeBase) -> None:
    """The son's bongos enter at the mid level and the cowbell at the high one: asked for, they still play at the
    low level, their nearest level's line thinned to its beats and accents; the line-up's (guessed) cowbell rests."""
    from engine.structure.parts import percussion_grids  # new with the groove's lines
    groove = next(g for g in kb.grooves if g.id == "son_cubano")
    meter = Meter.parse("4/4")
    stated = Track("percussion", "percussion", "bongos", "percussion", 0, True, featured=True)
    guessed = Track("percussion_cowbell", "percussion", "cowbell", "percussion", 0, True, featured=False)
    ((_, bongos, _), (_, bell, _)) = percussion_grids([(stated, ("bongo_high", "bongo_low")), (guessed, ("cowbell",))],
                                                levels=groove.levels, meter=meter, level="low")
    mid, quiet = groove.levels["mid"]["bongo_high"], bongos["bongo_high"]
    assert quiet.strip(".") and all(c == "." or mid[i] != "." for i, c in enumerate(quiet))
    assert len(bongos["bongo_high"].replace(".", "")) < len(mid.replace(".", ""))  # thinner when quiet
    assert not bell
    ((_, bongos_high, _), (_, bell_high, _)) = percussion_grids(
        [(stated, ("bongo_high", "bongo_low")), (guessed, ("cowbell",))], levels=groove.levels, meter=meter,
        level="high")
    assert bongos_high["bongo_high"] == groove.levels["high"]["bongo_high"]
    assert bell_high["cowbell"] == groove.levels["high"]["cowbell"]


def test_a_son_s_claves_play_the_son_clave_and_its_maracas_join(kb: KnowledgeBase) -> None:
    """A son septeto has no kit: the groove writes the 3-2 son clave for the claves, which the line-up's claves player
    (a wood block) now strikes in every bar (it had struck the four beats: half its hits off the clave), and the
    line-up's maracas shake the groove's eighths though the parser did not name them (nobody had played them)."""
    score = composed(kb, "son_cubano", players("inferred", "Bongos", "Wood Block", "Acoustic Guitar", "Trumpet"))
    assert not any(t.role == "drums" for t in score.tracks)
    hits = [hit for t in score.tracks if t.role == "percussion" for hit in struck(kb, score, t)]
    clave = {step for v, _bar, step in hits if v == "wood_block"}
    son_clave = {i for i, c in enumerate(kb_groove(kb, "son_cubano").levels["mid"]["clave"]) if c != "."}
    assert clave == son_clave, sorted(clave)
    assert {bar for v, bar, _s in hits if v == "wood_block"} == set(range(len(score.bar_levels)))
    assert sum(v == "shaker" for v, _b, _s in hits) >= 8 * len(score.bar_levels)


def test_a_kitless_band_takes_no_parent_s_percussion(kb: KnowledgeBase) -> None:
    """A tango shares the latin groove (its shaker line) but not the salsa band's maracas: only a style's own
    percussion joins to play its groove."""
    score = composed(kb, "tango", players("inferred", "Bandoneon", "Violin", "Piano", "Double Bass"))
    assert not any(t.role == "percussion" for t in score.tracks), [t.instrument_id for t in score.tracks]


def kb_groove(kb: KnowledgeBase, groove_id: str) -> Groove:
    return next(g for g in kb.grooves if g.id == groove_id)


def test_a_kitless_band_leads_into_its_next_section(kb: KnowledgeBase) -> None:
    """The charanga's timbales play their groove's fill tail (the last beat's four sixteenths) on the intro's last bar,
    into the verse: a band without a kit had no lead-in at all (the fill was the kit's alone)."""
    score = composed(kb, "cha_cha_cha", CASES[0][1])
    intro = score.sections[0]
    last = intro.start_bar + intro.bars - 1
    timbale = {step for t in score.tracks if t.role == "percussion" for v, bar, step in struck(kb, score, t)
               if v == "timbale" and bar == last}
    assert timbale == {12, 13, 14, 15}, sorted(timbale)


def test_a_stated_part_borrows_the_louder_line_whole_at_a_moderate_level(kb: KnowledgeBase) -> None:
    """House writes its shaker for the chorus (high) alone: a stated shaker shakes those eighths in a verse (mid) too,
    and the beats of them in a quiet intro (low); it had been thinned to the beats at mid, half its asked-for hits."""
    from engine.structure.parts import percussion_grids

    house = kb_groove(kb, "house")
    shaker = Track("percussion", "percussion", "shaker", "percussion", 0, True, featured=True)
    meter = Meter.parse("4/4")
    (_, mid, _), = percussion_grids([(shaker, ("shaker",))], levels=house.levels, meter=meter, level="mid")
    (_, low, _), = percussion_grids([(shaker, ("shaker",))], levels=house.levels, meter=meter, level="low")
    assert mid["shaker"] == house.levels["high"]["shaker"].replace("o", "x")  # its ghosts heard (stated)
    assert {i for i, c in enumerate(low["shaker"]) if c != "."} == set(meter.strong_steps)


def test_a_stated_player_s_ghost_line_is_heard(kb: KnowledgeBase) -> None:
    """A house groove writes its shaker as ghost notes under the kit ("o.o.o.o."); a stated shaker playing only that
    line sat at -23 dB under the mix (the bench's 'stated instrument heard' criterion failed). A stated player's
    line of ghosts plays as plain hits; a guessed one keeps the groove's shading."""
    from engine.structure.parts import percussion_grids
    groove = next(g for g in kb.grooves if g.id == "house")
    meter = Meter.parse("4/4")
    stated = Track("percussion", "percussion", "shaker", "percussion", 0, True, featured=True)
    guessed = Track("percussion_shaker", "percussion", "shaker", "percussion", 0, True, featured=False)
    ((_, heard, _),) = percussion_grids([(stated, ("shaker",))], levels=groove.levels, meter=meter, level="high")
    ((_, shaded, _),) = percussion_grids([(guessed, ("shaker",))], levels=groove.levels, meter=meter, level="high")
    assert heard["shaker"] == groove.levels["high"]["shaker"].replace("o", "x")
    assert shaded["shaker"] == groove.levels["high"]["shaker"]
