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
from aurora.ui.generate import Generator
from aurora.ui.library import HISTORY_HEADERS, Library
from aurora.ui.studio import CHIP_COUNT, Studio
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

EXAMPLES = [
    "a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle",
    "uplifting progressive house, 126 bpm, big build and drop, supersaw leads",
    "a slow jazz waltz in Bb major with upright bass, brushes and a muted trumpet",
    "dark cinematic score in C# minor, strings ostinato and taiko drums, no vocals",
    "upbeat funk groove with slap bass and horn stabs like Vulfpeck, ii-V-I in F",
]
PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def _chip_handler(studio: Studio, index: int) -> Callable[[str, dict[str, Any] | None], str]:
    def apply(prompt: str, suggestions: dict[str, Any] | None) -> str:
        return studio.apply_suggestion(prompt, suggestions, index)

    return apply


def build_app(aurora: Aurora | None = None, engine: Engine | None = None,
              service: StudioService | None = None) -> gr.Blocks:
    """Build the studio around one Aurora instance (created here when none is injected) and one engine
    (created on the first Generate when none is injected). With the studio server's `service`, every track is
    stored for the browser's user, rated with the feedback buttons and listed under History."""
    if aurora is None:
        from aurora import Aurora

        aurora = service.aurora if service is not None else Aurora()
    studio = Studio(aurora)
    library = Library(service) if service is not None else None
    generator = Generator(aurora, engine, library)

    # Gradio's copies of served files (audio, MIDI, stems) are dropped after an hour
    app = gr.Blocks(title="Soundstar studio", analytics_enabled=False, delete_cache=(1800, 3600))
    with app:
        gr.Markdown(
            "# Soundstar studio\nDescribe the music. Aurora hears tempo, key, meter, mood, instruments "
            "and form, and shows you what it understood before a note is played.",
            elem_classes="ss-header",
        )
        prompt = gr.Textbox(
            label="Prompt", lines=3, max_lines=8, autofocus=True, buttons=["copy"], elem_id="ss-prompt",
            placeholder="e.g. a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle",
        )
        suggestions = gr.State(None)
        with gr.Row(elem_classes="ss-chips", elem_id="ss-chips"):
            chips = [
                gr.Button(visible=False, size="sm", variant="secondary", elem_classes="ss-chip")
                for _ in range(CHIP_COUNT)
            ]
        suggest_info = gr.Markdown(elem_id="ss-suggest-info")
        gr.Examples(EXAMPLES, inputs=[prompt], label="Try one")

        with gr.Tabs(selected="generate"):  # the main action leads: the page opens on Generate
            with gr.Tab("Generate", id="generate"):
                with gr.Row(equal_height=True):
                    gen_duration = gr.Slider(MIN_DURATION_S, MAX_DURATION_S, value=DEFAULT_DURATION_S, step=1,
                                             label="Duration (s)", scale=4, elem_id="ss-gen-duration")
                    gen_format = gr.Radio(list(FORMATS), value=DEFAULT_FORMAT, label="Format", scale=2)
                    gen_rate = gr.Dropdown(list(SAMPLE_RATES), value=DEFAULT_SAMPLE_RATE, label="Sample rate (Hz)",
                                           scale=1)
                    gen_seed = gr.Number(value=0, precision=0, label="Seed", scale=1, elem_id="ss-gen-seed")
                    dice = gr.Button("⚄", scale=0, min_width=52, elem_id="ss-dice", elem_classes="ss-dice")
                    generate_btn = gr.Button("Generate", variant="primary", scale=1, elem_id="ss-generate")
                gen_summary = gr.Markdown(elem_classes="ss-summary", elem_id="ss-gen-summary")
                gen_notes = gr.Markdown()
                with gr.Row(equal_height=True):
                    player = gr.Audio(label="Track", interactive=False, scale=3, elem_id="ss-audio",
                                      buttons=["download"])
                    downloads = gr.File(label="Downloads: audio, MIDI, stems", file_count="multiple",
                                        interactive=False, scale=2, elem_id="ss-downloads")
                if library is not None:
                    with gr.Row(equal_height=True, elem_id="ss-feedback"):
                        thumbs_up = gr.Button("👍", scale=0, min_width=52, elem_id="ss-thumbs-up")
                        thumbs_down = gr.Button("👎", scale=0, min_width=52, elem_id="ss-thumbs-down")
                        comment = gr.Textbox(show_label=False, placeholder="A comment on this track (optional)",
                                             scale=4, elem_id="ss-comment")
                        feedback_status = gr.Markdown(elem_id="ss-feedback-status")
                piano_roll = gr.Plot(label="Piano roll", show_label=False, format="png", elem_id="ss-pianoroll")
                gen_energy = gr.Plot(label="Energy over time", show_label=False, format="png",
                                     elem_id="ss-gen-energy")
                stages = gr.Dataframe(headers=fmt.STAGE_HEADERS, label="Stages", interactive=False, wrap=True,
                                      elem_id="ss-stages", column_widths=["16%", "9%", "45%", "14%", "16%"])
                with gr.Accordion("Generation metadata (JSON)", open=False):
                    gen_details = gr.JSON(show_label=False)

            if library is not None:
                with gr.Tab("History", id="history"):
                    history = gr.Dataframe(headers=HISTORY_HEADERS, label="Your generations, newest first",
                                           interactive=False, wrap=True, elem_id="ss-history",
                                           column_widths=["14%", "52%", "9%", "11%", "7%", "7%"])

            with gr.Tab("Enhance", id="enhance"):
                with gr.Row():
                    level = gr.Radio(list(ENHANCEMENT_LEVELS), value=DEFAULT_ENHANCEMENT_LEVEL,
                                     label="Enhancement level", scale=2,
                                     info="Also used by Plan and Generate")
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
                use_enhanced = gr.Button("Use as prompt", size="sm", scale=0, min_width=160)
                additions = gr.Dataframe(headers=fmt.ADDITION_HEADERS, label="What Aurora added",
                                         interactive=False, wrap=True,
                                         column_widths=["12%", "22%", "14%", "52%"])

            with gr.Tab("Parse", id="parse") as parse_tab:
                with gr.Row(equal_height=True):
                    parse_btn = gr.Button("Parse", variant="primary", scale=0, min_width=180,
                                          elem_id="ss-parse")
                    parse_meta = gr.Markdown()
                parse_notes = gr.Markdown()
                parameters = gr.Dataframe(headers=fmt.PARAMETER_HEADERS, label="Musical parameters",
                                          interactive=False, wrap=True, elem_id="ss-parameters", max_height=720,
                                          column_widths=["18%", "44%", "22%", "16%"])
                embedding = gr.Plot(label="Unified control embedding", show_label=False, format="png")

            with gr.Tab("Plan", id="plan") as plan_tab:
                with gr.Row(equal_height=True):
                    duration = gr.Slider(MIN_DURATION_S, MAX_DURATION_S, value=DEFAULT_DURATION_S, step=1,
                                         label="Duration (s)", scale=4)
                    seed = gr.Number(value=0, precision=0, label="Seed", scale=1)
                    plan_btn = gr.Button("Plan", variant="primary", scale=1, elem_id="ss-plan")
                plan_meta = gr.Markdown()
                plan_summary = gr.Markdown(elem_classes="ss-summary")
                plan_notes = gr.Markdown()
                energy = gr.Plot(label="Energy over time", show_label=False, format="png")
                sections = gr.Dataframe(headers=fmt.SECTION_HEADERS, label="Sections", interactive=False,
                                        wrap=True, elem_id="ss-sections", max_height=720,
                                        column_widths=["4%", "11%", "6%", "8%", "8%", "12%", "17%", "34%"])
                with gr.Row():
                    chords = gr.Markdown(elem_id="ss-chords")
                    transitions = gr.Dataframe(headers=fmt.TRANSITION_HEADERS, label="Transitions",
                                               interactive=False)

        # live suggestions: "always_last" keeps at most one request in flight plus the latest text
        prompt.change(studio.suggest_view, [prompt], [suggestions, suggest_info, *chips],
                      trigger_mode="always_last", show_progress="hidden", **PRIVATE)
        # a duration the prompt states ("10 minutes") shows in both duration sliders
        prompt.change(studio.stated_duration, [prompt], [duration, gen_duration], trigger_mode="always_last",
                      show_progress="hidden", **PRIVATE)
        for index, chip in enumerate(chips):
            chip.click(_chip_handler(studio, index), [prompt, suggestions], [prompt], **PRIVATE)

        enhance_btn.click(studio.enhance_view, [prompt, level, genre_hint, mood_hint, duration_hint],
                          [enhance_meta, enhance_notes, enhanced, additions], **PRIVATE)
        use_enhanced.click(lambda text: text, [enhanced], [prompt], **PRIVATE)

        parse_out = [parse_meta, parse_notes, parameters, embedding]
        parse_btn.click(studio.parse_view, [prompt], parse_out, **PRIVATE)
        parse_tab.select(studio.parse_on_open, [prompt], parse_out, **PRIVATE)

        plan_in = [prompt, duration, seed, level]
        plan_out = [plan_meta, plan_summary, plan_notes, energy, sections, chords, transitions]
        plan_btn.click(studio.plan_view, plan_in, plan_out, **PRIVATE)
        duration.release(studio.plan_on_open, plan_in, plan_out, **PRIVATE)
        plan_tab.select(studio.plan_on_open, plan_in, plan_out, **PRIVATE)

        gen_in = [prompt, gen_duration, gen_format, gen_rate, gen_seed, level]
        gen_out = [player, downloads, gen_summary, gen_notes, piano_roll, gen_energy, stages, gen_details]
        generated = generate_btn.click(generator.generate_view, gen_in, gen_out,
                                       show_progress_on=[player, piano_roll], **PRIVATE)
        generated.failure(generator.cleared_view, None, gen_out, **PRIVATE)
        if library is not None:
            generated.success(library.history_view, None, [history], **PRIVATE)
            app.load(library.history_view, None, [history], **PRIVATE)
            thumbs_up.click(library.thumbs_up, [comment], [feedback_status], **PRIVATE)
            thumbs_down.click(library.thumbs_down, [comment], [feedback_status], **PRIVATE)
            generate_btn.click(lambda: "", None, [feedback_status], **PRIVATE)
        dice.click(generator.new_seed, None, [gen_seed], **PRIVATE)

        # the gradio_client endpoints, named after the spec's REST routes (aurora/ui/api.py)
        register_api(studio, generator, aurora, service)
    return app


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
    server = create_app(service, blocks=build_app(service=service), gradio_options=launch_options())
    uvicorn.run(server, host=host, port=port)


if __name__ == "__main__":
    main()
