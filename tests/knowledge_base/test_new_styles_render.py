"""The styles appended to genres.yaml reach the engine with their own band and groove (a march was rendered as Drum
and Bass with a reese bass; a second line as Amapiano; a christmas jingle as African with a kora and no drums)."""

from __future__ import annotations

from collections import Counter

import pytest

from aurora import Aurora
from engine import Engine
from engine.score import Score

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
