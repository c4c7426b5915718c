"""Semantic parser (spec §3.2.2): one module per entity group, combined in semantic.py."""

from aurora.parser.semantic import ParseOutcome, SemanticParser

__all__ = ["ParseOutcome", "SemanticParser"]
