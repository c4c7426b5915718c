"""Examples that play at once: a few prompts with their settings, each rendered once into the data folder
(``files/examples/<key>/track.wav``) at the first launch (in the background) or by ``make demo``, and served
from there. Clicking one fills the prompt and the settings and puts its track in the player straight away.

The renders are made here, never committed: `python -m aurora.ui.examples` renders the missing ones into
SOUNDSTAR_DATA_DIR (default ./data, as the server's), which is what `make demo` runs.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import gradio as gr

if TYPE_CHECKING:
    from aurora.store.files import FileStore
    from aurora.ui.generate import Generator

log = logging.getLogger(__name__)


class Example(NamedTuple):
    """A row of the examples table: the prompt, then the settings in the panel's order."""

    prompt: str
    duration_s: float
    seed: int
    level: str
    audio_format: str
    sample_rate: int
    label: str

    @property
    def key(self) -> str:
        text = "|".join(str(v) for v in self[:6])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def row(self) -> list[Any]:
        return list(self[:6])


EXAMPLES = [
    Example("a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle", 12, 7, "moderate",
            "wav", 44100, "Lo-fi, D minor"),
    Example("uplifting progressive house, 126 bpm, big build and drop, supersaw leads", 15, 3, "moderate", "wav",
            44100, "Progressive house"),
    Example("a slow jazz waltz in Bb major with upright bass, brushes and a muted trumpet", 12, 11, "moderate",
            "wav", 44100, "Jazz waltz"),
    Example("dark cinematic score in C# minor, strings ostinato and taiko drums, no vocals", 15, 5, "moderate",
            "wav", 44100, "Cinematic"),
    Example("upbeat funk groove with slap bass and horn stabs like Vulfpeck, ii-V-I in F", 12, 2, "moderate", "wav",
            44100, "Funk"),
]


class ExampleShelf:
    """The cached renders of EXAMPLES in one data folder."""

    def __init__(self, files: "FileStore", examples: list[Example] | None = None) -> None:
        self.files = files
        self.examples = list(EXAMPLES if examples is None else examples)
        self._lock = threading.Lock()

    def path(self, example: Example) -> Path:
        return self.files.root / "files" / "examples" / example.key / f"track.{example.audio_format}"

    def missing(self) -> list[Example]:
        return [e for e in self.examples if not self.path(e).is_file()]

    def render(self, generator: "Generator", example: Example) -> Path:
        """Render one example and write its track (atomically: a half-written file is never served)."""
        path = self.path(example)
        with self._lock:
            if path.is_file():
                return path
            generation = generator.render(example.prompt, example.duration_s, example.audio_format,
                                          example.sample_rate, example.seed, example.level)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_bytes(generation.audio_bytes)
            partial.replace(path)
        return path

    def render_missing(self, generator: "Generator") -> list[Path]:
        return [self.render(generator, e) for e in self.missing()]

    def warm_in_background(self, generator: "Generator") -> threading.Thread | None:
        """At the first launch: render the missing examples in a background thread (the app serves meanwhile)."""
        if not self.missing():
            return None

        def work() -> None:
            try:
                self.render_missing(generator)
            except Exception:  # an example that cannot render is rendered on its first click instead
                log.exception("could not render the examples")

        thread = threading.Thread(target=work, name="soundstar-examples", daemon=True)
        thread.start()
        return thread

    def labels(self) -> list[str]:
        return [e.label for e in self.examples]

    def rows(self) -> list[list[Any]]:
        return [e.row() for e in self.examples]

    def find(self, prompt: str, duration_s: object, seed: object, level: str, audio_format: str,
             sample_rate: object) -> Example | None:
        for example in self.examples:
            if example.prompt == prompt and example.level == level and example.audio_format == audio_format:
                return example
        return None


def play_handler(shelf: ExampleShelf, generator: "Generator") -> Any:
    """The examples' click: the cached track (rendered now if the background warm-up has not reached it)."""

    def play(prompt: str, duration_s: float, seed: float, level: str, audio_format: str, sample_rate: int) -> str:
        example = shelf.find(prompt, duration_s, seed, level, audio_format, sample_rate)
        if example is None:
            raise gr.Error("This example is no longer available.", print_exception=False)
        return str(shelf.render(generator, example))

    return play


def main() -> None:
    """`make demo`: render the examples that are missing from SOUNDSTAR_DATA_DIR (default ./data)."""
    from aurora import Aurora
    from aurora.store.files import FileStore
    from aurora.ui.generate import Generator

    files = FileStore(os.environ.get("SOUNDSTAR_DATA_DIR") or "data")
    shelf = ExampleShelf(files)
    generator = Generator(Aurora(), files=files)
    for path in shelf.render_missing(generator):
        print(path)
    print(f"{len(shelf.examples)} examples ready in {files.root / 'files' / 'examples'}")


if __name__ == "__main__":
    main()
