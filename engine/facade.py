"""Engine.render: plan + controls -> a finished, mixed track, its stems, its score and its MIDI.

It reads as numbered steps (check inputs, decode controls, compose, synthesise, codec, mix, master),
reporting progress per stage and timing each. Optional stages (RAVE codec, fluidsynth voice) that
cannot run are skipped, and the result says why.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field

import knowledge_base
from engine import export
from engine.codec import RaveCodec, find_checkpoint
from engine.ddsp.drums import ShotCache
from engine.ddsp.textures import render_fx
from engine.exceptions import DeviceUnavailableError, EngineInputError, EngineKnowledgeError
from engine.inputs import parse_control_embedding, parse_parameters, parse_plan
from engine.mastering import CEILING_DBTP, TARGET_LUFS, master
from engine.memory import prefer_small_pages
from engine.mixer import Track as MixTrack
from engine.mixer import mix
from engine.score import Score, Track
from engine.stem_store import StemStore
from engine.structure.arrangement import compose, rng_for
from engine.structure.endings import LOOP_TAIL_S, master_fade_in_s, master_fade_s, wrap_tail
from engine.voices import VoiceContext, build_voice, describe_voice
from engine.voices.rave import RaveStage
from engine.voices.sampler import sampler_status
from knowledge_base import KnowledgeBase
from knowledge_base.layout import DecodedControls, decode
from knowledge_base.limits import MAX_SEED, MIN_SEED, duration_in_range, duration_message, seed_message

SPILL_BYTES = 1024 * 2**20  # stems beyond this much memory are kept in temporary files instead (a 3-min
# render at 44.1 kHz keeps its ~0.7 GB of stems in memory: ~0.8 s faster; peak RSS ~1.2 GB. Ten minutes spill)
LONG_RENDER_AHEAD = 2  # tracks a spilled (long) render holds between the start of their synthesis and their stem file
ProgressFn = Callable[[str, float], None]
Tracks = dict[str, tuple[str, MixTrack]]  # name -> (role, audio or the Future of it), as the mixer takes them
STAGES = ("structure", "synthesis", "codec", "mixer", "master")


# The only environment variables the engine reads, each setting one EngineConfig field (README: Engine).
ENV_VARS: dict[str, str] = {
    knowledge_base.KB_DIR_ENV: "knowledge_dir",  # SOUNDSTAR_KB_DIR, the same variable Aurora reads
    "SOUNDSTAR_RAVE_MODEL": "rave_model_path",
    "SOUNDSTAR_RAVE_STEMS": "rave_stems",
    "SOUNDSTAR_RAVE_BLEND": "rave_blend",
    "SOUNDSTAR_SAMPLER": "sampler",
    "SOUNDSTAR_SOUNDFONT": "soundfont_path",
}


class EngineConfig(BaseModel):
    """Engine settings; every field has a default so the engine runs with no configuration.

    Modules get paths from here as arguments and never read the environment themselves;
    ``from_env`` is the one place ``SOUNDSTAR_*`` variables are read (``Engine()`` calls it when
    no config is given). knowledge_dir None: the packaged knowledge_base/. rave_model_path None:
    the first export in checkpoints/. soundfont_path None: the usual Debian soundfonts.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    knowledge_dir: Path | None = None
    rave_model_path: Path | None = Field(default=None, description="RAVE TorchScript export (.ts)")
    rave_stems: tuple[str, ...] = ("lead",)
    rave_blend: float = Field(default=0.5, ge=0.0, le=1.0)
    sampler: Literal["auto", "off"] = Field(default="auto", description="fluidsynth voice for acoustic instruments")
    soundfont_path: Path | None = None
    target_lufs: float = TARGET_LUFS
    ceiling_dbtp: float = CEILING_DBTP
    huge_pages: bool = Field(default=False, description="leave numpy's transparent huge pages on (engine/memory.py)")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> EngineConfig:
        """The config ``env`` describes (see ENV_VARS); unset or empty variables keep the defaults.
        SOUNDSTAR_RAVE_STEMS is a comma-separated list. A bad value raises pydantic's ValidationError."""
        data: dict[str, object] = {}
        for variable, name in ENV_VARS.items():
            value = env.get(variable, "").strip()
            if value:
                data[name] = tuple(s.strip() for s in value.split(",") if s.strip()) if name == "rave_stems" else value
        return cls.model_validate(data)


@dataclass(frozen=True, slots=True)
class StageReport:
    name: str
    used: bool
    reason: str
    seconds: float


@dataclass(eq=False)
class RenderResult:
    """mix: float32 [channels, samples] at sample_rate; stems sum to premaster (before the master bus)."""

    mix: np.ndarray
    sample_rate: int
    stems: dict[str, np.ndarray]
    premaster: np.ndarray
    score: Score
    controls: DecodedControls
    device: str
    loudness_lufs: float
    true_peak_dbtp: float
    timings_s: dict[str, float] = field(default_factory=dict)
    stages: list[StageReport] = field(default_factory=list)
    voices: dict[str, str] = field(default_factory=dict)  # track name -> the voice that played it, in words

    @functools.cached_property
    def midi(self) -> bytes:
        """The score as a type-1 MIDI file (built on first access)."""
        return export.midi_bytes(self.score)

    @property
    def duration_s(self) -> float:
        return float(self.mix.shape[1] / self.sample_rate)

    def stage(self, name: str) -> StageReport:
        return next(s for s in self.stages if s.name == name)


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise DeviceUnavailableError(f"device {device!r} asked for, but no CUDA GPU is available")
    return torch.device(device)


@contextmanager
def _single_threaded_torch(device: torch.device) -> Iterator[None]:
    """On CPU, torch ops run single-threaded for the render (the engine parallelises across tracks)."""
    if device.type != "cpu":
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _abandon(store: StemStore, spill_dir: Path | None) -> None:
    """After a failed render: stop the stem writer and delete the stem files."""
    store.close()
    if spill_dir is not None:
        shutil.rmtree(spill_dir, ignore_errors=True)


def _finish(store: StemStore, spill_dir: Path | None) -> dict[str, np.ndarray]:
    """The complete stems (a failed write fails the render, and its files go)."""
    try:
        return store.finish()
    except BaseException:
        _abandon(store, spill_dir)
        raise


class Engine:
    """The Soundstar engine.
    ``Engine(device="auto").render(plan=..., parameters=..., control_embedding=..., duration_s=...)``."""

    def __init__(self, *, device: str = "auto", config: EngineConfig | None = None) -> None:
        self.device = resolve_device(device)
        self.config = config or EngineConfig.from_env()
        if not self.config.huge_pages:  # engine/memory.py: a fresh array's huge-page faults cost more than its use
            prefer_small_pages()
        self._codec: RaveCodec | None = None
        self._drum_shots: ShotCache = {}  # synthesised drum one-shots, reused across renders

    @property
    def knowledge(self) -> KnowledgeBase:
        """The shared knowledge base (cached per folder); its errors become EngineKnowledgeError."""
        try:
            return knowledge_base.load(self.config.knowledge_dir)
        except knowledge_base.KnowledgeBaseError as exc:
            raise EngineKnowledgeError(str(exc)) from exc

    def render(self, *, plan: object, parameters: object, control_embedding: Sequence[float] | np.ndarray,
               duration_s: float, sample_rate: int = export.DEFAULT_SAMPLE_RATE, seed: int = 0,
               channels: int = export.DEFAULT_CHANNELS, on_progress: ProgressFn | None = None) -> RenderResult:
        """Render one track from three of Aurora's outputs, each passed as its own argument.

        plan: aurora's ``StructuralPlan`` (``model_dump(mode="json", by_alias=True)``, or the model itself).
        parameters: aurora's ``ParsedMusicalParameters`` (its dump, or the model itself); the engine reads
            stated facts from it (instruments, exclusions, textures, chords, ...).
        control_embedding: the 640 floats of ``ControlEncoderParams.unified_control_embedding`` (a list,
            tuple or 1-d array), decoded per knowledge_base/control_embedding.yaml.
        duration_s: 5-600 s (``knowledge_base.limits``); sample_rate and channels: one of
            ``engine.export.SAMPLE_RATES`` / ``CHANNELS``. Bad input raises EngineInputError (ExportError
            for an unsupported sample rate), before any work is done.
        """
        progress = on_progress or (lambda _stage, _fraction: None)
        timings: dict[str, float] = {}
        stages: list[StageReport] = []

        # 1. check inputs, decode the control embedding
        t0 = time.perf_counter()
        if not duration_in_range(duration_s):  # also refuses text, bools and nan (one rule: knowledge_base.limits)
            raise EngineInputError(duration_message(duration_s))
        if isinstance(seed, bool) or not isinstance(seed, int) or not MIN_SEED <= seed <= MAX_SEED:
            raise EngineInputError(seed_message(seed))
        if channels not in export.CHANNELS:
            raise EngineInputError(f"channels must be one of {export.CHANNELS}, got {channels}")
        export.check_sample_rate(sample_rate)
        plan_in, params_in = parse_plan(plan), parse_parameters(parameters)
        kb = self.knowledge
        decoded = decode(kb, parse_control_embedding(control_embedding))
        n_samples = round(duration_s * sample_rate)

        # 2. structure: plan + controls -> score
        progress("structure", 0.0)
        score = compose(plan=plan_in, controls=decoded, params=params_in, kb=kb,
                        duration_s=duration_s, seed=seed)
        timings["structure"] = time.perf_counter() - t0
        stages.append(StageReport("structure", True, f"{len(score.tracks)} tracks, {len(score.sections)} sections",
                                  timings["structure"]))
        sung = [t.instrument_id for t in score.tracks if (inst := kb.find_instrument(t.instrument_id)) is not None
                and inst.family == "vocal"]
        if sung:  # no singing voice exists yet: say so instead of pretending
            stages.append(StageReport("vocals", False, f"{', '.join(sung)} rendered as an instrumental line "
                                      "(no singing voice yet)", 0.0))
        progress("structure", 1.0)

        # 3. synthesis: every track to mono audio (DDSP voices, synthesised drums, transition fx)
        t0 = time.perf_counter()
        soundfont, sampler_reason = sampler_status(self.config.soundfont_path)
        if self.config.sampler == "off":
            soundfont, sampler_reason = None, "turned off in the engine config"
        lineage = [g.id for g in kb.genre_lineage(score.genre_id)]
        voices: dict[str, str] = {}
        spill_dir = None
        if n_samples * 2 * (len(score.tracks) + 4) * 4 > SPILL_BYTES:  # long render: stems go to files
            spill_dir = Path(tempfile.mkdtemp(prefix="soundstar-stems-"))
        rave, rave_tracks, codec_reason = self._rave_stage(score)
        preset = kb.mix_presets.for_genres(lineage)
        # 3-5. each track is mixed as soon as its synthesis is done, while slower tracks still play (the channel
        # strips fill the cores the last tracks leave idle); a long render starts a track's synthesis only once
        # fewer than LONG_RENDER_AHEAD tracks wait between synthesis and the stem files (bounded memory)
        done_at: list[float] = []  # when each track's synthesis finished
        collected: list[str] = []
        store = StemStore(spill_dir)
        feed: list[Callable[[], None]] = []

        def on_track(name: str) -> None:  # on this thread, in track order, once a track is in the mix
            collected.append(name)
            progress("synthesis", len(collected) / len(score.tracks))
            if len(collected) == len(score.tracks):
                progress("mixer", 0.0)
            for start_next in feed:
                start_next()

        try:
            with _single_threaded_torch(self.device):
                mono, start_next = self._synthesise(
                    score, n_samples=n_samples, sample_rate=sample_rate, seed=seed, soundfont=soundfont,
                    lineage=tuple(lineage), voices=voices, rave=rave, rave_tracks=rave_tracks, done_at=done_at,
                    ahead=LONG_RENDER_AHEAD if spill_dir is not None else None, loop=plan_in.ending == "loop")
                feed.append(start_next)
                fx = render_fx(score.fx, n_samples=n_samples, sample_rate=sample_rate, seed=seed) \
                    if score.fx else None
                synthesis_end = time.perf_counter()
                if not score.tracks:
                    progress("mixer", 0.0)
                stems, premaster = mix(tracks=mono, score=score, preset=preset, sample_rate=sample_rate, seed=seed,
                                       fx=fx, n_samples=n_samples, on_track=on_track, store=store)
            del mono, fx
        except BaseException:
            _abandon(store, spill_dir)
            raise
        synthesis_end = max([synthesis_end, *done_at])
        timings["codec"] = rave.seconds if rave is not None else 0.0  # spent inside the RAVE voices
        timings["synthesis"] = synthesis_end - t0 - timings["codec"]
        stages.append(StageReport("synthesis", True, f"DDSP on {self.device.type}", timings["synthesis"]))
        sampled = sorted({v.split(" ")[1].split(":")[0] for v in voices.values() if v.startswith("sampl")})
        if soundfont is not None:
            sampler_reason = f"fluidsynth with {', '.join(sampled)}" if sampled else \
                f"{soundfont.name} available; no track needed it"
        stages.append(StageReport("sampler", soundfont is not None, sampler_reason, 0.0))

        # 4. codec: RAVE timbre transfer ran inside the configured stems' voices (engine/voices/rave.py)
        stages.append(StageReport("codec", rave is not None, codec_reason, timings["codec"]))

        # 5. mixer: stems and the pre-master sum (the time after the last track's synthesis)
        t0 = synthesis_end
        if channels == 1:
            stems = {k: v.mean(axis=0, keepdims=True) for k, v in _finish(store, spill_dir).items()}
            premaster = premaster.mean(axis=0, keepdims=True)
        timings["mixer"] = time.perf_counter() - t0
        stages.append(StageReport("mixer", True, f"preset {preset.id}", timings["mixer"]))
        progress("mixer", 1.0)

        # 6. master: bus compression, fades, -14 LUFS, true-peak limit
        t0 = time.perf_counter()
        progress("master", 0.0)
        fade_out_s = master_fade_s(plan_in.ending, score.sections, duration_s)  # rings, fades out, or stops cold
        try:
            mixed, report = master(premaster, sample_rate, preset.master, fade_out_s=fade_out_s,
                                   fade_in_s=master_fade_in_s(plan_in.fade_in, score.sections, duration_s,
                                                              loop=plan_in.ending == "loop"),
                                   target_lufs=self.config.target_lufs, ceiling_dbtp=self.config.ceiling_dbtp)
        except BaseException:
            _abandon(store, spill_dir)
            raise
        timings["master"] = time.perf_counter() - t0
        stages.append(StageReport("master", True, f"{report.loudness_lufs:.1f} LUFS, "
                                  f"{report.true_peak_dbtp:.1f} dBTP", timings["master"]))
        progress("master", 1.0)
        if channels != 1:  # a long render's last stems were written to their files while the master ran
            t0 = time.perf_counter()
            stems = _finish(store, spill_dir)
            timings["mixer"] += time.perf_counter() - t0
        timings["total"] = sum(timings.values())
        result = RenderResult(mix=mixed, sample_rate=sample_rate, stems=stems, premaster=premaster, score=score,
                            controls=decoded, device=self.device.type,
                            loudness_lufs=report.loudness_lufs, true_peak_dbtp=report.true_peak_dbtp,
                            timings_s=timings, stages=stages, voices=voices)
        if spill_dir is not None:  # the stem files live as long as the result that maps them
            weakref.finalize(result, shutil.rmtree, spill_dir, True)
        return result

    def _synthesise(self, score: Score, *, n_samples: int, sample_rate: int, seed: int, soundfont: Path | None,
                    lineage: tuple[str, ...] = (), voices: dict[str, str] | None = None,
                    rave: RaveStage | None = None, rave_tracks: tuple[str, ...] = (),
                    done_at: list[float] | None = None, ahead: int | None = None,
                    loop: bool = False) -> tuple[Tracks, Callable[[], None]]:
        """Every track as a Future the mixer waits on, in track order, and the call that starts the next one.

        Tracks are independent, so on CPU they render on parallel threads, each running torch single-threaded
        (torch's own intra-op threads stall badly when cores are shared). ``voices`` gets, per track, the voice that
        played it in words; ``done_at`` the time each track finished. ``ahead`` None: every track starts at once.
        Else only the first ``ahead`` (at least 2: the mixer's strips wait on two tracks at a time), and each call of
        the returned function starts one more: the mixer calls it once a track is in the mix, so a long render holds
        at most ``ahead`` tracks' audio (ten stereo tracks of ten minutes would be 2 GB). A track that fails
        fails its Future; the mixer raises it. ``loop``: a seamless loop's notes ring on past its end into its start
        (endings.wrap_tail)."""
        context = VoiceContext(kb=self.knowledge, device=self.device, tonic_pc=score.key_tonic_pc,
                               soundfont=soundfont, drum_shots=self._drum_shots, genre_lineage=lineage,
                               sample_rate=sample_rate, rave=rave, rave_tracks=rave_tracks)
        report = {} if voices is None else voices
        for track in score.tracks:  # in track order, before the threads start
            report[track.name] = describe_voice(track, context)

        def one(track: Track) -> np.ndarray:
            track_seed = int(rng_for(seed, "synth:" + track.name).integers(0, 2**31 - 1))
            voice = build_voice(track, context)  # engine/voices/registry.py: kit, sampled kit, sampler or DDSP
            if loop:
                tail = round(LOOP_TAIL_S * sample_rate)
                audio = voice.render(track, n_samples=n_samples + tail, sample_rate=sample_rate, seed=track_seed)
                return wrap_tail(audio, n_samples)
            return voice.render(track, n_samples=n_samples, sample_rate=sample_rate, seed=track_seed)

        workers = 1 if self.device.type == "cuda" else max(1, min(len(score.tracks), os.cpu_count() or 1, 4))
        finished = [] if done_at is None else done_at
        futures: list[Future[np.ndarray]] = [Future() for _ in score.tracks]
        waiting = deque(zip(futures, score.tracks, strict=True))  # not started yet (only the mixer keeps the rest:
        # a finished track's audio is freed once its stem is made)
        pool = ThreadPoolExecutor(max_workers=workers)
        lock = threading.Lock()

        def run(future: Future[np.ndarray], track: Track) -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                audio = one(track)
            except BaseException as exc:  # the mixer raises it where it waits for this track
                future.set_exception(exc)
            else:
                future.set_result(audio)
                del audio
            del future
            finished.append(time.perf_counter())

        def start_next() -> None:
            with lock:
                if not waiting:
                    return
                future, track = waiting.popleft()
                pool.submit(run, future, track)
                del future
                if not waiting:
                    pool.shutdown(wait=False)  # the submitted tracks still render; the mixer waits on each

        for _ in range(len(futures) if ahead is None else min(max(ahead, 2), len(futures))):
            start_next()
        if not futures:
            pool.shutdown(wait=False)
        tracks: Tracks = {track.name: (track.role, future) for track, future in zip(score.tracks, futures, strict=True)}
        futures.clear()
        return tracks, start_next

    def _rave_stage(self, score: Score) -> tuple[RaveStage | None, tuple[str, ...], str]:
        """The RAVE export and the tracks it re-synthesises in this render, or None and the reason why not."""
        path = find_checkpoint(self.config.rave_model_path)
        if path is None:
            return None, (), "no RAVE export configured or found in checkpoints/"
        if self._codec is None or self._codec.path != path:
            self._codec = RaveCodec.load(path, device=self.device)
        names = {track.name for track in score.tracks}
        targets = tuple(name for name in self.config.rave_stems if name in names)
        if not targets:
            return None, (), f"none of the configured stems {list(self.config.rave_stems)} is in this arrangement"
        return RaveStage(self._codec, self.config.rave_blend), targets, f"{path.name} on {', '.join(targets)}"
