"""RAVE codec stage (spec §2): timbre transfer through a RAVE TorchScript export.

RAVE's export scripts produce a TorchScript module with ``encode(x) -> z`` and ``decode(z) -> y``
(x, y: [batch, channels, samples]; z: [batch, latents, frames]) and the model's sample rate in an
``sr`` attribute. When such a file is configured (``EngineConfig.rave_model_path``, from
``SOUNDSTAR_RAVE_MODEL``) or found in checkpoints/, the stems named in the config are encoded,
decoded and blended with their DDSP rendering. When none is present the stage is
skipped and the render result says why. Models load on first use, never at import. The configured
tracks reach it through the Voice interface: engine/voices/rave.py wraps their voices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from engine.ddsp.core import mean_square
from engine.exceptions import CodecError
from engine.export import resample

CHECKPOINTS_DIR = Path(__file__).resolve().parent.parent / "checkpoints"
_SUFFIXES = (".ts", ".pt", ".torchscript")
CHUNK_S = 30.0


def find_checkpoint(path: Path | None = None, directory: Path = CHECKPOINTS_DIR) -> Path | None:
    """The configured export (``path``), else the first export in ``directory`` (checkpoints/)."""
    if path is not None:
        return path
    if directory.is_dir():
        found = sorted(p for p in directory.iterdir() if p.suffix in _SUFFIXES)
        return found[0] if found else None
    return None


@dataclass
class RaveCodec:
    model: torch.jit.ScriptModule
    sample_rate: int
    device: torch.device
    path: Path

    @classmethod
    def load(cls, path: Path, *, device: torch.device, default_sample_rate: int = 44100) -> RaveCodec:
        if not path.is_file():
            raise CodecError(f"RAVE export not found: {path}")
        try:
            model = torch.jit.load(str(path), map_location=device)  # type: ignore[no-untyped-call]
        except (RuntimeError, ValueError) as exc:
            raise CodecError(f"cannot load RAVE export {path}: {exc}") from exc
        if not (hasattr(model, "encode") and hasattr(model, "decode")):
            raise CodecError(f"{path} has no encode/decode methods (not a RAVE export)")
        model.eval()
        sample_rate = int(getattr(model, "sr", 0) or getattr(model, "sampling_rate", 0) or default_sample_rate)
        return cls(model, sample_rate, device, path)

    @torch.no_grad()
    def resynthesise(self, audio: np.ndarray, *, sample_rate: int) -> np.ndarray:
        """Mono float32 [n] at ``sample_rate`` -> the model's reconstruction, same length and rate."""
        n = audio.shape[0]
        x = resample(audio[None, :], sample_rate, self.sample_rate)[0]
        chunk = int(CHUNK_S * self.sample_rate)
        pieces: list[np.ndarray] = []
        for start in range(0, x.shape[0], chunk):
            segment = torch.from_numpy(np.ascontiguousarray(x[start: start + chunk])).to(self.device)
            try:
                z = self.model.encode(segment[None, None, :])
                y = self.model.decode(z)
            except RuntimeError as exc:
                raise CodecError(f"RAVE export {self.path.name} failed: {exc}") from exc
            pieces.append(y.mean(dim=1)[0].float().cpu().numpy()[: segment.shape[0]])
        out = resample(np.concatenate(pieces)[None, :], self.sample_rate, sample_rate)[0]
        if out.shape[0] < n:
            out = np.pad(out, (0, n - out.shape[0]))
        return np.asarray(out[:n].astype(np.float32))


def blend(dry: np.ndarray, wet: np.ndarray, amount: float) -> np.ndarray:
    """Mix the RAVE rendering into the DDSP one at matched RMS, so a quiet model stays audible."""
    dry_rms = float(np.sqrt(mean_square(dry))) or 1e-9
    wet_rms = float(np.sqrt(mean_square(wet))) or 1e-9
    return ((1.0 - amount) * dry + amount * wet * np.float32(dry_rms / wet_rms)).astype(np.float32)
