"""Named ensembles ("jazz trio", "string quartet", "brass quintet"): a closed line-up (knowledge_base/ensembles.yaml).

Naming an ensemble states every one of its players: a string quartet is two violins, a viola and a cello, and a
jazz trio gets no trumpet however jazz is usually played. The ensemble also names its genre when the prompt
names none ("string quartet, G major, calm" is classical, not the default pop). Entries sharing an alias
("piano trio": classical piano, violin, cello; or a jazz piano trio) are told apart by the genres the prompt
names, else the first listed wins.

A prompt also closes its line-up without naming a known ensemble: "solo piano", "just piano and cello",
"acoustic guitar only", "unaccompanied cello" (the generic ``named_only`` entry), and a count word with that
many instruments named ("a trio of piano, bass and drums", "a duet for violin and piano").

"Solo" before the instrument closes the line-up ("solo piano", "a solo acoustic guitar", "for solo violin"). After it,
"<instrument> solo" is a solo piece when that instrument is the only one named ("piano solo, sad, 60"; "violin solo
with piano accompaniment" is a duo), and a part within a band when the prompt plays it over or beside something
("guitar solo over a funky groove", "electric guitar solo and synth pads", "a rock song with a long guitar solo").

A prompt that lists an ensemble's players one by one and names no genre ("a quartet: sax, piano, bass and drums",
"violin, viola and cello") plays that ensemble's genre, as naming the ensemble would: a listener hears a jazz
quartet, so its plain "bass" is the double bass, not the bass guitar of the default pop (``by_players``).

A small group plays no sub-genre that a bigger ensemble names as its own: a jazz quartet or trio, named or listed,
is not "Swing / Big Band" (the big band's genre) however its words rank; it plays the sub-genre whose line-up holds
most of its players, the nearest by the prompt's words among those (``small_group_style``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aurora.contracts import InstrumentValue
from aurora.parser.instruments import InstrumentFinding
from aurora.parser.lexicon import Lexicon, is_negated, normalise_phrase
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import kind_in_lineup
from knowledge_base.schema import Ensemble, Genre, Instrument

_CLOSING_BEFORE_RE = re.compile(r"\b(?:only|just|unaccompanied)(?:\s+(?:a|an|the|one|some))?\s+$")
_LINKS = r"(?:and|with|over|on|under|above|against|plus|or|then|into|while|behind|atop|to|from|by|in|for|&)"
# "solo piano", "solo acoustic guitar", "a solo piece for cello"; never "solo and" ("guitar solo and synth pads")
_SOLO_BEFORE_RE = re.compile(rf"\bsolo(?:\s+(?:piece|performance|recital|work|composition|improvisation)\s+"
                             rf"(?:on|for|of|by)(?:\s+(?:a|an|the))?|\s+(?!{_LINKS}\b)[\w\-]+)?\s+$")
_SOLO_AFTER_RE = re.compile(r"\s+solos?\b")
# "<instrument> solo" as a part of a band: played over or beside something, or a song's part ("with a long guitar solo")
_SOLO_PART_AFTER_RE = re.compile(r"\s*,?\s*(?:over|on\s+top|above|against|backed|with|and|&|\+|plus|then|in\s+the|"
                                 r"during|section|break|bridge)\b")
_SOLO_PART_BEFORE_RE = re.compile(r"\b(?:with|and|plus|featuring|feat\.?|including|has|have|adds?|then)\s+"
                                  r"(?:(?:a|an|the|some)\s+)?(?:[\w\-]+\s+){0,2}$")
_ACCOMPANIMENT_RE = re.compile(r"\s+accompan\w*")
_ACCOMPANIED_BY_RE = re.compile(r"\baccompanied\s+by\s+(?:(?:a|an|the)\s+)?$")
_CLOSING_AFTER_RE = re.compile(r"(?:\s*,)?\s+(?:only|alone|by\s+itself|on\s+its\s+own|unaccompanied|"
                               r"solo\s+(?:piece|work|composition|performance|recital|improvisation))\b")
# the forms written for one player: "piano sonata", "a chopin-style piano nocturne", "cello suite", "violin partita"
_SOLO_FORM_AFTER_RE = re.compile(r"\s+(?:sonatas?|sonatinas?|nocturnes?|[eé]tudes?|preludes?|impromptus?|ballades?|"
                                 r"mazurkas?|partitas?|suites?|inventions?|fugues?)\b")
# a piece for one player by any name, when the player has a repertoire of its own (instruments.yaml solo_genre): "a
# sad piano piece", "a gentle guitar piece", "piano composition"; not "an epic orchestral piece"
_PIECE_AFTER_RE = re.compile(r"\s+(?:pieces?|compositions?|miniatures?)\b")
# "a sonata for violin and piano", "waltz for strings", "a piece for cello, piano and harp": the players a piece is
# written for are all of them; a list of instruments only ("for violin and piano with ..." stays open after it)
_WRITTEN_FOR_RE = re.compile(r"\bfor(?:\s+(?:a|an|the|two|three|four|solo))?\s+$")
_LIST_LINK_RE = re.compile(r"\s*(?:,|and|&|\+|,\s*and)\s*(?:(?:a|an|the)\s+)?$")
_CLOSING_ANYWHERE_RE = re.compile(r"\b(?:unaccompanied|nothing\s+else|no\s+other\s+(?:instruments?|instrumentation|"
                                  r"accompaniment|players?))\b")

# others join later: "starts with solo piano, then the whole band comes in", "piano alone until the drums kick in",
# "joined by strings": the solo instrument opens the piece, the line-up stays open
_OTHERS_JOIN_RE = re.compile(
    r"\b(?:band|drums|beat|rhythm\s+section|orchestra|strings|everything|everyone|ensemble|full\s+mix|bass)"
    r"\s+(?:\w+\s+)?(?:comes?|kicks?|joins?|enters?|drops?|crashes|come|kick|join|enter|drop)\s*(?:in\b|$|,|\.)"
    r"|\b(?:joined|followed)\s+by\b|\b(?:then|before|until|later)\b[^.]{0,40}\b(?:band|drums|orchestra|beat)\b")

_MELODY_ROLES = {"lead", "counter"}
# a small group's style swings about as much as the big band's it stands in for (swing 0.75 against cool jazz's
# 0.6 and bebop's 0.7; jazz fusion and smooth jazz, 0.2, play straight)
SWING_KEPT = 0.3


@dataclass(frozen=True)
class EnsembleFinding:
    ensemble: Ensemble
    start: int
    end: int


class EnsembleParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._by_phrase: dict[str, list[Ensemble]] = {}
        for ensemble in (e for e in kb.ensembles if e.parts):
            for phrase in (ensemble.name, *ensemble.aliases):
                entries = self._by_phrase.setdefault(normalise_phrase(phrase), [])
                if ensemble not in entries:
                    entries.append(ensemble)
        self._lexicon = Lexicon((phrase, phrase) for phrase in self._by_phrase)
        self._named_only = next((e for e in kb.ensembles if e.id == "named_only"), None)
        self._sized = [(e, re.compile(r"\b(?:" + "|".join(re.escape(a) for a in e.aliases) + r")s?\b"))
                       for e in kb.ensembles if e.size is not None and not e.parts and e.aliases]

    def parse(self, lowered: str, named_genres: list[str] | None = None) -> EnsembleFinding | None:
        """The first ensemble the text names (not negated: "no string quartet"), chosen among entries sharing
        the phrase by the genres the text names (ids, in order)."""
        for match in self._lexicon.find(lowered):
            if is_negated(lowered, match.start):
                continue
            entries = self._by_phrase.get(match.key, [])
            if not entries:
                continue
            return EnsembleFinding(self._choose(entries, named_genres or []), match.start, match.end)
        return None

    def closed(self, lowered: str, players: Sequence[InstrumentFinding]) -> EnsembleFinding | None:
        """A generic closed line-up for the instruments named (``players``): a count word with that many
        instruments, a word that closes it ("solo piano", "piano only", "just piano and cello"), or the players a
        piece is written for ("a sonata for violin and piano"). A section closed alone ("for strings", "strings
        only") is the ensemble of its players (an ensemble's ``section``)."""
        mentions = [(f.start, f.start + len(f.phrase)) for f in players]
        if not mentions:
            return None
        for ensemble, words in self._sized:
            found = words.search(lowered)
            if found and ensemble.size == len(mentions) and not is_negated(lowered, found.start()):
                return EnsembleFinding(ensemble, -1, -1)
        if self._named_only is None or others_join(lowered):
            return None
        closing = _CLOSING_ANYWHERE_RE.search(lowered) is not None or any(
            _CLOSING_BEFORE_RE.search(lowered[max(0, start - 40):start]) or _CLOSING_AFTER_RE.match(lowered, end)
            or lowered.startswith("solo ", start) for start, end in mentions)  # the alias "solo piano"
        closing = closing or _solo_before(lowered, mentions) or _solo_piece(lowered, mentions) or (
            len(mentions) == 1 and _SOLO_FORM_AFTER_RE.match(lowered, mentions[0][1]) is not None) or (
            len(mentions) == 1 and self._kb.instrument(players[0].instrument_id).solo_genre is not None
            and _PIECE_AFTER_RE.match(lowered, mentions[0][1]) is not None) or _written_for(lowered, mentions)
        if not closing:
            return None
        ids = {f.instrument_id for f in players}
        section = next((e for e in self._kb.ensembles if e.section is not None and {e.section} == ids), None)
        return EnsembleFinding(section or self._named_only, -1, -1)

    def by_players(self, found: Sequence[InstrumentFinding]) -> Ensemble | None:
        """The ensemble whose players the prompt lists: all of its accompaniment (every part but the melody:
        a jazz group's piano, double bass and drums; a string quartet's viola and cello), and for the melody any
        instrument of the kinds its genre leads with (a jazz quartet's sax, or a trumpet or clarinet instead;
        a flute over a string trio). A kind word is read as the ensemble's own ("bass" beside piano and drums is
        the jazz trio's double bass). None when an accompanist is missing or a player is of another kind (a
        synth, a bass guitar): the first matching entry of ensembles.yaml wins."""
        if len(found) < 2:
            return None
        kb = self._kb
        for ensemble in (e for e in kb.ensembles if e.parts and e.genre):
            accompaniment = {p.instrument for p in ensemble.parts if p.role not in _MELODY_ROLES}
            lineup = [p.instrument for p in ensemble.parts]
            lineup += [gi.instrument for g in kb.genre_lineage(ensemble.genre) for gi in g.instruments]
            leads = {i.family for i in (kb.find_instrument(p.instrument) for p in ensemble.parts
                                        if p.role in _MELODY_ROLES) if i is not None}
            leads |= {i.family for i in (kb.find_instrument(gi.instrument) for g in kb.genre_lineage(ensemble.genre)
                                         for gi in g.instruments if gi.role in _MELODY_ROLES) if i is not None}
            leads.discard("vocal")  # a singer fronts any band: a voice names no genre
            named = [kind_in_lineup(kb, f.phrase, kb.instrument(f.instrument_id), lineup) for f in found]
            if len(accompaniment) < 2 or not accompaniment <= {i.id for i in named}:
                continue
            if all(i.id in accompaniment or (i.family in leads and set(i.roles[:1]) & _MELODY_ROLES)
                   for i in named):
                return ensemble
        return None

    def _choose(self, entries: list[Ensemble], named_genres: list[str]) -> Ensemble:
        for genre_id in named_genres:
            lineage = {g.id for g in self._kb.genre_lineage(genre_id)}
            for ensemble in entries:
                if ensemble.genre in lineage or genre_id in {g.id for g in self._kb.genre_lineage(ensemble.genre)}:
                    return ensemble
        return entries[0]


def others_join(lowered: str) -> bool:
    """Whether the text has other players join the named ones later ("then the whole band comes in")."""
    return join_at(lowered) is not None


def join_at(lowered: str) -> int | None:
    """Where the text has the others join ("then the whole band comes in"): the players named before it open
    the piece alone."""
    found = _OTHERS_JOIN_RE.search(lowered)
    return found.start() if found is not None else None


def _written_for(lowered: str, mentions: Sequence[tuple[int, int]]) -> bool:
    """The piece is written for the instruments named: "for" before the first, the others listed after it."""
    spans = sorted(set(mentions))
    start = spans[0][0]
    if _WRITTEN_FOR_RE.search(lowered[max(0, start - 20):start]) is None:
        return False
    return all(_LIST_LINK_RE.fullmatch(lowered[end:nxt]) for (_, end), (nxt, _) in itertools.pairwise(spans))


def _solo_before(lowered: str, mentions: Sequence[tuple[int, int]]) -> bool:
    """"solo" opens an instrument's phrase ("solo acoustic guitar"), not the "solo" of another instrument's part
    ("electric guitar solo and synth pads")."""
    for start, _ in mentions:
        window = max(0, start - 40)
        found = _SOLO_BEFORE_RE.search(lowered[window:start])
        if found is None:
            continue
        solo_at = window + found.start()
        if not any(s <= solo_at < e or (e <= solo_at and not lowered[e:solo_at].strip()) for s, e in mentions):
            return True
    return False


def _solo_piece(lowered: str, mentions: Sequence[tuple[int, int]]) -> bool:
    """"<instrument> solo" is a solo piece: the only instrument named ("piano solo, sad, 60") or named with its
    accompaniment ("violin solo with piano accompaniment"), not played over or beside anything else."""
    spans = sorted(set(mentions))
    solos = [(s, e) for s, e in spans if re.search(r"\bsolos?$", lowered[s:e]) or _SOLO_AFTER_RE.match(lowered, e)]
    if len(solos) != 1:
        return False
    start, end = solos[0]
    after = _SOLO_AFTER_RE.match(lowered, end)
    end = after.end() if after else end
    others = [(s, e) for s, e in spans if (s, e) != solos[0]]
    if others and all("accompan" in lowered[s:e] or _ACCOMPANIMENT_RE.match(lowered, e)
                      or _ACCOMPANIED_BY_RE.search(lowered[max(0, s - 30):s]) for s, e in others):
        return True
    return not others and not _SOLO_PART_AFTER_RE.match(lowered, end) and not _SOLO_PART_BEFORE_RE.search(
        lowered[max(0, start - 40):start])


def small_group_style(kb: KnowledgeBase, root: Genre, sub_genre: Genre, players: Sequence[Instrument],
                      similarity: Mapping[str, float], *, moods: Sequence[str] = (),
                      tempo_bpm: float | None = None) -> Genre | None:
    """The sub-genre for a small group of ``players``: the chosen ``sub_genre`` unless an ensemble of more players
    than the group names it as its genre (a big band: swing) or a sibling's line-up holds more of the players (a
    jazz trio is no fusion band); then the sibling whose own line-up holds most of the
    players (an instrument of the same family and first role counts: a clarinet for the sax, brushed drums for the
    kit; a bass guitar is no double bass); among those, one whose tempo range holds the stated ``tempo_bpm``, then
    the one listing most of the stated ``moods`` (ids: "moody" is cool jazz, not bebop), then the most ``similar``.
    None (the root genre) when no sibling holds any player."""

    def too_small_for(genre_id: str) -> bool:
        return any(e.genre == genre_id and len({p.instrument for p in e.parts}) > len(players) for e in kb.ensembles)

    if not players:
        return sub_genre

    def fit(genre: Genre) -> int:
        lineup = [kb.instrument(gi.instrument) for gi in genre.instruments]
        return sum(any(i.id == player.id or (i.family == player.family and i.roles[:1] == player.roles[:1])
                       for i in lineup) for player in players)

    def holds(genre: Genre) -> bool:
        return tempo_bpm is not None and genre.tempo_bpm.min <= tempo_bpm <= genre.tempo_bpm.max

    others = [g for g in kb.genres if g.parent == root.id and not too_small_for(g.id)]
    if not too_small_for(sub_genre.id):  # a style whose band holds the group as well as any sibling's stays, unless
        best = max((fit(g) for g in others), default=0)  # one as fitting holds the stated tempo and it does not
        if fit(sub_genre) >= best and (tempo_bpm is None or holds(sub_genre) or not any(
                holds(g) for g in others if fit(g) == best)):
            return sub_genre
        siblings = others  # a "jazz trio" of piano, double bass and drums is no fusion band (e-piano, synth, bass)
    else:  # a big band's small group keeps its swing: a swing quartet is no straight-eighths fusion
        siblings = [g for g in others if abs(g.swing - sub_genre.swing) <= SWING_KEPT]

    ranked = sorted(siblings, reverse=True, key=lambda g: (fit(g), holds(g), len(set(moods) & set(g.moods)),
                                                           similarity.get(g.id, 0.0)))
    if not ranked or fit(ranked[0]) == 0:
        return None
    if tempo_bpm is not None and not holds(ranked[0]) and root.tempo_bpm.min <= tempo_bpm <= root.tempo_bpm.max:
        return None  # no style of the group's holds the stated tempo and the root's does: the root genre plays
    return ranked[0]


def ensemble_instruments(kb: KnowledgeBase, found: list[InstrumentFinding], excluded: list[str], genre: Genre,
                         ensemble: EnsembleFinding, band_players: list[str]) -> list[InstrumentValue]:
    """A named ensemble states its whole line-up, and nothing is inferred beside it (the line-up is closed);
    other instruments the prompt names join it ("a jazz trio with vibraphone"), exclusions leave it."""
    lineup = [p.instrument for p in ensemble.ensemble.parts] + band_players  # "a quartet: sax, piano, bass..."
    lineup += [gi.instrument for g in kb.genre_lineage(genre.id) for gi in g.instruments]
    out: dict[str, InstrumentValue] = {}
    for part in ensemble.ensemble.parts:
        if part.instrument not in excluded:
            out.setdefault(part.instrument, InstrumentValue(
                name=kb.instrument(part.instrument).name, role=part.role, confidence=0.9))
    for f in found:
        if ensemble.start <= f.start < ensemble.end:  # "string quartet" also names the string section
            continue
        inst_id = kind_in_lineup(kb, f.phrase, kb.instrument(f.instrument_id), lineup).id
        out.setdefault(inst_id, InstrumentValue(name=kb.instrument(inst_id).name, role=f.role,
                                                confidence=f.confidence))
    return list(out.values())
