"""Safe exposure, as one ASGI middleware in front of the API and the Gradio app:

- request bodies over a size limit answer 413 before the app sees them; uploads are refused (403) unless allowed,
  then held to their own, larger limit;
- POST requests are rate-limited per address and per user (bearer token or browser cookie): 429 + Retry-After;
- every browser gets an anonymous id cookie (``soundstar_browser``), the UI's user when no login is configured; a
  request without one acts for the id it is given (a client that keeps no cookies is a new visitor each time).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from aurora.server.metrics import Metrics
from aurora.server.ratelimit import RateLimiter
from aurora.store.repository import hash_token

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BROWSER_COOKIE = "soundstar_browser"
UPLOAD_PATHS = ("/gradio_api/upload",)


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def cookie(scope: Scope, name: str) -> str | None:
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is treated as none
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def client_address(scope: Scope, *, behind_proxy: bool) -> str:
    """The caller's address; behind a proxy (a Space) the one the nearest proxy appended to X-Forwarded-For."""
    forwarded = header(scope, b"x-forwarded-for") if behind_proxy else None
    if forwarded:
        return forwarded.split(",")[-1].strip()
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class GuardMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int,
                 limiter: RateLimiter | None, metrics: Metrics, behind_proxy: bool = False,
                 allow_uploads: bool = False) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.limiter = limiter
        self.metrics = metrics
        self.behind_proxy = behind_proxy
        self.allow_uploads = allow_uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        if method == "POST" and self.limiter is not None:
            for scope_name, key in self._limit_keys(scope):
                retry = self.limiter.check(key)
                if retry is not None:
                    self.metrics.rate_limited.labels(scope_name).inc()
                    await _error(send, 429, "AURORA_RATE_LIMITED",
                                 f"too many requests from this {scope_name}; retry in {retry:.0f} s",
                                 retry_after_s=retry)
                    return
        if path.startswith(UPLOAD_PATHS) and not self.allow_uploads:
            await _error(send, 403, "AURORA_UPLOADS_DISABLED", "this studio takes no uploads")
            return
        if method in ("POST", "PUT", "PATCH"):
            limit = self.max_upload_bytes if path.startswith(UPLOAD_PATHS) else self.max_body_bytes
            length = header(scope, b"content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                await _error(send, 413, "AURORA_REQUEST_TOO_LARGE", f"request body over {limit} bytes")
                return
            body = await _read_body(receive, limit)
            if body is None:
                await _error(send, 413, "AURORA_REQUEST_TOO_LARGE", f"request body over {limit} bytes")
                return
            receive = _replay(body)
        if cookie(scope, BROWSER_COOKIE) is None and not path.startswith("/api/"):
            browser_id = secrets.token_urlsafe(18)
            scope = _with_request_cookie(scope, browser_id)  # this request already acts for the new id
            send = _with_cookie(send, browser_id)
        await self.app(scope, receive, send)

    def _limit_keys(self, scope: Scope) -> list[tuple[str, str]]:
        keys = [("address", "addr:" + client_address(scope, behind_proxy=self.behind_proxy))]
        auth = header(scope, b"authorization")
        if auth and auth.lower().startswith("bearer "):
            keys.append(("user", "token:" + hash_token(auth[7:].strip())))
        elif (browser := cookie(scope, BROWSER_COOKIE)) is not None:
            keys.append(("user", "browser:" + browser))
        return keys


async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
    """Read the whole body (at most ``limit`` bytes); None when it is longer."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message]) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        return {"type": "http.disconnect"}

    return receive


def _with_request_cookie(scope: Scope, value: str) -> Scope:
    """The request as if the browser had sent the new id: a client that keeps no cookies (curl, a bare HTTP call)
    is a new anonymous visitor on each request rather than no one."""
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"cookie"]
    existing = header(scope, b"cookie")
    jar = f"{existing}; {BROWSER_COOKIE}={value}" if existing else f"{BROWSER_COOKIE}={value}"
    return {**scope, "headers": [*headers, (b"cookie", jar.encode("latin-1"))]}


def _with_cookie(send: Send, value: str) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            headers.append((b"set-cookie", f"{BROWSER_COOKIE}={value}; Path=/; Max-Age=31536000; HttpOnly; "
                                           f"SameSite=Lax".encode("latin-1")))
            message["headers"] = headers
        await send(message)

    return wrapped


async def _error(send: Send, status: int, code: str, message: str, *, retry_after_s: float | None = None) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after_s is not None:
        headers.append((b"retry-after", str(max(1, round(retry_after_s + 0.5))).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
