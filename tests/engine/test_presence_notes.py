"""A sampled bass's small-speaker harmonics are built on its written notes: they hold each note's pitch.

A double bass sample is not one clean partial: a noisy attack, two detuned layers, a note ringing under the next.
Harmonics taken from the signal's own phase (cos 3 phi) tripled all of that: a layer that beat and swelled after
each attack, which a transcriber heard as the note struck again (the folk bass's note F1 fell from 0.85 before
the mixer to 0.56 after it). Built on the score's notes, the layer sits on each note's 3f, 5f and 7f.
"""

from __future__ import annotations

import numpy as np

from engine.ddsp.core import presence_harmonics
from engine.mixer import mix
from engine.score import Note, Score, Track
from knowledge_base import KnowledgeBase

SR = 44100
PITCHES = (33, 38, 45, 50, 45, 38)  # A1 D2 A2 D3 A2 D2: an upright bass's range, its D3 just under 150 Hz
NOTE_S = 0.6


def _hz(pitch: int) -> float:
    return 440.0 * 2.0 ** ((pitch - 69) / 12.0)


def _chorused_plucks(*, ring_s: float) -> tuple[np.ndarray, list[Note]]:
    """A bass line as a GM preset plays it: a noise burst on each attack, the note and a second layer 20 cents
    sharp, an octave partial, each note ringing ``ring_s`` past the next attack."""
    rng = np.random.default_rng(0)
    n = round(SR * NOTE_S * len(PITCHES))
    out = np.zeros(n, dtype=np.float32)
    notes = []
    for i, pitch in enumerate(PITCHES):
        f = _hz(pitch)
        t = np.arange(round(SR * (NOTE_S + ring_s))) / SR
        env = np.exp(-t / 0.4) * np.clip(t / 0.004, 0.0, 1.0)
        voice = env * (np.sin(2 * np.pi * f * t) + 0.7 * np.sin(2 * np.pi * f * 1.012 * t + 1.0)
                       + 0.4 * np.sin(4 * np.pi * f * t))
        burst = round(0.015 * SR)
        voice[:burst] += 0.5 * rng.standard_normal(burst)
        start = round(i * NOTE_S * SR)
        end = min(n, start + voice.size)
        out[start:end] += np.float32(0.2) * voice[: end - start].astype(np.float32)
        notes.append(Note(start_s=i * NOTE_S, duration_s=NOTE_S - 0.05, pitch=pitch, velocity=90))
    return out, notes


def _off_harmonic_shares(layer: np.ndarray, notes: list[Note]) -> list[float]:
    """Per note, the share of the layer's 150 Hz-3 kHz energy more than 40 cents from every harmonic of it."""
    shares = []
    for note in notes:
        f = _hz(note.pitch)
        seg = layer[round(note.start_s * SR): round(note.end_s * SR)]
        power = np.abs(np.fft.rfft(seg * np.hanning(seg.size))) ** 2
        hz = np.fft.rfftfreq(seg.size, 1.0 / SR)
        band = (hz >= 150.0) & (hz <= 3000.0)
        k = np.maximum(np.round(hz / f), 1.0)
        near = np.abs(1200.0 * np.log2(np.maximum(hz, 1.0) / (k * f))) <= 40.0
        shares.append(float(power[band & ~near].sum() / power[band].sum()))
    return shares


def test_harmonics_built_on_the_notes_hold_their_pitch() -> None:
    line, notes = _chorused_plucks(ring_s=0.3)
    spans = [(n.start_s, n.end_s, n.pitch) for n in notes]
    from_notes = presence_harmonics(line, 0.33, SR, notes=spans)
    from_phase = presence_harmonics(line, 0.33, SR)
    assert from_notes is not None and from_phase is not None
    assert max(_off_harmonic_shares(from_notes, notes)) < 0.02
    assert max(_off_harmonic_shares(from_phase, notes)) > 0.05  # the smear the notes avoid


def test_the_mixer_builds_a_basss_presence_on_its_score_notes(kb: KnowledgeBase) -> None:
    line, notes = _chorused_plucks(ring_s=0.3)
    track = Track(name="bass", role="bass", instrument_id="double_bass", preset="", gm_program=32, is_drum=False,
                  notes=notes)
    score = Score(tempo_bpm=100.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=9, key_mode="minor", key_is_minor=True,
                  genre_id="folk", duration_s=line.size / SR, bar_s=2.4, step_s=0.15, tracks=[track])
    base = kb.mix_presets.for_genres(["folk"]).model_copy(update={"ducking_db": 0.0, "compress": {}})
    stems = {}
    for share in (0.0, 0.33):
        preset = base.model_copy(update={"bass_presence": {"bass": share}})
        stems[share], _ = mix(tracks={"bass": ("bass", line.copy())}, score=score, preset=preset, sample_rate=SR,
                              seed=0, fx=None)
    layer = (stems[0.33]["bass"] - stems[0.0]["bass"]).mean(axis=0)  # what presence added, after the same strip
    assert float(np.mean(layer ** 2)) > 0.01 * float(np.mean(stems[0.0]["bass"] ** 2))
    assert max(_off_harmonic_shares(layer, notes)) < 0.02


def test_a_notes_harmonics_depend_only_on_the_samples_around_it() -> None:
    """The envelope is read around each note (no whole-track array: two ten-minute tracks in flight held 0.4 GB of
    them), so a note's layer is the same in a long render as in a clip cut around it."""
    from engine.ddsp.core import note_odd_harmonics

    rng = np.random.default_rng(5)
    line = (0.1 * rng.standard_normal(10 * SR)).astype(np.float32)
    notes = [(4.0, 4.4, 40), (4.5, 4.9, 45), (5.0, 5.6, 38)]
    whole = note_odd_harmonics(line, notes, SR)
    cut = note_odd_harmonics(line[3 * SR: 7 * SR], [(s - 3.0, e - 3.0, p) for s, e, p in notes], SR)
    np.testing.assert_allclose(whole[3 * SR: 7 * SR], cut, atol=1e-6)
    assert float(np.abs(whole[: 3 * SR]).max()) == 0.0 and float(np.abs(cut).max()) > 0.01
