"""The knowledge base's one error. Each layer re-raises it as its own coded error
(``AURORA_KB_INVALID``, ``ENGINE_KB_INVALID``) at its facade, so this package imports neither layer."""

from __future__ import annotations


class KnowledgeBaseError(Exception):
    """A knowledge-base file is missing, is not YAML, or does not match the schema."""

    code = "KB_INVALID"
