"""Implementations of Aurora's NLP tasks, registered by name (see base.REGISTRY).

Importing registers them; none loads a model or opens a connection until first used.
"""

from aurora.implementations import codex, defaults, local_llm, rule_based
from aurora.implementations.base import REGISTRY, Implementation, Resources, register

__all__ = ["REGISTRY", "Implementation", "Resources", "codex", "defaults", "local_llm", "register", "rule_based"]
