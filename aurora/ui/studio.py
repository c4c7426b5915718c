"""The app's callbacks, bound to one Aurora instance.

Two faces over the same facade calls: JSON endpoints (`enhance`, `parse`, `plan`, `suggest`,
`process`) whose type hints become the gradio_client API, and `*_view` callbacks that feed the
panels. Aurora's errors become `gr.Error` messages with their spec code, never a traceback.

No `from __future__ import annotations` here: `gr.api` reads the return annotation as a live type.
"""

import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import gradio as gr
import pydantic
from matplotlib.figure import Figure

from aurora.contracts import (
    EnhanceContext,
    EnhanceResult,
    PlanParameters,
    ProcessResult,
    Suggestion,
)
from aurora.exceptions import AuroraError, InputError
from aurora.parser.duration import parse_duration
from aurora.ui import format as fmt
from aurora.ui.plots import embedding_figure, energy_figure, figure_width_in
from aurora.validation import (
    check_duration,
    check_enhancement_level,
    check_optional_duration,
    check_seed,
    describe_errors,
)
from knowledge_base.limits import (
    DEFAULT_DURATION_S,
    DEFAULT_ENHANCEMENT_LEVEL,
    MAX_DURATION_S,
    MIN_DURATION_S,
)

if TYPE_CHECKING:
    from aurora import Aurora

CHIP_COUNT = 6
Rows = list[list[str]]
EnhanceView = tuple[str, str, str, Rows]
ParseView = tuple[str, str, Rows, Figure | None]
PlanView = tuple[str, str, str, Figure, Rows, str, Rows]


@contextmanager
def user_errors() -> Iterator[None]:
    """Show Aurora's and the contracts' validation errors as a clear message in the UI and the API."""
    try:
        yield
    except InputError as exc:
        raise gr.Error(
            f"{exc.message} ({exc.code})", title="Check your prompt", print_exception=False
        ) from exc
    except AuroraError as exc:
        raise gr.Error(f"{exc.message} ({exc.code})", title="Aurora could not finish") from exc
    except pydantic.ValidationError as exc:
        problems = describe_errors(exc)
        raise gr.Error(f"{problems} ({InputError.code})", title="Invalid parameters", print_exception=False) from exc


def check_level(level: object) -> None:
    """The enhancement level is one of knowledge_base.limits.ENHANCEMENT_LEVELS, else a clear coded UI error."""
    with user_errors():
        check_enhancement_level(level, DEFAULT_ENHANCEMENT_LEVEL)


def _dump(model: pydantic.BaseModel) -> dict[str, Any]:
    """JSON-ready dict with the spec's field names (`from`, not `from_`)."""
    return model.model_dump(mode="json", by_alias=True)


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def chip_js(index: int) -> str:
    """What clicking chip ``index`` does, run in the browser: the suggestion's preview if the prompt is unchanged
    since the suggestions were made or has only been typed further along it (chips made for "lo-fi be" offer
    "…beatboxing"; clicked once "lo-fi beat" is typed, that is still "lo-fi beatboxing", not "beat beatboxing"),
    else its text appended to the prompt as it is now.

    Why in the browser: a chip applied by the server wrote its reply into the prompt whenever the reply came, so
    on a busy server a person who clicked a chip and went on typing lost what they typed to the late reply. Here
    the chip applies at once, to the text on screen; the server only records the accepted suggestion.
    """
    return (
        "(prompt, made) => {"
        f" const chosen = made && made.suggestions ? made.suggestions[{index:d}] : undefined;"
        " if (!chosen) return prompt;"
        " if (prompt === made.partial_prompt || chosen.preview.startsWith(prompt)) return chosen.preview;"
        " return (prompt.trimEnd() + ' ' + chosen.text).trim(); }"
    )


def chip_label(suggestion: Suggestion) -> str:
    """'…word' for a completion of the word being typed, '+ text' for an addition."""
    return f"…{suggestion.text}" if suggestion.kind == "completion" else f"+ {suggestion.text}"


class Studio:
    """Callbacks for one Aurora instance; holds no other state, so sessions never interfere."""

    def __init__(self, aurora: "Aurora") -> None:
        self._aurora = aurora

    # ------------------------------------------------------------------ JSON endpoints
    def enhance(
        self,
        prompt: str,
        enhancement_level: str = DEFAULT_ENHANCEMENT_LEVEL,
        genre_hint: str | None = None,
        mood_hint: str | None = None,
        duration_hint: float | None = None,
    ) -> dict[str, Any]:
        """Enhance a raw prompt with musical context (spec §5.2.1)."""
        with user_errors():
            return _dump(self._enhance(prompt, enhancement_level, genre_hint, mood_hint, duration_hint))

    def parse(self, prompt: str) -> dict[str, Any]:
        """Parse a prompt into musical parameters and the 640-d control embedding (spec §5.2.2)."""
        with user_errors():
            return _dump(self._aurora.parse(prompt=prompt))

    def plan(
        self,
        genre: str,
        mood: str,
        tempo_bpm: float,
        duration_seconds: float = DEFAULT_DURATION_S,
        key: str | None = None,
        time_signature: str = "4/4",
        structure: str | None = None,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Plan sections, transitions and chords for stated parameters (spec §5.2.3)."""
        with user_errors():
            parameters = PlanParameters(
                genre=genre, mood=mood, tempo_bpm=tempo_bpm, duration_seconds=check_duration(duration_seconds),
                key=_blank_to_none(key), time_signature=time_signature,
                structure=_blank_to_none(structure), seed=check_seed(seed),
            )
            return _dump(self._aurora.plan(parameters=parameters))

    def suggest(self, partial_prompt: str, suggestion_count: int = 5) -> dict[str, Any]:
        """Ranked completions and missing dimensions for a prompt being typed (spec §8)."""
        with user_errors():
            result = self._aurora.suggest(partial_prompt=partial_prompt, suggestion_count=suggestion_count)
            return _dump(result)

    def process(
        self, prompt: str, duration_s: float | None = None, enhancement_level: str = DEFAULT_ENHANCEMENT_LEVEL,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Whole semantic pipeline: preprocess, enhance, parse, plan. Without duration_s the prompt's stated
        duration is used (else 30 s); with it, it wins and the result warns when the prompt says otherwise."""
        with user_errors():
            return _dump(self._process(prompt, duration_s, enhancement_level, seed))

    # ------------------------------------------------------------------ panel callbacks
    def enhance_view(
        self, prompt: str, level: str, genre_hint: str, mood_hint: str, duration_hint: float | None
    ) -> EnhanceView:
        with user_errors():
            result = self._enhance(prompt, level, genre_hint, mood_hint, duration_hint)
        badge = fmt.metadata_badge(result.aurora_metadata, label="Enhance")
        notes = fmt.notes_markdown(notes=result.notes)
        return badge, notes, result.enhanced_prompt, fmt.addition_rows(result)

    def parse_view(self, prompt: str, viewport_px: float | None = None) -> ParseView:
        with user_errors():
            result = self._aurora.parse(prompt=prompt)
        control = result.control_encoder_params
        return (
            fmt.metadata_badge(result.aurora_metadata, label="Parse"),
            fmt.notes_markdown(result.warnings, result.notes),
            fmt.parameter_rows(result.parsed_parameters),
            embedding_figure(control, width_in=figure_width_in(viewport_px)) if control is not None else None,
        )

    def plan_view(self, prompt: str, duration_s: float, seed: float | None, level: str,
                  viewport_px: float | None = None) -> PlanView:
        with user_errors():
            result = self._process(prompt, duration_s, level, seed or 0)
        plan = result.plan.structural_plan
        params = result.parse.parsed_parameters
        timings = " · ".join(f"{stage} {ms:.1f} ms" for stage, ms in result.timings_ms.items())
        badge = fmt.metadata_badge(result.plan.aurora_metadata, label="Plan")
        if timings:
            badge += f"<br><span class='ss-badge ss-faint'>pipeline: {timings}</span>"
        moods = ", ".join(m.value for m in params.mood)
        notes = fmt.notes_markdown(
            [*result.warnings, *result.plan.warnings], result.clean_prompt.notes,
            language=result.clean_prompt.language,
        )
        return (badge, fmt.plan_summary(plan, genre=params.genre.value, mood=moods), notes,
                energy_figure(plan, width_in=figure_width_in(viewport_px)), fmt.section_rows(plan),
                fmt.chord_markdown(plan), fmt.transition_rows(plan))

    def plan_on_open(
        self, prompt: str, duration_s: float, seed: float | None, level: str, viewport_px: float | None = None
    ) -> PlanView | tuple[Any, ...]:
        """Opening the Plan tab plans the current prompt; with no prompt yet it leaves the panel as is."""
        if not prompt.strip():
            return tuple(gr.skip() for _ in range(7))
        return self.plan_view(prompt, duration_s, seed, level, viewport_px)

    def parse_on_open(self, prompt: str, viewport_px: float | None = None) -> ParseView | tuple[Any, ...]:
        if not prompt.strip():
            return tuple(gr.skip() for _ in range(4))
        return self.parse_view(prompt, viewport_px)

    @staticmethod
    def stated_duration(prompt: str) -> Any:
        """The settings' duration slider takes a duration the prompt states ("ambient drone, 10 minutes"),
        brought into range, and names it; a prompt that states none leaves the slider as the user set it."""
        seconds = parse_duration(prompt.lower()) if isinstance(prompt, str) and prompt.strip() else None
        if seconds is None:
            return gr.update(info="A duration the prompt states is set here")
        value = float(min(MAX_DURATION_S, max(MIN_DURATION_S, round(seconds))))
        stated = fmt.clock(seconds).removesuffix(".0")
        note = f"The prompt says {stated}" + ("" if value == round(seconds) else f" (kept to {value:g} s)")
        return gr.update(value=value, info=note)

    def suggest_view(self, prompt: str) -> tuple[Any, ...]:
        """Suggestion chips for the prompt as typed; errors here are shown quietly, never as pop-ups."""
        hidden = [gr.update(visible=False)] * CHIP_COUNT
        if not prompt.strip():
            return (None, "", *hidden)
        try:
            result = self._aurora.suggest(partial_prompt=prompt, suggestion_count=CHIP_COUNT)
        except AuroraError as exc:
            return (None, f"<span class='ss-badge'>{html.escape(exc.message)}</span>", *hidden)
        chips = [gr.update(value=chip_label(s), visible=True) for s in result.suggestions[:CHIP_COUNT]]
        chips += hidden[len(chips):]
        return (_dump(result), fmt.metadata_badge(result.aurora_metadata, label="Suggest"), *chips)

    # ------------------------------------------------------------------ facade calls
    def _enhance(
        self, prompt: str, level: str, genre_hint: str | None, mood_hint: str | None,
        duration_hint: float | None,
    ) -> EnhanceResult:
        check_level(level)
        hints = {
            "genre_hint": _blank_to_none(genre_hint),
            "mood_hint": _blank_to_none(mood_hint),
            "duration_hint": duration_hint or None,
        }
        context = EnhanceContext(**hints) if any(v is not None for v in hints.values()) else None
        return self._aurora.enhance(prompt=prompt, context=context, enhancement_level=level)

    def _process(self, prompt: str, duration_s: object, level: str, seed: object) -> ProcessResult:
        check_level(level)
        return self._aurora.process(prompt=prompt, duration_s=check_optional_duration(duration_s),
                                    enhancement_level=level, seed=check_seed(seed))
