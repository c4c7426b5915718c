"""Soundstar's shared vocabulary: the YAML data in this folder and the one small typed reader of it.

Both layers import this package (``aurora`` and ``engine``); it imports neither, and depends on
pydantic and PyYAML only. Modules: ``schema`` (a model per file), ``loader`` (``load(dir)``, cached),
``layout`` (the 640-d control embedding: encode and decode of its decodable blocks), ``theory``
(pitch classes, keys, chords, modes) and ``limits`` (values every layer checks the same way).
"""

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.loader import DEFAULT_DIR, KB_DIR_ENV, directory_from_env, load
from knowledge_base.schema import KnowledgeBase, normalise_name

__all__ = [
    "DEFAULT_DIR",
    "KB_DIR_ENV",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "directory_from_env",
    "load",
    "normalise_name",
]
