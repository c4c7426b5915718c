"""LLM and cache settings from the environment and from a YAML shaped like spec Appendix A."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurora import AuroraConfig
from aurora.exceptions import ConfigError

APPENDIX_A = """
aurora:
  implementations:
    primary: {type: codex, api_url: "${CODEX_API_URL}", api_key: "${CODEX_API_KEY}", timeout_ms: 10000, max_retries: 3}
    secondary: {type: local_llm, endpoint: "http://localhost:1234/v1", model: "aurora-music-7b", timeout_ms: 15000}
    fallback: {type: rule_based}
  caching: {enabled: true, redis_url: "${REDIS_URL}", ttl: {enhancement: 3600, embedding: 86400}}
"""


def test_environment_names(tmp_path: Path) -> None:
    c = AuroraConfig.from_env({"AURORA_CODEX_BASE_URL": "http://localhost:1234/v1", "AURORA_CODEX_TIMEOUT_S": "4",
                               "AURORA_LOCAL_LLM_MODEL": str(tmp_path), "AURORA_REDIS_URL": "redis://h:6379/0",
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


def test_every_config_problem_is_reported_at_start_one_line_each(tmp_path: Path) -> None:
    """Malformed URLs, a missing model folder and a number that is not one: one ConfigError, a line per problem,
    each naming the variable to fix (rather than every later request failing)."""
    env = {"AURORA_REDIS_URL": "redis//localhost:6379", "AURORA_CODEX_BASE_URL": "localhost:1234/v1",
           "AURORA_LOCAL_LLM_MODEL": str(tmp_path / "no-such-model"), "AURORA_CODEX_TIMEOUT_S": "soon"}
    with pytest.raises(ConfigError) as info:
        AuroraConfig.from_env(env)
    assert info.value.code == "AURORA_CONFIG_INVALID"
    lines = info.value.message.splitlines()[1:]
    assert len(lines) == 4
    for variable in env:
        assert sum(line.startswith(variable) for line in lines) == 1, (variable, lines)
    assert any("does not exist" in line for line in lines)
    for good in ({"AURORA_REDIS_URL": "rediss://cache.internal:6380/2"}, {"AURORA_REDIS_URL": "unix:///tmp/r.sock"},
                 {"AURORA_CODEX_BASE_URL": "https://api.example.com/v1"}, {"AURORA_LOCAL_LLM_MODEL": "org/model"}):
        AuroraConfig.from_env(good)
    for bad in ({"AURORA_REDIS_URL": "redis://h:99999/0"}, {"AURORA_REDIS_URL": "redis://h:6379/zero"},
                {"AURORA_CODEX_BASE_URL": "ftp://h/v1"}):
        with pytest.raises(ConfigError):
            AuroraConfig.from_env(bad)


def test_a_redis_outage_at_run_time_still_degrades(tmp_path: Path) -> None:
    """A well-formed URL to nothing is accepted at start; the cache then answers from memory (no failure)."""
    from aurora.cache import AuroraCache

    config = AuroraConfig.from_env({"AURORA_REDIS_URL": "redis://127.0.0.1:1/0"})
    cache = AuroraCache(config.cache)
    cache.set("global", "k", "v")
    assert cache.get("k") == "v"


def test_anchor_embedding_cache_folder_comes_from_the_config(tmp_path: Path) -> None:
    """AURORA_CACHE_DIR is read by AuroraConfig.from_env (not at import) and reaches the embedder's disk cache."""
    from aurora.text_embedding import DEFAULT_CACHE_DIR, TextEmbedder

    assert AuroraConfig.from_env({}).embedding_cache_dir == DEFAULT_CACHE_DIR
    folder = tmp_path / "embeddings"
    assert AuroraConfig.from_env({"AURORA_CACHE_DIR": str(folder)}).embedding_cache_dir == folder
    vectors = TextEmbedder(cache_dir=folder).encode_cached(["a calm piano ballad", "dark techno"])
    assert vectors.shape[0] == 2 and len(list(folder.glob("*.npy"))) == 1
