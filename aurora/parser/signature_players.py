"""Players only one family of genres has: a prompt that names no genre but the bagpipes is Celtic music.

"bagpipes lament, slow, A mixolydian" names no genre, and its few words ranked every genre about alike, so it fell
to the default pop (a drum kit, a bass guitar and a singer under the pipes). A stated player whose listing genres
(knowledge_base genres.yaml line-ups) all share one root family names that family (genre.SIGNATURE_BONUS); one many
families play (a violin, a sitar) names none, nor does a kind word ("guitar", "organ": whichever the genre has).
"""

from __future__ import annotations

from collections.abc import Sequence

from aurora.parser.instruments import InstrumentParser
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import is_kind_word


class SignaturePlayers:
    def __init__(self, kb: KnowledgeBase, instruments: InstrumentParser) -> None:
        self._kb = kb
        self._instruments = instruments
        listing: dict[str, set[str]] = {}
        for genre in kb.genres:
            for gi in genre.instruments:
                listing.setdefault(gi.instrument, set()).add(genre.id)
        self._genres = {inst: tuple(sorted(ids)) for inst, ids in listing.items()
                        if len({kb.root_genre(g).id for g in ids}) == 1}

    def genres(self, lowered: str, stated_moods: Sequence[str] = ()) -> list[str]:
        """The genres the text's signature players belong to, in the text's order, but none the stated moods (mood
        ids; by valence) oppose: a "spooky halloween" music box is no lullaby; a bagpipe lament is still Celtic."""
        stated_valences = [self._kb.mood(m).valence for m in stated_moods]
        found = [f for f in self._instruments.parse(lowered).found if not is_kind_word(self._kb, f.phrase)]
        return list(dict.fromkeys(g for f in found for g in self._genres.get(f.instrument_id, ())
                                  if not _opposed(stated_valences, [self._kb.mood(m).valence
                                                                    for m in self._kb.genre(g).moods])))


def _opposed(stated: Sequence[float], own: list[float], *, apart: float = 0.3) -> bool:
    """Valences wholly on opposite sides: every stated mood dark and every one of the genre's bright, or reverse."""
    if not stated or not own:
        return False
    return (max(stated) <= -apart and min(own) >= apart) or (min(stated) >= apart and max(own) <= -apart)
