"""A metal or punk mix's rhythm guitar is the wall of the mix, about as loud as the kit as a listener hears it
(BS.1770 K-weighted loudness per stem, pyloudnorm), not a layer under it."""

from __future__ import annotations

import numpy as np
import pyloudnorm as pyln
import pytest

from engine import Engine
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

SR = 44100


@pytest.mark.parametrize(("genre", "tempo", "key", "chords"), [
    ("metal", 160.0, "E minor", ("Em", "C", "D", "Em")),
    ("punk", 180.0, "A major", ("A", "D", "E", "A")),
])
def test_the_rhythm_guitar_sits_near_the_drums(engine: Engine, kb: KnowledgeBase, genre: str, tempo: float,
                                               key: str, chords: tuple[str, ...]) -> None:
    """The rhythm guitar (the harmony role) within 5.5 LU under the drum stem and not over it; at the rock preset's
    old -6 dB it sat 7.8 (metal) and 6.7 (punk) LU under the kit, and 5-6 LU under the lead guitar."""
    plan = make_plan(tempo_bpm=tempo, key=key, chords=chords, duration_s=8.0)
    result = engine.render(plan=plan, **make_controls(kb, tempo_bpm=tempo, genre=genre,
                                                      instruments=("drum_kit", "distorted_guitar", "bass_guitar")),
                           duration_s=8.0, sample_rate=SR, seed=0)
    roles = {t.name: t.role for t in result.score.tracks}
    meter = pyln.Meter(SR)

    def lufs(role: str) -> float:
        name = next(n for n, r in roles.items() if r == role and n in result.stems)
        stem = np.asarray(result.stems[name], dtype=np.float64)
        return float(meter.integrated_loudness(stem.T if stem.ndim == 2 else stem))

    gap = lufs("harmony") - lufs("drums")
    assert -5.5 <= gap <= 0.0, gap
