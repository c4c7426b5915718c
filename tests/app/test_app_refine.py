"""Refinement before rendering with the real Aurora (and one 5-second render): the panel is pre-filled from the
parse and the plan, edits re-plan, Generate renders exactly what the panel shows, bad edits are coded errors."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest
from fake_aurora import PROMPT

from aurora.contracts import ProcessResult
from aurora.store.files import FileStore
from aurora.ui.generate import Generator
from aurora.ui.refine import Refiner


@pytest.fixture(scope="module")
def refiner(live_aurora: Any) -> Refiner:
    return Refiner(live_aurora)


def _values(filled: tuple[Any, ...]) -> dict[str, Any]:
    keys = ["base", "plan", "genre", "tempo_bpm", "key", "mode", "meter", "instruments", "excluded", "energy",
            "structure", "rows", "use", "note"]
    return dict(zip(keys, filled, strict=True))


def test_fill_shows_the_parse_and_plan(refiner: Refiner, live_aurora: Any) -> None:
    v = _values(refiner.fill(PROMPT, 20, 3, "moderate"))
    expected = live_aurora.process(prompt=PROMPT, duration_s=20, seed=3)
    plan = expected.plan.structural_plan
    assert v["tempo_bpm"] == pytest.approx(80) and (v["key"], v["mode"]) == ("D", "minor") and v["meter"] == "4/4"
    assert v["instruments"] == [i.name for i in expected.parse.parsed_parameters.instrumentation]
    assert [r[1] for r in v["rows"]] == [s.name for s in plan.sections]
    assert [r[4] for r in v["rows"]] == [" ".join(s.chords) for s in plan.sections]
    assert v["use"] is True and v["structure"] == expected.parse.parsed_parameters.structure.value


def test_edits_replan_and_generate_renders_what_is_shown(refiner: Refiner, live_aurora: Any, live_engine: Any,
                                                         tmp_path: Any) -> None:
    v = _values(refiner.fill(PROMPT, 10, 3, "moderate"))
    fields = dict(genre=v["genre"], tempo_bpm=100.0, key="F", mode="major", meter="3/4",
                  instruments=[*v["instruments"], "Cello"], excluded=["Rhodes"], energy=0.4,
                  structure=v["structure"])
    plan_json, rows, note = refiner.replan(v["base"], 10, 3, **fields)
    assert "100 BPM" in note and "3/4" in note
    rows[0][4] = "Fmaj7 Bb C7"  # the first section's chords, edited in the table
    refined = refiner.prepare(True, v["base"], plan_json, rows, 10, 3, **fields)
    assert refined is not None
    semantic = ProcessResult.model_validate(refined)
    params, plan = semantic.parse.parsed_parameters, semantic.plan.structural_plan
    assert params.tempo.bpm == 100 and params.key_signature.value == "F major"
    assert params.time_signature.value == "3/4" and params.energy_level.value == pytest.approx(0.4)
    assert "Cello" in [i.name for i in params.instrumentation] and params.excluded_instruments == ["Rhodes"]
    assert "Rhodes" not in [i.name for i in params.instrumentation]  # excluded wins over listed
    assert {"tempo", "key_signature", "instrumentation"} <= set(params.explicit)
    assert plan.tempo_bpm == 100 and plan.time_signature == "3/4" and plan.sections[0].chords == ["Fmaj7", "Bb", "C7"]
    base_control = ProcessResult.model_validate(v["base"]).parse.control_encoder_params
    assert semantic.parse.control_encoder_params != base_control  # the embedding follows the edits

    generator = Generator(live_aurora, live_engine, files=FileStore(tmp_path))
    generation = generator.render(PROMPT, 10, "wav", 44100, 3, "moderate", semantic=semantic)
    score = generation.render.score
    assert score.tempo_bpm == pytest.approx(100) and score.time_signature == "3/4"
    assert generation.semantic.plan.structural_plan == plan  # rendered exactly as shown, not re-read from the prompt
    tracks = [(t.role, t.instrument_id) for t in score.tracks]
    assert ("bass", "cello") in tracks or any(i == "cello" for _, i in tracks), tracks  # the added instrument
    assert all(i != "rhodes" for _, i in tracks), tracks  # the excluded one
    assert refiner.prepare(False, v["base"], plan_json, rows, 10, 3, **fields) is None  # unticked: the prompt


@pytest.mark.parametrize(("field", "value", "message"), [
    ("tempo_bpm", 900.0, "tempo must be 20-300 BPM"),
    ("key", "H", "unknown key"),
    ("mode", "sideways", "unknown mode"),
    ("structure", "no such form", "unknown structure"),
    ("instruments", ["kazoo-o-matic"], "unknown instrument"),
])
def test_bad_edits_are_coded_errors(refiner: Refiner, field: str, value: Any, message: str) -> None:
    v = _values(refiner.fill(PROMPT, 10, 0, "minimal"))
    fields = dict(genre=v["genre"], tempo_bpm=v["tempo_bpm"], key=v["key"], mode=v["mode"], meter=v["meter"],
                  instruments=v["instruments"], excluded=v["excluded"], energy=v["energy"], structure=v["structure"])
    fields[field] = value
    with pytest.raises(gr.Error, match=f"{message}.*AURORA_INPUT_INVALID"):
        refiner.replan(v["base"], 10, 0, **fields)


def test_a_bad_chord_is_a_coded_error(refiner: Refiner) -> None:
    v = _values(refiner.fill(PROMPT, 10, 0, "minimal"))
    fields = dict(genre=v["genre"], tempo_bpm=v["tempo_bpm"], key=v["key"], mode=v["mode"], meter=v["meter"],
                  instruments=v["instruments"], excluded=v["excluded"], energy=v["energy"], structure=v["structure"])
    rows = [list(r) for r in v["rows"]]
    rows[0][4] = "Dm7 Xq9"
    with pytest.raises(gr.Error, match=r"'Xq9'.*not a chord symbol.*AURORA_INPUT_INVALID"):
        refiner.prepare(True, v["base"], v["plan"], rows, 10, 0, **fields)


def test_edits_tick_render_only_once_filled(refiner: Refiner) -> None:
    fields = dict(genre="Pop", tempo_bpm=100.0, key="C", mode="major", meter="4/4", instruments=[], excluded=[],
                  energy=0.5, structure="Verse-Chorus")
    assert all(isinstance(v, type(gr.skip())) for v in refiner.edited(None, 10, 0, **fields))  # nothing filled
    v = _values(refiner.fill(PROMPT, 10, 0, "minimal"))
    fields.update(genre=v["genre"], structure=v["structure"])
    *_, use = refiner.edited(v["base"], 30, 0, **fields)
    assert use is True
    plan_json, _, _ = refiner.replan(v["base"], 30, 0, **fields)  # a new duration: the plan follows
    assert plan_json["duration_s"] == pytest.approx(30, abs=0.5)


def test_a_stored_refined_track_restores_and_renders_the_same_again(refiner: Refiner, live_aurora: Any,
                                                                     live_engine: Any, tmp_path: Any) -> None:
    """History's restore / generate again: the stored parameters and plan come back in the panel, ticked, and
    rendering them again with the same seed gives the same track."""
    v = _values(refiner.fill(PROMPT, 5, 4, "minimal"))
    fields = dict(genre=v["genre"], tempo_bpm=92.0, key="E", mode="minor", meter=v["meter"],
                  instruments=v["instruments"], excluded=v["excluded"], energy=0.7, structure=v["structure"])
    plan_json, rows, _ = refiner.replan(v["base"], 5, 4, **fields)
    first = ProcessResult.model_validate(refiner.prepare(True, v["base"], plan_json, rows, 5, 4, **fields))
    picked = {"prompt": PROMPT, "duration_seconds": 5, "seed": 4,
              "parsed_parameters": first.parse.parsed_parameters.model_dump(mode="json"),
              "structural_plan": first.plan.structural_plan.model_dump(mode="json", by_alias=True)}
    r = _values(refiner.stored(picked, 5, 4, "minimal"))
    assert r["use"] is True and r["tempo_bpm"] == 92 and (r["key"], r["mode"]) == ("E", "minor")
    again = refiner.prepare(r["use"], r["base"], r["plan"], r["rows"], 5, 4, genre=r["genre"],
                            tempo_bpm=r["tempo_bpm"], key=r["key"], mode=r["mode"], meter=r["meter"],
                            instruments=r["instruments"], excluded=r["excluded"], energy=r["energy"],
                            structure=r["structure"])
    second = ProcessResult.model_validate(again)
    assert second.plan.structural_plan == first.plan.structural_plan
    assert second.parse.parsed_parameters.tempo.bpm == 92
    generator = Generator(live_aurora, live_engine, files=FileStore(tmp_path))
    takes = [generator.render(PROMPT, 5, "wav", 22050, 4, "minimal", semantic=s) for s in (first, second)]
    assert takes[0].audio_bytes == takes[1].audio_bytes  # the same seed: the same track
    assert all(isinstance(x, type(gr.skip())) for x in refiner.stored({"prompt": PROMPT}, 5, 4, "minimal"))
