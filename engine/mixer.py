"""The Ultimate Mixer (spec §2): per-stem gain, EQ, dynamics and panning from the genre's mix preset,
sidechain ducking on the kick, a shared reverb bus, texture layers and transition effects. Its parts: track
levels over time (engine/mix_gain.py), effects (engine/mix_effects.py) and stereo (engine/mix_stereo.py); this
module runs the channel strips and sums the stems.

Stems are returned exactly as they are summed, so ``sum(stems) == premaster`` holds by
construction (the reverb return is a stem of its own, as in a printed mix).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pedalboard as pb

from engine.ddsp.core import (
    NoteSpan,
    add_harmonic_presence,
    db_to_amplitude,
    mean_square,
    pan_gains,
    presence_harmonics,
)
from engine.ddsp.textures import texture
from engine.mix_effects import (
    add_half_rate,
    apply_chain,
    ducked_delay,
    half_rate_return,
    highpass,
    insert_chain,
    rumble_cut_hz,
)
from engine.mix_gain import apply_ducking, duck_gain, gain_automation, role_gain_db, staging_gain
from engine.mix_stereo import WIDTH_DELAY_S, balance_gains, side_mid_ratio, width_side
from engine.score import Score
from engine.score import Track as ScoreTrack
from engine.stem_store import StemStore
from knowledge_base.sound import MixPreset

REVERB_HIGHPASS_HZ = 100.0  # the shared reverb send's low cut (2nd order)


def _note_spans(track: ScoreTrack | None) -> list[NoteSpan] | None:
    """A pitched part's notes as (start_s, end_s, pitch): its presence harmonics are built on them (None: a drum
    track, or no score track, and the harmonics follow the signal's own phase)."""
    if track is None or track.is_drum or not track.notes:
        return None
    return [(note.start_s, note.end_s, note.pitch) for note in track.notes]


_Strip = np.ndarray  # the stereo stem [2, n]


def _collect(strips: deque[tuple[str, str, Future[_Strip]]], *, premaster: np.ndarray, send: np.ndarray,
             store: StemStore, preset: MixPreset, on_track: Callable[[str], None] | None = None) -> None:
    """Sum the oldest strip into the pre-master and the (half-rate) reverb send, and store its stem. Strips are taken
    in track order, so the result never depends on thread timing."""
    name, role, future = strips.popleft()  # dropping the future frees its arrays once they are stored
    stem = future.result()
    del future
    premaster += stem
    amount = preset.sends.get(role, 0.0)
    if amount > 0.0:
        add_half_rate(send, stem, amount)
    store.put(name, stem)
    del stem
    if on_track is not None:
        on_track(name)


Track = np.ndarray | Future[np.ndarray]  # a track's audio, or the synthesis still making it


def _strip_when_done(pool: ThreadPoolExecutor, strip: Callable[[str, list[Track], str], _Strip], role: str,
                     made: Future[np.ndarray], name: str) -> Future[_Strip]:
    """The channel strip of a track still being synthesised, submitted to ``pool`` the moment its synthesis is done
    (not when the tracks before it are): the strips of the tracks that finish first fill the cores while slower
    ones still play, and the last track to finish leaves only its own strip to run. The strip gets the Future in a
    box it empties, so the track's audio lives no longer than it does today."""
    stem: Future[_Strip] = Future()

    def run(box: list[Track]) -> None:
        if not stem.set_running_or_notify_cancel():
            return
        try:
            stem.set_result(strip(role, box, name))
        except BaseException as exc:  # a failed synthesis, or a failed strip: raised where the stem is collected
            stem.set_exception(exc)

    def launch(done: Future[np.ndarray]) -> None:
        box: list[Track] = [done]
        del done
        try:
            pool.submit(run, box)
        except RuntimeError as exc:  # the mix already failed and its pool is shut down
            stem.set_exception(exc)

    made.add_done_callback(launch)
    return stem


def mix(*, tracks: dict[str, tuple[str, Track]], score: Score, preset: MixPreset, sample_rate: int,
        seed: int, fx: np.ndarray | None, spill_dir: Path | None = None, n_samples: int | None = None,
        on_track: Callable[[str], None] | None = None,
        store: StemStore | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """tracks: name -> (role, float32 mono [n] or stereo [2, n], or a Future of one: a track still being synthesised
    is mixed as soon as it is done, while the others are still playing, and ``n_samples`` must then be given);
    consumed (emptied) as the stems are made. ``on_track(name)`` is called, on the calling thread and in track
    order, once a track's stem is in the mix. Returns (stems name -> [2, n], premaster [2, n]); ``spill_dir``: the
    stems are kept in files there (engine/stem_store.py). With ``store`` the stems go there instead (a spilled
    store may still be writing them: its caller calls ``finish`` for the complete stems; ``spill_dir`` is unused)."""
    if store is not None:
        return store.stems, _mix_into(store, tracks=tracks, score=score, preset=preset, sample_rate=sample_rate,
                                      seed=seed, fx=fx, n_samples=n_samples, on_track=on_track)
    own = StemStore(spill_dir)
    try:
        premaster = _mix_into(own, tracks=tracks, score=score, preset=preset, sample_rate=sample_rate, seed=seed,
                              fx=fx, n_samples=n_samples, on_track=on_track)
    except BaseException:
        own.close()
        raise
    return own.finish(), premaster


def _mix_into(store: StemStore, *, tracks: dict[str, tuple[str, Track]], score: Score, preset: MixPreset,
              sample_rate: int, seed: int, fx: np.ndarray | None, n_samples: int | None,
              on_track: Callable[[str], None] | None) -> np.ndarray:
    """``mix`` with its stems put in ``store``: the premaster."""
    if n_samples is not None:
        n = n_samples
    else:
        first = next(iter(tracks.values()))[1] if tracks else None
        n = first.result().shape[-1] if isinstance(first, Future) else first.shape[-1] if first is not None else (
            fx.shape[0] if fx is not None else 0)
    beat_s = score.step_s * 4
    automation = gain_automation(score.gain_points, n, sample_rate)
    duck = duck_gain(score.kick_times_s, n, sample_rate, preset.ducking_db) \
        if preset.ducking_db > 0 and score.kick_times_s else None  # per frame: made per chunk where it is applied
    has_duck = duck is not None

    featured = {t.name for t in score.tracks if t.featured}
    by_name = {t.name: t for t in score.tracks}

    def channel_strip(role: str, box: list[Track], name: str = "") -> _Strip:
        """Gain, presence, effects, automation/ducking, pan and width for one track -> the stereo stem [2, n].
        The track comes in a box that is emptied here, so nothing else keeps it alive once it is replaced."""
        made = box.pop()  # the mixer owns the track now (popped from ``tracks``): work in place
        signal = made.result() if isinstance(made, Future) else made  # waits for a track still being synthesised
        del made
        level_db = role_gain_db(preset, role, name in featured)
        signal *= np.float32(staging_gain(signal, sample_rate) * db_to_amplitude(level_db))
        cut_hz = max(preset.lowcut_hz.get(role, 0.0), rumble_cut_hz(by_name.get(name)))
        if cut_hz > 0.0:
            signal = highpass(signal, cut_hz, sample_rate, order=4, in_place=True)
        ducked = role in preset.duck_roles and has_duck
        presence = preset.bass_presence.get(role, 0.0)
        spans = _note_spans(by_name.get(name)) if presence > 0.0 else None
        if presence > 0.0 and not ducked:  # odd harmonics (a rectifier's 2f, 4f: the bass heard an octave up)
            signal = add_harmonic_presence(signal, presence, sample_rate, notes=spans, in_place=True)
        signal = apply_chain(signal, insert_chain(role, preset), sample_rate)
        echo = preset.delay
        if echo.role == role and echo.mix > 0.0:
            signal = ducked_delay(signal, delay_s=echo.beats * beat_s, feedback=echo.feedback, mix=echo.mix,
                                  sample_rate=sample_rate)
        # a multiband side-chain: the kick ducks the bass's low end, which it masks, and leaves the upper harmonics
        # that carry the bass on small speakers (ducked with it, a plucked bass lost them with its attacks: boom
        # bap's double bass fell to 21% of its energy above 150 Hz)
        upper = presence_harmonics(signal, presence, sample_rate, notes=spans) if presence > 0.0 and ducked else None
        if ducked:
            apply_ducking(signal, duck, automation)
        elif automation is not None:
            automation.apply(signal)
        if upper is not None:  # the section's dynamics still shape them
            if automation is not None:
                automation.apply(upper)
            signal += upper
            del upper
        pan = preset.pans.get(role, 0.0)
        width = preset.widths.get(role, 0.0)
        if signal.ndim == 2:  # a stereo voice keeps its image; the role's pan turns the far side down
            left, right = balance_gains(pan)
            stem = np.asarray(signal, dtype=np.float32)
            narrow = side_mid_ratio(stem) < 0.1  # side/mid under -10 dB
            mid = stem.mean(axis=0) if width > 0.0 and narrow else None
            if left != 1.0:  # a centred stem (most) keeps both sides: no pass over it
                stem[0] *= np.float32(left)
            if right != 1.0:
                stem[1] *= np.float32(right)
            if mid is not None:  # a near-mono sample (most GM presets) is widened like a mono voice
                side = width_side(mid, delay_s=WIDTH_DELAY_S.get(role, 0.015), width=width * 0.7071,
                                  sample_rate=sample_rate, onto=stem, in_place=True)
                del mid
                stem[0] += side
                stem[1] -= side
            return stem
        left, right = pan_gains(pan)
        stem = np.empty((2, n), dtype=np.float32)
        np.multiply(signal, np.float32(left), out=stem[0])
        np.multiply(signal, np.float32(right), out=stem[1])
        if width > 0.0:
            side = width_side(signal, delay_s=WIDTH_DELAY_S.get(role, 0.015), width=width * 0.7071,
                              sample_rate=sample_rate, onto=stem, in_place=True)  # the track is not read again
            del signal
            stem[0] += side
            stem[1] -= side
        return stem

    send = np.zeros((2, n // 2), dtype=np.float32)  # the reverb send, at half the rate (add_half_rate)
    premaster = np.zeros((2, n), dtype=np.float32)
    workers = max(1, min(2, os.cpu_count() or 1))  # effects release the GIL
    strips: deque[tuple[str, str, Future[_Strip]]] = deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for name in list(tracks):
            role, mono = tracks.pop(name)
            if isinstance(mono, Future):  # its strip starts once its synthesis is done, in whatever order the
                # tracks finish (the synthesis bounds how many are in flight); they are still summed in track order
                strips.append((name, role, _strip_when_done(pool, channel_strip, role, mono, name)))
                del mono
                continue
            strips.append((name, role, pool.submit(channel_strip, role, [mono], name)))
            del mono
            if len(strips) >= workers:  # at most `workers` finished strips wait: a long render stays in memory
                _collect(strips, premaster=premaster, send=send, store=store, preset=preset, on_track=on_track)
        while strips:
            _collect(strips, premaster=premaster, send=send, store=store, preset=preset, on_track=on_track)
    automation = duck = None  # free the curves before the reverb and textures
    if fx is not None and np.any(fx):
        fx_signal = fx * np.float32(db_to_amplitude(preset.gains_db.get("fx", -12.0)) * 0.7071)
        fx_stem = np.stack([fx_signal, fx_signal])
        premaster += fx_stem
        add_half_rate(send, fx_stem, preset.sends.get("fx", 0.3))
        store.put("fx", fx_stem)
        del fx_stem
    if np.any(send):
        # the reverb's return is high-passed as engineers EQ a room return: a kick's or a bass's room tail is mud (and
        # the bulk of a mix's sub-octave rumble), the room is heard above it
        highpass(send, REVERB_HIGHPASS_HZ, sample_rate // 2, in_place=True)
        r = preset.reverb
        reverb = pb.Reverb(room_size=r.room_size, damping=r.damping, wet_level=1.0, dry_level=0.0, width=r.width)
        wet = half_rate_return(reverb, send, n, sample_rate)
        wet *= np.float32(db_to_amplitude(r.return_db))
        premaster += wet
        store.put("reverb", wet)
        del wet
    del send
    kinds = score.texture_layers
    if kinds:
        rng = np.random.default_rng([seed & 0xFFFFFFFF, 9])
        layer = np.zeros((2, n), dtype=np.float32)
        for kind in kinds:  # the right channel is the left one a third of a second later: wide, and half the cost
            mono_layer = texture(kind, n, sample_rate, rng)
            layer[0] += mono_layer
            layer[1] += np.roll(mono_layer, int(0.37 * sample_rate))
        music_rms = float(np.sqrt(mean_square(premaster))) or 1e-3
        layer_rms = float(np.sqrt(mean_square(layer))) or 1e-9
        layer *= np.float32(music_rms * db_to_amplitude(preset.texture_db + 12.0) / layer_rms)
        premaster += layer
        store.put("texture", layer)
    return premaster
