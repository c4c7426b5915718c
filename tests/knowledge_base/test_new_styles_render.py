"""The styles appended to genres.yaml reach the engine with their own band and groove (a march was rendered as Drum
and Bass with a reese bass; a second line as Amapiano; a christmas jingle as African with a kora and no drums)."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from aurora import Aurora
from engine import Engine
from engine.score import Score
from engine.structure.meter import Meter
from engine.structure.riffs import at_level, parse_cell, pick_riffs
from knowledge_base import KnowledgeBase

KICK, SNARE, HAT_CLOSED, HAT_OPEN, TOM_LOW = 36, 38, 42, 46, 45


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


def _score(aurora: Aurora, engine: Engine, prompt: str) -> Score:
    result = aurora.process(prompt=prompt, duration_s=12, seed=0)
    parsed = result.parse.parsed_parameters
    return engine.render(plan=result.plan.structural_plan.model_dump(by_alias=True),
                         parameters=parsed.model_dump(by_alias=True),
                         control_embedding=list(result.parse.control_encoder_params.unified_control_embedding),
                         duration_s=12, sample_rate=22050, seed=0).score


def test_a_march_is_a_band_on_foot(aurora: Aurora, engine: Engine) -> None:
    score = _score(aurora, engine, "marching band style, snare drums and brass, 112 bpm")
    assert score.genre_id == "march"
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("bass") == "tuba" and "reese_bass" not in parts.values()
    drums = Counter(n.pitch for t in score.tracks if t.role == "drums" for n in t.notes)
    assert drums[KICK] and drums[SNARE] > drums[KICK]  # the bass drum on the beats, the snare's rudiments between
    assert not drums[HAT_CLOSED] and not drums[HAT_OPEN]


def test_a_second_line_has_a_tuba_under_a_street_beat(aurora: Aurora, engine: Engine) -> None:
    score = _score(aurora, engine, "New Orleans brass band second line, 100 bpm, Bb")
    assert score.genre_id == "new_orleans_jazz"
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("bass") == "tuba" and parts.get("lead") == "trumpet"
    drums = Counter(n.pitch for t in score.tracks if t.role == "drums" for n in t.notes)
    assert drums[KICK] and drums[SNARE] and not drums[HAT_CLOSED]


def test_a_christmas_jingle_rings_sleigh_bells_over_a_pop_band(aurora: Aurora, engine: Engine) -> None:
    score = _score(aurora, engine, "christmas jingle with sleigh bells, 140 bpm, G major")
    assert score.genre_id == "christmas"
    instruments = {t.instrument_id for t in score.tracks if t.notes}
    assert {"sleigh_bells", "drum_kit"} <= instruments and "kora" not in instruments


def test_a_gnawa_is_a_guembri_and_krakebs_with_no_band_around_them(aurora: Aurora, engine: Engine) -> None:
    """Gnawa had been Trance (supersaw, kick); its line-up has no chord player, and the fill list's piano stays out:
    the guembri plays the riff and its upper strings, the krakebs clatter, hands clap."""
    score = _score(aurora, engine, "gnawa trance groove with guembri and krakebs")
    assert score.genre_id == "gnawa" and score.time_signature == "6/8"
    played = {t.instrument_id for t in score.tracks if t.notes}
    assert {"guembri", "krakebs"} <= played
    assert not played & {"piano", "supersaw", "synth_lead", "drum_kit", "electric_piano"}


def test_a_baile_funk_is_an_808_tamborzao_not_a_funk_band(aurora: Aurora, engine: Engine) -> None:
    score = _score(aurora, engine, "baile funk 130bpm")
    assert score.genre_id == "baile_funk"
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("drums") == "tr808" and parts.get("bass") == "bass_808"
    assert not set(parts.values()) & {"slap_bass", "clavinet", "electric_piano", "brass_section"}


def test_a_western_theme_is_whistled_over_a_twangy_guitar(aurora: Aurora, engine: Engine) -> None:
    score = _score(aurora, engine, "western showdown theme, whistling, twangy guitar, Am")
    assert score.genre_id == "western_score"
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("lead") == "whistling" and "electric_guitar" in parts.values()
    assert not set(parts.values()) & {"female_vocal", "synthesizer", "drum_kit"}


def test_a_mariachi_is_trumpets_and_violins_over_a_guitarron(aurora: Aurora, engine: Engine) -> None:
    """A mariachi had been the generic Latin band (congas, a bass guitar); its band has no drums: the guitarrón plays
    the bass, the vihuela strums, the trumpet and the violins sing, in the ranchera's three."""
    score = _score(aurora, engine, "mariachi band with trumpets and violins, 3/4, G major")
    assert score.genre_id == "mariachi" and score.time_signature == "3/4"
    parts = {t.role: t.instrument_id for t in score.tracks if t.notes}
    assert parts.get("bass") == "guitarron" and parts.get("lead") == "trumpet"
    assert "violin" in parts.values()
    assert not set(parts.values()) & {"drum_kit", "congas", "bass_guitar", "piano"}


def test_a_forro_is_an_accordion_over_zabumba_and_triangle(aurora: Aurora, engine: Engine) -> None:
    """A forró had been Pop (a drum kit, a synth); the zabumba and the triangle are its drums, each its own track."""
    score = _score(aurora, engine, "forró with accordion, zabumba and triangle")
    assert score.genre_id == "forro"
    played = {t.instrument_id for t in score.tracks if t.notes}
    assert {"accordion", "zabumba", "triangle"} <= played
    assert not played & {"drum_kit", "synthesizer", "synth_lead"}


def test_a_dabke_is_a_mijwiz_over_the_tabls_stamp(aurora: Aurora, engine: Engine) -> None:
    """A dabke had been Pop (a drum kit, a bass guitar, a synth, the tabl and the mijwiz unknown): the tabl stamps on
    the beats as a low drum, the mijwiz leads, in two."""
    score = _score(aurora, engine, "lebanese dabke with tabl and mijwiz, 2/4")
    assert score.genre_id == "dabke" and score.time_signature == "2/4"
    parts = {t.instrument_id: t for t in score.tracks if t.notes}
    assert parts["mijwiz"].role == "lead" and "tabl" in parts
    assert Counter(n.pitch for n in parts["tabl"].notes)[TOM_LOW]  # the stamp: a low drum, not a shaker
    assert not set(parts) & {"drum_kit", "bass_guitar", "synthesizer"}


def test_a_rebetiko_is_a_bouzouki_and_a_guitar_in_nine(aurora: Aurora, engine: Engine) -> None:
    """A rebetiko had been Fado (a Portuguese guitar, a double bass, a woman singing): the bouzouki leads over the
    guitar's zeibekiko, no drums."""
    score = _score(aurora, engine, "rebetiko song with bouzouki, 9/8")
    assert score.genre_id == "rebetiko" and score.time_signature == "9/8"
    parts = {t.role: t.instrument_id for t in score.tracks if t.notes}
    assert parts.get("lead") == "bouzouki" and parts.get("harmony") == "classical_guitar"
    assert "drums" not in parts and "mandolin" not in parts.values()


def _kick_steps(score: Score) -> list[int]:
    return sorted({round(n.start_s / score.step_s) for t in score.tracks if t.role == "drums" for n in t.notes
                   if n.pitch == KICK})


def test_a_progressive_metal_in_seven_riffs_over_a_double_kick(aurora: Aurora, engine: Engine,
                                                               kb: KnowledgeBase) -> None:
    """A progressive metal had been Progressive Rock: a clean electric guitar, a Hammond organ and a synth lead, no
    distorted guitar, no double kick, and no riff in 7/8 (heavy metal's cells are bars of four). Its bars are
    fourteen sixteenths (2+2+3 eighths), the distorted guitar plays the genre's 7/8 riff on them, every bar from the
    root with chugs on the sixteenths between the eighths, and the kick hits in pairs a sixteenth apart."""
    score = _score(aurora, engine, "progressive metal in 7/8, heavy riffs")
    assert score.genre_id == "progressive_metal" and score.time_signature == "7/8"
    assert round(score.bar_s / score.step_s) == 14
    parts = {t.role: t for t in score.tracks if t.notes}
    assert parts["harmony"].instrument_id == "distorted_guitar"
    assert not {t.instrument_id for t in parts.values()} & {"electric_guitar", "clean_electric_guitar",
                                                            "hammond_organ"}
    kicks = _kick_steps(score)
    assert sum(b - a == 1 for a, b in pairwise(kicks)) >= 8  # two pedals
    riffs = pick_riffs(kb.riffs, kb.genre_lineage("progressive_metal"), Meter.parse("7/8"))
    assert riffs is not None
    written = {tuple(h.step for h in at_level(parse_cell(cell, bar=bar, steps=14), level, steps=14, beat_steps=4))
               for cell in riffs.cells for bar in (0, 1) for level in ("low", "mid", "high")}
    bars: dict[int, set[int]] = {}
    for n in parts["harmony"].notes:
        bar, step = divmod(round(n.start_s / score.step_s), 14)
        bars.setdefault(bar, set()).add(step)
    played = [tuple(sorted(steps)) for steps in bars.values() if len(steps) > 2]  # the closing chord aside
    assert len(played) >= 4 and all(p in written for p in played), played
    assert any(step % 2 for p in played for step in p)


def test_a_power_metal_gallops_fast_under_a_distorted_guitar(aurora: Aurora, engine: Engine) -> None:
    """A power metal had been the plain Heavy Metal band at 150 BPM."""
    score = _score(aurora, engine, "power metal")
    assert score.genre_id == "power_metal" and score.tempo_bpm >= 160
    parts = {t.role: t.instrument_id for t in score.tracks if t.notes}
    assert parts.get("harmony") == "distorted_guitar" and "keyboard" in parts.values()
    kicks = _kick_steps(score)
    assert sum(b - a == 1 for a, b in pairwise(kicks)) >= 16


def test_a_symphonic_metal_is_a_metal_band_under_an_orchestra(aurora: Aurora, engine: Engine) -> None:
    """A symphonic metal had been the plain Heavy Metal band (no orchestra) or, with an orchestra and a choir named,
    the Romantic orchestra with no guitar and no drum kit."""
    score = _score(aurora, engine, "symphonic metal")
    assert score.genre_id == "symphonic_metal"
    played = {t.instrument_id for t in score.tracks if t.notes}
    assert {"distorted_guitar", "drum_kit", "bass_guitar"} <= played
    assert played & {"string_section", "orchestra"}


def test_a_gypsy_jazz_is_a_string_band_over_la_pompe(aurora: Aurora, engine: Engine) -> None:
    """A gypsy jazz had been a big band (a drum kit, a piano, a trumpet and a trombone): a steel-string guitar leads
    over the rhythm guitar's la pompe (a strum on every beat, the chops on two and four the loud, short ones), a
    double bass and a violin, and no drums."""
    score = _score(aurora, engine, "gypsy jazz in A minor, 180 bpm")
    assert score.genre_id == "gypsy_jazz"
    parts = {t.role: t for t in score.tracks if t.notes}
    assert "drums" not in parts and parts["bass"].instrument_id == "double_bass"
    assert parts["lead"].instrument_id in ("acoustic_guitar", "violin")
    pompe = parts["harmony"]
    assert pompe.instrument_id == "strummed_guitar"
    beat_s = 60 / 180
    on_beat = [n for n in pompe.notes if abs(n.start_s / beat_s - round(n.start_s / beat_s)) < 0.2]
    chops = [n for n in on_beat if round(n.start_s / beat_s) % 2 == 1]
    basses = [n for n in on_beat if round(n.start_s / beat_s) % 2 == 0]
    assert chops and basses
    assert sum(n.velocity for n in chops) / len(chops) > sum(n.velocity for n in basses) / len(basses)
    assert max(n.duration_s for n in chops) < min(n.duration_s for n in basses)


def test_a_sea_shanty_stamps_and_claps(aurora: Aurora, engine: Engine) -> None:
    """A sea shanty had been a Celtic jig (a frame drum, six-eight) and 'foot stomps' no instrument: the stomps are a
    low drum on one and three, the claps on two and four, a squeezebox's chords, no kit."""
    score = _score(aurora, engine, "sea shanty with foot stomps and claps")
    assert score.genre_id == "sea_shanty" and score.time_signature == "4/4"
    parts = {t.instrument_id: t for t in score.tracks if t.notes}
    assert {"stomp", "clap", "accordion"} <= set(parts) and "drum_kit" not in parts
    assert {n.pitch for n in parts["stomp"].notes} == {TOM_LOW}


def test_medieval_tavern_music_is_a_lute_and_a_recorder_over_a_tabor(aurora: Aurora, engine: Engine) -> None:
    """Medieval tavern music had been Baroque (a harpsichord continuo, a cello, an oboe; the lute a steel-string
    guitar's generic pluck): the lute strums, the recorder leads, the tabor keeps the step and the hurdy-gurdy holds
    the drone under them, no drum kit, in D dorian."""
    score = _score(aurora, engine, "medieval tavern music with lute and recorder")
    assert score.genre_id == "medieval" and score.key_mode == "dorian"
    parts = {t.instrument_id: t for t in score.tracks if t.notes}
    assert parts["recorder"].role == "lead" and parts["lute"].role == "harmony"
    assert parts["hurdy_gurdy"].role == "bass" and "tabor" in parts
    assert not {t.role for t in score.tracks} & {"drums"}
    assert not set(parts) & {"drum_kit", "harpsichord", "cello", "oboe", "string_instrument"}


def test_tropical_house_is_a_marimba_over_a_soft_four_on_the_floor(aurora: Aurora, engine: Engine) -> None:
    """A tropical house track had been House at 128 with piano stabs: it sits at 100-115, a plucky marimba leads over
    a kick on every beat, no house piano."""
    score = _score(aurora, engine, "tropical house summer track")
    assert score.genre_id == "tropical_house" and 100 <= score.tempo_bpm <= 115
    parts = {t.role: t.instrument_id for t in score.tracks if t.notes}
    assert parts.get("lead") in {"marimba", "steelpan", "pan_flute", "pluck_synth"}
    assert "piano" not in parts.values()
    bar_steps = round(score.bar_s / score.step_s)
    kicks = {round(n.start_s / score.step_s) % bar_steps for t in score.tracks if t.role == "drums"
             for n in t.notes if n.pitch == KICK}
    assert kicks == {0, 4, 8, 12}
