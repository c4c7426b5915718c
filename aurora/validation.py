"""Typed checks of every caller-facing parameter, shared by the facade, the CLI and the app.

Each check returns the value in its canonical type or raises ``InputError`` (AURORA_INPUT_INVALID) with
one sentence naming the parameter, its allowed range and what was given. The ranges are owned by
``knowledge_base.limits`` (duration, meter, seed, suggestion count, enhancement level) and
``engine.export`` (formats, sample rates, channels); nothing here restates a number.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from aurora.contracts import EnhanceContext, PlanParameters
from aurora.exceptions import InputError
from aurora.preprocess import readable
from knowledge_base.limits import (
    ENHANCEMENT_LEVELS,
    MAX_SEED,
    MAX_SUGGESTIONS,
    MIN_SEED,
    MIN_SUGGESTIONS,
    EnhancementLevel,
    duration_in_range,
    duration_message,
    seed_message,
    suggestion_count_message,
)

M = TypeVar("M", bound=BaseModel)
DEVICES = ("auto", "cpu", "cuda", "mps")
"""Devices the CLI and the app accept; 'cuda:N' names one GPU."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_duration(value: object) -> float:
    """A track length in seconds: a real number (not text, not a bool), finite, within the limits."""
    if not duration_in_range(value):
        raise InputError(duration_message(value), detail={"parameter": "duration_s"})
    return float(value)  # type: ignore[arg-type]


def check_optional_duration(value: object) -> float | None:
    return None if value is None else check_duration(value)


def check_seed(value: object) -> int:
    """A whole number 0 to 2**32 - 1; an integral float (3.0) is accepted, True/False and text are not."""
    if isinstance(value, bool):
        raise InputError(seed_message(value), detail={"parameter": "seed"})
    if isinstance(value, numbers.Integral):
        seed = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
        seed = int(float(value))
    else:
        raise InputError(seed_message(value), detail={"parameter": "seed"})
    if not MIN_SEED <= seed <= MAX_SEED:
        raise InputError(seed_message(value), detail={"parameter": "seed"})
    return seed


def check_suggestion_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not (
            MIN_SUGGESTIONS <= int(value) <= MAX_SUGGESTIONS):
        raise InputError(suggestion_count_message(value), detail={"parameter": "suggestion_count"})
    return int(value)


def check_enhancement_level(value: object, default: EnhancementLevel) -> EnhancementLevel:
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lower() in ENHANCEMENT_LEVELS:
        return value.strip().lower()  # type: ignore[return-value]
    raise InputError(f"enhancement_level must be one of {', '.join(ENHANCEMENT_LEVELS)}, got {_shown(value)}",
                     detail={"parameter": "enhancement_level"})


def check_device(value: object) -> str:
    """'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'."""
    if isinstance(value, str):
        device = value.strip().lower()
        if device in DEVICES or (device.startswith("cuda:") and device[5:].isdigit()):
            return device
    raise InputError(f"device must be one of {', '.join(DEVICES)} or cuda:N, got {_shown(value)}",
                     detail={"parameter": "device"})


def check_context(value: object) -> EnhanceContext | None:
    if value is None or isinstance(value, EnhanceContext):
        return value
    return _validated(EnhanceContext, value, "context")


def check_plan_parameters(value: object) -> PlanParameters:
    """A PlanParameters or a mapping shaped like one (spec §5.2.3); a built instance is validated again,
    so ``model_construct`` or attribute assignment cannot smuggle a '17/0' meter into the planner."""
    if isinstance(value, PlanParameters):
        value = value.model_dump()
    return _validated(PlanParameters, value, "parameters")


def _validated(model: type[M], value: object, name: str) -> M:
    if not isinstance(value, Mapping):
        raise InputError(f"{name} must be an object with {model.__name__}'s fields, got {type(value).__name__}",
                         detail={"parameter": name})
    try:
        return model.model_validate(_readable_strings(dict(value)))
    except PydanticValidationError as exc:
        raise InputError(f"{name} is invalid: {describe_errors(exc)}", detail={"parameter": name}) from exc
    except (TypeError, ValueError, RecursionError) as exc:
        raise InputError(f"{name} is invalid: {type(exc).__name__}", detail={"parameter": name}) from exc


def _readable_strings(value: object, depth: int = 0) -> object:
    """Every string in a caller's mapping made encodable (lone surrogates replaced), as the prompt's first step
    does, so each result serialises to JSON; nesting deeper than the contracts have is left for them to refuse."""
    if isinstance(value, str):
        return readable(value)
    if depth > 8:
        return value
    if isinstance(value, Mapping):
        return {(readable(k) if isinstance(k, str) else k): _readable_strings(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_readable_strings(v, depth + 1) for v in value]
    return value


def describe_errors(exc: PydanticValidationError, limit: int = 4) -> str:
    """'field: message' for the first few errors, without echoing the (possibly huge) input values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:limit]:
        where = ".".join(str(x) for x in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)

