"""A genre's arpeggiator arpeggiates: synthwave, trance, synth-pop and their kin list it as the running figure
(texture, played as the arp part), not as a counter-melody that plays only in loud sections (a "dark synthwave
with arpeggios" had 8 arpeggiator notes in 30 s, at -21 dB)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from engine import Engine
from tests.engine.structure.prompt_render import render_prompt


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.mark.parametrize("prompt", ["dark synthwave with arpeggios, 100 bpm, Am", "80s synth pop, bright",
                                    "uplifting trance 138 bpm with supersaw leads"])
def test_the_arpeggiator_runs_through_the_piece(aurora: Aurora, engine: Engine, prompt: str) -> None:
    plan, score = render_prompt(aurora, engine, prompt)
    arps = [t for t in score.tracks if t.instrument_id == "arpeggiator"]
    assert arps and arps[0].role == "arp", [(t.role, t.instrument_id) for t in score.tracks]
    bar_s = plan.duration_s / plan.total_bars
    bars_played = {int(n.start_s // bar_s) for n in arps[0].notes}
    assert len(bars_played) >= plan.total_bars / 2, (len(bars_played), plan.total_bars)
