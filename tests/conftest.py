"""Shared fixtures: one real knowledge base and one real Aurora (real embedding model, CPU, offline)."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest

import knowledge_base
from aurora import Aurora, AuroraConfig
from knowledge_base import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge_base.load()


@pytest.fixture(scope="session")
def aurora() -> Aurora:
    instance = Aurora(config=AuroraConfig(implementations=("rule_based", "defaults")))
    instance.warm_up()
    return instance
