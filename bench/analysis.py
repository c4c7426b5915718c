"""Independent analysis of rendered audio (librosa), to check a render against its request.

Measurement only, not part of the engine: the benches (bench.engine_bench, bench.tempo_sweep) and the
engine's accuracy tests import it to measure tempo (beat tracking), key (Krumhansl-Schmuckler on chroma),
meter (onset periodicity) and level statistics from the audio alone, the way an outside listener would.
librosa (a dev requirement) is imported on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# Krumhansl-Kessler key profiles (C major / C minor), rotated for the other tonics.
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
ANALYSIS_RATE = 22050


@dataclass(frozen=True, slots=True)
class KeyEstimate:
    tonic_pc: int
    mode: str  # "major" | "minor"
    score: float


def _mono(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    import librosa

    y = np.asarray(audio, dtype=np.float32)
    y = y.mean(axis=0) if y.ndim == 2 else y
    return librosa.resample(y, orig_sr=sample_rate, target_sr=ANALYSIS_RATE) if sample_rate != ANALYSIS_RATE else y


def estimate_tempo_bpm(audio: np.ndarray, sample_rate: int) -> float:
    """librosa beat tracking; the tempo is the slope of the tracked beat times (a least-squares fit),
    which is finer than librosa's own estimate (quantised to whole onset frames, ~5% at 120 bpm)."""
    import librosa

    y = _mono(audio, sample_rate)
    hop = 256
    tempo, beats = librosa.beat.beat_track(y=y, sr=ANALYSIS_RATE, hop_length=hop)
    times = librosa.frames_to_time(beats, sr=ANALYSIS_RATE, hop_length=hop)
    if times.size < 4:
        return float(np.atleast_1d(tempo)[0])
    slope = float(np.polyfit(np.arange(times.size), times, 1)[0])
    return 60.0 / slope if slope > 0 else float(np.atleast_1d(tempo)[0])


def estimate_key(audio: np.ndarray, sample_rate: int) -> KeyEstimate:
    import librosa

    y = _mono(audio, sample_rate)
    return key_of_chroma(librosa.feature.chroma_cqt(y=y, sr=ANALYSIS_RATE).mean(axis=1))


def key_of_chroma(chroma: np.ndarray) -> KeyEstimate:
    """Krumhansl-Schmuckler: the key whose profile correlates best with a 12-bin pitch-class weight."""
    best = KeyEstimate(0, "major", -2.0)
    for tonic in range(12):
        for mode, profile in (("major", _MAJOR), ("minor", _MINOR)):
            r = float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1])
            if r > best.score:
                best = KeyEstimate(tonic, mode, r)
    return best


def onset_periodicity(audio: np.ndarray, sample_rate: int, *, tempo_bpm: float) -> dict[str, Any]:
    """Autocorrelation of the onset envelope at multiples and fractions of the beat period.

    ``bar_lags`` maps a candidate number of beats per bar to the autocorrelation at that lag (low
    bands, where kicks mark downbeats); ``subdivision`` compares beat/2 with beat/3 (full band).
    """
    import librosa

    y = _mono(audio, sample_rate)
    hop = 256
    mel = librosa.feature.melspectrogram(y=y, sr=ANALYSIS_RATE, hop_length=hop, n_mels=64)
    low = librosa.onset.onset_strength(S=librosa.power_to_db(mel[:10]), sr=ANALYSIS_RATE, hop_length=hop)
    full = librosa.onset.onset_strength(S=librosa.power_to_db(mel), sr=ANALYSIS_RATE, hop_length=hop)
    frame_rate = ANALYSIS_RATE / hop
    beat = 60.0 / tempo_bpm * frame_rate

    def ac(env: np.ndarray, lag: float) -> float:
        env = env - env.mean()
        best = -1.0
        for lg in range(max(round(lag) - 1, 1), round(lag) + 2):
            if lg >= env.size - 4:
                continue
            a, b = env[:-lg], env[lg:]
            denom = float(np.sqrt((a * a).sum() * (b * b).sum())) or 1e-9
            best = max(best, float((a * b).sum()) / denom)
        return best

    return {
        "bar_lags": {k: ac(low, k * beat) for k in (2, 3, 4, 5, 6, 7)},
        "subdivision": {"half": ac(full, beat / 2), "third": ac(full, beat / 3)},
    }


def level_stats(audio: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Loudness (pyloudnorm), 4x-oversampled true peak, clipped samples and the share of silent 100 ms."""
    import pyloudnorm as pyln
    from scipy import signal as sps

    x = np.asarray(audio, dtype=np.float64)
    x2 = x if x.ndim == 2 else x[None, :]
    lufs = float(pyln.Meter(sample_rate).integrated_loudness(x2.T))
    tp = float(np.abs(sps.resample_poly(x2, 4, 1, axis=1)).max())
    frame = sample_rate // 10
    frames = x2.mean(axis=0)[: x2.shape[1] // frame * frame].reshape(-1, frame)
    silent = float(np.mean(np.sqrt(np.mean(frames**2, axis=1)) < 10 ** (-60 / 20))) if frames.size else 1.0
    return {"lufs": lufs, "true_peak_dbtp": 20 * np.log10(max(tp, 1e-12)),
            "clipped": float(np.sum(np.abs(x2) >= 0.9999)), "silence_ratio": silent}
