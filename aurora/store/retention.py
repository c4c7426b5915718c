"""Retention: results' files older than ``max_age_s``, then the oldest until the total fits ``max_total_bytes``,
are deleted; their rows stay (history keeps them) and are marked ``files_deleted_at``."""

from __future__ import annotations

import datetime as dt

from aurora.store.files import FileStore
from aurora.store.records import RetentionReport
from aurora.store.repository import Store


def enforce(store: Store, files: FileStore, *, max_age_s: float | None, max_total_bytes: int | None,
            now: dt.datetime | None = None) -> RetentionReport:
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = store.results_with_files()
    total = sum(size for _, _, size, _ in rows)
    cleared: list[str] = []
    freed = 0
    for result_id, audio_path, size, created in rows:  # oldest first
        too_old = max_age_s is not None and (now - created).total_seconds() > max_age_s
        too_big = max_total_bytes is not None and total > max_total_bytes
        if not (too_old or too_big):
            continue
        freed += files.delete_folder_of(audio_path) or size
        total -= size
        cleared.append(result_id)
    store.mark_files_deleted(cleared)
    return RetentionReport(results_cleared=len(cleared), bytes_freed=freed, bytes_kept=max(0, total))
