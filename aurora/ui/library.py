"""The studio's memory for one browser: each generation stored for its user (the anonymous user of the browser's
cookie, or the signed-in user), feedback on the track on screen, and the user's history read back from the store.

Only when the app runs inside the studio server (`aurora.server.StudioService`); `python app.py` does. The
result on screen is remembered per browser tab (Gradio's session hash) so the feedback buttons rate that track.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import html
import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import gradio as gr

if TYPE_CHECKING:
    from aurora.generation import Generation
    from aurora.server import StudioService
    from aurora.store import FileStore, UserRecord
    from aurora.ui.generate import Outputs

log = logging.getLogger(__name__)
HISTORY_HEADERS = ["When (UTC)", "Prompt", "Length", "Seed", "Format", "Status"]
HISTORY_LIMIT = 50
TABS_REMEMBERED = 2048
FEEDBACK_TYPES = {"up": "positive", "down": "negative"}
COMMENT_MAX = 2000
RATING_CHOICES = [1, 2, 3, 4, 5]
RATINGS = [("Prompt understood (1-5)", "ss-rating-prompt"), ("Suggestions relevant (1-5)", "ss-rating-suggestions"),
           ("Audio quality (1-5)", "ss-rating-audio")]


class Library:
    """Store-backed history and feedback for the studio UI."""

    def __init__(self, service: "StudioService") -> None:
        self._service = service
        self._on_screen: OrderedDict[str, tuple[str, str]] = OrderedDict()  # tab -> (session id, result id)
        self._lock = threading.Lock()

    @property
    def files(self) -> "FileStore":
        return self._service.files

    def user(self, request: gr.Request | None) -> "UserRecord | None":
        if request is None:
            return None
        cookies = dict(getattr(request, "cookies", None) or {})
        return self._service.ui_user(cookies=cookies, username=getattr(request, "username", None))

    @staticmethod
    def _tab(request: gr.Request | None) -> str | None:
        return getattr(request, "session_hash", None) if request is not None else None

    def forget(self, request: gr.Request | None) -> None:
        """A new run starts: the feedback buttons no longer rate the previous track."""
        tab = self._tab(request)
        if tab:
            with self._lock:
                self._on_screen.pop(tab, None)

    def record(self, request: gr.Request | None, generation: "Generation", *, prompt: str, seed: int,
               level: str) -> "Outputs | None":
        """Store a finished generation for this browser's user, its files written once in the data folder (the
        studio serves them from there); None when there is no user yet (no cookie) or the store refused it
        (logged: the caller writes the files unowned, the track on screen is not lost)."""
        from aurora.ui.generate import store_generation

        user, tab = self.user(request), self._tab(request)
        if user is None or tab is None:
            return None
        try:
            outputs = store_generation(self._service, user, generation, prompt=prompt, seed=seed, level=level)
        except Exception:
            log.exception("the studio could not store a generation")
            return None
        assert outputs.session_id is not None and outputs.result_id is not None  # a stored generation has both
        with self._lock:
            self._on_screen[tab] = (outputs.session_id, outputs.result_id)
            while len(self._on_screen) > TABS_REMEMBERED:
                self._on_screen.popitem(last=False)
        return outputs

    def accept_suggestion(self, request: gr.Request | None, suggestions: dict[str, Any] | None,
                          index: int) -> str | None:
        """A suggestion chip the user clicked, stored as an accepted suggestion (spec §7.1 aurora_suggestions,
        user_accepted) in a session of its own; the row's id, or None when there is no user or no such chip."""
        from aurora.contracts import SuggestResult
        from aurora.store import SuggestionRow

        user = self.user(request)
        if user is None or not suggestions:
            return None
        try:
            result = SuggestResult.model_validate(suggestions)
            if not 0 <= index < len(result.suggestions):
                return None
            chosen = result.suggestions[index]
            row = SuggestionRow(module="prompt_enhancer", suggestion_type=f"live_{chosen.kind}",
                                original_value=result.partial_prompt or None, suggested_value=chosen.preview,
                                confidence=round(max(0.0, min(0.99, float(chosen.score))), 2),
                                reasoning=chosen.text, user_accepted=True)
            session_id = self._service.store.record_session(
                user_id=user.id, kind="suggest", original_prompt=result.partial_prompt or chosen.preview,
                implementation_used="rule_based", suggestions=[row])
        except Exception:  # the chip still applies; the record is best effort
            log.exception("the studio could not store an accepted suggestion")
            return None
        return session_id

    # ------------------------------------------------------------------ panel callbacks
    def feedback_view(self, verdict: str, comment: str | None, request: gr.Request,
                      ratings: tuple[object, ...] = (None, None, None)) -> str:
        """Thumbs up/down on the track on screen, with the optional 1-5 ratings (prompt understood, suggestions
        relevant, audio quality) and the comment, stored as user_feedback."""
        feedback_type = FEEDBACK_TYPES.get(verdict)
        if feedback_type is None:
            raise gr.Error(f"unknown verdict {verdict!r} (AURORA_INPUT_INVALID)", print_exception=False)
        prompt_q, relevance, audio_q = (_rating(r) for r in ratings)
        user = self.user(request)
        with self._lock:
            ids = self._on_screen.get(self._tab(request) or "")
        if user is None or ids is None:
            return "Generate a track first, then rate it."
        text = (comment or "").strip()[:COMMENT_MAX] or None
        self._service.store.add_feedback(user_id=user.id, session_id=ids[0], result_id=ids[1],
                                         feedback_type=feedback_type, prompt_quality_rating=prompt_q,
                                         suggestion_relevance_rating=relevance, audio_quality_rating=audio_q,
                                         comments=text)
        return "Thanks: your 👍 is saved." if feedback_type == "positive" else "Thanks: your 👎 is saved."

    def thumbs_up(self, comment: str | None, prompt_rating: int | None, suggestion_rating: int | None,
                  audio_rating: int | None, request: gr.Request) -> str:
        return self.feedback_view("up", comment, request, (prompt_rating, suggestion_rating, audio_rating))

    def thumbs_down(self, comment: str | None, prompt_rating: int | None, suggestion_rating: int | None,
                    audio_rating: int | None, request: gr.Request) -> str:
        return self.feedback_view("down", comment, request, (prompt_rating, suggestion_rating, audio_rating))

    def history_view(self, request: gr.Request) -> tuple[list[list[Any]], list[str]]:
        """The user's generations, newest first (read from the store: kept across reloads and restarts), and
        their session ids in the same order (for picking a row)."""
        user = self.user(request)
        if user is None:
            return [], []
        sessions, _ = self._service.store.history(user_id=user.id, limit=HISTORY_LIMIT, kind="generate")
        rows: list[list[Any]] = []
        for session in sessions:
            options = (session.request or {}).get("options", {})
            result = session.results[0] if session.results else None
            length = f"{result.audio_duration_seconds:g} s" if result else ""
            rows.append([session.created_at.strftime("%Y-%m-%d %H:%M"), session.original_prompt, length,
                         options.get("seed", ""), options.get("output_format", ""), session.status])
        return rows, [session.id for session in sessions]

    def pick(self, session_ids: list[str] | None, evt: gr.SelectData, request: gr.Request,
             ) -> tuple[dict[str, Any] | None, str, str | None, list[str] | None]:
        """A History row picked: its settings (for restore / generate again), a line about it, its player and
        downloads (served from the data folder, where retention may have removed them)."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        user = self.user(request)
        if user is None or not session_ids or not isinstance(index, int) or not 0 <= index < len(session_ids):
            return None, "", None, None
        from aurora.exceptions import NotFoundError

        try:
            session = self._service.store.get_session(user_id=user.id, session_id=session_ids[index])
        except NotFoundError:
            return None, "This generation is no longer stored.", None, None
        options = dict((session.request or {}).get("options", {}))
        picked = {"prompt": session.original_prompt, **options, "parsed_parameters": session.parsed_parameters,
                  "structural_plan": session.structural_plan}
        result = session.results[-1] if session.results else None
        paths = []
        if result is not None:
            store, files = self._service.store, self._service.files
            for kind in ("audio", "midi", "stems"):
                path = files.resolve(store.result_file(user_id=user.id, result_id=result.id, kind=kind))
                if path is not None:
                    paths.append(path)
            if paths and (paths[0].parent / "plan.json").is_file():
                paths.append(paths[0].parent / "plan.json")
        audio = str(paths[0]) if paths and paths[0].stem == "track" else None
        when = session.created_at.strftime("%Y-%m-%d %H:%M")
        line = f"**{html.escape(session.original_prompt)}** · {when} UTC · seed {options.get('seed', 0)}"
        if result is not None and not paths:
            line += " · its files were removed by the retention policy"
        return picked, line, audio, [str(p) for p in paths] or None

    @staticmethod
    def restore(picked: dict[str, Any] | None, new_seed: bool = False) -> tuple[Any, ...]:
        """The prompt and settings of a picked generation back in the settings panel (a new seed when asked),
        and the Generate tab opened."""
        from knowledge_base.limits import MAX_DURATION_S, MIN_DURATION_S

        if not picked:
            raise gr.Error("Pick a generation in the list first.", title="Nothing picked", print_exception=False)
        import random

        from aurora.ui.generate import SEED_MAX

        duration = picked.get("duration_seconds")
        if isinstance(duration, (int, float)):
            duration = float(min(MAX_DURATION_S, max(MIN_DURATION_S, duration)))
        else:
            duration = gr.skip()
        seed = random.randint(0, SEED_MAX) if new_seed else int(picked.get("seed") or 0)

        def kept(key: str) -> Any:
            return picked[key] if picked.get(key) is not None else gr.skip()

        return (picked.get("prompt", ""), duration, seed, kept("enhancement_level"), kept("output_format"),
                kept("sample_rate"), gr.Tabs(selected="generate"))


def _rating(value: object) -> int | None:
    """A 1-5 rating, or None when not given (anything else is ignored, never stored)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, str)):
        try:
            number = int(float(value))
        except ValueError:
            return None
        return number if 1 <= number <= 5 else None
    return None
