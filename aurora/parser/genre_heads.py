"""Which genre a phrase names when it holds several genre words: the head noun of the noun phrase.

English puts the head last and its modifiers before it: "jazzy hip hop" is hip hop played jazzily, "funky house" is
house, "country rap" is rap with a country flavour, "disco strings" are strings in a disco style, "jazz piano chords
over a trap beat" is trap. So a genre word is a *modifier* (a weak naming) when it is

- an adjective made of a genre's name ("jazzy", "funky", "bluesy": knowledge_base genres.yaml ``adjectives``),
- a genre noun directly before another genre noun ("country rap", "folk metal"; not a genre name that is itself an
  adjective: "cinematic orchestral" leaves both to the embedding), or
- a genre noun directly before (or inside) an instrument's name ("disco strings", "rock drums", "jazz guitar").

A modifier names its genre only when the text names no genre otherwise ("a guitar solo over a funky groove" is
funk; "jazz guitar, warm, 90" is jazz). Where a modifier and its head together make a genre the knowledge base
names ("bluesy rock" -> blues rock, "jazzy hip hop" -> jazz rap, which is boom bap; "poppy punk" -> pop punk),
that genre is the one named; so is a modifier that is a kind of the head's genre ("jazz with big band horns" is big
band jazz, "hip hop, boom bap drums" is boom bap). The adjective's flavour stays in the prompt for the mood parser
("funky", "soulful").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aurora.parser.lexicon import Lexicon, Match, adjacent, is_negated
from knowledge_base import KnowledgeBase

# a genre name that is itself an adjective ("cinematic", "orchestral", "electronic", "ambient") before another such
# genre word qualifies the same head as that word does ("an epic cinematic orchestral piece"): neither is the head,
# both stay named and the embedding weighs them, as before this module. Before a genre noun it is a modifier like any
# other: "celtic punk" is punk with bagpipes (it had been two heads, and the bagpipes made it a Celtic jig in 6/8)
_ADJECTIVE_LIKE_RE = re.compile(r"(?:al|ic|ical|ive|ous|ful|ish|ary|ent|ant)$")


@dataclass(frozen=True)
class GenreNaming:
    """Genre ids the text names as heads (in text order) and as modifiers only (in text order)."""

    heads: list[str]
    modifiers: list[str]


class GenreHeads:
    def __init__(self, kb: KnowledgeBase, nouns: Lexicon) -> None:
        self._kb = kb
        self._nouns = nouns
        self._adjectives = Lexicon([(a, g.id) for g in kb.genres for a in g.adjectives], plurals=False)
        self._instruments = Lexicon([(p, i.id) for i in kb.instruments for p in (i.name, *i.aliases)])
        self._forms = {g.id: list(dict.fromkeys(p.lower() for p in (g.name, g.id.replace("_", " "), *g.aliases)))
                       for g in kb.genres}

    def read(self, lowered: str) -> GenreNaming:
        nouns = [m for m in self._nouns.find(lowered) if not is_negated(lowered, m.start)]
        # an instrument word that is (part of) a genre phrase is read as the genre ("orchestral piece"); one that holds
        # a genre word stays an instrument ("jazz guitar")
        instruments = [i for i in self._instruments.find(lowered) if not any(
            n.start < i.end and i.start < n.end and not (i.start <= n.start and n.end <= i.end and
                                                         (i.start, i.end) != (n.start, n.end)) for n in nouns)]
        # an adjective inside an instrument's phrase is the instrument's ("acoustic guitar", "acoustic drums" name no
        # acoustic style); one made of a genre's name still names it ("funky bass")
        adjectives = [m for m in self._adjectives.find(lowered) if not is_negated(lowered, m.start)
                      and not any(n.start < m.end and m.start < n.end for n in nouns)
                      and (self._named_after(m) or not any(
                          i.start <= m.start and m.end <= i.end and i.end - i.start > m.end - m.start
                          for i in instruments))]
        heads: list[tuple[int, str]] = []
        modifiers: list[tuple[int, str]] = []
        for index, noun in enumerate(nouns):
            nxt = nouns[index + 1] if index + 1 < len(nouns) else None
            before_genre = (nxt is not None and adjacent(lowered, noun, nxt) and nxt.key != noun.key
                            and not (_ADJECTIVE_LIKE_RE.search(noun.phrase)
                                     and _ADJECTIVE_LIKE_RE.search(nxt.phrase.split()[0])))
            if before_genre or _before_instrument(lowered, noun, instruments):
                modifiers.append((noun.start, noun.key))
            else:
                heads.append((noun.start, noun.key))
        head_ids = [key for _, key in heads]
        for adjective in adjectives:
            modifiers.append((adjective.start, adjective.key))
            head = next((n for n in nouns if n.key in head_ids and adjacent(lowered, adjective, n)), None)
            if head is not None:
                self._compose(adjective.key, head, heads)
        for index, noun in enumerate(nouns[:-1]):
            nxt = nouns[index + 1]
            if adjacent(lowered, noun, nxt) and nxt.key != noun.key:
                self._compose(noun.key, nxt, heads)
        for _, modifier in modifiers:  # a kind of the head's genre is the head, said more precisely: "jazz ...
            lineage = [g.id for g in self._kb.genre_lineage(modifier)[1:]]  # big band horns" is big band jazz
            heads[:] = [(s, modifier if k in lineage else k) for s, k in heads]
        return GenreNaming(list(dict.fromkeys(k for _, k in sorted(heads))),
                           list(dict.fromkeys(k for _, k in sorted(modifiers))))

    def _named_after(self, adjective: Match) -> bool:
        """The adjective is made of its genre's name ("funky", "jazzy", "bluesy"), not a word of its sound."""
        genre = self._kb.genre(adjective.key)
        return adjective.phrase.lower().startswith(genre.name.lower()[:4])

    def _compose(self, modifier_id: str, head: Match, heads: list[tuple[int, str]]) -> None:
        """Replace the head by the genre that modifier + head make together, when the knowledge base names one
        ("blues" + "rock": blues rock; "jazz" + "rap": jazz rap, an alias of boom bap)."""
        for modifier_form in self._forms[modifier_id]:
            for head_form in (head.phrase, *self._forms[head.key]):
                found = self._nouns.lookup(f"{modifier_form} {head_form}")
                if found is not None and found not in (modifier_id, head.key):
                    heads[:] = [(s, found if (s, k) == (head.start, head.key) else k) for s, k in heads]
                    return


def _before_instrument(lowered: str, noun: Match, instruments: Sequence[Match]) -> bool:
    """The genre word qualifies an instrument: it sits inside an instrument's name ("jazz guitar") or directly
    before one ("disco strings", "rock drums")."""
    return any((i.start <= noun.start and noun.end <= i.end and (i.start, i.end) != (noun.start, noun.end))
               or adjacent(lowered, noun, i) for i in instruments)

