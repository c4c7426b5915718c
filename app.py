"""Soundstar studio: a Gradio UI over Aurora and the engine (enhance, parse, plan, generate, live suggestions).

Wiring only: layout and events here, callbacks in `aurora.ui.studio` and `aurora.ui.generate`,
formatting and plots beside them. `python app.py` serves on 127.0.0.1:7860 (SOUNDSTAR_HOST / SOUNDSTAR_PORT, or Gradio's
own GRADIO_SERVER_NAME / GRADIO_SERVER_PORT as set on Hugging Face Spaces), inside the FastAPI server of
`aurora.server` (REST API, /docs, /metrics; settings in `aurora.server.settings`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import gradio as gr

from aurora.ui import format as fmt
from aurora.ui.api import register_api
from aurora.ui.examples import ExampleShelf, play_handler
from aurora.ui.generate import Generator
from aurora.ui.library import HISTORY_HEADERS, RATING_CHOICES, RATINGS, Library
from aurora.ui.refine import METERS, TONICS, Refiner
from aurora.ui.refine import SECTION_HEADERS as REFINE_HEADERS
from aurora.ui.studio import CHIP_COUNT, Studio, chip_js
from aurora.ui.theme import launch_options
from engine.export import DEFAULT_FORMAT, DEFAULT_SAMPLE_RATE, FORMATS, SAMPLE_RATES
from knowledge_base.limits import (
    DEFAULT_DURATION_S,
    DEFAULT_ENHANCEMENT_LEVEL,
    ENHANCEMENT_LEVELS,
    MAX_DURATION_S,
    MIN_DURATION_S,
)

if TYPE_CHECKING:
    from aurora import Aurora
    from aurora.server import StudioService
    from engine import Engine

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def _accept_handler(library: Library, index: int) -> Callable[..., None]:
    def accept(suggestions: dict[str, Any] | None, request: gr.Request) -> None:
        library.accept_suggestion(request, suggestions, index)  # spec §7.1 user_accepted

    return accept


def build_app(aurora: Aurora | None = None, engine: Engine | None = None,
              service: StudioService | None = None, *, warm_examples: bool = False) -> gr.Blocks:
    """Build the studio around one Aurora instance (created here when none is injected) and one engine
    (created on the first Generate when none is injected). With the studio server's `service`, every track is
    stored for the browser's user, rated with the feedback controls and listed under History. With
    ``warm_examples`` the examples not yet in the data folder are rendered in the background (first launch)."""
    if aurora is None:
        from aurora import Aurora

        aurora = service.aurora if service is not None else Aurora()
    studio = Studio(aurora)
    refiner = Refiner(aurora)
    library = Library(service) if service is not None else None
    generator = Generator(aurora, engine, library)
    # tracks are written once in the data folder and served from there, never copied into Gradio's cache
    gr.set_static_paths([generator.files.root / "files"])
    shelf = ExampleShelf(generator.files)
    if warm_examples:
        shelf.warm_in_background(generator)

    app = gr.Blocks(title="Soundstar studio", analytics_enabled=False)
    with app:
        gr.Markdown(
            "# Soundstar studio\nDescribe the music. Aurora hears tempo, key, meter, mood, instruments "
            "and form, and shows you what it understood before a note is played.",
            elem_classes="ss-header",
        )
        prompt = gr.Textbox(
            label="Prompt", lines=1, max_lines=6, autofocus=True, buttons=["copy"], elem_id="ss-prompt",
            placeholder="e.g. a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle",
            info="Enter generates",
        )
        # the suggestions the chips show, in the page: a chip applies in the browser (studio.chip_js)
        suggestions = gr.JSON(None, visible=False, elem_id="ss-suggestions")
        # the browser's width (set on load): plots are drawn narrower on a phone
        viewport = gr.Number(value=0, visible=False, elem_id="ss-viewport")
        with gr.Row(elem_classes="ss-chips", elem_id="ss-chips"):
            chips = [
                gr.Button(visible=False, size="sm", variant="secondary", elem_classes="ss-chip")
                for _ in range(CHIP_COUNT)
            ]
        suggest_info = gr.Markdown(elem_id="ss-suggest-info")
        with gr.Row(equal_height=True, elem_classes="ss-actions"):
            generate_btn = gr.Button("Generate", variant="primary", scale=3, elem_id="ss-generate")
            cancel_btn = gr.Button("Cancel", variant="stop", scale=1, min_width=90, elem_id="ss-cancel")

        # one settings panel, used by Generate, Plan and Enhance
        with gr.Accordion("Settings", open=True, elem_id="ss-settings"):
            with gr.Row(equal_height=True):
                duration = gr.Slider(MIN_DURATION_S, MAX_DURATION_S, value=DEFAULT_DURATION_S, step=1,
                                     label="Duration (s)", scale=4, elem_id="ss-duration",
                                     info="A duration the prompt states is set here")
                seed = gr.Number(value=0, precision=0, label="Seed", scale=1, min_width=90, elem_id="ss-seed")
                dice = gr.Button("⚄", scale=0, min_width=52, elem_id="ss-dice", elem_classes="ss-dice")
            with gr.Row(equal_height=True):
                level = gr.Radio(list(ENHANCEMENT_LEVELS), value=DEFAULT_ENHANCEMENT_LEVEL,
                                 label="Enhancement level", scale=3, elem_id="ss-level")
                audio_format = gr.Radio(list(FORMATS), value=DEFAULT_FORMAT, label="Format", scale=2,
                                        elem_id="ss-format")
                rate = gr.Dropdown(list(SAMPLE_RATES), value=DEFAULT_SAMPLE_RATE, label="Sample rate (Hz)",
                                   scale=1, min_width=110, elem_id="ss-rate")
        settings = [duration, seed, level, audio_format, rate]
        # the player is placed in the Generate tab below; made here so the examples can fill it
        player = gr.Audio(label="Track", interactive=False, scale=3, elem_id="ss-audio", buttons=["download"],
                          autoplay=True, render=False)
        gr.Examples(shelf.rows(), inputs=[prompt, *settings], outputs=[player], fn=play_handler(shelf, generator),
                    cache_examples=False, run_on_click=True, label="Try one (plays at once)",
                    example_labels=shelf.labels(), elem_id="ss-examples", **PRIVATE)

        with gr.Tabs(selected="generate") as tabs:  # the main action leads: the page opens on Generate
            with gr.Tab("Generate", id="generate"):
                with gr.Accordion("Refine before rendering", open=False, elem_id="ss-refine") as refine_panel:
                    refine_base, refine_plan, refined = gr.State(None), gr.State(None), gr.State(None)
                    with gr.Row(equal_height=True):
                        refine_use = gr.Checkbox(label="Render these refinements", value=False, scale=2,
                                                 elem_id="ss-refine-use")
                        reset_btn = gr.Button("Reset to the prompt", size="sm", scale=1, elem_id="ss-refine-reset")
                    refine_note = gr.Markdown(elem_id="ss-refine-note")
                    with gr.Row():
                        r_genre = gr.Dropdown([], label="Genre", allow_custom_value=True, elem_id="ss-refine-genre")
                        r_tempo = gr.Number(label="Tempo (BPM)", minimum=20, maximum=300, elem_id="ss-refine-tempo")
                        r_key = gr.Dropdown(TONICS, label="Key", elem_id="ss-refine-key")
                        r_mode = gr.Dropdown([], label="Mode", allow_custom_value=True, elem_id="ss-refine-mode")
                        r_meter = gr.Dropdown(METERS, label="Meter", allow_custom_value=True,
                                              elem_id="ss-refine-meter")
                    with gr.Row():
                        r_instruments = gr.Dropdown([], label="Instruments", multiselect=True,
                                                    elem_id="ss-refine-instruments")
                        r_excluded = gr.Dropdown([], label="Excluded instruments", multiselect=True,
                                                 elem_id="ss-refine-excluded")
                    with gr.Row():
                        r_energy = gr.Slider(0.0, 1.0, step=0.05, label="Energy", elem_id="ss-refine-energy")
                        r_structure = gr.Dropdown([], label="Structure", allow_custom_value=True,
                                                  elem_id="ss-refine-structure")
                    r_sections = gr.Dataframe(headers=REFINE_HEADERS, label="Sections and their chords (editable)",
                                              interactive=True, static_columns=[0, 1, 2, 3], wrap=True,
                                              elem_id="ss-refine-sections", elem_classes="ss-table")
                gen_summary = gr.Markdown(elem_classes="ss-summary", elem_id="ss-gen-summary")
                gen_notes = gr.Markdown()
                with gr.Row(equal_height=True):
                    player.render()  # type: ignore[no-untyped-call]
                    downloads = gr.File(label="Downloads: audio, MIDI, stems, plan", file_count="multiple",
                                        interactive=False, scale=2, elem_id="ss-downloads")
                if library is not None:
                    with gr.Group(elem_id="ss-feedback"):
                        with gr.Row(equal_height=True):
                            thumbs_up = gr.Button("👍", scale=0, min_width=52, elem_id="ss-thumbs-up")
                            thumbs_down = gr.Button("👎", scale=0, min_width=52, elem_id="ss-thumbs-down")
                            comment = gr.Textbox(show_label=False, placeholder="A comment on this track (optional)",
                                                 scale=4, elem_id="ss-comment")
                        with gr.Row(equal_height=True):
                            ratings = [
                                gr.Radio(RATING_CHOICES, value=None, label=label, scale=1, min_width=150,
                                         elem_id=elem_id, elem_classes="ss-rating")
                                for label, elem_id in RATINGS
                            ]
                        feedback_status = gr.Markdown(elem_id="ss-feedback-status")
                piano_roll = gr.Plot(label="Piano roll", show_label=False, format="png", elem_id="ss-pianoroll")
                gen_energy = gr.Plot(label="Energy over time", show_label=False, format="png",
                                     elem_id="ss-gen-energy")
                with gr.Accordion("Details", open=False, elem_id="ss-details"):
                    gen_badges = gr.Markdown(elem_id="ss-gen-badges")
                    stages = gr.Dataframe(headers=fmt.STAGE_HEADERS, label="Stages", interactive=False, wrap=True,
                                          elem_id="ss-stages", elem_classes="ss-table")
                    gen_embedding = gr.Plot(label="Unified control embedding", show_label=False, format="png",
                                            elem_id="ss-gen-embedding")
                    gen_details = gr.JSON(label="Generation metadata", elem_id="ss-gen-json")

            if library is not None:
                with gr.Tab("History", id="history") as history_tab:
                    history_ids = gr.State([])
                    picked = gr.State(None)
                    history = gr.Dataframe(headers=HISTORY_HEADERS, label="Your generations, newest first "
                                           "(pick one to play it)", interactive=False, wrap=True,
                                           elem_id="ss-history", elem_classes="ss-table")
                    history_info = gr.Markdown(elem_id="ss-history-info")
                    with gr.Row(equal_height=True):
                        history_player = gr.Audio(label="Track", interactive=False, scale=3,
                                                  elem_id="ss-history-audio", buttons=["download"])
                        history_files = gr.File(label="Downloads", file_count="multiple", interactive=False,
                                                scale=2, elem_id="ss-history-downloads")
                    with gr.Row(equal_height=True):
                        restore_btn = gr.Button("Restore these settings", elem_id="ss-restore")
                        again_btn = gr.Button("Generate again (same seed)", elem_id="ss-again")
                        again_new_btn = gr.Button("Generate again (new seed)", elem_id="ss-again-new")

            with gr.Tab("Enhance", id="enhance"):
                with gr.Row():
                    genre_hint = gr.Textbox(label="Genre hint", placeholder="e.g. neo-soul", scale=1)
                    mood_hint = gr.Textbox(label="Mood hint", placeholder="e.g. wistful", scale=1)
                    duration_hint = gr.Number(label="Duration hint (s)", value=0, minimum=0, maximum=MAX_DURATION_S,
                                              info=f"0 = none; else {MIN_DURATION_S:g}-{MAX_DURATION_S:g}",
                                              scale=1)
                with gr.Row(equal_height=True):
                    enhance_btn = gr.Button("Enhance", variant="primary", scale=0, min_width=180,
                                            elem_id="ss-enhance")
                    enhance_meta = gr.Markdown()
                enhance_notes = gr.Markdown()
                enhanced = gr.Textbox(label="Enhanced prompt", lines=3, interactive=False, buttons=["copy"],
                                      elem_id="ss-enhanced")
                use_enhanced = gr.Button("Use as prompt", size="sm", scale=0, min_width=160, elem_id="ss-use-enhanced")
                additions = gr.Dataframe(headers=fmt.ADDITION_HEADERS, label="What Aurora added",
                                         interactive=False, wrap=True, elem_classes="ss-table")

            with gr.Tab("Parse", id="parse") as parse_tab:
                with gr.Row(equal_height=True):
                    parse_btn = gr.Button("Parse", variant="primary", scale=0, min_width=180,
                                          elem_id="ss-parse")
                    parse_meta = gr.Markdown()
                parse_notes = gr.Markdown()
                parameters = gr.Dataframe(headers=fmt.PARAMETER_HEADERS, label="Musical parameters",
                                          interactive=False, wrap=True, elem_id="ss-parameters", max_height=720,
                                          elem_classes="ss-table")
                embedding = gr.Plot(label="Unified control embedding", show_label=False, format="png")

            with gr.Tab("Plan", id="plan") as plan_tab:
                with gr.Row(equal_height=True):
                    plan_btn = gr.Button("Plan", variant="primary", scale=0, min_width=180, elem_id="ss-plan")
                    plan_meta = gr.Markdown()
                plan_summary = gr.Markdown(elem_classes="ss-summary")
                plan_notes = gr.Markdown()
                energy = gr.Plot(label="Energy over time", show_label=False, format="png")
                sections = gr.Dataframe(headers=fmt.SECTION_HEADERS, label="Sections", interactive=False,
                                        wrap=True, elem_id="ss-sections", max_height=720, elem_classes="ss-table")
                with gr.Row():
                    chords = gr.Markdown(elem_id="ss-chords")
                    transitions = gr.Dataframe(headers=fmt.TRANSITION_HEADERS, label="Transitions",
                                               interactive=False, elem_classes="ss-table")

        # live suggestions: "always_last" keeps at most one request in flight plus the latest text
        prompt.change(studio.suggest_view, [prompt], [suggestions, suggest_info, *chips],
                      trigger_mode="always_last", show_progress="hidden", **PRIVATE)
        # a duration the prompt states ("10 minutes") is set in the settings' duration slider, and named there
        prompt.change(studio.stated_duration, [prompt], [duration], trigger_mode="always_last",
                      show_progress="hidden", **PRIVATE)
        for index, chip in enumerate(chips):
            # the chip applies in the browser, to the text on screen (a server reply could land after more typing)
            chip.click(None, [prompt, suggestions], [prompt], js=chip_js(index), **PRIVATE)
            if library is not None:  # the chip taken is stored as an accepted suggestion
                chip.click(_accept_handler(library, index), [suggestions], None, **PRIVATE)

        enhance_btn.click(studio.enhance_view, [prompt, level, genre_hint, mood_hint, duration_hint],
                          [enhance_meta, enhance_notes, enhanced, additions], **PRIVATE)
        use_enhanced.click(None, [enhanced], [prompt], js="(text) => text", **PRIVATE)  # in the browser, as chips

        parse_out = [parse_meta, parse_notes, parameters, embedding]
        parse_btn.click(studio.parse_view, [prompt, viewport], parse_out, **PRIVATE)
        parse_tab.select(studio.parse_on_open, [prompt, viewport], parse_out, **PRIVATE)

        plan_in = [prompt, duration, seed, level, viewport]
        plan_out = [plan_meta, plan_summary, plan_notes, energy, sections, chords, transitions]
        plan_btn.click(studio.plan_view, plan_in, plan_out, **PRIVATE)
        plan_tab.select(studio.plan_on_open, plan_in, plan_out, **PRIVATE)

        # refinement before rendering: filled from the prompt, re-planned on each edit, rendered as shown
        fields = [r_genre, r_tempo, r_key, r_mode, r_meter, r_instruments, r_excluded, r_energy, r_structure]
        refine_out = [refine_base, refine_plan, *fields, r_sections, refine_use, refine_note]
        reset_btn.click(refiner.fill_view, [prompt, duration, seed, level], refine_out, **PRIVATE)
        refine_panel.expand(refiner.fill_on_open, [refine_base, prompt, duration, seed, level], refine_out,
                            **PRIVATE)
        replan_in = [refine_base, duration, seed, *fields]
        edits = [r_genre.input, r_tempo.input, r_key.input, r_mode.input, r_meter.input, r_instruments.input,
                 r_excluded.input, r_structure.input, r_energy.release]
        replan_out = [refine_plan, r_sections, refine_note]
        gr.on(edits, refiner.edited, replan_in, [*replan_out, refine_use], trigger_mode="always_last", **PRIVATE)
        # a new duration in the settings: the shown plan follows (no plan yet: nothing to do)
        duration.release(refiner.replan, replan_in, replan_out, trigger_mode="always_last", **PRIVATE)
        prompt.input(refiner.prompt_edited, [refine_use], [refine_use, refine_note], **PRIVATE)

        gen_in = [prompt, duration, audio_format, rate, seed, level]
        gen_out = [player, downloads, gen_summary, gen_notes, piano_roll, gen_energy, gen_badges, stages,
                   gen_embedding, gen_details]
        prepared = gr.on([generate_btn.click, prompt.submit], refiner.prepare,
                         [refine_use, refine_base, refine_plan, r_sections, duration, seed, *fields], [refined],
                         **PRIVATE)
        generated = prepared.success(generator.generate_view, [*gen_in, refined, viewport], gen_out,
                                     show_progress_on=[player, piano_roll], concurrency_id="render", **PRIVATE)
        prepared.failure(generator.cleared_view, None, gen_out, **PRIVATE)
        generated.failure(generator.cleared_view, None, gen_out, **PRIVATE)
        renders = [prepared, generated]  # what Cancel stops
        if library is not None:
            history_out = [history, history_ids]
            generated.success(library.history_view, None, history_out, **PRIVATE)
            app.load(library.history_view, None, history_out, **PRIVATE)
            history_tab.select(library.history_view, None, history_out, **PRIVATE)
            feedback_in = [comment, *ratings]
            thumbs_up.click(library.thumbs_up, feedback_in, [feedback_status], **PRIVATE)
            thumbs_down.click(library.thumbs_down, feedback_in, [feedback_status], **PRIVATE)
            # a new track: the feedback controls start blank (they rate the track on screen)
            gr.on([generate_btn.click, prompt.submit], lambda: ("", None, None, None, ""), None,
                  [feedback_status, *ratings, comment], **PRIVATE)
            history.select(library.pick, [history_ids], [picked, history_info, history_player, history_files],
                           **PRIVATE)
            restore_out = [prompt, *settings, tabs]
            # restoring brings back the prompt, the settings and the parameters and plan it was rendered with
            stored_in = [picked, duration, seed, level]
            restore_btn.click(library.restore, [picked], restore_out, **PRIVATE).success(
                refiner.stored_view, stored_in, refine_out, **PRIVATE)
            for button, same_seed in ((again_btn, True), (again_new_btn, False)):
                again = button.click(_restore_handler(library, same_seed), [picked], restore_out, **PRIVATE).success(
                    refiner.stored_view, stored_in, refine_out, **PRIVATE).success(
                    refiner.prepare, [refine_use, refine_base, refine_plan, r_sections, duration, seed, *fields],
                    [refined], **PRIVATE)
                rendered = again.success(generator.generate_view, [*gen_in, refined, viewport], gen_out,
                                         show_progress_on=[player, piano_roll], concurrency_id="render", **PRIVATE)
                rendered.failure(generator.cleared_view, None, gen_out, **PRIVATE)
                renders.append(rendered)
                rendered.success(library.history_view, None, history_out, **PRIVATE)
        cancel_btn.click(generator.cancel, None, None, cancels=renders, **PRIVATE)
        dice.click(generator.new_seed, None, [seed], **PRIVATE)
        app.load(None, None, [viewport], js="() => window.innerWidth", **PRIVATE)

        # the gradio_client endpoints, named after the spec's REST routes (aurora/ui/api.py)
        register_api(studio, generator, aurora, service)
    return app


def _restore_handler(library: Library, same_seed: bool) -> Callable[..., tuple[Any, ...]]:
    def restore(picked: dict[str, Any] | None) -> tuple[Any, ...]:
        return library.restore(picked, new_seed=not same_seed)

    return restore


def server_address(env: Mapping[str, str] = os.environ) -> tuple[str, int]:
    """Host and port: SOUNDSTAR_* first, then Gradio's own variables (set by HF Spaces), then local."""
    host = env.get("SOUNDSTAR_HOST") or env.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    port = int(env.get("SOUNDSTAR_PORT") or env.get("GRADIO_SERVER_PORT") or 7860)
    return host, port


# The module-level app that Hugging Face Spaces and `gradio app.py` look for. Building it loads no model:
# Aurora loads its knowledge base and embedding model on first use, the engine is made on the first Generate.
demo = build_app()


def main() -> None:
    """Serve the studio: the UI at /, the REST API at /api/v1/aurora (docs at /docs), metrics at /metrics."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import uvicorn

    from aurora.exceptions import ConfigError
    from aurora.server import ServerSettings, StudioService, create_app

    host, port = server_address()
    try:  # the settings are checked here: one message per problem, then exit 2
        settings = ServerSettings.from_env(host=host, port=port)
        service = StudioService.create(settings)
    except ConfigError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        raise SystemExit(2) from None
    service.aurora.warm_up()  # load the knowledge base and embedding model now, not on the first keystroke
    server = create_app(service, blocks=build_app(service=service, warm_examples=True),
                        gradio_options=launch_options())
    uvicorn.run(server, host=host, port=port)


if __name__ == "__main__":
    main()
