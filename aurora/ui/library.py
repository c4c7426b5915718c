"""The studio's memory for one browser: each generation stored for its user (the anonymous user of the browser's
cookie, or the signed-in user), feedback on the track on screen, and the user's history read back from the store.

Only when the app runs inside the studio server (`aurora.server.StudioService`); `python app.py` does. The
result on screen is remembered per browser tab (Gradio's session hash) so the feedback buttons rate that track.

No `from __future__ import annotations` here, like studio.py: Gradio inspects these signatures.
"""

import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import gradio as gr

if TYPE_CHECKING:
    from aurora.generation import Generation
    from aurora.server import StudioService
    from aurora.store import UserRecord

log = logging.getLogger(__name__)
HISTORY_HEADERS = ["When (UTC)", "Prompt", "Length", "Seed", "Format", "Status"]
HISTORY_LIMIT = 50
TABS_REMEMBERED = 2048
FEEDBACK_TYPES = {"up": "positive", "down": "negative"}
COMMENT_MAX = 2000


class Library:
    """Store-backed history and feedback for the studio UI."""

    def __init__(self, service: "StudioService") -> None:
        self._service = service
        self._on_screen: OrderedDict[str, tuple[str, str]] = OrderedDict()  # tab -> (session id, result id)
        self._lock = threading.Lock()

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
               level: str) -> str | None:
        """Store a finished generation for this browser's user; its result id, or None when there is no user yet
        (no cookie) or the store refused it (logged: the track on screen is not lost)."""
        from aurora.server.schemas import GenerateBody, GenerateOptions

        user, tab = self.user(request), self._tab(request)
        if user is None or tab is None:
            return None
        render = generation.render
        try:
            body = GenerateBody(prompt=prompt, options=GenerateOptions(
                duration_seconds=round(render.duration_s, 3), output_format=generation.audio_format,
                sample_rate=render.sample_rate, seed=seed, enhancement_level=level))  # type: ignore[arg-type]
            result = self._service.record_ui_generation(user, body, generation)
        except Exception:
            log.exception("the studio could not store a generation")
            return None
        with self._lock:
            self._on_screen[tab] = (result.session_id, result.id)
            while len(self._on_screen) > TABS_REMEMBERED:
                self._on_screen.popitem(last=False)
        return result.id

    # ------------------------------------------------------------------ panel callbacks
    def feedback_view(self, verdict: str, comment: str | None, request: gr.Request) -> str:
        """Thumbs up/down (and the comment) on the track on screen, stored as user_feedback."""
        feedback_type = FEEDBACK_TYPES.get(verdict)
        if feedback_type is None:
            raise gr.Error(f"unknown verdict {verdict!r} (AURORA_INPUT_INVALID)", print_exception=False)
        user = self.user(request)
        with self._lock:
            ids = self._on_screen.get(self._tab(request) or "")
        if user is None or ids is None:
            return "Generate a track first, then rate it."
        text = (comment or "").strip()[:COMMENT_MAX] or None
        self._service.store.add_feedback(user_id=user.id, session_id=ids[0], result_id=ids[1],
                                         feedback_type=feedback_type, comments=text)
        return "Thanks: your 👍 is saved." if feedback_type == "positive" else "Thanks: your 👎 is saved."

    def thumbs_up(self, comment: str | None, request: gr.Request) -> str:
        return self.feedback_view("up", comment, request)

    def thumbs_down(self, comment: str | None, request: gr.Request) -> str:
        return self.feedback_view("down", comment, request)

    def history_view(self, request: gr.Request) -> list[list[Any]]:
        """The user's generations, newest first (read from the store: kept across reloads and restarts)."""
        user = self.user(request)
        if user is None:
            return []
        sessions, _ = self._service.store.history(user_id=user.id, limit=HISTORY_LIMIT, kind="generate")
        rows: list[list[Any]] = []
        for session in sessions:
            options = (session.request or {}).get("options", {})
            result = session.results[0] if session.results else None
            length = f"{result.audio_duration_seconds:g} s" if result else ""
            rows.append([session.created_at.strftime("%Y-%m-%d %H:%M"), session.original_prompt, length,
                         options.get("seed", ""), options.get("output_format", ""), session.status])
        return rows
