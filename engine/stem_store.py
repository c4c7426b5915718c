"""Where a render's finished stems are kept: in memory, or (long renders) in raw float32 files mapped back read-only.

A ten-minute stereo stem is ~210 MB at 44.1 kHz and a render has eight or more, so a long render spills them: its
peak memory then holds one or two stems instead of a dozen. Writing them is the slow part on a small machine: once a
few hundred MB of a process's writes wait for the disk, the kernel makes the writer wait for the disk as well
(dirty-page throttling; ~150 MB/s here), and a ten-minute render's 1.7 GB of stems took ~10 s of its wall time
when the mixer wrote them itself. So the files are written by a thread of their own, while the mixer, the voices
and the master keep computing; ``put`` waits only when ``pending`` stems already wait for the disk (their memory
is what a spilled render holds beyond its working set), and ``finish`` waits for the last write.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np


class StemStore:
    """Finished stems by name, in the order they were put: ``put`` each, then ``finish`` for the dict (in memory:
    the arrays themselves; spilled: read-only ``np.memmap`` views of the written files, the same values)."""

    def __init__(self, spill_dir: Path | None, *, pending: int = 1) -> None:
        self.spill_dir = spill_dir
        self.stems: dict[str, np.ndarray] = {}
        self._queue: queue.Queue[tuple[str, np.ndarray] | None] = queue.Queue()
        self._held = threading.BoundedSemaphore(max(pending, 1))  # stems put and not yet written
        self._writer: threading.Thread | None = None
        self._error: BaseException | None = None

    def put(self, name: str, stem: np.ndarray) -> None:
        """Keep ``stem`` (float32 [ch, n]; a spilled store owns it from here: do not change it afterwards)."""
        if self.spill_dir is None:
            self.stems[name] = stem
            return
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_all, name="stem-writer", daemon=True)
            self._writer.start()
        self._held.acquire()
        self._queue.put((name, stem))

    def _write_all(self) -> None:
        assert self.spill_dir is not None
        while True:
            item = self._queue.get()
            if item is None:
                return
            name, stem = item
            del item
            if self._error is not None:  # a write failed: drain the rest, finish() reports the failure
                continue
            try:
                path = self.spill_dir / f"{name}.f32"
                stem.astype(np.float32, copy=False).tofile(path)  # numpy releases the GIL while it writes
                self.stems[name] = np.memmap(path, dtype=np.float32, mode="r", shape=stem.shape)
            except BaseException as exc:  # finish() raises it on the caller's thread
                self._error = exc
            del stem
            self._held.release()

    def close(self) -> None:
        """Stop the writer (after a failed render): waits for the write under way, raises nothing."""
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None

    def finish(self) -> dict[str, np.ndarray]:
        """Wait for every write; the stems by name. Raises what a write raised (a full disk, say)."""
        self.close()
        if self._error is not None:
            raise self._error
        return self.stems
