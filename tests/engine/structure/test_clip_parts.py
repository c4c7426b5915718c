"""Who plays which part in a clip: a line-up's counter line plays at the fullest level the piece reaches (a 30 s
mariachi, one mid-level verse, had no violins: the counter played only at the high level the clip never reached),
and in a genre that riffs the riff guitar keeps the comping part beside a named keyboard or orchestra."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine import Engine
from tests.engine.structure.prompt_render import render_prompt


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.mark.parametrize(("prompt", "counter"), [("a mariachi song", "violin"),
                                                 ("a celtic air, gentle", "accordion")])
def test_the_line_up_s_counter_line_is_heard_in_a_clip(aurora: Aurora, engine: Engine, prompt: str,
                                                      counter: str) -> None:
    _plan, score = render_prompt(aurora, engine, prompt)
    played = {t.instrument_id: len(t.notes) for t in score.tracks if t.role == "counter"}
    assert played.get(counter, 0) >= 8, played


@pytest.mark.parametrize(("prompt", "named", "its_part"), [
    ("power metal with keyboards, epic, 180 bpm", "keyboard", "pad"),   # had taken the riff: 52 guitar pad notes
    ("symphonic metal with choir and orchestra", "orchestra", "lead"),  # had had no guitar at all
])
def test_in_a_genre_that_riffs_the_riff_guitar_keeps_its_part(aurora: Aurora, engine: Engine, prompt: str,
                                                               named: str, its_part: str) -> None:
    """A player named with no part of its own takes the part its genre gives it beside the riff guitar."""
    _plan, score = render_prompt(aurora, engine, prompt)
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("harmony") == "distorted_guitar" and parts.get(its_part) == named, parts


def test_a_calm_piece_keeps_its_genre_s_backbeat(aurora: Aurora, engine: Engine) -> None:
    """A calm lo-fi beat (energy 0.23, every main section at the low level) had no snare at all: the low level is a
    stripped intro's. The main sections of a piece that is quiet throughout play the genre's groove, softly."""
    plan, score = render_prompt(aurora, engine, "lofi hip hop beat, dusty keys, vinyl crackle, 80 bpm")
    drums = next(t for t in score.tracks if t.role == "drums")
    snares = [n for n in drums.notes if n.pitch in (37, 38, 39, 40)]
    loop = next(s for s in plan.sections if s.name.startswith("loop"))
    in_loop = [n for n in snares if loop.start_s <= n.start_s < loop.start_s + loop.duration_s]
    assert len(in_loop) >= loop.bars, (len(in_loop), loop.bars)


@pytest.mark.parametrize(("meter", "accent"), [("3/4", 2 / 3), ("7/8", 4 / 7), ("6/8", 0.5), ("4/4", 0.5)])
def test_a_counter_line_moves_on_the_meter_s_accents(meter: str, accent: float) -> None:
    """At half a bar a 3/4 or 7/8 counter line had struck between the beats, against the band's pulse."""
    from engine.structure.melody import counter_split
    from engine.structure.meter import Meter

    parsed = Meter.parse(meter)
    assert counter_split(parsed.steps_per_bar, parsed.strong_steps) == pytest.approx(accent)


def test_a_metalcore_chorus_adds_its_clean_guitar(aurora: Aurora, engine: Engine) -> None:
    """The metalcore band (its own line-up) had no part a chorus could add: its chorus rose +1.4 LU with no new part.
    Its ringing clean guitar is the layer a chorus adds (in the verses at most the lead-in to the chorus)."""
    plan, score = render_prompt(aurora, engine, "metalcore with screamed verses and a sung chorus", duration_s=60.0)
    layer = next(t for t in score.tracks if t.instrument_id == "clean_electric_guitar")

    def played_in(kind: str) -> int:
        spans = [(s.start_s, s.start_s + s.duration_s) for s in plan.sections if s.name.startswith(kind)]
        return sum(1 for n in layer.notes if any(a <= n.start_s < b for a, b in spans))

    assert played_in("chorus") > 0 and played_in("verse") < played_in("chorus") / 4
