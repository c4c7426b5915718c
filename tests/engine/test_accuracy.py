"""The rendered audio obeys the request: tempo, key and meter measured from the audio alone."""

from __future__ import annotations

from collections.abc import Callable

import librosa
import numpy as np
import pytest

from bench.analysis import estimate_key, estimate_tempo_bpm, onset_periodicity
from bench.music_detectors import madmom_tempo
from engine import RenderResult
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

CASES = {
    # name: (genre, tempo, meter, key, chords)
    "pop_4_4": ("pop", 120.0, "4/4", "A minor", ("Am", "Dm", "E", "Am")),
    "waltz_3_4": ("folk", 104.0, "3/4", "D major", ("D", "G", "A", "D")),
    "folk_6_8": ("folk", 100.0, "6/8", "E minor", ("Em", "C", "B7", "Em")),
}
_PCS = {"A": 9, "D": 2, "E": 4}


def _render(kb: KnowledgeBase, render_cached: Callable[..., RenderResult], name: str) -> RenderResult:
    genre, tempo, meter, key, chords = CASES[name]
    plan = make_plan(tempo_bpm=tempo, meter=meter, key=key, chords=chords, duration_s=8.0,
                     sections=(("verse", 0.5, 0.7), ("chorus", 0.5, 0.8)))
    controls = make_controls(kb, tempo_bpm=tempo, genre=genre, energy=0.7)
    return render_cached(name, plan=plan, **controls, duration_s=8.0, sample_rate=44100, seed=11)


@pytest.mark.parametrize("name", list(CASES))
def test_tempo_within_4_percent(kb: KnowledgeBase, render_cached: Callable[..., RenderResult], name: str) -> None:
    r = _render(kb, render_cached, name)
    tempo = CASES[name][1]
    measured = estimate_tempo_bpm(r.mix, r.sample_rate)
    assert abs(measured - tempo) / tempo <= 0.04, measured


@pytest.mark.parametrize("name", list(CASES))
def test_key_matches(kb: KnowledgeBase, render_cached: Callable[..., RenderResult], name: str) -> None:
    r = _render(kb, render_cached, name)
    tonic, mode = CASES[name][3].split()
    # the pitched parts: a sampled acoustic kit is not tuned to the key (its shells ring at their own pitches, as a
    # real kit's do), and chroma counts a tom's or kick's pitch like a chord tone
    unpitched = [t.name for t in r.score.tracks if t.is_drum]
    pitched = r.premaster - sum((r.stems[n] for n in unpitched if n in r.stems), np.zeros_like(r.premaster))
    est = estimate_key(pitched, r.sample_rate)
    assert (est.tonic_pc, est.mode) == (_PCS[tonic], mode)


def test_meter_4_4_vs_3_4(kb: KnowledgeBase, render_cached: Callable[..., RenderResult]) -> None:
    four = onset_periodicity(_render(kb, render_cached, "pop_4_4").mix, 44100, tempo_bpm=120.0)["bar_lags"]
    three = onset_periodicity(_render(kb, render_cached, "waltz_3_4").mix, 44100, tempo_bpm=104.0)["bar_lags"]
    assert four[4] > four[3]
    assert three[3] > three[4]


def test_meter_6_8_is_compound(kb: KnowledgeBase, render_cached: Callable[..., RenderResult]) -> None:
    six = onset_periodicity(_render(kb, render_cached, "folk_6_8").mix, 44100, tempo_bpm=100.0)
    four = onset_periodicity(_render(kb, render_cached, "pop_4_4").mix, 44100, tempo_bpm=120.0)
    assert six["subdivision"]["third"] > six["subdivision"]["half"]
    assert four["subdivision"]["half"] > four["subdivision"]["third"]


# Syncopated grooves whose off-beat patterns used to pull the beat tracker to 4/3, 5/4 or half the tempo
# (tresillo kicks, dembow, funk octave pops on every "a", a jazz ride without beat 3): the beat must still
# be the strongest pulse in the mix. Measured as the field measures it (issue 10): madmom's RNN beat activations
# and tempo estimator, whose strongest tempo is the beat. librosa's tracker is too weak a judge here: it reads a
# bossa nova whose madmom tempo is 109-111 across seeds at 137 (5/4) once its lead sits a fourth higher.
SYNCOPATED = {"jazz": 130.0, "disco": 120.0, "reggaeton": 94.0, "bossa_nova": 110.0, "funk": 125.0, "rnb": 88.0,
              "afrobeats": 104.0}


@pytest.mark.parametrize("genre", list(SYNCOPATED))
def test_syncopated_grooves_keep_the_beat(kb: KnowledgeBase, render_cached: Callable[..., RenderResult],
                                          genre: str) -> None:
    tempo = SYNCOPATED[genre]
    plan = make_plan(tempo_bpm=tempo, meter="4/4", key="C major", chords=("C", "Am", "F", "G"), duration_s=12.0,
                     sections=(("verse", 0.5, 0.6), ("chorus", 0.5, 0.85)))
    controls = make_controls(kb, tempo_bpm=tempo, genre=genre, energy=0.7)
    r = render_cached(f"sync_{genre}", plan=plan, **controls, duration_s=12.0, sample_rate=22050, seed=5)
    mono_44k = librosa.resample(r.mix.mean(axis=0).astype(np.float32), orig_sr=r.sample_rate, target_sr=44100)
    measured = madmom_tempo(mono_44k)[0]
    assert abs(measured - tempo) / tempo <= 0.04, measured
