"""Function-level tests of the app's callbacks and formatting, against the fake Aurora (fast)."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
import pytest
from fake_aurora import PROMPT, FakeAurora
from matplotlib.figure import Figure

import app
from aurora.contracts import AttemptRecord, AuroraMetadata, ChordProgression, PreprocessNote, Suggestion
from aurora.ui import format as fmt
from aurora.ui.studio import CHIP_COUNT, Studio, chip_label


@pytest.fixture
def studio(fake_aurora: FakeAurora) -> Studio:
    return Studio(fake_aurora)


def test_parse_view_shows_parameters_and_embedding(studio: Studio) -> None:
    badge, notes, rows, figure = studio.parse_view(PROMPT)
    assert "rule_based" in badge and "ms" in badge and "computed" in badge
    table = {row[0]: row for row in rows}
    assert table["Tempo"][1] == "80 BPM" and table["Tempo"][3] == "explicit"
    assert table["Key"][1] == "D minor" and table["Key"][3] == "explicit"
    instruments = [row for row in rows if row[0] == "Instrument"]
    assert [row[1] for row in instruments] == ["rhodes (harmony)", "drum machine (rhythm)"]
    assert [row[3] for row in instruments] == ["explicit", "inferred"]
    assert table["Genre"][3] == "inferred"
    assert notes == ""
    assert isinstance(figure, Figure) and len(figure.axes) == 2


def test_parse_view_shows_warnings(studio: Studio) -> None:
    _, notes, _, _ = studio.parse_view("a lo-fi beat with rhodez")
    assert "Heads-up" in notes and "SPELLING_CORRECTED" in notes and "rhodez" in notes
    _, enhance_notes, _, _ = studio.enhance_view("a lo-fi beat with rhodez", "minimal", "", "", None)
    assert "SPELLING_CORRECTED" in enhance_notes


def test_enhance_view_passes_hints(studio: Studio) -> None:
    badge, notes, enhanced, rows = studio.enhance_view(PROMPT, "aggressive", "neo-soul", "", 90)
    assert notes == ""
    assert "neo-soul" in enhanced
    assert rows[0][:2] == ["genre", "neo-soul"]
    assert "aggressive" in rows[1][3]
    assert "fell back from codex (AURORA_NOT_CONFIGURED)" in badge


def test_enhance_view_treats_blank_hints_as_none(studio: Studio, fake_aurora: FakeAurora) -> None:
    studio.enhance_view(PROMPT, "moderate", "  ", "", 0)
    assert fake_aurora.last_context is None
    studio.enhance_view(PROMPT, "moderate", "", "dreamy", 120)
    assert fake_aurora.last_context is not None
    assert fake_aurora.last_context.model_dump() == {"genre_hint": None, "mood_hint": "dreamy",
                                                     "duration_hint": 120}
    with pytest.raises(gr.Error, match="duration_hint"):
        studio.enhance_view(PROMPT, "moderate", "", "", 2)


def test_enhance_rejects_unknown_level(studio: Studio) -> None:
    with pytest.raises(gr.Error, match="enhancement_level"):
        studio.enhance_view(PROMPT, "extreme", "", "", None)


def test_plan_view_shows_sections_energy_chords(studio: Studio) -> None:
    badge, summary, notes, figure, sections, chords, transitions = studio.plan_view(PROMPT, 60, 3, "moderate")
    assert "pipeline:" in badge and "structural_planner" not in badge
    assert "80 BPM" in summary and "D minor" in summary and "melancholic" in summary
    assert "slow for hip hop" in notes
    assert isinstance(figure, Figure)
    assert [row[1] for row in sections] == ["intro", "loop A", "outro"]
    assert sections[0][3] == "0:00.0"
    assert "Dm7" in chords and "*i7*" in chords and "*V7*" in chords
    assert transitions == [["intro", "loop A", "fill"], ["loop A", "outro", "fade"]]


def test_plan_view_shows_preprocess_notes(studio: Studio) -> None:
    _, _, notes, *_ = studio.plan_view("lo-fi with rhodez at 80 bpm", 30, 0, "minimal")
    assert "SPELLING_CORRECTED" in notes
    assert notes.count("rhodez") == 1  # the note's message, not repeated as a warning


@pytest.mark.parametrize("prompt", ["", "   "])
def test_empty_prompt_is_a_clear_error(studio: Studio, prompt: str) -> None:
    calls = (
        lambda: studio.parse_view(prompt),
        lambda: studio.enhance_view(prompt, "moderate", "", "", None),
        lambda: studio.plan_view(prompt, 30, 0, "moderate"),
        lambda: studio.parse(prompt),
    )
    for call in calls:
        with pytest.raises(gr.Error, match="AURORA_INPUT_EMPTY") as caught:
            call()
        assert caught.value.title == "Check your prompt"


def test_opening_a_tab_with_no_prompt_leaves_panels_alone(studio: Studio, fake_aurora: FakeAurora) -> None:
    assert len(studio.plan_on_open("", 30, 0, "moderate")) == 7
    assert len(studio.parse_on_open(" ")) == 4
    assert fake_aurora.calls == []
    assert studio.parse_on_open(PROMPT)[2]


def test_suggest_view_fills_chips(studio: Studio) -> None:
    state, info, *chips = studio.suggest_view("a lo-fi beat")
    assert len(chips) == CHIP_COUNT
    assert all(chip["visible"] for chip in chips)
    assert chips[0]["value"] == "+ at 80 BPM"
    assert "Suggest" in info and state is not None
    assert [s["text"] for s in state["suggestions"]][:2] == ["at 80 BPM", "in D minor"]  # what the chips apply


def test_chip_labels_tell_completions_from_additions() -> None:
    completion = Suggestion(kind="completion", dimension="completion", text="beatbox",
                            preview="a lo-fi beatbox", score=0.9)
    addition = completion.model_copy(update={"kind": "missing_dimension", "text": "at 80 BPM"})
    assert chip_label(completion) == "…beatbox"
    assert chip_label(addition) == "+ at 80 BPM"


def test_suggest_view_is_quiet_on_empty_prompt(studio: Studio, fake_aurora: FakeAurora) -> None:
    state, info, *chips = studio.suggest_view("")
    assert state is None and info == ""
    assert not any(chip["visible"] for chip in chips)
    assert fake_aurora.calls == []


def _roundtrip(result: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(result))


def test_json_endpoints_return_spec_shaped_dicts(studio: Studio) -> None:
    enhanced = _roundtrip(studio.enhance(PROMPT, "minimal", None, "dreamy", 45.0))
    assert set(enhanced) >= {"original_prompt", "enhanced_prompt", "additions", "aurora_metadata"}
    parsed = _roundtrip(studio.parse(PROMPT))
    assert parsed["parsed_parameters"]["tempo"]["bpm"] == 80
    assert len(parsed["control_encoder_params"]["unified_control_embedding"]) == 640
    planned = _roundtrip(studio.plan("lo-fi hip hop", "melancholic", 80, 60, "D minor", "4/4", None, 1))
    assert planned["structural_plan"]["transitions"][0]["from"] == "intro"
    assert planned["aurora_metadata"]["module"] == "structural_planner"
    suggested = _roundtrip(studio.suggest("a lo-fi beat", 3))
    assert len(suggested["suggestions"]) == 3
    processed = _roundtrip(studio.process(PROMPT, 30.0, "moderate", 0))
    assert processed["plan"]["structural_plan"]["sections"]


def test_plan_endpoint_reports_invalid_parameters(studio: Studio) -> None:
    with pytest.raises(gr.Error, match="tempo_bpm") as caught:
        studio.plan("jazz", "calm", 999, 30)
    assert caught.value.title == "Invalid parameters"


def test_metadata_badge_and_notes_formatting() -> None:
    meta = AuroraMetadata(module="semantic_parser", implementation="defaults", processing_time_ms=0.42,
                          cache_hit=True, attempts=[AttemptRecord(implementation="rule_based",
                                                                  error_code="AURORA_PARSE_ERROR")])
    badge = fmt.metadata_badge(meta, label="Parse")
    assert "defaults" in badge and "0.4 ms" in badge and "cache hit" in badge
    assert "rule_based (AURORA_PARSE_ERROR)" in badge
    assert "no metadata" in fmt.metadata_badge(None, label="Parse")
    notes = fmt.notes_markdown(["a", "a"], [PreprocessNote(code="CONTENT_FLAGGED", message="<b>x</b>")],
                               language="fr")
    assert notes.count("- a") == 1 and "&lt;b&gt;" in notes and "`fr`" in notes
    assert fmt.notes_markdown() == ""
    assert fmt.confidence_bar(0.82) == "▰▰▰▰▱ 0.82"
    assert fmt.key_name(ChordProgression(key="D", mode="minor", chords=["Dm"])) == "D minor"
    assert fmt.key_name(ChordProgression(key="F# major", mode="major", chords=["F#"])) == "F# major"
    assert fmt.clock(125.25) == "2:05.2"


def test_build_app_registers_named_endpoints(fake_aurora: FakeAurora) -> None:
    blocks = app.build_app(fake_aurora)
    names = {fn.api_name for fn in blocks.fns.values() if fn.api_visibility == "public"}
    assert {"enhance", "parse", "plan", "suggest", "process"} <= names
    assert fake_aurora.calls == []  # building the UI calls nothing


def test_controls_take_their_limits_from_the_owners(fake_aurora: FakeAurora) -> None:
    """One settings panel for every tab (one duration, seed, level, format and rate control), its slider bounds
    and choices from engine.export and knowledge_base.limits; the sample rate's choices are integers."""
    from engine.export import FORMATS, SAMPLE_RATES
    from knowledge_base.limits import DEFAULT_DURATION_S, ENHANCEMENT_LEVELS, MAX_DURATION_S, MIN_DURATION_S

    components = list(app.build_app(fake_aurora).blocks.values())
    sliders = [c for c in components if isinstance(c, gr.Slider) and c.label == "Duration (s)"]
    assert len(sliders) == 1
    assert len([c for c in components if isinstance(c, gr.Number) and c.label == "Seed"]) == 1
    assert all((s.minimum, s.maximum, s.value) == (MIN_DURATION_S, MAX_DURATION_S, DEFAULT_DURATION_S)
               for s in sliders)

    def choices(kind: type[Any], label: str) -> list[Any]:
        (found,) = [c for c in components if isinstance(c, kind) and c.label == label]
        return [value for _, value in found.choices]

    assert choices(gr.Radio, "Format") == list(FORMATS)
    assert choices(gr.Dropdown, "Sample rate (Hz)") == list(SAMPLE_RATES)
    assert all(isinstance(rate, int) for rate in choices(gr.Dropdown, "Sample rate (Hz)"))
    assert choices(gr.Radio, "Enhancement level") == list(ENHANCEMENT_LEVELS)


def test_server_address_prefers_soundstar_then_gradio_env() -> None:
    assert app.server_address({}) == ("127.0.0.1", 7860)
    assert app.server_address({"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"}) == (
        "0.0.0.0", 7861)
    assert app.server_address({"SOUNDSTAR_HOST": "::1", "SOUNDSTAR_PORT": "9000",
                               "GRADIO_SERVER_NAME": "0.0.0.0"}) == ("::1", 9000)


def test_stated_duration_is_set_and_named_in_the_settings() -> None:
    update = Studio.stated_duration("ambient drone, 10 minutes")
    assert update["value"] == 600.0 and "10:00" in update["info"]
    update = Studio.stated_duration("ambient drone, 20 minutes")  # brought into range, and said so
    assert update["value"] == 600.0 and "kept to 600 s" in update["info"]
    assert "value" not in Studio.stated_duration("ambient drone")  # nothing stated: the slider stays
