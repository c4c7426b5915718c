"""ZeroGPU on Hugging Face Spaces: the render runs inside `spaces.GPU` when the `spaces` package is present.

On a ZeroGPU Space a GPU is attached only while a function decorated with `spaces.GPU` runs; without the
decorator the engine would find no CUDA device and render on CPU. Elsewhere (`spaces` not installed) the
function is returned as it is. The import is guarded and happens when a `Generator` is made, never at import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# The longest render the studio allows (10 minutes of music) takes about two minutes on a GPU.
GPU_DURATION_S = 180


def on_gpu(fn: F, *, duration_s: int = GPU_DURATION_S) -> F:
    """`spaces.GPU(duration=duration_s)(fn)` when `spaces` is importable, else `fn` unchanged."""
    try:
        spaces = importlib.import_module("spaces")
    except ImportError:
        return fn
    wrapped: F = spaces.GPU(duration=duration_s)(fn)
    return wrapped
