"""Metal styles users name that the knowledge base read as another genre: a progressive metal was Progressive Rock
(a clean guitar, a Hammond organ, a synth lead, no double kick; "progressive metal" was that genre's alias), a djent
Afro House or Pop, a prog metal and a power metal the plain Heavy Metal band in four, a metalcore Heavy Metal, a
symphonic metal Heavy Metal or the Romantic orchestra with no guitar, a nu metal Alternative Rock, a melodeath Pop, a
stoner rock Psychedelic Rock (a sitar and an organ in the band) and a stoner metal Heavy Metal (146 BPM, a shred
guitar)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from aurora import Aurora
from engine.structure.meter import Meter
from engine.structure.riffs import pick_riffs
from knowledge_base import KnowledgeBase
from tests.aurora.parser.style_checks import assert_own_band, assert_own_groove, groove_levels, hits

PROG_METERS = {"4/4": "progressive_metal", "7/8": "progressive_metal_7_8", "5/4": "progressive_metal_5_4",
               "7/4": "progressive_metal_7_4", "6/8": "progressive_metal_6_8"}


@pytest.mark.parametrize(("prompt", "style"), [
    ("progressive metal in 7/8, heavy riffs", "progressive_metal"),
    ("progressive metal song", "progressive_metal"),
    ("prog metal with 7-string guitars, 5/4", "progressive_metal"),
    ("djent riffs, 140 bpm", "progressive_metal"),
    ("djent with polyrhythmic chugs in 7/8", "progressive_metal"),
    ("instrumental prog metal, 5/4, 130 bpm", "progressive_metal"),
    ("power metal", "power_metal"),
    ("epic power metal, galloping double kick, 190 bpm", "power_metal"),
    ("symphonic metal", "symphonic_metal"),
    ("symphonic metal with choir and orchestra", "symphonic_metal"),
    ("metalcore with screamed vocals and breakdowns", "metalcore"),
    ("metalcore breakdown, 150 bpm", "metalcore"),
    ("nu metal", "nu_metal"),
    ("nu metal with turntables and downtuned guitars", "nu_metal"),
    ("2000s nu metal with rapped verses", "nu_metal"),
])
def test_a_metal_style_is_parsed_with_its_own_band(aurora: Aurora, kb: KnowledgeBase, prompt: str,
                                                   style: str) -> None:
    assert kb.genre(style).parent == "heavy_metal"
    assert_own_band(aurora, kb, prompt, "Rock", style)


@pytest.mark.parametrize(("prompt", "style"), [
    ("progressive rock in 7/8 with hammond organ", "progressive_rock"),  # prog rock keeps its own words
    ("prog rock suite", "progressive_rock"),
    ("melodeath, 180 bpm", "death_metal"),
    ("melodic death metal with harmonized guitars", "death_metal"),
    ("sludge metal", "doom_metal"),
    ("stoner doom", "doom_metal"),
    ("space rock", "psychedelic_rock"),
    ("psychedelic rock with sitar", "psychedelic_rock"),
    ("heavy metal with double kick", "heavy_metal"),
    ("groove metal", "heavy_metal"),
])
def test_neighbouring_metal_words_keep_or_find_their_genre(aurora: Aurora, kb: KnowledgeBase, prompt: str,
                                                          style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert (p.sub_genre.value or p.genre.value) == kb.genre(style).name


def test_a_progressive_metal_band_is_a_metal_band(kb: KnowledgeBase) -> None:
    """Distorted guitars, a kit with a second kick pedal, keyboards and a synth; no clean guitar, no Hammond."""
    lineup = {i.instrument: i.role for i in kb.genre("progressive_metal").instruments}
    assert lineup["distorted_guitar"] == "harmony" and "kick" in lineup and "drum_kit" in lineup
    assert {"synth_lead", "synth_pad", "keyboard"} <= set(lineup)
    assert not set(lineup) & {"electric_guitar", "clean_electric_guitar", "hammond_organ"}
    assert {"4/4", "7/8", "5/4", "7/4", "6/8"} <= set(kb.genre("progressive_metal").meters)


@pytest.mark.parametrize(("prompt", "meter"), [
    ("progressive metal in 7/8, heavy riffs", "7/8"),
    ("prog metal with 7-string guitars, 5/4", "5/4"),
    ("djent in 7/4", "7/4"),
    ("progressive metal in 6/8", "6/8"),
])
def test_a_progressive_metal_is_played_in_the_meter_asked(aurora: Aurora, prompt: str, meter: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert (p.sub_genre.value, p.time_signature.value) == ("Progressive Metal", meter)


@pytest.mark.parametrize("phrase", ["7-string guitars", "seven-string guitar", "8-string guitar", "downtuned guitars",
                                    "down-tuned guitars", "djent guitars"])
def test_an_extended_range_or_downtuned_guitar_is_a_distorted_guitar(aurora: Aurora, phrase: str) -> None:
    """A seven-string had been an Electric Guitar (a clean tone) strumming under the metal band."""
    p = aurora.parse(prompt=f"metal with {phrase}").parsed_parameters
    assert "Distorted Guitar" in {i.name for i in p.instrumentation if i.source == "stated"}


@pytest.mark.parametrize(("meter", "groove"), list(PROG_METERS.items()))
def test_progressive_metal_has_a_double_kick_groove_in_each_meter(kb: KnowledgeBase, meter: str,
                                                                   groove: str) -> None:
    """Each meter's own groove, its grids a bar of that meter long: the mid level pairs kicks a sixteenth apart (two
    pedals), the high level runs them through the bar."""
    assert_own_groove(kb, "progressive_metal", meter, groove)
    levels = groove_levels(kb, groove)
    steps = Meter.parse(meter).steps_per_bar
    assert {len(p) for lv in levels.values() for p in lv.values()} == {steps}
    mid = hits(levels["mid"]["kick"])
    assert any(b - a == 1 for a, b in pairwise(mid))
    assert hits(levels["high"]["kick"]) == list(range(steps))
    assert hits(levels["mid"]["snare"])


@pytest.mark.parametrize("meter", list(PROG_METERS))
def test_progressive_metal_riffs_in_each_meter(kb: KnowledgeBase, meter: str) -> None:
    """Heavy metal's riffs are one bar of four: a progressive metal in 7/8 had none (the guitar strummed), in 4/4
    it played heavy metal's. Each meter has its own cells, one or two of its bars long, off-beat chugs in them."""
    m = Meter.parse(meter)
    riffs = pick_riffs(kb.riffs, kb.genre_lineage("progressive_metal"), m)
    assert riffs is not None and riffs.genres == ["progressive_metal"]
    for cell in riffs.cells:
        assert len(cell) in (m.steps_per_bar, 2 * m.steps_per_bar)
    assert any(i % 2 for cell in riffs.cells for i in hits(cell))  # chugs on the sixteenths between the eighths


def test_power_metal_gallops_on_a_double_kick(kb: KnowledgeBase) -> None:
    """Power metal had heavy metal's groove: its mid level straight eighths. Now every beat is the gallop (an eighth
    and two sixteenths), and its range is the fast one (160-200 typical)."""
    assert_own_groove(kb, "power_metal", "4/4", "power_metal")
    kick = hits(groove_levels(kb, "power_metal")["mid"]["kick"])
    assert kick == [s for beat in range(0, 16, 4) for s in (beat, beat + 2, beat + 3)]
    tempo = kb.genre("power_metal").tempo_bpm
    assert 160 <= tempo.typical <= 200 and tempo.min >= 140


@pytest.mark.parametrize(("style", "groove"), [("metalcore", "metalcore"), ("nu_metal", "nu_metal"),
                                               ("symphonic_metal", "metal")])
def test_the_other_metal_styles_play_their_grooves(kb: KnowledgeBase, style: str, groove: str) -> None:
    assert_own_groove(kb, style, "4/4", groove)


def test_a_metalcore_low_level_is_the_breakdowns_half_time_stomp(kb: KnowledgeBase) -> None:
    low = groove_levels(kb, "metalcore")["low"]
    assert hits(low["snare"]) == [8] and len(hits(low["kick"])) >= 5


@pytest.mark.parametrize("prompt", ["stoner rock with fuzzy riffs, 90 bpm", "stoner rock",
                                    "desert rock, heavy and hazy"])
def test_a_stoner_rock_is_fuzz_at_a_slow_swagger(aurora: Aurora, kb: KnowledgeBase, prompt: str) -> None:
    assert_own_band(aurora, kb, prompt, "Rock", "stoner_rock")
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.tempo.bpm <= 110
    assert "Sitar" not in {i.name for i in p.instrumentation}


def test_a_stoner_metal_is_stoner_rock(aurora: Aurora) -> None:
    p = aurora.parse(prompt="desert stoner metal, fuzz guitar and bass").parsed_parameters
    assert p.sub_genre.value == "Stoner Rock" and p.tempo.bpm <= 110


def test_stoner_rock_riffs_on_the_blues_scale(kb: KnowledgeBase) -> None:
    assert_own_groove(kb, "stoner_rock", "4/4", "stoner_rock")
    riffs = pick_riffs(kb.riffs, kb.genre_lineage("stoner_rock"), Meter.parse("4/4"))
    assert riffs is not None and riffs.genres == ["stoner_rock"]
    assert any("t" in cell for cell in riffs.cells)  # the blue note
