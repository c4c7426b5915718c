"""The service's settings, from SOUNDSTAR_* variables (``ServerSettings.from_env``) or given in code.

Bound to a public address (anything but loopback, or on a Hugging Face Space) the rate limits are on by default,
and /metrics is closed to callers without a token (``metrics_open``).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from aurora.store.db import sqlite_url

DAY_S = 86_400.0


def is_public(host: str, env: Mapping[str, str]) -> bool:
    if env.get("SPACE_ID"):
        return True
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


class ServerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = 7860
    data_dir: Path = Field(default=Path("data"), description="database file (by default) and generated files")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir")
    api_tokens: dict[str, str] = Field(default_factory=dict, description="user name -> bearer token")
    ui_auth: bool = Field(default=False, description="the browser UI asks for a user name and token")
    public: bool = False
    queue_size: int = Field(default=16, ge=1, description="generations waiting; more answer 503")
    queue_workers: int = Field(default=1, ge=1)
    wait_timeout_s: float = Field(default=900.0, gt=0.0, description="how long a wait=true generate waits")
    rate_limit_per_min: float | None = Field(default=None, gt=0.0,
                                             description="requests per minute per user and per address; "
                                                         "None = off (default on when public: 60)")
    rate_limit_burst: int = Field(default=20, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=1024 * 1024, ge=1024)
    allow_uploads: bool = Field(default=False, description="the studio's UI has no upload field: refuse uploads")
    gradio_queue_size: int = Field(default=32, ge=1)
    retention_max_age_s: float | None = Field(default=7 * DAY_S, gt=0.0)
    retention_max_bytes: int | None = Field(default=2 * 1024**3, gt=0)
    retention_interval_s: float = Field(default=600.0, gt=0.0)
    metrics_token: str | None = Field(default=None, min_length=16,
                                      description="bearer token a scraper sends for /metrics; when set, the only one "
                                                  "/metrics accepts (else any live API token)")
    metrics_open: bool | None = Field(default=None,
                                      description="True: /metrics answers anyone; False: only with a token; None "
                                                  "(default): open only on a loopback address with no auth "
                                                  "configured (no API token, no UI login, no metrics token)")

    @property
    def db_url(self) -> str:
        return self.database_url or sqlite_url(self.data_dir / "soundstar.db")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> ServerSettings:
        env = os.environ if env is None else env
        host = str(overrides.pop("host", None) or env.get("SOUNDSTAR_HOST") or env.get("GRADIO_SERVER_NAME")
                   or "127.0.0.1")
        data: dict[str, object] = {"host": host, "public": is_public(host, env)}
        port = env.get("SOUNDSTAR_PORT") or env.get("GRADIO_SERVER_PORT")
        if port:
            data["port"] = int(port)
        if env.get("SOUNDSTAR_API_TOKENS"):
            data["api_tokens"] = parse_tokens(env["SOUNDSTAR_API_TOKENS"])
        for name, key in _ENV.items():
            if env.get(name):
                data[key] = env[name]
        if env.get("SOUNDSTAR_ALLOW_UPLOADS"):
            data["allow_uploads"] = env["SOUNDSTAR_ALLOW_UPLOADS"].lower() in ("1", "true", "yes", "on")
        if env.get("SOUNDSTAR_UI_AUTH"):
            data["ui_auth"] = env["SOUNDSTAR_UI_AUTH"].lower() in ("1", "true", "yes", "on")
        if env.get("SOUNDSTAR_METRICS_TOKEN"):
            data["metrics_token"] = env["SOUNDSTAR_METRICS_TOKEN"].strip()
        if env.get("SOUNDSTAR_METRICS_OPEN"):
            value = env["SOUNDSTAR_METRICS_OPEN"].lower()
            data["metrics_open"] = None if value == "auto" else value in ("1", "true", "yes", "on")
        for name, key in (("SOUNDSTAR_RETENTION_MAX_AGE_S", "retention_max_age_s"),
                          ("SOUNDSTAR_RETENTION_MAX_BYTES", "retention_max_bytes"),
                          ("SOUNDSTAR_RATE_LIMIT_PER_MIN", "rate_limit_per_min")):
            if env.get(name):
                data[key] = None if env[name].lower() in ("0", "off", "none") else env[name]
        if data["public"] and "rate_limit_per_min" not in data:
            data["rate_limit_per_min"] = 60.0
        data.update(overrides)
        return cls.model_validate(data)


_ENV = {
    "SOUNDSTAR_DATA_DIR": "data_dir", "SOUNDSTAR_DATABASE_URL": "database_url", "SOUNDSTAR_QUEUE_SIZE": "queue_size",
    "SOUNDSTAR_QUEUE_WORKERS": "queue_workers", "SOUNDSTAR_MAX_BODY_BYTES": "max_body_bytes",
    "SOUNDSTAR_MAX_UPLOAD_BYTES": "max_upload_bytes", "SOUNDSTAR_GRADIO_QUEUE_SIZE": "gradio_queue_size",
    "SOUNDSTAR_RATE_LIMIT_BURST": "rate_limit_burst",
}


def parse_tokens(text: str) -> dict[str, str]:
    """'alice:tok1,bob:tok2' -> {'alice': 'tok1', 'bob': 'tok2'}; a malformed entry raises ValueError."""
    tokens: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        name, sep, token = entry.partition(":")
        if not sep or not name.strip() or len(token.strip()) < 16:
            raise ValueError("SOUNDSTAR_API_TOKENS entries are 'user:token' with tokens of 16+ characters")
        tokens[name.strip()] = token.strip()
    return tokens
