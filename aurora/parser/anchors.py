"""What genre and mood matching share: KB entries named in the text (and ruled out by negation),
and the similarity of a prompt embedding to each entry's descriptive anchor phrases."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from aurora.parser.lexicon import HeadLast, Lexicon, is_negated
from aurora.text_embedding import TextEmbedder
from knowledge_base.schema import Genre, Mood


class AnchoredVocabulary:
    """Names/aliases -> entry ids, plus a lazily built anchor-embedding matrix for the same entries."""

    def __init__(self, entries: Sequence[Genre | Mood], embedder: TextEmbedder, *, plurals: bool,
                 head_last: HeadLast | None = None) -> None:
        self._entries = entries
        self._embedder = embedder
        self.lexicon = Lexicon([(n, e.id) for e in entries for n in (e.name, e.id.replace("_", " "), *e.aliases)],
                               plurals=plurals, head_last=head_last)
        self._lock = threading.Lock()
        self._matrix: NDArray[np.float32] | None = None
        self._owner: NDArray[np.int64] | None = None

    def named(self, lowered: str) -> tuple[list[str], list[str]]:
        """Entry ids the text names (in order), and those it rules out ("not jazz", "no sad songs")."""
        found: dict[str, set[str]] = {}
        negated: dict[str, set[str]] = {}
        for match in self.lexicon.find(lowered):
            target = negated if is_negated(lowered, match.start) else found
            target.setdefault(match.key, set()).add(match.phrase)
        # named in other words than the ones ruled out ("hip hop instrumental, no rap"): the naming stands
        kept = {e for e, phrases in found.items() if e in negated and phrases - negated[e]}
        return ([e for e in found if e not in negated or e in kept],
                [e for e in negated if e not in kept])

    def warm_up(self) -> None:
        if self._matrix is not None:
            return
        with self._lock:
            if self._matrix is not None:
                return
            anchors = [a for e in self._entries for a in e.anchors]
            owners = [i for i, e in enumerate(self._entries) for _ in e.anchors]
            self._owner = np.asarray(owners, dtype=np.int64)
            self._matrix = self._embedder.encode_cached(anchors)

    def similarities(self, prompt_vec: NDArray[np.float32]) -> NDArray[np.float32]:
        """Max cosine similarity of the prompt to each entry's anchors, [n_entries]."""
        self.warm_up()
        assert self._matrix is not None and self._owner is not None
        best = np.full(len(self._entries), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, self._matrix @ prompt_vec)
        return best
