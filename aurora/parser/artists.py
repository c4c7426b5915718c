"""Reference artists ("in the style of Nujabes", "like Daft Punk") and their style profiles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aurora.parser.lexicon import Lexicon
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Artist

_STYLE_CUE_RE = re.compile(r"\b(?:like|style\s+of|inspired\s+by|in\s+the\s+vein\s+of|influenced\s+by|a\s+la|à\s+la|"
                           r"reminiscent\s+of|sounds?\s+like|vibes?\s+of|-style|esque)\b")


@dataclass
class ArtistFinding:
    artist: Artist
    relevance: float
    span: tuple[int, int] = (0, 0)  # where the name is in the text (so "Daft Punk" does not name punk)


class ArtistParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._by_name = {a.name: a for a in kb.artists}
        phrases = [(n, a.name) for a in kb.artists for n in (a.name, *a.aliases)]
        self._lexicon = Lexicon(phrases, plurals=False)

    def parse(self, lowered: str) -> list[ArtistFinding]:
        out: list[ArtistFinding] = []
        for match in self._lexicon.find(lowered):
            if any(f.artist.name == match.key for f in out):
                continue
            context = lowered[max(0, match.start - 25):match.end + 8]
            relevance = 0.95 if _STYLE_CUE_RE.search(context) else 0.8
            out.append(ArtistFinding(self._by_name[match.key], relevance, (match.start, match.end)))
        return out
