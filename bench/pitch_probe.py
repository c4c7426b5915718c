"""Pitch probe: why a sampled or synthesised part is not heard as written, and what another preset would do.

    python -m bench.pitch_probe --only 20,30                     # every clear-attack part of these prompts
    python -m bench.pitch_probe --only 30 --track harmony --preset 0/16 --preset 0/16+12 --preset 0/20
    python -m bench.pitch_probe --only 4 --track bass --preset 0/33@TimGM6mb.sf2 --json OUT

Each part of the sound bench's prompts (bench/sound_eval.py, the same plans, seed 0) is played by its own voice
(as the engine chose it, before the mixer) and, with ``--preset bank/program[+semitones][@soundfont file]``, through
other soundfont presets; basic-pitch transcribes each (bench/pitch_truth.py) and the table prints note F1,
precision, recall, the F1 an octave either way, and where the notes nobody wrote come from:
``onset +12`` heard with a written note, an octave above it (a strong second harmonic, an organ's footage),
``during +0`` the written key heard again while it holds (a re-attack: tremolo, side-chain, a looped sample), ``gap``
away from every written note. Only the score is composed (no mix), so a probe of one part takes seconds.
With ``--stem`` each part also goes through its genre's mixer channel strip alone (mix preset, side-chain on the
score's kicks, presence, delay: the finished stem without the other parts); a second line says what the mixer adds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import knowledge_base
from bench import pitch_truth
from bench.engine_bench import optional_aurora
from bench.sound_eval import PROMPTS, inputs_for
from engine.score import Score, Track
from knowledge_base import KnowledgeBase

SR = 44100
Note = tuple[float, float, int]
PRESET = re.compile(r"^(\d+)/(\d+)([+-]\d+)?(?:@(.+))?$")


@dataclass(frozen=True, slots=True)
class Preset:
    """A soundfont preset to try a part on: bank, program, semitones the part moves, and a soundfont file (None:
    the engine's own)."""

    bank: int
    program: int
    transpose: int = 0
    soundfont: str | None = None

    @classmethod
    def parse(cls, text: str) -> Preset:
        found = PRESET.match(text.strip())
        if found is None:
            raise ValueError(f"a preset is bank/program[+semitones][@soundfont], got {text!r}")
        bank, program, moved, soundfont = found.groups()
        return cls(int(bank), int(program), int(moved or 0), soundfont)

    @property
    def label(self) -> str:
        moved = f"{self.transpose:+d}" if self.transpose else ""
        return f"{self.bank}/{self.program}{moved}" + (f"@{self.soundfont}" if self.soundfont else "")


def extra_notes(reference: list[Note], heard: list[Note], *, tolerance_s: float = 0.05) -> Counter[str]:
    """Where the heard notes come from: ``match`` (a written note: onset within ``tolerance_s``, same key),
    ``onset ±k`` (starts with a written note, k semitones from the nearest such), ``during ±k`` (starts while a
    written note holds, or in its first 0.3 s of release), ``gap`` (nowhere near one)."""
    out: Counter[str] = Counter()
    for start, _end, pitch in heard:
        if any(abs(start - s) <= tolerance_s and p == pitch for s, _e, p in reference):
            out["match"] += 1
            continue
        with_it = [p for s, _e, p in reference if abs(start - s) <= tolerance_s]
        holding = [p for s, e, p in reference if s < start < e + 0.3]
        near = with_it or holding
        if not near:
            out["gap"] += 1
            continue
        step = min((pitch - p for p in near), key=abs)
        out[f"{'onset' if with_it else 'during'} {step:+d}"] += 1
    return out


def compose_scores(kb: KnowledgeBase, indices: list[int]) -> dict[int, Score]:
    """The sound bench's scores for these prompts (the same plan and seed; no render)."""
    from engine.inputs import parse_control_embedding, parse_parameters, parse_plan
    from engine.structure.arrangement import compose
    from knowledge_base.layout import decode

    aurora = optional_aurora("plans come from the genre words")
    scores = {}
    for i in indices:
        text, genre = PROMPTS[i]
        plan, controls, _ = inputs_for(aurora, kb, text, genre, 0)
        scores[i] = compose(plan=parse_plan(plan), params=parse_parameters(controls["parameters"]), kb=kb,
                            controls=decode(kb, parse_control_embedding(controls["control_embedding"])),
                            duration_s=30.0, seed=0)
    return scores


def play(kb: KnowledgeBase, score: Score, track: Track, preset: Preset | None) -> tuple[np.ndarray, str]:
    """The part as its own voice plays it (``preset`` None), or on ``preset``: audio [2, n] and the voice in words."""
    import torch

    from engine.structure.arrangement import rng_for
    from engine.voices import VoiceContext, build_voice, describe_voice
    from engine.voices.sampler import Program, SamplerVoice, find_named_soundfont, sampler_status

    general = sampler_status()[0]
    lineage = tuple(g.id for g in kb.genre_lineage(score.genre_id))
    ctx = VoiceContext(kb=kb, device=torch.device("cpu"), tonic_pc=score.key_tonic_pc, soundfont=general,
                       genre_lineage=lineage, sample_rate=SR)
    seed = int(rng_for(0, "synth:" + track.name).integers(0, 2**31 - 1))
    n_samples = round(score.duration_s * SR)
    if preset is None:
        return build_voice(track, ctx).render(track, n_samples=n_samples, sample_rate=SR, seed=seed), \
            describe_voice(track, ctx)
    soundfont = find_named_soundfont(preset.soundfont or "general", general)
    if soundfont is None:
        raise ValueError(f"soundfont {preset.soundfont or 'general'} is not installed")
    voice = SamplerVoice(soundfont, program=Program(soundfont, preset.bank, preset.program),
                         transpose=preset.transpose)
    return voice.render(track, n_samples=n_samples, sample_rate=SR, seed=seed), f"sampler {preset.label}"


def through_mixer(kb: KnowledgeBase, score: Score, track: Track, audio: np.ndarray) -> np.ndarray:
    """The part's finished stem: ``audio`` through its genre's mixer channel strip, alone (engine/mixer.py ``mix``
    with this one track: its gain, filters, presence, compressor, delay, side-chain on the score's kicks, pan and
    width; the shared reverb is a stem of its own and not in it). Stereo [2, n]; ``audio`` is left as it was."""
    from engine.mixer import mix

    preset = kb.mix_presets.for_genres([g.id for g in kb.genre_lineage(score.genre_id)])
    stems, _ = mix(tracks={track.name: (track.role, np.array(audio, dtype=np.float32))}, score=score, preset=preset,
                   sample_rate=SR, seed=0, fx=None)
    return stems[track.name]


def probe(track: Track, audio: np.ndarray, duration_s: float) -> dict[str, Any]:
    reference = [(n.start_s, n.end_s, n.pitch) for n in track.notes if n.start_s < duration_s - 0.1]
    heard = pitch_truth.transcribe(audio, SR)
    scores = {shift: pitch_truth.note_scores(reference, heard, shift=shift) for shift in (-12, 0, 12)}
    precision, recall, f1 = scores[0]
    return {"f1": round(f1, 3), "precision": round(precision, 3), "recall": round(recall, 3),
            "f1_octave_down": round(scores[-12][2], 3), "f1_octave_up": round(scores[12][2], 3),
            "notes_written": len(reference), "notes_heard": len(heard),
            "extra": dict(extra_notes(reference, heard).most_common(7))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", type=str, required=True, help="sound bench prompt numbers (0-based, commas)")
    parser.add_argument("--track", action="append", default=[], help="these tracks only (repeatable)")
    parser.add_argument("--preset", action="append", default=[], help="bank/program[+semitones][@soundfont]")
    parser.add_argument("--stem", action="store_true", help="also through the genre's mixer channel strip")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    missing = pitch_truth.unavailable()
    if missing is not None:
        print(f"pitch probe skipped: {missing}", file=sys.stderr)
        return 1
    try:
        presets = [Preset.parse(p) for p in args.preset]
        indices = [int(i) for i in args.only.split(",")]
    except ValueError as exc:
        parser.error(str(exc))
    kb = knowledge_base.load()
    rows = []
    for i, score in compose_scores(kb, indices).items():
        for track in pitch_truth.pitched_tracks(score.tracks):
            inst = kb.find_instrument(track.instrument_id)
            if args.track and track.name not in args.track:
                continue
            if not args.track and not pitch_truth.clear_attack(track, inst.family if inst else None):
                continue
            for preset in [None, *presets]:
                audio, voice = play(kb, score, track, preset)
                row = {"index": i, "genre": score.genre_id, "track": track.name, "instrument": track.instrument_id,
                       "voice": voice, **probe(track, audio, score.duration_s)}
                rows.append(row)
                extra = ", ".join(f"{k}:{v}" for k, v in row["extra"].items())
                print(f"{i:>2} {str(score.genre_id)[:12]:<12} {track.name[:8]:<8} {track.instrument_id[:18]:<18} "
                      f"{voice[:44]:<44} F1 {row['f1']:.2f} P {row['precision']:.2f} R {row['recall']:.2f} "
                      f"-12:{row['f1_octave_down']:.2f} +12:{row['f1_octave_up']:.2f} | {extra}", flush=True)
                if args.stem:
                    stem = probe(track, through_mixer(kb, score, track, audio), score.duration_s)
                    row["stem"] = stem
                    extra = ", ".join(f"{k}:{v}" for k, v in stem["extra"].items())
                    print(f"{'':>2} {'':<12} {'':<8} {'':<18} {'  ... after the mixer':<44} F1 {stem['f1']:.2f} "
                          f"P {stem['precision']:.2f} R {stem['recall']:.2f} -12:{stem['f1_octave_down']:.2f} "
                          f"+12:{stem['f1_octave_up']:.2f} | {extra}", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
