"""Implementations of Aurora's NLP tasks, registered by name (see base.REGISTRY)."""

from aurora.implementations import defaults, rule_based
from aurora.implementations.base import REGISTRY, Implementation, Resources, register

__all__ = ["REGISTRY", "Implementation", "Resources", "defaults", "register", "rule_based"]
