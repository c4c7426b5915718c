"""Per-genre mix presets (knowledge_base/mix_presets.yaml): gain staging, panning, sends, effects.

Each genre preset lists only what differs from ``default``; the two are merged (nested tables key by
key), so a new genre's mix is a few lines of data.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReverbSpec(_Spec):
    room_size: float = Field(default=0.45, ge=0.0, le=1.0)
    damping: float = Field(default=0.5, ge=0.0, le=1.0)
    width: float = Field(default=1.0, ge=0.0, le=1.0)
    return_db: float = -6.0


class DelaySpec(_Spec):
    role: str = "lead"
    beats: float = Field(default=0.75, gt=0.0)
    feedback: float = Field(default=0.3, ge=0.0, le=0.9)
    mix: float = Field(default=0.0, ge=0.0, le=1.0)


class CompressSpec(_Spec):
    threshold_db: float = -14.0
    ratio: float = Field(default=3.0, ge=1.0)
    attack_ms: float = 5.0
    release_ms: float = 120.0


class MasterSpec(_Spec):
    threshold_db: float = -12.0
    ratio: float = Field(default=2.0, ge=1.0)
    lowpass_hz: float | None = None
    highpass_hz: float = 30.0
    saturation_db: float = 0.0


class MixPreset(_Spec):
    id: str
    genres: list[str] = Field(default_factory=list)
    gains_db: dict[str, float] = Field(default_factory=dict)
    pans: dict[str, float] = Field(default_factory=dict)
    sends: dict[str, float] = Field(default_factory=dict)
    highpass_hz: dict[str, float] = Field(default_factory=dict)
    lowpass_hz: dict[str, float] = Field(default_factory=dict)
    saturation_db: dict[str, float] = Field(default_factory=dict)
    compress: dict[str, CompressSpec] = Field(default_factory=dict)
    ducking_db: float = Field(default=0.0, ge=0.0, le=24.0)
    duck_roles: list[str] = Field(default_factory=lambda: ["bass", "pad"])
    reverb: ReverbSpec = Field(default_factory=ReverbSpec)
    delay: DelaySpec = Field(default_factory=DelaySpec)
    master: MasterSpec = Field(default_factory=MasterSpec)
    texture_db: float = -30.0


class MixPresets(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    presets: list[dict[str, Any]] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> MixPresets:
        ids = [p.get("id") for p in self.presets]
        if "default" not in ids:
            raise ValueError("mix_presets.yaml needs a 'default' preset")
        for raw in self.presets:
            self._merge(raw)
        return self

    def _merge(self, raw: dict[str, Any]) -> MixPreset:
        base = dict(next(p for p in self.presets if p.get("id") == "default"))
        for key, value in raw.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **value}
            else:
                base[key] = value
        return MixPreset.model_validate(base)

    def for_genres(self, genre_ids: list[str]) -> MixPreset:
        """The preset of the nearest genre in the lineage (genre first, then its ancestors)."""
        for genre_id in genre_ids:
            for raw in self.presets:
                if genre_id in raw.get("genres", []):
                    return self._merge(raw)
        return self._merge({"id": "default"})
