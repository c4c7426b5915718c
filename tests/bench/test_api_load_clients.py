"""The load bench's clients against a real local HTTP server: 503/429 with Retry-After is back-pressure (waited
out, counted apart), anything else non-2xx is an error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.api_load import run_clients


class _Handler(BaseHTTPRequestHandler):
    busy = 3  # the first three requests meet a full queue
    lock = threading.Lock()

    def do_POST(self) -> None:
        with _Handler.lock:
            busy = _Handler.busy > 0
            _Handler.busy -= 1
        path = self.path
        if busy:
            self.send_response(503)
            self.send_header("Retry-After", "1")
        else:
            self.send_response(500 if path == "/broken" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    _Handler.busy = 3
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_retry_after_is_back_pressure_not_an_error(url: str) -> None:
    report = run_clients(url, 3, 1.5, lambda client, _i: client.post("/ok"))
    assert report["backpressure"] == 3 and report["retry_after_s_max"] == 1.0
    assert report["errors"] == 0 and report["ok"] == report["requests"] > 0


def test_other_failures_are_errors(url: str) -> None:
    _Handler.busy = 0
    report = run_clients(url, 2, 0.5, lambda client, _i: client.post("/broken"))
    assert report["backpressure"] == 0 and report["errors"] == report["requests"] > 0 and report["ok"] == 0
    assert report["status_codes"] == {"500": report["requests"]}
