"""Exports: audio (wav / flac / mp3, 22.05-48 kHz, mono or stereo), the score as MIDI, stems as files
and as a zip. Everything encodes to bytes first, so the app, the API and the CLI share one path.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import mido
import numpy as np
import soundfile as sf

from engine.exceptions import ExportError
from engine.score import Score
from knowledge_base.theory import pitch_class

# The one owner of the output limits: Aurora's generate flow, CLI and UI import these, never restate them.
AudioFormat = Literal["wav", "flac", "mp3"]
FORMATS: tuple[AudioFormat, ...] = ("wav", "flac", "mp3")
SampleRate = Literal[22050, 32000, 44100, 48000]
SAMPLE_RATES: tuple[SampleRate, ...] = (22050, 32000, 44100, 48000)
Channels = Literal[1, 2]
CHANNELS: tuple[Channels, ...] = (1, 2)
DEFAULT_FORMAT: AudioFormat = "wav"
DEFAULT_SAMPLE_RATE: SampleRate = 44100
DEFAULT_CHANNELS: Channels = 2
_SF = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16")}
_MAJOR_KEYS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MINOR_KEYS = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")
_MINOR_MODES = ("minor", "dorian", "phrygian", "locrian", "aeolian")


def _midi_key(label: str) -> str:
    """A section's key label ('D major', 'Bb minor', 'E dorian') as a MIDI key signature name."""
    tonic, _, mode = label.strip().partition(" ")
    minor = any(mode.lower().replace("harmonic_", "").startswith(m) for m in _MINOR_MODES)
    return (_MINOR_KEYS if minor else _MAJOR_KEYS)[pitch_class(tonic)]


def check_format(fmt: str) -> AudioFormat:
    low = fmt.lower().lstrip(".")
    if low not in FORMATS:
        raise ExportError(f"unsupported audio format {fmt!r}; use one of {', '.join(FORMATS)}")
    return low  # type: ignore[return-value]


def check_sample_rate(sample_rate: int) -> int:
    if sample_rate not in SAMPLE_RATES:
        raise ExportError(f"unsupported sample rate {sample_rate}; use one of {SAMPLE_RATES}")
    return sample_rate


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """[ch, n] polyphase resampling (exact rational ratio)."""
    if from_rate == to_rate:
        return audio
    from scipy import signal as sps  # here, not at import: the app and CLI import this module for its limits

    g = np.gcd(from_rate, to_rate)
    return np.asarray(sps.resample_poly(audio, to_rate // g, from_rate // g, axis=-1).astype(np.float32))


def encode_audio(audio: np.ndarray, *, sample_rate: int, fmt: str = "wav", channels: int | None = None) -> bytes:
    """audio [ch, n] float32 in [-1, 1] -> encoded file bytes."""
    fmt = check_format(fmt)
    check_sample_rate(sample_rate)
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 1:
        data = data[None, :]
    if channels == 1 and data.shape[0] > 1:
        data = data.mean(axis=0, keepdims=True)
    elif channels == 2 and data.shape[0] == 1:
        data = np.repeat(data, 2, axis=0)
    buf = io.BytesIO()
    if fmt == "mp3":
        from pedalboard.io import AudioFile  # LAME inside pedalboard: ~4x faster than libsndfile's mp3

        with AudioFile(buf, "w", sample_rate, data.shape[0], format="mp3", quality="V2") as f:
            for block in _clipped_blocks(data):
                f.write(block)
    else:
        container, subtype = _SF[fmt]
        with sf.SoundFile(buf, "w", sample_rate, data.shape[0], subtype=subtype, format=container) as out:
            for block in _clipped_blocks(data):
                out.write(block.T)
    return buf.getvalue()


_ENCODE_BLOCK = 1 << 18


def _clipped_blocks(data: np.ndarray) -> Iterator[np.ndarray]:
    """[ch, n] clipped to [-1, 1] a block at a time: a ten-minute mix is never copied whole (clipped, then
    interleaved) on its way to the encoder."""
    for start in range(0, data.shape[1], _ENCODE_BLOCK):
        yield np.clip(data[:, start:start + _ENCODE_BLOCK], -1.0, 1.0)


def write_audio(path: str | Path, audio: np.ndarray, *, sample_rate: int, fmt: str | None = None,
                channels: int | None = None) -> Path:
    target = Path(path)
    target.write_bytes(encode_audio(audio, sample_rate=sample_rate, fmt=fmt or target.suffix or "wav",
                                    channels=channels))
    return target


def stems_zip(stems: dict[str, np.ndarray], *, sample_rate: int, fmt: str = "wav") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, audio in stems.items():
            zf.writestr(f"{name}.{check_format(fmt)}", encode_audio(audio, sample_rate=sample_rate, fmt=fmt))
    return buf.getvalue()


def write_stems(directory: str | Path, stems: dict[str, np.ndarray], *, sample_rate: int,
                fmt: str = "wav") -> list[Path]:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_audio(folder / f"{name}.{check_format(fmt)}", audio, sample_rate=sample_rate, fmt=fmt)
            for name, audio in stems.items()]


def midi_bytes(score: Score, *, ticks_per_beat: int = 480) -> bytes:
    """Type-1 MIDI: a conductor track (tempo, meter, key, a marker at each section start) and one track per
    instrument with its GM program; drums and percussion on channel 10."""
    mid = mido.MidiFile(type=1, ticks_per_beat=ticks_per_beat)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("track_name", name="Soundstar", time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(score.quarter_bpm), time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=score.beats_per_bar,
                                      denominator=score.beat_unit, time=0))
    key = (_MINOR_KEYS if score.key_is_minor else _MAJOR_KEYS)[score.key_tonic_pc]
    conductor.append(mido.MetaMessage("key_signature", key=key, time=0))
    mid.tracks.append(conductor)
    ticks_per_s = ticks_per_beat * score.quarter_bpm / 60.0
    curve = score.tempo_curve  # a moving tempo: notes sit on the strict beats, under a tempo map that moves them

    def tick_of(t: float) -> int:
        return round((curve.strict_s(t) if curve is not None else t) * ticks_per_s)

    meta: list[tuple[int, int, mido.MetaMessage]] = []  # (tick, order, message) of the conductor track
    sounding = key
    for section in score.sections:  # a marker at each section start: a DAW shows the form (and a key change)
        meta.append((tick_of(section.start_s), 1, mido.MetaMessage(
            "marker", text=f"{section.name} (bar {section.start_bar + 1})")))
        here = _midi_key(section.key) if section.key else key
        if here != sounding:
            meta.append((tick_of(section.start_s), 2, mido.MetaMessage("key_signature", key=here)))
            sounding = here
    if curve is not None:  # a tempo event on every quarter of the curve: the quarter's length as it sounds
        beat_s = 60.0 / score.quarter_bpm
        for b in range(int(curve.span_s / beat_s) + 2):
            strict = curve.start_s + b * beat_s
            played_s = curve.time_s(strict + beat_s) - curve.time_s(strict)
            meta.append((round(strict * ticks_per_s), 0, mido.MetaMessage(
                "set_tempo", tempo=round(played_s * 1e6))))
    now = 0
    for tick, _order, message in sorted(meta, key=lambda m: (m[0], m[1])):
        conductor.append(message.copy(time=max(tick - now, 0)))
        now = max(tick, now)
    channel = 0
    for track in score.tracks:
        if track.is_drum:
            ch = 9
        else:
            ch = channel
            channel = channel + 1 if channel + 1 != 9 else 10
            ch = min(ch, 15)
        mt = mido.MidiTrack()
        mt.append(mido.MetaMessage("track_name", name=f"{track.name} ({track.instrument_id})", time=0))
        if not track.is_drum:
            mt.append(mido.Message("program_change", program=track.gm_program, channel=ch, time=0))
        events: list[tuple[int, int, int, int]] = []  # (tick, order, pitch, velocity); offs before ons
        for note in track.notes:
            on = tick_of(note.start_s)
            off = max(tick_of(note.end_s), on + 1)
            pitch = int(np.clip(note.pitch, 0, 127))
            events.append((on, 1, pitch, note.velocity))
            events.append((off, 0, pitch, 0))
        events.sort()
        now = 0
        for tick, _order, pitch, velocity in events:
            kind = "note_on" if velocity > 0 else "note_off"
            mt.append(mido.Message(kind, note=pitch, velocity=velocity, channel=ch, time=tick - now))
            now = tick
        mid.tracks.append(mt)
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()
