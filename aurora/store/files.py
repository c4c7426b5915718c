"""Generated files in one data folder, one copy each: ``<data>/files/<user>/<session>/track.<fmt>``,
``score.mid`` and ``stems.zip``. Rows reference them by relative path; the server streams them from here.

Stems are FLAC (lossless, about half a WAV) in a deflated zip, and stems that stay near-silent are left out.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aurora.store.records import StoredFiles

if TYPE_CHECKING:
    from aurora.generation import Generation

SILENT_PEAK = 10 ** (-72 / 20)
"""A stem whose peak stays under -72 dBFS carries nothing a user would want to download."""


def audible_stems(stems: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: audio for name, audio in stems.items() if float(np.max(np.abs(audio), initial=0.0)) >= SILENT_PEAK}


def stems_archive(stems: dict[str, np.ndarray], *, sample_rate: int) -> bytes:
    from engine import export

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, audio in audible_stems(stems).items():
            zf.writestr(f"{name}.flac", export.encode_audio(audio, sample_rate=sample_rate, fmt="flac"))
    return buf.getvalue()


class FileStore:
    """The data folder. Paths handed out are relative; ``resolve`` refuses anything outside the folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        (self.root / "files").mkdir(parents=True, exist_ok=True)

    def folder_for(self, user_id: int, session_id: str) -> Path:
        return self.root / "files" / str(user_id) / session_id

    def write_generation(self, generation: Generation, *, user_id: int, session_id: str,
                         stems: bool = True) -> StoredFiles:
        folder = self.folder_for(user_id, session_id)
        folder.mkdir(parents=True, exist_ok=True)
        audio = folder / f"track.{generation.audio_format}"
        audio.write_bytes(generation.audio_bytes)
        midi = folder / "score.mid"
        midi.write_bytes(generation.midi_bytes)
        paths = [audio, midi]
        stems_path: Path | None = None
        if stems:
            stems_path = folder / "stems.zip"
            stems_path.write_bytes(stems_archive(generation.render.stems, sample_rate=generation.render.sample_rate))
            paths.append(stems_path)
        return StoredFiles(audio_path=self._relative(audio), midi_path=self._relative(midi),
                           stems_path=self._relative(stems_path) if stems_path else None,
                           size_bytes=sum(p.stat().st_size for p in paths))

    def resolve(self, relative: str | None) -> Path | None:
        if not relative:
            return None
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def delete_folder_of(self, relative: str | None) -> int:
        """Remove the folder holding ``relative``'s file; returns the bytes freed."""
        path = self.resolve(relative)
        if path is None:
            return 0
        folder = path.parent
        freed = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        return freed

    def discard(self, user_id: int, session_id: str) -> None:
        shutil.rmtree(self.folder_for(user_id, session_id), ignore_errors=True)

    def _relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()
