"""Pitch truth for the sound bench: does each pitched stem sound the notes its own score track wrote?

Each pitched voice is transcribed by basic-pitch (Spotify's audio-to-MIDI model, trained on real instruments; its
ONNX model ships inside the package and runs on onnxruntime, offline) and compared with the stem's score track: note
F1 with mir_eval's onset-only matching (onset within 50 ms, pitch within 50 cents). The same F1 with the
transcription moved by -24..+24 semitones says whether a stem is heard in another octave (its best octave is not 0).

What is transcribed: the voice's own output (the track as its voice renders it, before the mixer), and beside it
the finished stem. The stem carries the mixer's production effects, which a transcriber counts as notes nobody
wrote: the lead's tempo delay (each echo, 3/4 beat later, is a "note": a synth lead heard 1.00 before the mixer is
0.61-0.80 after it in electronic genres), the side-chain pumping of basses, pads and comping on every kick (a held
note dips and swells: "re-attacked"). The voice figure is the pitch truth of what each voice plays; the stem
figure says what the mix adds. The written notes are the track's notes as the voices play them (groove and
humanisation are already in them).

Level matters to the transcriber: its spectrogram is log power over a floor (1e-10) scaled 0-1 per window, so a
louder signal shows more of its decays and noise above the floor. The voice is transcribed at the level its voice
renders (a sampler's raw level, often -35 dBFS RMS), the stem at its level in the mix (about -20 dBFS): part of a
sampled part's voice-to-stem difference is that level alone (a finger bass's voice, 0.83 F1 as rendered, is 0.72,
0.81 and 0.76 at a quarter, twice and four times its level: more re-attacks heard in its decays as it gets louder).

Bench-only: ``pip install --no-deps -r requirements-bench.txt`` (basic-pitch's declared dependencies pull
tensorflow; none of it is needed for the ONNX model). Without it, ``unavailable()`` says why and the bench skips.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from engine.score import Note, Score, Track

MODEL_RATE = 22050
OCTAVE_SHIFTS = (-24, -12, 0, 12, 24)
MIN_NOTE_MS = 50.0  # basic-pitch's default (127.7 ms) drops sixteenth notes at ordinary tempi
CLEAR_ATTACK_FAMILIES = ("keyboard", "guitar", "plucked", "mallet", "bass", "synth", "brass", "woodwind")
PLUCKED_BASS_PROGRAMS = range(32, 40)  # General MIDI's bass family: acoustic (pizzicato), finger, pick, fretless...
NOT_PITCHED_ROLES = ("drums", "percussion", "fx", "texture", "reverb")
ALONE_LEAD_S, ALONE_ON_S, ALONE_STEP_S = 0.2, 0.6, 1.0  # the instrument alone: a note, then 0.4 s of nothing
ALONE_MAX_PITCHES = 24


def unavailable() -> str | None:
    """None when the transcriber can run, else why not."""
    for module, package in (("basic_pitch", "basic-pitch"), ("onnxruntime", "onnxruntime"),
                            ("mir_eval", "mir-eval"), ("resampy", "resampy")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install --no-deps -r requirements-bench.txt)"
    return None


@cache
def _quiet_import() -> None:
    """Import basic-pitch with its import-time warnings (tensorflow, tflite and coremltools absent) silenced."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        import basic_pitch.inference  # noqa: F401
    finally:
        root.setLevel(level)


@cache
def _model() -> Any:
    _quiet_import()
    from basic_pitch import ICASSP_2022_MODEL_PATH
    from basic_pitch.inference import Model

    if not str(ICASSP_2022_MODEL_PATH).endswith(".onnx"):
        raise RuntimeError(f"basic-pitch chose {ICASSP_2022_MODEL_PATH}, not its ONNX model")
    import onnxruntime as ort

    model = Model(ICASSP_2022_MODEL_PATH)
    # the same model in a session whose idle threads do not spin: onnxruntime's default keeps its pool busy-waiting
    # after each call, which steals the CPU the bench's next render is timed on
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    model.model = ort.InferenceSession(str(ICASSP_2022_MODEL_PATH), sess_options=options,
                                       providers=["CPUExecutionProvider"])
    return model


def transcribe(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float, int]]:
    """Notes (start_s, end_s, midi pitch) basic-pitch hears in ``audio`` ([n] or [ch, n]), as its ``predict`` does
    for a file, without the file."""
    import librosa

    _quiet_import()
    from basic_pitch import note_creation
    from basic_pitch.constants import AUDIO_N_SAMPLES, FFT_HOP
    from basic_pitch.inference import unwrap_output, window_audio_file

    mono = np.asarray(audio, dtype=np.float32)
    mono = mono.mean(axis=0) if mono.ndim == 2 else mono
    y = librosa.resample(mono, orig_sr=sample_rate, target_sr=MODEL_RATE).astype(np.float32)
    overlap_frames = 30
    overlap = overlap_frames * FFT_HOP
    padded = np.concatenate([np.zeros(overlap // 2, dtype=np.float32), y])
    model = _model()
    output: dict[str, list[np.ndarray]] = {"note": [], "onset": [], "contour": []}
    for window, _ in window_audio_file(padded, AUDIO_N_SAMPLES - overlap):
        for key, value in model.predict(window[None, ...]).items():
            output[key].append(value)
    unwrapped = {k: unwrap_output(np.concatenate(v), y.size, overlap_frames) for k, v in output.items()}
    min_frames = int(np.round(MIN_NOTE_MS / 1000 * (MODEL_RATE / FFT_HOP)))
    _, events = note_creation.model_output_to_notes(unwrapped, onset_thresh=0.5, frame_thresh=0.3,
                                                    min_note_len=min_frames, min_freq=None, max_freq=None,
                                                    multiple_pitch_bends=False, melodia_trick=True)
    return [(float(s), float(e), int(p)) for s, e, p, *_ in events]


def note_scores(reference: list[tuple[float, float, int]], estimate: list[tuple[float, float, int]], *,
                shift: int = 0) -> tuple[float, float, float]:
    """(precision, recall, F1) of onset-only note matching (mir_eval: onset within 50 ms, pitch within 50 cents)
    with ``estimate`` moved by ``shift`` semitones."""
    from mir_eval.transcription import precision_recall_f1_overlap

    if not reference or not estimate:
        return 0.0, 0.0, 0.0

    def arrays(notes: list[tuple[float, float, int]], semitones: int) -> tuple[np.ndarray, np.ndarray]:
        intervals = np.array([[s, max(e, s + 0.01)] for s, e, _ in notes])
        hz = 440.0 * 2.0 ** ((np.array([p for *_, p in notes]) + semitones - 69) / 12.0)
        return intervals, hz

    ref_i, ref_p = arrays(reference, 0)
    est_i, est_p = arrays(estimate, shift)
    precision, recall, f1, _ = precision_recall_f1_overlap(ref_i, ref_p, est_i, est_p, onset_tolerance=0.05,
                                                           pitch_tolerance=50.0, offset_ratio=None)
    return float(precision), float(recall), float(f1)


def _doubles(reference: list[tuple[float, float, int]], note: tuple[float, float, int]) -> bool:
    start, _, pitch = note
    near = {p for s, _, p in reference if abs(s - start) <= 0.05}
    return pitch not in near and any(abs(pitch - p) in (12, 24) for p in near)


def octave_doubled_share(reference: list[tuple[float, float, int]], estimate: list[tuple[float, float, int]]) -> float:
    """Share of the heard notes that sit an octave (or two) above or below a written note starting with them: a
    strong harmonic heard as a note of its own (basic-pitch does this even on synthetic tones whose upper partials
    fall as 1/k^3), which lowers precision without moving the line's octave."""
    if not estimate:
        return 0.0
    return sum(1 for note in estimate if _doubles(reference, note)) / len(estimate)


def without_doublings(reference: list[tuple[float, float, int]],
                      estimate: list[tuple[float, float, int]]) -> list[tuple[float, float, int]]:
    """The heard notes less those that only double a written note an octave away (for a second F1, labelled so)."""
    return [note for note in estimate if not _doubles(reference, note)]


def _voice_context(engine: Any, score: Score, *, sample_rate: int, genre_lineage: tuple[str, ...]) -> Any:
    from engine.voices import VoiceContext
    from engine.voices.sampler import sampler_status

    soundfont = None if engine.config.sampler == "off" else sampler_status(engine.config.soundfont_path)[0]
    return VoiceContext(kb=engine.knowledge, device=engine.device, tonic_pc=score.key_tonic_pc, soundfont=soundfont,
                        genre_lineage=genre_lineage, sample_rate=sample_rate)


def voice_audio(engine: Any, score: Score, names: list[str], *, sample_rate: int, seed: int,
                genre_lineage: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named tracks of ``score`` as their voices play them, before the mixer: the same voice, soundfont, program
    and per-track seed the engine used (engine/facade.py ``_synthesise``), so the audio is the engine's own."""
    import torch

    from engine.structure.arrangement import rng_for
    from engine.voices import build_voice

    ctx = _voice_context(engine, score, sample_rate=sample_rate, genre_lineage=genre_lineage)
    n_samples = round(score.duration_s * sample_rate)
    out: dict[str, np.ndarray] = {}
    previous = torch.get_num_threads()
    torch.set_num_threads(1)  # as the engine renders on CPU
    try:
        for track in score.tracks:
            if track.name in names:
                track_seed = int(rng_for(seed, "synth:" + track.name).integers(0, 2**31 - 1))
                out[track.name] = build_voice(track, ctx).render(track, n_samples=n_samples, sample_rate=sample_rate,
                                                                 seed=track_seed)
    finally:
        torch.set_num_threads(previous)
    return out


def alone_track(track: Track) -> Track:
    """The instrument alone: each pitch ``track`` plays (in the order it first plays them, at most
    ``ALONE_MAX_PITCHES``), once, ``ALONE_ON_S`` long, one every ``ALONE_STEP_S``, at the part's median velocity.

    Why: a stem can be heard with notes nobody wrote for two reasons. Either the part adds them (notes ringing into
    each other, glides, the mixer's echoes), or the instrument's own sound is heard so, one note at a time with
    nothing around it (a bright guitar's upper partials, an organ's footages, a bass's second harmonic). The F1 of
    this track through the same voice is the transcriber's ceiling for that instrument: a stem below 0.85 whose
    instrument alone is below 0.85 too is the transcriber's reading of the timbre, not a fault of the part."""
    pitches = list(dict.fromkeys(n.pitch for n in track.notes))[:ALONE_MAX_PITCHES]
    velocity = int(np.median([n.velocity for n in track.notes])) if track.notes else 96
    notes = [Note(ALONE_LEAD_S + k * ALONE_STEP_S, ALONE_ON_S, pitch, velocity) for k, pitch in enumerate(pitches)]
    return replace(track, notes=notes)


def alone_f1(engine: Any, score: Score, track: Track, *, sample_rate: int, genre_lineage: tuple[str, ...]) -> float:
    """Note F1 of the instrument alone (``alone_track``) through the voice that plays ``track``."""
    from engine.voices import build_voice

    alone = alone_track(track)
    ctx = _voice_context(engine, score, sample_rate=sample_rate, genre_lineage=genre_lineage)
    n_samples = round((ALONE_LEAD_S + len(alone.notes) * ALONE_STEP_S + 0.5) * sample_rate)
    audio = build_voice(alone, ctx).render(alone, n_samples=n_samples, sample_rate=sample_rate, seed=0)
    reference = [(n.start_s, n.end_s, n.pitch) for n in alone.notes]
    return note_scores(reference, transcribe(audio, sample_rate))[2]


@dataclass(frozen=True, slots=True)
class StemPitch:
    name: str
    role: str
    instrument: str
    voice: str
    clear_attack: bool
    precision: float  # the voice's own output (before the mixer) against the score track
    recall: float
    f1: float
    best_shift: int  # semitones that make the transcription match best: 0 = heard in the written octave
    best_f1: float
    octave_doubled: float  # share of heard notes that double a written note an octave away
    f1_undoubled: float  # F1 with those doublings set aside (a second figure, never the headline)
    notes_written: int
    notes_heard: int
    stem_f1: float | None = None  # the finished stem (after the mixer's effects), when it was transcribed too
    stem_precision: float | None = None
    stem_notes_heard: int | None = None

    @property
    def other_octave(self) -> bool:
        """Heard in another octave: some octave shift matches clearly better than none."""
        return self.best_shift != 0 and self.best_f1 >= self.f1 + 0.1


def stem_pitch(name: str, track: Track, audio: np.ndarray, sample_rate: int, *, family: str | None,
               voice: str, duration_s: float, stem: np.ndarray | None = None) -> StemPitch:
    """Pitch truth of ``audio`` (the voice's output) against ``track``; with ``stem``, the finished stem's F1 too."""
    reference = [(n.start_s, n.end_s, n.pitch) for n in track.notes if n.start_s < duration_s - 0.1]
    heard = transcribe(audio, sample_rate)
    scores = {shift: note_scores(reference, heard, shift=shift) for shift in OCTAVE_SHIFTS}
    best = max(OCTAVE_SHIFTS, key=lambda s: (scores[s][2], s == 0))
    clear = clear_attack(track, family)
    precision, recall, f1 = scores[0]
    stem_heard = transcribe(stem, sample_rate) if stem is not None else None
    stem_scores = note_scores(reference, stem_heard) if stem_heard is not None else None
    return StemPitch(name=name, role=track.role, instrument=track.instrument_id, voice=voice, clear_attack=clear,
                     precision=precision, recall=recall, f1=f1, best_shift=best, best_f1=scores[best][2],
                     octave_doubled=octave_doubled_share(reference, heard),
                     f1_undoubled=note_scores(reference, without_doublings(reference, heard))[2],
                     notes_written=len(reference), notes_heard=len(heard),
                     stem_f1=stem_scores[2] if stem_scores else None,
                     stem_precision=stem_scores[0] if stem_scores else None,
                     stem_notes_heard=len(stem_heard) if stem_heard is not None else None)


LINE_ROLES = ("bass", "lead")  # one note at a time: a monophonic pitch tracker can follow them
LINE_RATE = 11025  # enough for a line up to 2.7 kHz
LINE_SETTLE_S = 0.03  # a note's attack (pick, slide, scoop) is left out of the frames a line is judged on
LINE_FRAME = 1024  # YIN's window at LINE_RATE (93 ms): two periods of A0
LINE_HOP = 128  # 11.6 ms between frames
# YIN's dip threshold: at librosa's 0.1 a fast trumpet line's breath left the period's dip above it and YIN took
# twice the period (half of bebop's trumpet frames "an octave down" where basic-pitch heard every note at its
# pitch); at 0.2 that is gone and a sampled slap bass's sub-octave ring is still found (0.4 of its faulty keys'
# frames; 0.17 at 0.3), as are the harp's and bassoon's octave-up zones (every frame)
LINE_TROUGH = 0.2


@dataclass(frozen=True, slots=True)
class LineAgreement:
    """A second opinion on a one-note-at-a-time part, from a monophonic pitch tracker (librosa's YIN): of the
    frames where one written note holds (its attack aside) and the tracker hears a pitch, the share within 50
    cents of the written note, and the share an octave or two away from it."""

    frames: int
    at_written: float
    octave_away: float


def line_agreement(track: Track, audio: np.ndarray, sample_rate: int, *, duration_s: float) -> LineAgreement | None:
    """YIN on ``audio`` (a bass or lead voice) against ``track``'s notes; None for a part that is not a line or
    has no frame where exactly one of its notes holds. Why beside basic-pitch: a note transcriber counts a strong
    partial heard as a note of its own against the part (a bass's second harmonic: 40% of a sampled bass's heard
    notes); a pitch tracker names one pitch per frame, so it says whether the part sounds where it is written.
    YIN frame by frame, not pYIN: pYIN's path through the frames prefers to stay put, and every period is also
    periodic at twice its length, so it held an octave bass line (A1-A2-A1) at A1 through the A2s (30% of a
    techno bass "an octave away" whose every note alone is at its pitch)."""
    import librosa

    if track.role not in LINE_ROLES or not track.notes:
        return None
    mono = np.asarray(audio, dtype=np.float32)
    mono = mono.mean(axis=0) if mono.ndim == 2 else mono
    rate = LINE_RATE
    y = librosa.resample(mono, orig_sr=sample_rate, target_sr=rate)
    low = min(n.pitch for n in track.notes) - 14  # room for an octave below the lowest note
    high = max(n.pitch for n in track.notes) + 14
    f0_hz = librosa.yin(y, fmin=float(librosa.midi_to_hz(max(low, 21))),
                        fmax=min(float(librosa.midi_to_hz(high)), rate / 4.0), sr=rate, frame_length=LINE_FRAME,
                        hop_length=LINE_HOP, trough_threshold=LINE_TROUGH)
    rms = librosa.feature.rms(y=y, frame_length=LINE_FRAME, hop_length=LINE_HOP)[0][: f0_hz.size]
    voiced = rms > np.percentile(rms, 95) * 10 ** (-30 / 20)  # sounding: within 30 dB of the line's loud frames
    times = librosa.times_like(f0_hz, sr=rate, hop_length=LINE_HOP)
    half_s = LINE_FRAME / 2 / rate  # a frame hears this far either side of its time
    written = np.full(times.shape, np.nan)
    covering = np.zeros(times.shape, dtype=int)
    touching = np.zeros(times.shape, dtype=int)
    for note in track.notes:
        if note.start_s >= duration_s:
            continue
        touching[(times + half_s > note.start_s) & (times - half_s < note.end_s)] += 1
        holds = (times - half_s >= note.start_s + LINE_SETTLE_S) & (times + half_s <= note.end_s)
        covering[holds] += 1
        written[holds] = note.pitch
    # judged: frames whose whole window lies in one note past its attack, with no other note in it (a window over
    # a note an octave below the next, in an octave bass line, hears the lower one's period)
    judged = (covering == 1) & (touching == 1) & voiced & np.isfinite(f0_hz)
    if not judged.any():
        return None
    cents = 1200.0 * np.log2(f0_hz[judged] / librosa.midi_to_hz(written[judged]))
    away = np.abs(cents - 1200.0 * np.round(cents / 1200.0))
    return LineAgreement(frames=int(judged.sum()), at_written=float(np.mean(np.abs(cents) <= 50.0)),
                         octave_away=float(np.mean((away <= 50.0) & (np.abs(cents) > 600.0))))


def clear_attack(track: Track, family: str | None) -> bool:
    """A part whose notes start clearly: its family plays them so (keyboards, guitars, brass...), or it is a bass
    line on a General-MIDI bass program (a double bass walking a bass line is plucked: GM 32, not a bowed string);
    never a pad."""
    if track.role == "pad":
        return False
    return family in CLEAR_ATTACK_FAMILIES or (track.role == "bass" and track.gm_program in PLUCKED_BASS_PROGRAMS)


def pitched_tracks(tracks: list[Track]) -> list[Track]:
    return [t for t in tracks if not t.is_drum and t.role not in NOT_PITCHED_ROLES and t.notes]
