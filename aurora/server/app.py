"""The studio's server: FastAPI with the REST API, /metrics and /docs, the Gradio UI mounted at /, and the
guard (body limits, rate limits, browser cookie) in front of both. The docs pages load Swagger UI and ReDoc from
files shipped in fastapi-offline, not from a CDN, so /docs works offline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from aurora.server import api
from aurora.server.guard import GuardMiddleware
from aurora.server.ratelimit import RateLimiter
from aurora.server.service import StudioService

if TYPE_CHECKING:
    import gradio as gr


def create_app(service: StudioService, *, blocks: gr.Blocks | None = None,
               gradio_options: dict[str, Any] | None = None) -> FastAPI:
    """The ASGI app around ``service`` (started and stopped with the app). With ``blocks``, the UI is mounted
    at / with a bounded queue, the upload limit, and a login page (user name + token) when ``ui_auth`` is set."""
    settings = service.settings

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = FastAPIOffline(title="Soundstar studio API", version="1.0",
                  description="Aurora (spec §5) and the engine over REST. Every /api/v1/aurora route needs "
                              "`Authorization: Bearer TOKEN` (create one with `python -m aurora.server token NAME`).",
                  lifespan=lifespan)
    app.state.service = service
    api.install(app)
    limiter = (RateLimiter(rate_per_min=settings.rate_limit_per_min, burst=settings.rate_limit_burst)
               if settings.rate_limit_per_min else None)
    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes,  # type: ignore[arg-type]
                       max_upload_bytes=settings.max_upload_bytes, limiter=limiter, metrics=service.metrics,
                       behind_proxy=settings.public, allow_uploads=settings.allow_uploads)
    if blocks is not None:
        import gradio as gr

        blocks.queue(max_size=settings.gradio_queue_size, default_concurrency_limit=2)
        # files the UI returns from the data folder are served from there, not copied into Gradio's cache
        gr.set_static_paths([service.files.root / "files"])

        def login(username: str, password: str) -> bool:
            user = service.store.user_for_token(password)
            return user is not None and user.name == username

        app = gr.mount_gradio_app(app, blocks, path="/", auth=login if settings.ui_auth else None,
                                  max_file_size=settings.max_upload_bytes,
                                  auth_message="Sign in with your user name and API token." if settings.ui_auth
                                  else None, **(gradio_options or {}))
    return app
