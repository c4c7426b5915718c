"""The Generate tab: text -> audio, MIDI, stems and plan, with a piano roll, energy curve and stage timings.

One `Generator` per app holds the Aurora instance and the engine, which is created on the first
Generate (never at import or when the UI is built). Files are written once, into the studio's data folder
(`aurora.store.FileStore`): the browser user's generations where the store keeps them (their history), the
rest under ``files/0/`` (pruned after `KEEP_S`). Gradio serves them from there (a static path), without copying
them into its cache. Aurora's and the engine's errors become `gr.Error` messages with their code, never a
traceback; Cancel stops a render at the engine's next progress report.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from matplotlib.figure import Figure

from aurora.store.files import FileStore
from aurora.ui import format as fmt
from aurora.ui.plots import (
    embedding_figure,
    energy_curve,
    figure_width_in,
    loudness_envelope,
    piano_roll_figure,
)
from aurora.ui.studio import check_level, user_errors
from aurora.ui.zerogpu import on_gpu
from aurora.validation import check_optional_duration, check_seed
from engine.export import DEFAULT_FORMAT, DEFAULT_SAMPLE_RATE
from knowledge_base.limits import DEFAULT_ENHANCEMENT_LEVEL

if TYPE_CHECKING:
    from aurora import Aurora
    from aurora.contracts import ProcessResult
    from aurora.generation import Generation
    from aurora.server import StudioService
    from aurora.store.records import UserRecord
    from aurora.ui.library import Library
    from engine import Engine

DATA_ROOT = Path(tempfile.gettempdir()) / "soundstar-studio"
"""The data folder when the app runs without the studio server (SOUNDSTAR_DATA_DIR overrides it)."""
SCRATCH_USER = 0
"""Files of generations no user owns (no server, no cookie, the API) live under files/0/; users start at 1."""
KEEP_S = 3600.0
SEED_MAX = 2**31 - 1
# Where each stage's progress sits on the overall bar, by measured share of a render's time (a 60 s track on CPU:
# synthesis ~3.2 s, mixer ~3.1 s, master ~1.0 s), so the bar does not sit near the end while the mixer works.
STAGE_SPANS: dict[str, tuple[float, float]] = {
    "aurora": (0.0, 0.08), "structure": (0.08, 0.12), "synthesis": (0.12, 0.5), "codec": (0.5, 0.55),
    "mixer": (0.55, 0.85), "master": (0.85, 0.95), "encode": (0.95, 0.97), "files": (0.97, 1.0),
}
STAGE_LABELS = {"aurora": "Understanding the prompt", "structure": "Writing the score",
                "synthesis": "Playing the parts", "codec": "Re-synthesis",
                "mixer": "Mixing", "master": "Mastering", "encode": "Encoding",
                "files": "Saving the files"}
Rows = list[list[str]]
GenerateView = tuple[str, list[str], str, str, Figure, Figure, str, Rows, Figure | None, dict[str, Any]]
ProgressFn = Callable[[str, float], None]


class RenderCancelledError(Exception):
    """The user pressed Cancel: the render stops at the engine's next progress report."""


@contextmanager
def generation_errors() -> Iterator[None]:
    """`user_errors` for Aurora, plus the engine's errors (imported here: no torch at app import)."""
    from engine import EngineError, EngineInputError

    try:
        with user_errors():
            yield
    except RenderCancelledError as exc:
        raise gr.Error("The render was cancelled.", title="Cancelled", print_exception=False) from exc
    except EngineInputError as exc:
        raise gr.Error(f"{exc.message} ({exc.code})", title="Check your settings",
                       print_exception=False) from exc
    except EngineError as exc:
        raise gr.Error(f"{exc.message} ({exc.code})", title="The engine could not finish") from exc


def stage_progress(progress: Callable[..., Any], cancelled: threading.Event | None = None) -> ProgressFn:
    """Adapt generate()'s (stage, fraction) reports to one overall bar that names the stage and never
    moves back ("Playing the parts · step 3 of 8"); a stage not in STAGE_SPANS (the engine may grow one) is named
    where the bar stands. When ``cancelled`` is set, the next report raises RenderCancelledError."""
    names = list(STAGE_SPANS)
    reached = 0.0

    def report(stage: str, fraction: float) -> None:
        nonlocal reached
        if cancelled is not None and cancelled.is_set():
            raise RenderCancelledError(stage)
        fraction = max(0.0, min(1.0, fraction))
        label = STAGE_LABELS.get(stage, stage.replace("_", " ").capitalize())
        if stage in STAGE_SPANS:
            low, high = STAGE_SPANS[stage]
            reached = max(reached, low + (high - low) * fraction)
            label = f"{label} · step {names.index(stage) + 1} of {len(names)}"
        progress(reached, desc=label)

    return report


def file_stem(prompt: str, seed: int) -> str:
    """'soundstar-a-melancholic-lo-fi-beat-seed7': readable, safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-")[:40].rstrip("-")
    return f"soundstar-{slug or 'track'}-seed{seed}"


def default_files() -> FileStore:
    return FileStore(os.environ.get("SOUNDSTAR_DATA_DIR") or DATA_ROOT)


def prune_scratch(files: FileStore, keep_s: float = KEEP_S) -> None:
    """Remove unowned generations' folders older than keep_s (owned ones follow the store's retention)."""
    root = files.root / "files" / str(SCRATCH_USER)
    if not root.is_dir():
        return
    cutoff = time.time() - keep_s
    for old in root.iterdir():
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # another process removed it first


@dataclass(frozen=True)
class Outputs:
    """One generation's files, each written once in the data folder."""

    audio: Path
    midi: Path | None
    stems: Path | None
    plan: Path
    result_id: str | None = None
    session_id: str | None = None

    def downloads(self) -> list[str]:
        return [str(p) for p in (self.audio, self.midi, self.stems, self.plan) if p is not None]

    def __iter__(self) -> Iterator[Path | None]:
        """Unpacks as (audio, midi, stems), the tuple `Generator.run` returned before the plan JSON was added."""
        return iter((self.audio, self.midi, self.stems))


def plan_document(generation: "Generation") -> dict[str, Any]:
    """The plan JSON offered for download: the structural plan and the parameters that were rendered."""
    semantic = generation.semantic
    return {"prompt": semantic.original_prompt,
            "structural_plan": semantic.plan.structural_plan.model_dump(mode="json", by_alias=True),
            "parsed_parameters": semantic.parse.parsed_parameters.model_dump(mode="json", by_alias=True)}


def store_generation(service: "StudioService", user: "UserRecord", generation: "Generation", *, prompt: str,
                     seed: int, level: str, stems: bool = True) -> Outputs:
    """Store a finished generation for ``user`` (a generation row, its files written once in the data folder) and
    write its plan.json beside them: the one path for the Generate button and the /generate endpoint."""
    from aurora.server.schemas import GenerateBody, GenerateOptions

    render = generation.render
    body = GenerateBody(prompt=prompt, options=GenerateOptions(
        duration_seconds=round(render.duration_s, 3), output_format=generation.audio_format,
        sample_rate=render.sample_rate, seed=seed, enhancement_level=level,  # type: ignore[arg-type]
        stems=stems))
    result = service.record_ui_generation(user, body, generation)
    paths = {kind: service.files.resolve(service.store.result_file(user_id=user.id, result_id=result.id, kind=kind))
             for kind in ("audio", "midi", "stems")}
    audio = paths["audio"]
    if audio is None:
        raise FileNotFoundError(f"result {result.id} has no audio file")
    return Outputs(audio=audio, midi=paths["midi"], stems=paths["stems"], plan=write_plan(generation, audio.parent),
                   result_id=result.id, session_id=result.session_id)


def write_scratch(generation: "Generation", files: FileStore) -> Outputs:
    """Files of a generation no user owns, in a fresh folder under files/0/."""
    prune_scratch(files)
    stored = files.write_generation(generation, user_id=SCRATCH_USER, session_id=uuid.uuid4().hex)
    audio = files.resolve(stored.audio_path)
    assert audio is not None  # just written
    return Outputs(audio=audio, midi=files.resolve(stored.midi_path), stems=files.resolve(stored.stems_path),
                   plan=write_plan(generation, audio.parent))


def write_plan(generation: "Generation", folder: Path) -> Path:
    path = folder / "plan.json"
    path.write_text(json.dumps(plan_document(generation), indent=1), encoding="utf-8")
    return path


def summary(generation: "Generation", *, prompt: str, seed: int) -> dict[str, Any]:
    """JSON-ready account of the track: what was asked, what was rendered, and how long each stage took."""
    render, semantic = generation.render, generation.semantic
    score = render.score
    return {
        "prompt": prompt,
        "enhanced_prompt": semantic.enhance.enhanced_prompt,
        "genre": semantic.parse.parsed_parameters.genre.value,
        "tempo_bpm": round(float(score.tempo_bpm), 2),
        "key": fmt.rendered_key(generation),
        "time_signature": score.time_signature,
        "duration_s": round(render.duration_s, 3),
        "sample_rate": render.sample_rate,
        "channels": int(render.mix.shape[0]),
        "audio_format": generation.audio_format,
        "seed": seed,
        "sections": [{"name": s.name, "start_s": round(s.start_s, 3), "duration_s": round(s.duration_s, 3),
                      "energy": round(float(s.energy), 3)} for s in score.sections],
        "tracks": [{"name": t.name, "role": t.role, "instrument": t.instrument_id, "notes": len(t.notes)}
                   for t in score.tracks],
        "warnings": list(dict.fromkeys([*semantic.warnings, *semantic.plan.warnings])),
        "generation_metadata": generation.metadata.model_dump(mode="json"),
    }


class Generator:
    """Generate callbacks for one Aurora instance and one (lazily created) engine."""

    def __init__(self, aurora: "Aurora", engine: "Engine | None" = None, library: "Library | None" = None,
                 files: FileStore | None = None) -> None:
        self._aurora = aurora
        self._engine = engine
        self._library = library  # each finished track stored for the browser's user (inside the studio server)
        self.files = files or (library.files if library is not None else default_files())
        self._lock = threading.Lock()
        self._cancel: dict[str, threading.Event] = {}  # browser tab -> its render's cancel flag
        # the render: inside spaces.GPU on a ZeroGPU Space (a GPU is attached only while it runs)
        self._render = on_gpu(self._render_track)

    @property
    def engine(self) -> "Engine":
        """The engine, created on first use (loads torch; picks CUDA when present)."""
        with self._lock:
            if self._engine is None:
                from engine import Engine

                self._engine = Engine()
            return self._engine

    def render(
        self, prompt: str, duration_s: object, audio_format: object, sample_rate: object, seed: object, level: str,
        on_progress: ProgressFn | None = None, semantic: "ProcessResult | None" = None,
    ) -> "Generation":
        """Check the settings (coded gr.Error), then render; with ``semantic`` exactly that plan is rendered."""
        check_level(level)
        return self._render(prompt, duration_s, audio_format, sample_rate, seed, level, on_progress, semantic)

    def run(
        self, prompt: str, duration_s: object, audio_format: object, sample_rate: object, seed: object, level: str,
        on_progress: ProgressFn | None = None, semantic: "ProcessResult | None" = None,
    ) -> tuple["Generation", Outputs, dict[str, Any]]:
        """Generate and write the files once (in the data folder, owned by no user); errors are gr.Error."""
        generation = self.render(prompt, duration_s, audio_format, sample_rate, seed, level, on_progress, semantic)
        seed_used = check_seed(seed or 0)  # valid: the render checked it
        return generation, write_scratch(generation, self.files), summary(generation, prompt=prompt, seed=seed_used)

    def _render_track(
        self, prompt: str, duration_s: object, audio_format: object, sample_rate: object, seed: object, level: str,
        on_progress: ProgressFn | None = None, semantic: "ProcessResult | None" = None,
    ) -> "Generation":
        from aurora.generation import generate

        report = on_progress or (lambda _stage, _fraction: None)
        with generation_errors():  # every setting checked (coded errors) before any render
            duration, seed = check_optional_duration(duration_s), check_seed(seed)
            # format and rate: generate() checks them against engine.export (ENGINE_INPUT_INVALID) before any work
            rate = int(sample_rate) if isinstance(sample_rate, float) and sample_rate.is_integer() else sample_rate
            if isinstance(rate, str) and rate.isdigit():
                rate = int(rate)
            return generate(
                aurora=self._aurora, engine=self.engine, prompt=prompt, duration_s=duration,
                sample_rate=rate, audio_format=audio_format, seed=seed,  # type: ignore[arg-type]
                enhancement_level=level, on_progress=report, semantic=semantic,
            )

    # ------------------------------------------------------------------ API endpoint
    def generate(
        self, prompt: str, duration_s: float | None = None, audio_format: str = DEFAULT_FORMAT,
        sample_rate: int = DEFAULT_SAMPLE_RATE, seed: int = 0, enhancement_level: str = DEFAULT_ENHANCEMENT_LEVEL,
    ) -> tuple[str, dict[str, Any]]:
        """Text to a finished track: the audio file and a JSON summary (parameters, sections, stage timings)."""
        _, files, info = self.run(prompt, duration_s, audio_format, sample_rate, seed or 0, enhancement_level)
        return str(files.audio), info

    # ------------------------------------------------------------------ panel callbacks
    def _tab(self, request: gr.Request | None) -> str:
        return str(getattr(request, "session_hash", None) or "")

    def cancel(self, request: gr.Request | None = None) -> None:
        """Cancel this browser tab's render (it stops at the engine's next progress report)."""
        with self._lock:
            flag = self._cancel.get(self._tab(request))
        if flag is not None:
            flag.set()

    def _write(self, generation: "Generation", request: gr.Request | None, *, prompt: str, seed: int,
               level: str, report: ProgressFn) -> Outputs:
        """The files, once: stored for the browser's user (their history) when there is one, else unowned."""
        report("files", 0.0)
        outputs = None
        if self._library is not None:
            outputs = self._library.record(request, generation, prompt=prompt, seed=seed, level=level)
        if outputs is None:
            outputs = write_scratch(generation, self.files)
        report("files", 1.0)
        return outputs

    def generate_view(
        self, prompt: str, duration_s: float, audio_format: str, sample_rate: int, seed: float | None,
        level: str, refined: dict[str, Any] | None = None, viewport_px: float | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio injects it by this default)
        request: gr.Request | None = None,
    ) -> GenerateView:
        """The whole Generate call; the real-time factor shown is audio seconds over this call's wall seconds.
        With ``refined`` (a ProcessResult's JSON: the parameters and plan the user refined), exactly that is rendered.
        The plots are drawn for the browser's ``viewport_px`` width (narrow on a phone).
        (Annotations here are live types: Gradio reads them to pass the request and the progress bar.)"""
        from aurora.contracts import ProcessResult

        started = time.perf_counter()
        semantic = ProcessResult.model_validate(refined) if refined else None
        tab = self._tab(request)
        flag = threading.Event()
        with self._lock:
            self._cancel[tab] = flag
        if self._library is not None:
            self._library.forget(request)
        try:
            report = stage_progress(progress, flag)
            generation = self.render(prompt, duration_s, audio_format, sample_rate, seed or 0, level,
                                     on_progress=report, semantic=semantic)
            seed_used = int(seed or 0)
            with generation_errors():
                outputs = self._write(generation, request, prompt=prompt, seed=seed_used, level=level, report=report)
        finally:
            with self._lock:
                if self._cancel.get(tab) is flag:
                    del self._cancel[tab]
        render, semantic_used = generation.render, generation.semantic
        spans = [(s.name, s.start_s, s.duration_s, s.energy) for s in render.score.sections]
        width_in = figure_width_in(viewport_px)
        energy = energy_curve(spans, envelope=loudness_envelope(render.mix, render.sample_rate),
                              end_s=render.duration_s, width_in=width_in)
        notes = fmt.notes_markdown([*semantic_used.warnings, *semantic_used.plan.warnings],
                                   semantic_used.clean_prompt.notes, language=semantic_used.clean_prompt.language)
        control = semantic_used.parse.control_encoder_params
        info = summary(generation, prompt=prompt, seed=seed_used)
        roll = piano_roll_figure(render.score, duration_s=render.duration_s, width_in=width_in)
        wall_s = time.perf_counter() - started
        info["wall_time_s"] = round(wall_s, 3)
        info["realtime_factor"] = round(render.duration_s / wall_s, 2) if wall_s > 0 else None
        return (str(outputs.audio), outputs.downloads(), fmt.generation_summary(generation, wall_s=wall_s), notes,
                roll, energy, fmt.generation_details(generation), fmt.stage_rows(generation),
                embedding_figure(control, width_in=width_in) if control is not None else None, info)

    @staticmethod
    def cleared_view() -> tuple[None, None, str, str, None, None, str, Rows, None, dict[str, Any]]:
        """The Generate panel emptied: after a failed run no earlier track stays under the new prompt."""
        return None, None, "", "", None, None, "", [], None, {}

    @staticmethod
    def new_seed() -> int:
        return random.randint(0, SEED_MAX)
