"""Hand percussion plays its instrument's idiom (engine/structure/percussion.py) and is heard as a stated part, under
the band when nobody named it (engine/mix_gain.py)."""

from __future__ import annotations

import numpy as np
import pytest

from bench import music_metrics as mm
from engine import Engine
from engine.structure.meter import Meter
from engine.structure.percussion import percussion_pattern
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

FOUR = Meter.parse("4/4")
STEADY = ("sleigh_bells", "shaker", "maracas", "castanets", "guiro")  # shaken or rattled: a hit every eighth
BACKBEAT = ("clap", "finger_snaps")  # two hits a bar, on 2 and 4


def hand_percussion(kb: KnowledgeBase) -> list[str]:
    kit = kb.synth_presets.kit_pieces()
    return sorted(i.id for i in kb.instruments if i.drum and i.id not in kit and i.family != "fx")


def hits(kb: KnowledgeBase, instrument: str, meter: Meter, level: str) -> list[str]:
    """The instrument's bar at ``level``: one grid per voice, as engine/structure/parts.py plays it."""
    voices = kb.synth_presets.percussion_voices(instrument)
    return [percussion_pattern(v, meter, level, alone=len(voices) == 1) for v in voices]


def count(grids: list[str]) -> int:
    return sum(len(g.replace(".", "")) for g in grids)


def test_sleigh_bells_are_shaken_steadily(kb: KnowledgeBase) -> None:
    """Sleigh bells played the tambourine's backbeat: 2 hits a bar (30 in 30 s at 140 BPM). They are shaken in
    eighths with the backbeat accented, the beats at least when quiet."""
    for meter_text in ("4/4", "3/4", "6/8"):
        meter = Meter.parse(meter_text)
        for level in ("mid", "high"):
            (grid,) = hits(kb, "sleigh_bells", meter, level)
            assert all(grid[s] != "." for s in range(0, meter.steps_per_bar, 2)), (meter_text, level, grid)
            assert all(grid[s] == "X" for s in meter.backbeat_steps), (meter_text, level, grid)
        (quiet,) = hits(kb, "sleigh_bells", meter, "low")
        assert all(quiet[s] != "." for s in meter.strong_steps), (meter_text, quiet)


def test_every_hand_percussion_instrument_plays_a_figure_of_its_own(kb: KnowledgeBase) -> None:
    """At a moderate level in 4/4: a steady instrument a hit every eighth, claps and snaps the backbeat, a gong or
    wind chimes the bar, and every other one at least the four beats (a timbale, a castanet, a djembe alone had
    played two to four hits; sleigh bells two)."""
    for instrument in hand_percussion(kb):
        grids = hits(kb, instrument, FOUR, "mid")
        ringing = all(kb.synth_presets.drum_voices[v].ring for v in kb.synth_presets.percussion_voices(instrument))
        n = count(grids)
        if instrument in STEADY:
            assert n >= 8, (instrument, grids)
        elif instrument in BACKBEAT:
            assert n == 2, (instrument, grids)
        elif ringing:
            assert n >= 1, (instrument, grids)
        else:
            assert n >= 4, (instrument, grids)
        assert count(hits(kb, instrument, FOUR, "low")) >= 1, instrument  # a stated part never rests
        assert count(hits(kb, instrument, FOUR, "high")) >= n, instrument  # louder is never thinner


def test_a_hand_drum_alone_keeps_the_beat(kb: KnowledgeBase) -> None:
    """A djembe, a cajón or a bodhrán alone plays the beats and the off-beats; a pair (congas) still answers high
    against low."""
    for instrument in ("djembe", "cajon", "frame_drum", "darbuka", "dhol"):
        (grid,) = hits(kb, instrument, FOUR, "mid")
        assert all(grid[s] != "." for s in FOUR.strong_steps) and count([grid]) >= 8, (instrument, grid)
    high, low = hits(kb, "congas", FOUR, "mid")
    assert not {i for i, c in enumerate(high) if c != "."} & {i for i, c in enumerate(low) if c != "."}


SR = 22050


@pytest.mark.parametrize(("genre", "tempo", "instruments", "percussion"), [
    ("childrens", 115.0, ("ukulele", "glockenspiel", "wood_block"), "wood_block"),  # no kit: it was the loudest part
    ("middle eastern", 96.0, ("oud", "darbuka"), "darbuka"),  # no kit: 5 dB over the oud's melody
    ("bhangra", 115.0, ("sitar", "dhol"), "dhol"),  # beside a kit: it fell to -20 dB
    ("bossa nova", 127.0, ("classical_guitar", "shaker"), "shaker"),
])
def test_stated_percussion_is_heard_under_the_melody(engine: Engine, kb: KnowledgeBase, genre: str, tempo: float,
                                                     instruments: tuple[str, ...], percussion: str) -> None:
    """A stated percussion part is heard (the bench's bar: active RMS >= -20 dB re the mix) and decorates the band:
    it sits under the loudest melodic part, the bass aside (at the drums' level a stated woodblock or darbuka in a
    kitless score was the loudest part of its mix, -5.5 dB re the mix, over the glockenspiel's or the oud's tune)."""
    plan = make_plan(tempo_bpm=tempo, key="G major", chords=("G", "C", "D", "G"), duration_s=10.0,
                     sections=(("verse", 0.5, 0.55), ("chorus", 0.5, 0.7)))
    controls = make_controls(kb, tempo_bpm=tempo, genre=genre, instruments=instruments)
    result = engine.render(plan=plan, **controls, duration_s=10.0, sample_rate=SR, seed=0)
    rows = {r["instrument"]: r for r in mm.instruments(result.score, result.stems, result.mix, list(instruments),
                                                       set(), set(kb.synth_presets.kit_pieces()))["stated"]}
    assert rows[percussion]["ok"], rows[percussion]
    mix_mono = np.asarray(result.mix, dtype=np.float64).mean(axis=0)
    melodic = [mm._active_level_db(result.stems[t.name], mix_mono) for t in result.score.tracks
               if t.role not in ("drums", "percussion", "bass") and t.name in result.stems]
    assert rows[percussion]["active_db"] < max(melodic), (rows[percussion], melodic)
