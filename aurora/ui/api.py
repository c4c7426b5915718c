"""The studio's gradio_client API: named endpoints /enhance /suggest /parse /plan /process /generate /history
/feedback with typed, named inputs and named outputs (what the app's "Use via API" page prints).

- /enhance /suggest /parse /plan /process: JSON in, JSON out (`Studio`'s typed functions through `gr.api`).
- /generate: prompt and settings in (sample rate an integer, format and level from their lists), and five named
  outputs a client downloads: ``audio``, ``midi``, ``stems`` (zip; None when not asked for), ``plan`` (JSON file)
  and ``metadata`` (JSON). The track is rendered in the request (inside `spaces.GPU` on a ZeroGPU Space) and its
  files are written once, into the data folder of the studio's store (`FileStore`) for the caller's user; Gradio
  serves them from there (static paths), no copy in its cache.
- /history and /feedback act for the caller's user only: the signed-in user when the UI asks for a login, else the
  user of a bearer token the client sends (``Client(url, headers={"Authorization": "Bearer TOKEN"})``), else the
  anonymous user of the client's browser cookie (gradio_client keeps the cookie the server set). Another user's
  session answers AURORA_NOT_FOUND, exactly like a missing one.

Without the studio server (`build_app()` alone, as `gradio app.py` runs it) /generate writes unowned files into
the Generator's data folder (pruned after an hour, as the UI's) and /history and /feedback answer
AURORA_UNAVAILABLE: they need the store that `python app.py` opens.

No `from __future__ import annotations` here, like studio.py: Gradio reads these signatures.
"""

from typing import TYPE_CHECKING, Any, Literal

import gradio as gr
from gradio import utils

from aurora.exceptions import AuthInvalidError, NotFoundError, ServiceError
from aurora.ui.generate import generation_errors, store_generation, summary, write_scratch
from aurora.ui.studio import check_level, user_errors
from aurora.ui.zerogpu import on_gpu
from aurora.validation import check_optional_duration, check_seed
from engine.export import DEFAULT_FORMAT, DEFAULT_SAMPLE_RATE, FORMATS, SAMPLE_RATES
from knowledge_base.limits import DEFAULT_DURATION_S, DEFAULT_ENHANCEMENT_LEVEL, ENHANCEMENT_LEVELS, MAX_DURATION_S

if TYPE_CHECKING:
    from aurora import Aurora
    from aurora.generation import Generation
    from aurora.server import StudioService
    from aurora.store import UserRecord
    from aurora.ui.generate import Generator
    from aurora.ui.studio import Studio

JSON_ENDPOINTS = ("enhance", "suggest", "parse", "plan", "process")
GENERATE_OUTPUTS = ("audio", "midi", "stems", "plan", "metadata")
HISTORY_MAX = 100
FeedbackType = Literal["positive", "negative", "neutral"]


EXAMPLE_PROMPT = "a melancholic lo-fi beat at 80 BPM in D minor with rhodes and vinyl crackle"
# What the API page prints for parameters without a default (Gradio would print "...", which no endpoint accepts)
EXAMPLES: dict[str, dict[str, object]] = {
    "enhance": {"prompt": EXAMPLE_PROMPT}, "parse": {"prompt": EXAMPLE_PROMPT}, "process": {"prompt": EXAMPLE_PROMPT},
    "suggest": {"partial_prompt": "a melancholic lo-fi beat"},
    "plan": {"genre": "hip hop", "mood": "melancholic", "tempo_bpm": 80.0},
}


def show_examples(dependency: Any, examples: dict[str, object]) -> None:
    """Give a `gr.api` endpoint's required parameters the example its API page prints (the parameters stay
    required: only the printed example changes)."""
    blocks = gr.context.get_blocks_context()
    if blocks is None or not examples:
        return
    fn = blocks.fns[dependency["id"]]  # a Dependency is its event's config
    if fn.fn is None:
        return
    names = [name for name, *_ in utils.get_function_params(fn.fn)]
    inputs: list[Any] = list(fn.inputs)
    for name, component in zip(names, inputs, strict=False):
        if name in examples:
            example = examples[name]
            component.example_payload = lambda example=example: example
            component.example_value = lambda example=example: example


class UnavailableError(ServiceError):
    code = "AURORA_UNAVAILABLE"
    status_code = 503


def caller(service: "StudioService", request: gr.Request | None) -> "UserRecord":
    """The user an API call acts for: the signed-in user, else a bearer token's user, else the browser cookie's
    anonymous user. A bearer token that is unknown or revoked is refused, never ignored."""
    if request is None:
        raise NotFoundError("no caller: this endpoint is called through the app")
    username = getattr(request, "username", None)
    headers = getattr(request, "headers", None) or {}
    auth = str(headers.get("authorization", "") or "")
    if not username and auth:
        scheme, _, token = auth.partition(" ")
        user = service.store.user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            raise AuthInvalidError("unknown or revoked token")
        return user
    user = service.ui_user(cookies=dict(getattr(request, "cookies", None) or {}), username=username)
    if user is None:
        raise AuthInvalidError("no user: send the cookie the server set, or 'Authorization: Bearer <token>'")
    return user


class StudioApi:
    """The /generate /history /feedback functions for one app (Aurora, the Generator's engine, the service)."""

    def __init__(self, aurora: "Aurora", generator: "Generator", service: "StudioService | None" = None) -> None:
        self._aurora = aurora
        self._generator = generator
        self._service = service
        self._render = on_gpu(self._render_track)  # a GPU attached while it runs on a ZeroGPU Space

    # ------------------------------------------------------------------ /generate
    def generate(
        self, prompt: str, duration_s: float | None = DEFAULT_DURATION_S, audio_format: str = DEFAULT_FORMAT,
        sample_rate: int = DEFAULT_SAMPLE_RATE, seed: int = 0, enhancement_level: str = DEFAULT_ENHANCEMENT_LEVEL,
        stems: bool = True, request: gr.Request | None = None,
    ) -> tuple[str, str, str | None, str, dict[str, Any]]:
        """Text to a finished track: audio, MIDI, stems (zip), the plan (JSON file: the structural plan beside the
        parsed parameters) and metadata (parameters, sections, stage timings, session_id, result_id for /feedback)."""
        with user_errors():
            user = caller(self._service, request) if self._service is not None else None
        with generation_errors():
            check_level(enhancement_level)
            seed = check_seed(seed)
            duration = check_optional_duration(duration_s or None)
            generation = self._render(prompt, duration, audio_format, sample_rate, seed, enhancement_level)
            return self._store(generation, user, prompt=prompt, seed=seed, level=enhancement_level, stems=stems)

    def _render_track(self, prompt: str, duration_s: float | None, audio_format: str, sample_rate: object,
                      seed: int, level: str) -> "Generation":
        from aurora.generation import generate

        rate = int(sample_rate) if isinstance(sample_rate, float) and sample_rate.is_integer() else sample_rate
        return generate(aurora=self._aurora, engine=self._generator.engine, prompt=prompt, duration_s=duration_s,
                        sample_rate=rate, audio_format=audio_format, seed=seed,  # type: ignore[arg-type]
                        enhancement_level=level)

    def _store(self, generation: "Generation", user: "UserRecord | None", *, prompt: str, seed: int, level: str,
               stems: bool) -> tuple[str, str, str | None, str, dict[str, Any]]:
        """The files, once, in the data folder (the caller's user's folder when there is a store), plus plan.json."""
        metadata = summary(generation, prompt=prompt, seed=seed)
        if self._service is not None and user is not None:
            outputs = store_generation(self._service, user, generation, prompt=prompt, seed=seed, level=level,
                                       stems=stems)
        else:  # no store: unowned files in the data folder, pruned like the UI's (one writer for both)
            outputs = write_scratch(generation, self._generator.files)
        metadata.update(session_id=outputs.session_id, result_id=outputs.result_id)
        return (str(outputs.audio), str(outputs.midi), str(outputs.stems) if outputs.stems else None,
                str(outputs.plan), metadata)

    # ------------------------------------------------------------------ /history and /feedback
    def _store_user(self, request: gr.Request | None) -> tuple["StudioService", "UserRecord"]:
        if self._service is None:
            raise UnavailableError("history and feedback need the studio server's store: run `python app.py`")
        return self._service, caller(self._service, request)

    def history(self, limit: int = 20, offset: int = 0, request: gr.Request | None = None) -> dict[str, Any]:
        """Your generations, newest first: ids (for /feedback), prompt, settings, status, length, file names."""
        with user_errors():
            service, user = self._store_user(request)
            limit, offset = max(1, min(HISTORY_MAX, int(limit))), max(0, int(offset))
            sessions, total = service.store.history(user_id=user.id, limit=limit, offset=offset, kind="generate")
        items = []
        for session in sessions:
            result = session.results[0] if session.results else None
            items.append({
                "session_id": session.id, "result_id": result.id if result else None,
                "created_at": session.created_at.isoformat(), "prompt": session.original_prompt,
                "status": session.status, "options": (session.request or {}).get("options", {}),
                "audio_duration_s": result.audio_duration_seconds if result else None,
                "files_available": bool(result and result.files_available),
                "error": {"code": session.error_code, "message": session.error_message}
                if session.error_code else None,
            })
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def feedback(
        self, session_id: str, feedback_type: FeedbackType = "positive", result_id: str | None = None,
        prompt_quality_rating: int | None = None, suggestion_relevance_rating: int | None = None,
        audio_quality_rating: int | None = None, comments: str | None = None,
        request: gr.Request | None = None,
    ) -> dict[str, Any]:
        """Rate one of your generations (session_id and result_id from /generate's metadata or /history):
        positive, negative or neutral, optional 1-5 ratings and a comment."""
        from aurora.server.schemas import FeedbackBody

        with user_errors():
            service, user = self._store_user(request)
            body = FeedbackBody(session_id=session_id, result_id=result_id or None, feedback_type=feedback_type,
                                prompt_quality_rating=prompt_quality_rating or None,
                                suggestion_relevance_rating=suggestion_relevance_rating or None,
                                audio_quality_rating=audio_quality_rating or None,
                                comments=(comments or "").strip() or None)
            feedback_id = service.feedback(user, body)
        return {"feedback_id": feedback_id, "session_id": body.session_id, "result_id": body.result_id}


def register_api(studio: "Studio", generator: "Generator", aurora: "Aurora",
                 service: "StudioService | None" = None) -> StudioApi:
    """Register the named endpoints in the Blocks being built (call inside ``with gr.Blocks()``); ``aurora`` is
    the instance the studio calls, ``service`` the studio server's (None: no store, see the module's note)."""
    api = StudioApi(aurora, generator, service)
    for name in JSON_ENDPOINTS:
        dependency = gr.api(getattr(studio, name), api_name=name)  # type: ignore[attr-defined]
        show_examples(dependency, EXAMPLES.get(name, {}))

    # /generate through components, so its files are served to the client and its inputs are typed
    with gr.Column(visible=False):
        inputs = [
            gr.Textbox(label="prompt"),
            gr.Number(value=DEFAULT_DURATION_S, label="duration_s", minimum=0, maximum=MAX_DURATION_S),
            gr.Dropdown(list(FORMATS), value=DEFAULT_FORMAT, label="audio_format"),
            gr.Number(value=DEFAULT_SAMPLE_RATE, label="sample_rate", precision=0,
                      info=f"one of {', '.join(str(r) for r in SAMPLE_RATES)}"),
            gr.Number(value=0, label="seed", precision=0, minimum=0),
            gr.Dropdown(list(ENHANCEMENT_LEVELS), value=DEFAULT_ENHANCEMENT_LEVEL, label="enhancement_level"),
            gr.Checkbox(value=True, label="stems"),
        ]
        outputs = [gr.File(label="audio"), gr.File(label="midi"), gr.File(label="stems"), gr.File(label="plan"),
                   gr.JSON(label="metadata")]
        trigger = gr.Button(visible=False)
    generate = trigger.click(api.generate, inputs, outputs, api_name="generate",
                             api_description="Text to a finished track: audio, MIDI, stems (zip), the plan (JSON) "
                                             "and metadata.")
    show_examples(generate, {"prompt": EXAMPLE_PROMPT})
    gr.api(api.history, api_name="history")  # type: ignore[attr-defined]
    gr.api(api.feedback, api_name="feedback")  # type: ignore[attr-defined]
    return api
