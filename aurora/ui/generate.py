"""The Generate tab: text -> audio, MIDI and stems, with a piano roll, energy curve and stage timings.

One `Generator` per app holds the Aurora instance and the engine, which is created on the first
Generate (never at import or when the UI is built). Files go to a fresh folder per request under
the system temp directory (Gradio copies what it serves from there into its own cache); folders
older than `KEEP_S` are removed on later requests. Aurora's and the engine's errors become
`gr.Error` messages with their code, never a traceback.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import random
import re
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from matplotlib.figure import Figure

from aurora.ui import format as fmt
from aurora.ui.plots import energy_curve, loudness_envelope, piano_roll_figure
from aurora.ui.studio import check_level, user_errors
from aurora.ui.zerogpu import on_gpu
from aurora.validation import check_optional_duration, check_seed
from engine.export import DEFAULT_FORMAT, DEFAULT_SAMPLE_RATE
from knowledge_base.limits import DEFAULT_ENHANCEMENT_LEVEL

if TYPE_CHECKING:
    from aurora import Aurora
    from aurora.generation import Generation
    from aurora.ui.library import Library
    from engine import Engine

OUTPUT_ROOT = Path(tempfile.gettempdir()) / "soundstar-studio"
KEEP_S = 3600.0
SEED_MAX = 2**31 - 1
# Where each stage's progress sits on the overall bar (synthesis takes most of the time).
STAGE_SPANS: dict[str, tuple[float, float]] = {
    "aurora": (0.0, 0.08), "structure": (0.08, 0.15), "synthesis": (0.15, 0.75), "codec": (0.75, 0.8),
    "mixer": (0.8, 0.87), "master": (0.87, 0.94), "encode": (0.94, 0.97), "files": (0.97, 1.0),
}
Rows = list[list[str]]
GenerateView = tuple[str, list[str], str, str, Figure, Figure, Rows, dict[str, Any]]
ProgressFn = Callable[[str, float], None]


@contextmanager
def generation_errors() -> Iterator[None]:
    """`user_errors` for Aurora, plus the engine's errors (imported here: no torch at app import)."""
    from engine import EngineError, EngineInputError

    try:
        with user_errors():
            yield
    except EngineInputError as exc:
        raise gr.Error(f"{exc.message} ({exc.code})", title="Check your settings",
                       print_exception=False) from exc
    except EngineError as exc:
        raise gr.Error(f"{exc.message} ({exc.code})", title="The engine could not finish") from exc


def stage_progress(progress: Callable[..., Any]) -> ProgressFn:
    """Adapt generate()'s (stage, fraction) reports to one overall bar that names the stage and never
    moves back; a stage not in STAGE_SPANS (the engine may grow one) is named where the bar stands."""
    names = list(STAGE_SPANS)
    reached = 0.0

    def report(stage: str, fraction: float) -> None:
        nonlocal reached
        fraction = max(0.0, min(1.0, fraction))
        label = f"{stage} {fraction:.0%}"
        if stage in STAGE_SPANS:
            low, high = STAGE_SPANS[stage]
            reached = max(reached, low + (high - low) * fraction)
            label = f"{names.index(stage) + 1}/{len(names)} · {label}"
        progress(reached, desc=label)

    return report


def file_stem(prompt: str, seed: int) -> str:
    """'soundstar-a-melancholic-lo-fi-beat-seed7': readable, safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-")[:40].rstrip("-")
    return f"soundstar-{slug or 'track'}-seed{seed}"


def new_output_folder(root: Path = OUTPUT_ROOT, keep_s: float = KEEP_S) -> Path:
    """A fresh folder for one request; removes this app's folders older than keep_s."""
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - keep_s
    for old in root.iterdir():
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # another process removed it first
    return Path(tempfile.mkdtemp(prefix="gen-", dir=root))


def write_outputs(generation: "Generation", folder: Path, stem: str) -> tuple[Path, Path, Path]:
    """The encoded audio, the score as MIDI, and the stems as a zip of WAVs (one stem in memory at a time)."""
    from engine import export

    audio = folder / f"{stem}.{generation.audio_format}"
    audio.write_bytes(generation.audio_bytes)
    midi = folder / f"{stem}.mid"
    midi.write_bytes(generation.midi_bytes)
    stems = folder / f"{stem}-stems.zip"
    render = generation.render
    with zipfile.ZipFile(stems, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in render.stems.items():
            zf.writestr(f"{name}.wav", export.encode_audio(data, sample_rate=render.sample_rate, fmt="wav"))
    return audio, midi, stems


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

    def __init__(self, aurora: "Aurora", engine: "Engine | None" = None, library: "Library | None" = None) -> None:
        self._aurora = aurora
        self._engine = engine
        self._library = library  # each finished track stored for the browser's user (inside the studio server)
        self._lock = threading.Lock()
        # the render: inside spaces.GPU on a ZeroGPU Space (a GPU is attached only while it runs)
        self._render = on_gpu(self._render_files)

    @property
    def engine(self) -> "Engine":
        """The engine, created on first use (loads torch; picks CUDA when present)."""
        with self._lock:
            if self._engine is None:
                from engine import Engine

                self._engine = Engine()
            return self._engine

    def run(
        self, prompt: str, duration_s: object, audio_format: object, sample_rate: object, seed: object, level: str,
        on_progress: ProgressFn | None = None,
    ) -> tuple["Generation", tuple[Path, Path, Path], dict[str, Any]]:
        """Generate and write the files; errors come out as gr.Error with their code."""
        check_level(level)
        return self._render(prompt, duration_s, audio_format, sample_rate, seed, level, on_progress)

    def _render_files(
        self, prompt: str, duration_s: object, audio_format: object, sample_rate: object, seed: object, level: str,
        on_progress: ProgressFn | None = None,
    ) -> tuple["Generation", tuple[Path, Path, Path], dict[str, Any]]:
        from aurora.generation import generate

        report = on_progress or (lambda _stage, _fraction: None)
        with generation_errors():  # every setting checked (coded errors) before any render
            duration, seed = check_optional_duration(duration_s), check_seed(seed)
            # format and rate: generate() checks them against engine.export (ENGINE_INPUT_INVALID) before any work
            rate = int(sample_rate) if isinstance(sample_rate, float) and sample_rate.is_integer() else sample_rate
            generation = generate(
                aurora=self._aurora, engine=self.engine, prompt=prompt, duration_s=duration,
                sample_rate=rate, audio_format=audio_format, seed=seed,  # type: ignore[arg-type]
                enhancement_level=level, on_progress=report,
            )
            report("files", 0.0)
            files = write_outputs(generation, new_output_folder(), file_stem(prompt, seed))
            report("files", 1.0)
        return generation, files, summary(generation, prompt=prompt, seed=seed)

    # ------------------------------------------------------------------ API endpoint
    def generate(
        self, prompt: str, duration_s: float | None = None, audio_format: str = DEFAULT_FORMAT,
        sample_rate: int = DEFAULT_SAMPLE_RATE, seed: int = 0, enhancement_level: str = DEFAULT_ENHANCEMENT_LEVEL,
    ) -> tuple[str, dict[str, Any]]:
        """Text to a finished track: the audio file and a JSON summary (parameters, sections, stage timings)."""
        _, (audio, _, _), info = self.run(prompt, duration_s, audio_format, sample_rate, seed or 0,
                                          enhancement_level)
        return str(audio), info

    # ------------------------------------------------------------------ panel callback
    def generate_view(
        self, prompt: str, duration_s: float, audio_format: str, sample_rate: int, seed: float | None,
        level: str, progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio injects it by this default)
        request: gr.Request | None = None,
    ) -> GenerateView:
        if self._library is not None:
            self._library.forget(request)
        generation, files, info = self.run(prompt, duration_s, audio_format, sample_rate, seed or 0, level,
                                           on_progress=stage_progress(progress))
        if self._library is not None:
            self._library.record(request, generation, prompt=prompt, seed=int(info["seed"]), level=level)
        render, semantic = generation.render, generation.semantic
        spans = [(s.name, s.start_s, s.duration_s, s.energy) for s in render.score.sections]
        energy = energy_curve(spans, envelope=loudness_envelope(render.mix, render.sample_rate),
                              end_s=render.duration_s)
        notes = fmt.notes_markdown([*semantic.warnings, *semantic.plan.warnings], semantic.clean_prompt.notes,
                                   language=semantic.clean_prompt.language)
        return (str(files[0]), [str(f) for f in files], fmt.generation_summary(generation), notes,
                piano_roll_figure(render.score, duration_s=render.duration_s), energy,
                fmt.stage_rows(generation), info)

    @staticmethod
    def cleared_view() -> tuple[None, None, str, str, None, None, Rows, dict[str, Any]]:
        """The Generate panel emptied: after a failed run no earlier track stays under the new prompt."""
        return None, None, "", "", None, None, [], {}

    @staticmethod
    def new_seed() -> int:
        return random.randint(0, SEED_MAX)
