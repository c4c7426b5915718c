"""Malformed app calls (as the API or a scripted client sends them) get a coded error before any work:
never a raw Python message, never a render that is thrown away afterwards."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest

from aurora import Aurora
from aurora.ui.generate import Generator
from aurora.ui.studio import Studio


class NoRender:
    """An engine that must not be reached: every bad setting is refused before the render."""

    def render(self, **kwargs: Any) -> Any:
        raise AssertionError("rendered despite a bad setting")


@pytest.mark.parametrize(("call", "code"), [
    (lambda s: s.process("calm piano", duration_s="abc"), "AURORA_INPUT_INVALID"),
    (lambda s: s.process("calm piano", duration_s=float("nan")), "AURORA_INPUT_INVALID"),
    (lambda s: s.process("calm piano", seed=2**70), "AURORA_INPUT_INVALID"),
    (lambda s: s.process("calm piano", enhancement_level="extreme"), "AURORA_INPUT_INVALID"),
    (lambda s: s.suggest("a sad pia", suggestion_count="5"), "AURORA_INPUT_INVALID"),
    (lambda s: s.suggest("a sad pia", suggestion_count=0), "AURORA_INPUT_INVALID"),
    (lambda s: s.enhance("calm piano", enhancement_level="extreme"), "AURORA_INPUT_INVALID"),
    (lambda s: s.enhance("calm piano", duration_hint="abc"), "AURORA_INPUT_INVALID"),
    (lambda s: s.plan("rock", "happy", 120, time_signature="17/0"), "AURORA_INPUT_INVALID"),
    (lambda s: s.plan("rock", "happy", "fast"), "AURORA_INPUT_INVALID"),
    (lambda s: s.plan("rock", "happy", 120, seed=-1), "AURORA_INPUT_INVALID"),
    (lambda s: s.parse_view("jazz \x00\x01\x02\x03\x04\x05"), "AURORA_INPUT_UNREADABLE"),
])
def test_studio_answers_bad_values_with_a_code(aurora: Aurora, call: Any, code: str) -> None:
    with pytest.raises(gr.Error) as info:
        call(Studio(aurora))
    assert code in str(info.value)
    assert "Traceback" not in str(info.value) and "<" not in str(info.value)


@pytest.mark.parametrize(("settings", "code"), [
    ({"seed": 2**70}, "AURORA_INPUT_INVALID"),
    ({"seed": "abc"}, "AURORA_INPUT_INVALID"),
    ({"duration_s": "abc"}, "AURORA_INPUT_INVALID"),
    ({"duration_s": 3600}, "AURORA_INPUT_INVALID"),
    ({"sample_rate": "abc"}, "ENGINE_INPUT_INVALID"),
    ({"audio_format": "ogg"}, "ENGINE_INPUT_INVALID"),
    ({"enhancement_level": "extreme"}, "AURORA_INPUT_INVALID"),
])
def test_generate_refuses_bad_settings_before_rendering(aurora: Aurora, settings: dict[str, Any], code: str) -> None:
    generator = Generator(aurora, engine=NoRender())  # type: ignore[arg-type]
    with pytest.raises(gr.Error) as info:
        generator.generate(**{"prompt": "calm piano", "duration_s": 5, **settings})
    assert code in str(info.value)


def test_surrogates_in_an_app_prompt_give_a_json_ready_result(aurora: Aurora) -> None:
    import json

    result = Studio(aurora).process("a caf\udce9 jazz \ud800 tune", duration_s=10)
    json.dumps(result)
    assert any(n["code"] == "AURORA_INPUT_REPLACED" for n in result["clean_prompt"]["notes"])
    json.dumps(Studio(aurora).suggest("jazz \ud800 pia", suggestion_count=3))
