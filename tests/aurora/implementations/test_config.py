"""LLM and cache settings from the environment and from a YAML shaped like spec Appendix A."""

from __future__ import annotations

from pathlib import Path

from aurora import AuroraConfig

APPENDIX_A = """
aurora:
  implementations:
    primary: {type: codex, api_url: "${CODEX_API_URL}", api_key: "${CODEX_API_KEY}", timeout_ms: 10000, max_retries: 3}
    secondary: {type: local_llm, endpoint: "http://localhost:1234/v1", model: "aurora-music-7b", timeout_ms: 15000}
    fallback: {type: rule_based}
  caching: {enabled: true, redis_url: "${REDIS_URL}", ttl: {enhancement: 3600, embedding: 86400}}
"""


def test_environment_names() -> None:
    c = AuroraConfig.from_env({"AURORA_CODEX_BASE_URL": "http://localhost:1234/v1", "AURORA_CODEX_TIMEOUT_S": "4",
                               "AURORA_LOCAL_LLM_MODEL": "/models/x", "AURORA_REDIS_URL": "redis://h:6379/0",
                               "AURORA_CACHE": "off"})
    assert c.codex.configured and c.codex.timeout_s == 4.0 and c.local_llm.configured
    assert c.cache.redis_url == "redis://h:6379/0" and not c.cache.enabled
    bare = AuroraConfig.from_env({})
    assert not bare.codex.configured and not bare.local_llm.configured and bare.cache.redis_url is None
    assert "api_key" not in repr(AuroraConfig.from_env({"AURORA_CODEX_API_KEY": "sk-secret"}).codex)


def test_appendix_a_yaml(tmp_path: Path) -> None:
    path = tmp_path / "aurora.yaml"
    path.write_text(APPENDIX_A, encoding="utf-8")
    c = AuroraConfig.from_env({"AURORA_CONFIG": str(path)})
    assert c.implementations == ("codex", "local_llm", "rule_based", "defaults")
    assert not c.codex.configured and c.codex.timeout_s == 10.0  # ${CODEX_API_URL} unset: not configured
    assert c.local_llm.model == "aurora-music-7b" and c.local_llm.time_limit_s == 15.0
    assert c.cache.redis_url is None and c.cache.session_ttl_s == 3600
    c2 = AuroraConfig.from_env({"AURORA_CONFIG": str(path), "AURORA_CODEX_BASE_URL": "http://x/v1"})
    assert c2.codex.configured
