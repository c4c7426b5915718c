"""Players only one family of genres has: a prompt that names no genre but the bagpipes is Celtic music.

"bagpipes lament, slow, A mixolydian" names no genre, and its few words ranked every genre about alike, so it fell
to the default pop (a drum kit, a bass guitar and a singer under the pipes). A stated player whose listing genres
(knowledge_base genres.yaml line-ups) all share one root family names that family (genre.SIGNATURE_BONUS); one many
families play (a violin, a sitar) names none, nor does a kind word ("guitar", "organ": whichever the genre has).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aurora.parser.instruments import InstrumentFinding, InstrumentParse
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import is_kind_word

FOUNDATION_ROLES = frozenset({"rhythm", "bass"})
# A line-up names its styles when few genres play all of it, or when one family holds most of those that do;
# otherwise it names none (lineup_genres).
FEW_STYLES = 4
FAMILY_SHARE = 2 / 3


class SignaturePlayers:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        listing: dict[str, set[str]] = {}
        for genre in kb.genres:
            for gi in genre.instruments:
                listing.setdefault(gi.instrument, set()).add(genre.id)
        self._listing = {inst: tuple(sorted(ids)) for inst, ids in listing.items()}
        self._genres = {inst: ids for inst, ids in self._listing.items()
                        if len({kb.root_genre(g).id for g in ids}) == 1}

    def genres(self, players: InstrumentParse, stated_moods: Sequence[str] = ()) -> list[str]:
        """The genres the text's signature players (``players``: its instrument parse) belong to, in the text's
        order, but none the stated moods (mood ids; by valence) oppose: a "spooky halloween" music box is no lullaby;
        a bagpipe lament is still Celtic."""
        found = [f for f in players.found if not is_kind_word(self._kb, f.phrase)]
        return [g for g in dict.fromkeys(g for f in found for g in self._genres.get(f.instrument_id, ()))
                if self._moods_fit(g, stated_moods)]

    def lineup_genres(self, players: InstrumentParse, default_genre_id: str | None,
                      stated_moods: Sequence[str] = ()) -> list[str]:
        """The genres whose line-ups list a stated player the default genre's does not: "distorted guitar riff,
        aggressive" names no genre and ranks the genres about alike, but a distorted guitar is no pop line-up's,
        so the piece is one of the styles that play it (the embedding chooses which), not the default pop. A genre
        is listed once per such player it plays: "banjo and fiddle" is bluegrass's and folk's pair, celtic's fiddle
        only. A kind word counts when the default genre plays none of its kind: "strings" and "cello" (though an
        electric cello exists) do, "guitar" (pop has an electric one) does not.

        Ruled out: a style built on a beat or a bass line the text refuses ("no drums, no bass, just strings": no
        drum and bass; a refused singer or piano rules none out), and one whose line-up lacks a bass or beat the
        text names ("sax, piano, bass guitar and drums": no big band, whose bass is a double bass). A line-up many
        families play names none of them: the embedding, left to choose among so many on a few words, made "strings,
        sad" disco, "brass, triumphant" soul and an accordion and a violin Sevdah; such a line-up keeps the default. A
        style whose moods the stated ones oppose is none of them either. A style whose harmony player is stated is
        listed once more."""
        if default_genre_id is None:
            return []
        own = {gi.instrument for gi in self._kb.genre(default_genre_id).instruments}
        found = [f for f in players.found if f.instrument_id not in own and not self._names_a_part(f)
                 and (not is_kind_word(self._kb, f.phrase) or self._none_of_kind(f.phrase, own))]
        refused = {self._kb.instrument(i).roles[0] for i in players.excluded} & FOUNDATION_ROLES
        foundation = [f for f in players.found if self._kb.instrument(f.instrument_id).roles[0] in FOUNDATION_ROLES]
        listed = [g for f in dict.fromkeys(f.instrument_id for f in found) for g in self._listing.get(f, ())
                  if not refused & {gi.role for gi in self._kb.genre(g).instruments}
                  and all(self._plays(g, b) for b in foundation)]
        if not self._specific(listed):
            return []
        # a style whose chords a stated player holds counts once more: "epic choir and orchestra, dark fantasy" plays
        # both in a trailer score and in symphonic metal, but metal's chords are a distorted guitar nobody asked for
        stated = {f.instrument_id for f in found}
        listed += [g for g in dict.fromkeys(listed) if any(gi.role == "harmony" and gi.instrument in stated
                                                           for gi in self._kb.genre(g).instruments)]
        return [g for g in listed if self._moods_fit(g, stated_moods)]  # "strings, sad" is no disco

    def _moods_fit(self, genre_id: str, stated_moods: Sequence[str]) -> bool:
        """No stated mood is opposed to the genre's own (by valence)."""
        return not _opposed([self._kb.mood(m).valence for m in stated_moods],
                            [self._kb.mood(m).valence for m in self._kb.genre(genre_id).moods])

    def _specific(self, listed: list[str]) -> bool:
        """Whether the genres playing the most stated players are few, or mostly one family's."""
        if not listed:
            return True
        counts = Counter(listed)
        most = max(counts.values())
        top = [g for g, n in counts.items() if n == most]
        family_size = Counter(self._kb.root_genre(g).id for g in top).most_common(1)[0][1]
        return len(top) <= FEW_STYLES or family_size >= FAMILY_SHARE * len(top)

    def _names_a_part(self, found: InstrumentFinding) -> bool:
        """A part alias names what a player plays, whoever plays it in the style ("huge drums": a taiko in a
        trailer, the kit in a power ballad), so it chooses no style: "power ballad, huge drums, piano" had become
        an epic trailer."""
        phrase = found.phrase.lower()
        return any(phrase == alias.lower() for alias in self._kb.instrument(found.instrument_id).part_aliases)

    def _plays(self, genre_id: str, found: InstrumentFinding) -> bool:
        """Whether the genre's line-up has the stated player, or one of the kind its word names ("drums")."""
        lineup = {gi.instrument for gi in self._kb.genre(genre_id).instruments}
        return found.instrument_id in lineup or (is_kind_word(self._kb, found.phrase)
                                                 and not self._none_of_kind(found.phrase, lineup))

    def _none_of_kind(self, phrase: str, own: set[str]) -> bool:
        kind = " ".join(phrase.lower().replace("-", " ").split())
        names = [n.lower() for i in own for n in (self._kb.instrument(i).name, *self._kb.instrument(i).aliases)]
        return not any(name == kind or name.endswith(" " + kind) for name in names)


def _opposed(stated: Sequence[float], own: list[float], *, apart: float = 0.3) -> bool:
    """Valences wholly on opposite sides: every stated mood dark and every one of the genre's bright, or reverse."""
    if not stated or not own:
        return False
    return (max(stated) <= -apart and min(own) >= apart) or (min(stated) >= apart and max(own) <= -apart)
