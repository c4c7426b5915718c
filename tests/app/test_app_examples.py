"""The examples' cached renders: rendered once into the data folder, served from there, found by their row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pytest
import soundfile as sf

from aurora.store.files import FileStore
from aurora.ui.examples import EXAMPLES, Example, ExampleShelf, play_handler
from aurora.ui.generate import Generator

SHORT = Example("calm piano ballad in C major", 5, 1, "minimal", "wav", 22050, "Piano")


def test_examples_are_rendered_once_and_played_from_the_data_folder(tmp_path: Path, live_aurora: Any,
                                                                    live_engine: Any) -> None:
    files = FileStore(tmp_path)
    shelf = ExampleShelf(files, [SHORT])
    generator = Generator(live_aurora, live_engine, files=files)
    assert shelf.missing() == [SHORT]
    (path,) = shelf.render_missing(generator)
    assert path.is_relative_to(files.root / "files" / "examples") and path.name == "track.wav"
    info = sf.info(str(path))
    assert info.samplerate == 22050 and info.duration == pytest.approx(5.0, abs=0.05)
    written = path.stat().st_mtime_ns
    assert shelf.missing() == [] and shelf.warm_in_background(generator) is None
    play = play_handler(shelf, generator)
    assert play(*SHORT.row()) == str(path) and path.stat().st_mtime_ns == written  # not rendered again
    with pytest.raises(gr.Error, match="no longer available"):
        play("something else", 5, 1, "minimal", "wav", 22050)


def test_the_shipped_examples_are_distinct_and_short() -> None:
    assert len({e.key for e in EXAMPLES}) == len(EXAMPLES) >= 4
    assert all(e.duration_s <= 15 and e.label for e in EXAMPLES)  # quick to render at the first launch
