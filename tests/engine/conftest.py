"""Fixtures for the engine tests: plans and controls built as plain dicts (what Aurora dumps), a shared
Engine, and a cache of renders so several tests can look at one render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import knowledge_base
from engine import Engine, RenderResult
from knowledge_base import KnowledgeBase, layout

SECTIONS = (("intro", 0.2, 0.35), ("verse", 0.3, 0.55), ("chorus", 0.3, 0.85), ("outro", 0.2, 0.4))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge_base.load()


def make_controls(kb: KnowledgeBase, *, tempo_bpm: float, genre: str, instruments: tuple[str, ...] = (),
                  excluded: tuple[str, ...] = (), energy: float = 0.6,
                  textures: tuple[str, ...] = ()) -> dict[str, Any]:
    """Engine.render's two control arguments as Aurora hands them over, for ``engine.render(plan=..., **controls)``:
    ``parameters`` shaped like ParsedMusicalParameters' dump and ``control_embedding``, the 640-d vector per
    control_embedding.yaml."""
    vector = layout.encode(kb, genre=genre if kb.find_genre(genre) else None, tempo_bpm=tempo_bpm,
                           instruments=instruments, excluded_instruments=excluded, energy_level=energy)
    return {
        "parameters": {
            "genre": {"value": genre, "confidence": 0.9},
            "tempo": {"type": "explicit", "bpm": tempo_bpm, "confidence": 0.9},
            "instrumentation": [{"name": i, "role": "", "confidence": 0.9} for i in instruments],
            "excluded_instruments": list(excluded),
            "energy_level": {"value": energy, "confidence": 0.8},
            "textures": list(textures),
        },
        "control_embedding": vector,
    }


def make_plan(*, tempo_bpm: float, meter: str = "4/4", key: str = "A minor",
              chords: tuple[str, ...] = ("Am", "F", "C", "G"), duration_s: float = 8.0,
              sections: tuple[tuple[str, float, float], ...] = SECTIONS,
              transitions: tuple[tuple[str, str, str], ...] = ()) -> dict[str, Any]:
    """A plan dict shaped like aurora's StructuralPlan.model_dump(by_alias=True)."""
    _tonic, _, mode = key.partition(" ")
    return {
        "structure_type": "verse_chorus",
        "sections": [{"name": n, "duration_ratio": r, "energy_level": e, "description": "", "bars": 1,
                      "start_s": 0.0, "duration_s": 0.0, "chords": []} for n, r, e in sections],
        "transitions": [{"from": a, "to": b, "type": t} for a, b, t in transitions],
        "chord_progression": {"key": key, "mode": mode or "major", "chords": list(chords), "roman_numerals": []},
        "tempo_bpm": tempo_bpm,
        "time_signature": meter,
        "duration_s": duration_s,
        "total_bars": 4,
        "seed": 0,
    }


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(device="cpu")


@pytest.fixture(scope="session")
def render_cached(engine: Engine) -> Callable[..., RenderResult]:
    """render_cached(name, **render kwargs): one render per name for the whole session."""
    cache: dict[str, RenderResult] = {}

    def render(name: str, **kwargs: Any) -> RenderResult:
        if name not in cache:
            cache[name] = engine.render(**kwargs)
        return cache[name]

    return render


@pytest.fixture(scope="session")
def pop_render(kb: KnowledgeBase, render_cached: Callable[..., RenderResult]) -> RenderResult:
    plan = make_plan(tempo_bpm=118.0, duration_s=6.0,
                     transitions=(("intro", "verse", "fill"), ("verse", "chorus", "build")))
    controls = make_controls(kb, tempo_bpm=118.0, genre="pop", textures=("vinyl crackle",))
    return render_cached("pop", plan=plan, **controls, duration_s=6.0, sample_rate=44100, seed=3)


def level_near_db(segment: np.ndarray, sample_rate: int, hz: float, n_fft: int) -> float:
    """The loudest spectral peak of ``segment`` (Hann window) within 3% of ``hz``, in dB: a partial's level, for
    telling which octave a sample sounds."""
    spectrum = np.abs(np.fft.rfft(segment.astype(np.float64) * np.hanning(segment.size), n=n_fft))
    freqs = np.fft.rfftfreq(n_fft, 1 / sample_rate)
    return float(20 * np.log10(spectrum[(freqs > hz * 0.97) & (freqs < hz * 1.03)].max() + 1e-12))
