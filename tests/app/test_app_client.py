"""The named JSON endpoints, called through gradio_client against the app served on a local port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from fake_aurora import PROMPT
from gradio_client import Client
from gradio_client.exceptions import AppError


@pytest.fixture(scope="module")
def client(live_url: str) -> Iterator[Client]:
    client = Client(live_url, verbose=False, analytics_enabled=False)
    yield client
    client.close()


def _meta_ok(result: dict[str, Any], module: str) -> None:
    meta = result["aurora_metadata"]
    assert meta["module"] == module
    assert meta["implementation"] in {"codex", "local_llm", "rule_based", "defaults"}
    assert meta["processing_time_ms"] >= 0 and isinstance(meta["cache_hit"], bool)


def test_api_lists_named_endpoints(client: Client) -> None:
    endpoints = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/enhance", "/parse", "/plan", "/suggest", "/process", "/generate", "/history", "/feedback"} <= endpoints


def test_parse_endpoint(client: Client) -> None:
    result = client.predict(prompt=PROMPT, api_name="/parse")
    params = result["parsed_parameters"]
    assert params["tempo"]["bpm"] == pytest.approx(80) and params["tempo"]["type"] == "explicit"
    assert params["key_signature"]["value"] == "D minor"
    assert len(result["control_encoder_params"]["unified_control_embedding"]) == 640
    _meta_ok(result, "semantic_parser")


def test_enhance_endpoint(client: Client) -> None:
    result = client.predict(prompt=PROMPT, enhancement_level="aggressive", genre_hint=None,
                            mood_hint="wistful", duration_hint=60, api_name="/enhance")
    assert result["original_prompt"] == PROMPT
    assert result["enhanced_prompt"]
    for addition in result["additions"]:
        assert set(addition) >= {"type", "value", "reasoning", "confidence"}
    _meta_ok(result, "prompt_enhancer")


def test_plan_endpoint(client: Client) -> None:
    result = client.predict(genre="hip hop", mood="melancholic", tempo_bpm=80, duration_seconds=60,
                            key="D minor", time_signature="4/4", api_name="/plan")
    plan = result["structural_plan"]
    assert sum(s["duration_ratio"] for s in plan["sections"]) == pytest.approx(1.0, abs=1e-3)
    assert all({"from", "to", "type"} <= set(t) for t in plan["transitions"])
    assert plan["chord_progression"]["chords"]
    _meta_ok(result, "structural_planner")


def test_suggest_endpoint(client: Client) -> None:
    result = client.predict(partial_prompt="a melancholic lo-fi beat", suggestion_count=5,
                            api_name="/suggest")
    assert 3 <= len(result["suggestions"]) <= 5
    assert all(s["preview"] and s["text"] for s in result["suggestions"])
    _meta_ok(result, "suggester")


def test_process_endpoint(client: Client) -> None:
    result = client.predict(prompt=PROMPT, duration_s=45, enhancement_level="moderate", seed=7,
                            api_name="/process")
    assert result["plan"]["structural_plan"]["sections"]
    assert result["parse"]["parsed_parameters"]["key_signature"]["value"] == "D minor"


@pytest.mark.parametrize("api_name", ["/parse", "/enhance"])
def test_empty_prompt_is_a_clear_error(client: Client, api_name: str) -> None:
    with pytest.raises(AppError, match="AURORA_INPUT_EMPTY") as caught:
        client.predict(prompt="", api_name=api_name)
    assert "Traceback" not in str(caught.value)


def test_invalid_plan_parameters_are_a_clear_error(client: Client) -> None:
    with pytest.raises(AppError, match="tempo_bpm"):
        client.predict(genre="jazz", mood="calm", tempo_bpm=999, api_name="/plan")


def test_generate_endpoint(client: Client) -> None:
    audio, midi, stems, plan, summary = client.predict(
        prompt=PROMPT, duration_s=5, audio_format="wav", sample_rate=32000, seed=11, enhancement_level="moderate",
        api_name="/generate")
    data, rate = sf.read(audio)
    assert rate == 32000 and data.shape == (5 * 32000, 2) and abs(data).max() > 0.01
    assert Path(midi).read_bytes()[:4] == b"MThd" and Path(stems).suffix == ".zip"
    assert json.loads(Path(plan).read_text())["structural_plan"]["sections"]
    assert summary["tempo_bpm"] == pytest.approx(80, abs=0.5)
    assert summary["key"] == "D minor" and summary["seed"] == 11 and summary["audio_format"] == "wav"
    assert summary["session_id"] is None  # no studio server here: nothing stored, no history
    metadata = summary["generation_metadata"]
    assert metadata["total_time_ms"] > 0 and metadata["stages"][0]["name"] == "structure"


@pytest.mark.parametrize("api_name", ["/history", "/feedback"])
def test_history_and_feedback_need_the_studio_server(client: Client, api_name: str) -> None:
    with pytest.raises(AppError, match="AURORA_UNAVAILABLE"):
        client.predict(session_id="x", api_name=api_name) if api_name == "/feedback" else client.predict(
            api_name=api_name)


def test_generate_endpoint_reports_errors_with_their_code(client: Client) -> None:
    with pytest.raises(AppError, match="AURORA_INPUT_EMPTY") as caught:
        client.predict(prompt="  ", duration_s=5, api_name="/generate")
    assert "Traceback" not in str(caught.value)
