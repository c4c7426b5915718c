"""Synthesised drums: a kick whose fundamental stays 45-70 Hz in every key, cymbals with body and a roll-off
instead of a 16 kHz hiss, a snare with a tuned shell."""

from __future__ import annotations

import numpy as np
import pytest

from engine.ddsp.drums import DrumVoice, tune
from engine.score import Note, Track
from knowledge_base import KnowledgeBase

SR = 44100


def _hit(kb: KnowledgeBase, kit: str, pitch: int, *, tonic_pc: int | None = None, n: int = SR) -> np.ndarray:
    sound = kb.synth_presets
    track = Track(name="drums", role="drums", instrument_id="drum_kit", preset=kit, gm_program=0, is_drum=True,
                  notes=[Note(0.0, 0.2, pitch, 110)])
    audio = DrumVoice(sound.kit(kit), sound.drum_voices, tonic_pc=tonic_pc).render(track, n_samples=n, sample_rate=SR,
                                                                                    seed=0)
    return np.asarray(audio.mean(axis=0), dtype=np.float64)


def _band_db(x: np.ndarray, lo_hz: float, hi_hz: float) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / SR)
    return float(10 * np.log10(power[(freqs >= lo_hz) & (freqs < hi_hz)].sum() + 1e-20))


@pytest.mark.parametrize("kit", ["acoustic", "rock", "tr808", "tr909", "lofi", "breaks", "jazz"])
def test_kick_fundamental_stays_45_to_70_hz_in_every_key(kb: KnowledgeBase, kit: str) -> None:
    found = []
    for tonic in range(12):
        seg = _hit(kb, kit, 36, tonic_pc=tonic)[int(0.04 * SR): int(0.4 * SR)]
        spectrum = np.abs(np.fft.rfft(seg * np.hanning(seg.size), n=1 << 16))
        freqs = np.fft.rfftfreq(1 << 16, 1 / SR)
        band = (freqs >= 20) & (freqs <= 200)
        found.append(float(freqs[band][np.argmax(spectrum[band])]))
    assert all(45.0 <= f <= 70.0 for f in found), found
    assert len({round(f) for f in found}) >= 6  # still tuned to the key: not one pitch for every key


def test_tune_lands_on_the_key_note_or_its_fifth_in_range() -> None:
    for tonic in range(12):
        hz = tune({"f_end_hz": 50.0}, 0, tonic, (45.0, 67.0))["f_end_hz"]
        assert 45.0 <= hz <= 67.0
        pc = round(69 + 12 * np.log2(hz / 440.0)) % 12
        assert pc in (tonic, (tonic + 7) % 12)
    assert tune({"f_end_hz": 50.0}, 0, None, (45.0, 67.0)) == {"f_end_hz": 50.0}


@pytest.mark.parametrize("pitch", [49, 51])  # crash, ride
def test_cymbals_have_body_and_roll_off(kb: KnowledgeBase, pitch: int) -> None:
    x = _hit(kb, "acoustic", pitch, n=2 * SR)
    body = _band_db(x, 300, 3000)
    assert _band_db(x, 11314, 22050) < body - 10.0  # the 16 kHz octave well under the body: no hiss
    assert _band_db(x, 2000, 4000) > body - 12.0  # and still a cymbal: bright, not a dull thud


def test_snare_shell_is_tuned_and_has_mids(kb: KnowledgeBase) -> None:
    x = _hit(kb, "acoustic", 38, n=SR // 2)
    params = kb.synth_presets.drum_voices["snare"].params
    spectrum = np.abs(np.fft.rfft(x[: SR // 4]))
    freqs = np.fft.rfftfreq(SR // 4, 1 / SR)
    low = (freqs > 100) & (freqs < 400)
    assert float(freqs[low][np.argmax(spectrum[low])]) == pytest.approx(params["tone_hz"], rel=0.1)
    assert _band_db(x, 500, 1000) > _band_db(x, 2000, 8000) - 15.0


@pytest.mark.parametrize("kit", ["acoustic", "tr808", "tr909"])
def test_snare_wires_and_claps_have_body(kb: KnowledgeBase, kit: str) -> None:
    """A snare's wires and a clap's palms carry their energy low in their band (equal energy per octave), not at
    the top as white noise would (a thin hiss): the 500 Hz-1 kHz octave of a snare is within 3 dB of its 2-4 kHz
    one, and a drum machine's clap is centred on its 500 Hz-1 kHz body."""
    snare = _hit(kb, kit, 38, n=SR // 2)
    assert _band_db(snare, 500, 1000) > _band_db(snare, 2000, 4000) - 3.0
    if kit != "acoustic":
        clap = _hit(kb, kit, 39, n=SR // 2)
        assert _band_db(clap, 500, 1000) > _band_db(clap, 2000, 4000) + 2.5


def test_tune_takes_the_smaller_shift_up_or_down() -> None:
    """A voice moves to the nearest note of its key-relative pitch class, never more than 6 semitones: the tr808
    snare (238 Hz) in A minor goes up to E4 (329.6 Hz, +5.6 semitones), not down a tritone and more to E3 (164.8
    Hz: a tubby snare with its shell modes under 500 Hz)."""
    assert tune({"tone_hz": 238.0}, 7, 9)["tone_hz"] == pytest.approx(329.63, rel=1e-3)
    for hz in (185.0, 238.0, 190.0, 210.0):
        for tonic in range(12):
            shifted = tune({"tone_hz": hz}, 7, tonic)["tone_hz"]
            assert abs(12 * np.log2(shifted / hz)) <= 6.0 + 1e-9
            assert round(69 + 12 * np.log2(shifted / 440.0)) % 12 == (tonic + 7) % 12


def test_a_synthesised_brush_swirl_swells_and_fades_as_a_sweep(kb: KnowledgeBase) -> None:
    """The brush kit's swirl (note 40) is a swish, not a hit: noise that swells for tens of milliseconds and
    fades within a beat, between 1.5 and 5 kHz (a brush on a snare head)."""
    swirl = _hit(kb, "brush", 40)
    envelope = np.sqrt(np.convolve(swirl**2, np.ones(220) / 220, mode="same"))
    peak_s = float(np.argmax(envelope)) / SR
    assert 0.03 < peak_s < 0.12  # a snare hit peaks in a few milliseconds
    assert envelope[round(0.6 * SR)] < 0.05 * envelope.max()
    assert _band_db(swirl, 1500, 5000) > _band_db(swirl, 5000, 20000) + 3.0
    assert _band_db(swirl, 1500, 5000) > _band_db(swirl, 20, 1000) + 10.0


@pytest.mark.parametrize("kit", ["tr808", "tr909", "lofi", "breaks"])
def test_a_drum_machines_backbeat_is_heard_beside_its_kick(kb: KnowledgeBase, kit: str) -> None:
    """Every drum machine's snare (the backbeat on 2 and 4) sounds within 7 dB of its kick, as one-shots at the same
    velocity (BS.1770 loudness over the hit). The lo-fi machine's snare sat 8.5 dB under its long, boomy kick
    (808 3 dB, 909 and breaks 4.6-4.7 dB): a backbeat heard as a tick, and a drum stem whose 500 Hz-1 kHz body lay
    20.2 dB under its 63 Hz band."""
    import pyloudnorm

    meter = pyloudnorm.Meter(SR, block_size=0.1)
    kick = meter.integrated_loudness(_hit(kb, kit, 36, n=int(0.4 * SR)))
    snare = meter.integrated_loudness(_hit(kb, kit, 38, n=int(0.4 * SR)))
    assert kick - 7.0 <= snare <= kick + 1.0, (kick, snare)
