"""The Hugging Face Space: its files (README front matter, packages.txt, pinned requirements), the module-level
`demo`, and the render wrapped in `spaces.GPU` when the `spaces` package is present (a fake one here)."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
import yaml
from fake_aurora import PROMPT, FakeAurora

from aurora.ui import zerogpu
from aurora.ui.generate import Generator

ROOT = Path(__file__).resolve().parents[2]


def front_matter() -> dict[str, Any]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, flags=re.DOTALL)
    assert match, "README.md must start with the Space's front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def pins(name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.+\-]*", line), f"{name}: not pinned: {raw!r}"
            package, version = line.split("==")
            found[package.lower()] = version
    return found


def test_front_matter_names_the_gradio_sdk_pinned_in_requirements() -> None:
    meta = front_matter()
    assert meta["sdk"] == "gradio"
    assert str(meta["sdk_version"]) == pins("requirements.txt")["gradio"]
    assert meta["app_file"] == "app.py" and (ROOT / meta["app_file"]).is_file()
    assert meta["title"] and meta["emoji"]
    assert 0 < len(meta["short_description"]) <= 60  # the Hub refuses a longer one


def test_requirements_are_pinned_exactly() -> None:
    runtime = pins("requirements.txt")
    assert runtime["torch"] == "2.13.0" and "gradio_client" in runtime
    pins("requirements-dev.txt")


def test_packages_txt_installs_fluidsynth_and_the_soundfonts() -> None:
    packages = (ROOT / "packages.txt").read_text(encoding="utf-8").split()
    assert "fluidsynth" in packages
    assert {"musescore-general-soundfont", "avldrums.lv2-soundfont"} <= set(packages)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+\-]+", p) for p in packages)


def test_module_level_demo_is_built_without_loading_models() -> None:
    code = ("import sys, gradio as gr, app; assert isinstance(app.demo, gr.Blocks); "
            "loaded = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
            "assert not loaded, loaded")
    done = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


class FakeSpaces(types.ModuleType):
    """Records what `spaces.GPU` decorated and every call made through the wrapper."""

    def __init__(self) -> None:
        super().__init__("spaces")
        self.durations: list[int] = []
        self.calls: list[tuple[Any, ...]] = []

    def GPU(self, duration: int = 60) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        self.durations.append(duration)

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            def on_device(*args: Any) -> Any:
                self.calls.append(args)
                return ("rendered on the GPU", args)

            on_device.__wrapped__ = fn  # type: ignore[attr-defined]
            return on_device

        return decorate


def test_render_runs_inside_spaces_gpu_when_spaces_is_present(monkeypatch: pytest.MonkeyPatch) -> None:
    spaces = FakeSpaces()
    monkeypatch.setitem(sys.modules, "spaces", spaces)
    generator = Generator(FakeAurora(), engine=None)
    assert spaces.durations == [zerogpu.GPU_DURATION_S]
    result = generator.render(PROMPT, 5, "wav", 44100, 7, "moderate")
    assert result[0] == "rendered on the GPU"  # type: ignore[index]
    assert spaces.calls == [(PROMPT, 5, "wav", 44100, 7, "moderate", None, None)]
    with pytest.raises(gr.Error):  # settings are checked before the GPU is asked for
        generator.render(PROMPT, 5, "wav", 44100, 7, "loud")
    assert len(spaces.calls) == 1


def test_render_is_left_alone_without_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spaces", None)  # import spaces -> ImportError

    def render() -> str:
        return "cpu"

    assert zerogpu.on_gpu(render) is render
    generator = Generator(FakeAurora(), engine=None)
    assert generator._render == generator._render_track
