"""The generation job queue: bounded, with in-process worker threads by default.

``JobQueue`` is the interface the service uses; a Redis-backed queue (workers on other machines) can
implement the same four calls. Jobs are ids: the rows in the store carry the request and the outcome, so a
job that was accepted survives a restart (the service replays unfinished rows at start).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Protocol

from aurora.exceptions import QueueFullError

log = logging.getLogger(__name__)
Handler = Callable[[str, float], None]
"""handler(job_id, waited_s): runs one job; its own errors are its business (it records them)."""


class Ticket(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


class JobQueue(Protocol):
    def start(self) -> None: ...

    def submit(self, job_id: str, *, force: bool = False) -> Ticket:
        """Enqueue; raises QueueFullError when full (``force``: never, for replays at start)."""
        ...

    def depth(self) -> int: ...

    def shutdown(self, *, cancel_pending: bool = True, timeout_s: float = 30.0) -> None: ...


class ThreadJobQueue:
    """``max_size`` jobs wait; ``workers`` threads run them in order of arrival."""

    def __init__(self, handler: Handler, *, max_size: int, workers: int = 1,
                 retry_after_s: Callable[[], float] | None = None) -> None:
        self._handler = handler
        self.max_size = max_size
        self._queue: queue.Queue[tuple[str, float, threading.Event] | None] = queue.Queue()
        self._pending = 0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._work, name=f"soundstar-job-{i}", daemon=True)
                         for i in range(workers)]
        self._retry_after_s = retry_after_s or (lambda: 30.0)
        self._stopping = threading.Event()
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            for thread in self._threads:
                thread.start()

    def submit(self, job_id: str, *, force: bool = False) -> threading.Event:
        done = threading.Event()
        with self._lock:
            if self._stopping.is_set():
                raise QueueFullError("the server is shutting down", retry_after_s=self._retry_after_s())
            if not force and self._pending >= self.max_size:
                raise QueueFullError(f"{self._pending} generations are waiting; try again shortly",
                                     retry_after_s=self._retry_after_s())
            self._pending += 1
            self._queue.put((job_id, time.monotonic(), done))
        return done

    def depth(self) -> int:
        return self._pending

    def shutdown(self, *, cancel_pending: bool = True, timeout_s: float = 30.0) -> None:
        """Stop taking jobs; drop the waiting ones (their rows stay pending for a restart) when
        ``cancel_pending``, and wait up to ``timeout_s`` for the running ones."""
        self._stopping.set()
        if cancel_pending:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    with self._lock:
                        self._pending -= 1
        for _ in self._threads:
            self._queue.put(None)
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, queued_at, done = item
            with self._lock:
                self._pending -= 1
            try:
                self._handler(job_id, time.monotonic() - queued_at)
            except Exception:  # the handler records its own failures; this keeps the worker alive regardless
                log.exception("job %s failed outside its handler", job_id)
            finally:
                done.set()
