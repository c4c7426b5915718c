"""The base of every pydantic contract Aurora exchanges (aurora.contracts and the modules it gathers)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """Base: strict field names, no silent extras, JSON-friendly."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
