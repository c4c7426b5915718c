"""Factories for `python -m bench.parser_eval --factory ...`: the local tier on a real instruct model.

    python -m bench.parser_eval --factory bench.local_tier:local --only user --limit 20 --suggest-n 0 --no-latency
    python -m bench.parser_eval --factory bench.local_tier:rules --only user --limit 20 --suggest-n 0 --no-latency

`local` serves parses with local_llm (schema-constrained by xgrammar; what the prompt states is kept from the
rule tier) and falls back to the rule tier when a reply is late or unusable; `rules` is the rule tier alone,
for the same rows. The model folder is AURORA_LOCAL_LLM_MODEL, else checkpoints/smollm2-135m-instruct (made
by `make local-llm`); the bench prints which tier served each parse.
"""

from __future__ import annotations

import os
from pathlib import Path

from aurora import Aurora, AuroraConfig
from aurora.config import LocalLLMConfig

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "checkpoints" / "smollm2-135m-instruct"


def local() -> Aurora:
    model = os.environ.get("AURORA_LOCAL_LLM_MODEL") or str(DEFAULT_MODEL_DIR)
    if not Path(model).is_dir() and not os.environ.get("AURORA_LOCAL_LLM_MODEL"):
        raise SystemExit(f"{model} not found: run `make local-llm` first (or set AURORA_LOCAL_LLM_MODEL)")
    limit_s = float(os.environ.get("AURORA_LOCAL_LLM_TIME_LIMIT_S", "120"))
    device = os.environ.get("AURORA_LOCAL_LLM_DEVICE", "auto")
    config = AuroraConfig(implementations=("local_llm", "rule_based", "defaults"),
                          local_llm=LocalLLMConfig(model=model, device=device, max_new_tokens=160,
                                                   time_limit_s=limit_s))
    return Aurora(config=config)


def rules() -> Aurora:
    return Aurora(config=AuroraConfig(implementations=("rule_based", "defaults")))
