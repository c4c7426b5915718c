"""Where a key reading goes wrong: the composition, or the timbres the detector hears.

The music bench's key figure (CK) is Krumhansl-Schmuckler on the chroma of the rendered mix. When it names
another key than the one asked, two causes are possible, and only one is a defect of the music:
- the notes do not state the key (a progression that sits on the dominant, a melody that avoids the tonic);
- the notes do, but the instruments' overtones move the chroma: every harmonic series carries the fifth (the third
  harmonic) and the major third (the fifth harmonic) of each note, so a chroma key finder on real timbres leans to
  the dominant key and to major (the known failure of chroma key finding on recordings).
Two readings beside the audio one tell them apart, with the same profiles and the same correlation:
- ``score_key``: the notes themselves (each pitched note's pitch class, weighted by duration and velocity);
- ``sine_key``: the same notes played as sine tones (no overtones) through the same chroma key finder.
If both name the asked key where the mix does not, the score states the key and the misreading is the timbre's.
"""

from __future__ import annotations

import numpy as np

from bench.analysis import ANALYSIS_RATE, KeyEstimate, estimate_key, key_of_chroma
from engine.score import Score

RAMP_S = 0.01  # a short fade at each end of a sine note, so its edges do not click across the spectrum


def pitched_notes(score: Score, *, until_s: float | None = None,
                  from_s: float = 0.0) -> list[tuple[float, float, int, int]]:
    """(start_s, duration_s, pitch, velocity) of every pitched note starting from ``from_s``, cut at ``until_s``."""
    out = []
    for track in score.tracks:
        if track.is_drum:
            continue
        for n in track.notes:
            if (until_s is not None and n.start_s >= until_s) or n.start_s < from_s - 0.05:  # a pickup is the section's
                continue
            duration = min(n.duration_s, until_s - n.start_s) if until_s is not None else n.duration_s
            out.append((n.start_s, duration, n.pitch, n.velocity))
    return out


def score_key(score: Score, *, until_s: float | None = None, from_s: float = 0.0) -> KeyEstimate:
    """The key the notes state: pitch classes weighted by duration times velocity."""
    weights = np.zeros(12)
    for _, duration, pitch, velocity in pitched_notes(score, until_s=until_s, from_s=from_s):
        weights[pitch % 12] += duration * velocity
    return key_of_chroma(weights)


def sine_render(score: Score, *, until_s: float | None = None, sample_rate: int = ANALYSIS_RATE) -> np.ndarray:
    """The pitched notes as sine tones at their velocity (squared, as loudness grows), mono."""
    notes = pitched_notes(score, until_s=until_s)
    end_s = max((s + d for s, d, _, _ in notes), default=0.0)
    out = np.zeros(int(end_s * sample_rate) + 1, dtype=np.float32)
    ramp = int(RAMP_S * sample_rate)
    for start_s, duration_s, pitch, velocity in notes:
        n = int(duration_s * sample_rate)
        if n <= 2 * ramp:
            continue
        f0_hz = 440.0 * 2 ** ((pitch - 69) / 12)
        tone = np.sin(2 * np.pi * f0_hz * np.arange(n) / sample_rate).astype(np.float32)
        envelope = np.ones(n, dtype=np.float32)
        envelope[:ramp] = np.linspace(0, 1, ramp)
        envelope[-ramp:] = np.linspace(1, 0, ramp)
        i = int(start_s * sample_rate)
        out[i:i + n] += (velocity / 127) ** 2 * tone * envelope
    peak = float(np.abs(out).max()) or 1.0
    return out / peak


def sine_key(score: Score, *, until_s: float | None = None) -> KeyEstimate:
    """The audio key finder on the notes without overtones."""
    return estimate_key(sine_render(score, until_s=until_s), ANALYSIS_RATE)
