"""Prompts as real users type them (issue 14): feels and forms within the genre, tempo by genre and mood,
and the stated duration honoured through process(), generate() and the app's duration sliders."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from aurora import Aurora
from aurora.generation import generate
from aurora.ui.studio import Studio
from engine import Engine
from engine.inputs import ParametersIn


# -- feels and forms ---------------------------------------------------------------------------------
def test_jazz_waltz_is_jazz_in_three(aurora: Aurora) -> None:
    r = aurora.parse(prompt="a slow jazz waltz in Bb major with upright bass, brushes and a muted trumpet")
    p = r.parsed_parameters
    assert p.genre.value == "Jazz" and "genre" in p.explicit
    assert p.time_signature.value == "3/4"
    assert [f.value for f in p.feels] == ["Waltz"]
    assert not any("unusual" in w for w in r.warnings)  # the feel explains the 3/4


def test_a_waltz_alone_is_a_waltz(aurora: Aurora) -> None:
    p = aurora.parse(prompt="a gentle waltz").parsed_parameters
    assert (p.sub_genre.value or p.genre.value) == "Waltz" and p.time_signature.value == "3/4"
    assert p.tempo.bpm <= 110  # gentle: the slow end of the waltz range, not its 150 BPM Viennese habit


@pytest.mark.parametrize(("prompt", "low", "high"), [
    ("a waltz", 84, 110), ("waltz for strings and flute", 84, 110),  # the ballroom's slow waltz
    ("viennese waltz", 168, 186), ("a strauss waltz for orchestra", 168, 186), ("Vienna waltz, grand", 168, 186),
])
def test_a_waltz_is_slow_unless_it_is_viennese(aurora: Aurora, prompt: str, low: int, high: int) -> None:
    """The issue's tempo table: a gentle waltz about 84-100, a Viennese one 170-180. A plain waltz played at 150,
    between the two dances."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert (p.sub_genre.value or p.genre.value) == "Waltz" and p.time_signature.value == "3/4"
    assert low <= p.tempo.bpm <= high, p.tempo


def test_swinging_sets_a_swing_feel_the_engine_reads(aurora: Aurora) -> None:
    p = aurora.parse(prompt="a jazz trio swinging at 140 bpm").parsed_parameters
    assert p.genre.value == "Jazz" and p.tempo.bpm == 140
    assert p.feels and p.feels[0].value == "Swing" and (p.feels[0].swing or 0) >= 0.6
    assert ParametersIn.model_validate(p.model_dump()).feel_swing == p.feels[0].swing


@pytest.mark.parametrize(("prompt", "meter", "low", "high"), [
    ("a calm piano ballad", "4/4", 60, 70),
    ("an emotional pop ballad", "4/4", 60, 84),
    ("a military march for brass band", "2/4", 100, 130),
    ("a blues shuffle with harmonica", "4/4", 60, 130),
    ("half-time trap beat", "4/4", 60, 90),
])
def test_feel_sets_meter_and_tempo_within_the_genre(aurora: Aurora, prompt: str, meter: str, low: float,
                                                    high: float) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.feels, prompt
    assert p.time_signature.value == meter, prompt
    assert low <= p.tempo.bpm <= high, (prompt, p.tempo.bpm)


def test_shuffle_swings(aurora: Aurora) -> None:
    p = aurora.parse(prompt="a blues shuffle with harmonica").parsed_parameters
    assert p.genre.value == "Blues" and p.feels[0].value == "Shuffle" and p.feels[0].swing


def test_typed_sub_genre_is_labelled_explicit(aurora: Aurora) -> None:
    p = aurora.parse(prompt="thrash metal riffs at 180 bpm").parsed_parameters
    assert p.sub_genre.value == "Thrash Metal" and "sub_genre" in p.explicit


# -- stated duration ---------------------------------------------------------------------------------
def test_stated_duration_reaches_the_plan(aurora: Aurora) -> None:
    r = aurora.process(prompt="ambient drone, 10 minutes, no drums")
    assert r.plan.structural_plan.duration_s == pytest.approx(600.0)
    assert not any("duration you set" in w for w in r.warnings)


def test_explicit_duration_wins_with_a_warning(aurora: Aurora) -> None:
    r = aurora.process(prompt="ambient drone, 10 minutes, no drums", duration_s=30)
    assert r.plan.structural_plan.duration_s == pytest.approx(30.0)
    assert any("10:00" in w and "30 s" in w for w in r.warnings), r.warnings
    same = aurora.process(prompt="ambient drone, 45 seconds", duration_s=45)
    assert not any("duration you set" in w for w in same.warnings)


def test_generate_uses_the_stated_duration(aurora: Aurora) -> None:
    g = generate(aurora=aurora, engine=Engine(device="cpu"), prompt="a short funk loop at 110 bpm, 6 seconds",
                 audio_format="wav", seed=1)
    audio, rate = sf.read(io.BytesIO(g.audio_bytes), dtype="float32")
    assert audio.shape[0] / rate == pytest.approx(6.0, abs=0.05)


def test_app_sliders_show_the_stated_duration() -> None:
    assert Studio.stated_duration("ambient drone, 10 minutes, no drums")["value"] == 600.0
    assert Studio.stated_duration("a 90-second jingle")["value"] == 90.0
    assert Studio.stated_duration("a two hour set")["value"] == 600.0  # brought into range
    assert "value" not in Studio.stated_duration("lofi beat at 80 bpm")


# -- moods that fit the genre ------------------------------------------------------------------------
@pytest.mark.parametrize("prompt", ["bossa nova", "relaxed bossa nova with nylon guitar", "a lullaby",
                                    "smooth jazz saxophone", "polka band"])
def test_inferred_moods_fit_the_genre(aurora: Aurora, prompt: str) -> None:
    kb = aurora.knowledge_base
    p = aurora.parse(prompt=prompt).parsed_parameters
    genre = kb.find_genre(p.sub_genre.value or p.genre.value)
    assert genre is not None
    plausible = aurora.parser.moods.plausible(genre)
    inferred = [m.value for m in p.mood if m.source == "inferred"]
    assert all(kb.find_mood(m).id in plausible for m in inferred), (prompt, inferred)  # type: ignore[union-attr]
    assert not {"Menacing", "Aggressive", "Scary"} & set(inferred)


@pytest.mark.parametrize("prompt", ["lofi beat w/ rhodes + vinyl crackle 75 bpm Dm",
                                    "tag: jazz, saxophone, late night, rain", "progressive house sunrise set",
                                    "reggae riddim in Gm, 75 bpm", "bossa nova in F sharp minor, nylon guitar"])
def test_inferred_moods_are_the_style_s_own(aurora: Aurora, prompt: str) -> None:
    """Moods a prompt does not state are the style's own ones, nearest to the prompt first: a short prompt's
    nearest moods among all plausible ones were noise (a lo-fi beat hard-hitting and action, late-night smooth
    jazz cheerful and corporate, a reggae riddim youthful, sophisticated and corporate)."""
    kb = aurora.knowledge_base
    p = aurora.parse(prompt=prompt).parsed_parameters
    genre = kb.find_genre(p.sub_genre.value or p.genre.value)
    assert genre is not None
    own = next(g.moods for g in kb.genre_lineage(genre.id) if g.moods)
    inferred = [kb.find_mood(m.value).id for m in p.mood if m.source == "inferred"]  # type: ignore[union-attr]
    assert inferred and all(m in own for m in inferred), (prompt, inferred, own)


def test_source_column_labels_typed_words_explicit(aurora: Aurora) -> None:
    from aurora.ui import format as fmt

    parsed = aurora.parse(prompt="thrash metal with a shuffle feel").parsed_parameters
    rows = {r[0]: r for r in fmt.parameter_rows(parsed)}
    assert rows["Sub-genre"][1] == "Thrash Metal" and rows["Sub-genre"][3] == "explicit"
    assert rows["Feel"][1].startswith("Shuffle") and rows["Feel"][3] == "explicit"
