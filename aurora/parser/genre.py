"""Genre and sub-genre: taxonomy names/aliases in the text, plus sentence-embedding similarity of
the whole prompt to each genre's descriptive anchor phrases.

Why both: a stated genre ("bossa nova") must win outright, but most real captions never name
one ("distorted guitars, screaming vocals, double kick drum"); the embedding ranks those by how
the music is described. Anchors are phrases, not bare labels (see NOTES: single words rank poorly).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from aurora.parser.anchors import AnchoredVocabulary
from aurora.parser.genre_heads import GenreHeads
from aurora.parser.lexicon import is_negated
from aurora.parser.style_cues import StyleCues, best_child, candidates
from aurora.text_embedding import TextEmbedder
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Genre

KEYWORD_BONUS = 0.6
ARTIST_BONUS = 0.25
LINEUP_BONUS = 0.1  # per stated player a generic prompt's genre plays and the default lacks (lineup_genres)
SIGNATURE_BONUS = 0.25  # a player only one family's line-ups list ("bagpipes lament": the Celtic pipes)
HEAD_BONUS = 0.3  # a family a prompt's head word names when it names no genre ("a chill beat": hip hop)
_NOT_A_HEAD_BEFORE = ("drum", "drums", "kick", "heart", "steady", "marching", "dance")  # "a steady drum beat"
# "a happy song": a short prompt naming no genre ranks every genre about alike (top-1 within FLAT_SPREAD of
# the 10th), and the top is then an accident (Highlife). Such prompts get the knowledge base's default genre.
GENERIC_MAX_WORDS = 8
# words that state a fact and no style (a tempo, a meter, a key, chord names): "chord progression Am F C G, acoustic
# guitar, 90 bpm" is as short a request as "acoustic guitar"; counted, its nine words had made it a description,
# and the embedding's top genre (bebop, a saxophone on the tune) won. A lone "a" is the article.
_FACT_WORD_RE = re.compile(r"^(?!a[,.:;!?]*$)(?:\S*\d\S*|bpm|key|keys|tempo|chords?|progressions?|major|minor|maj|min"
                           r"|[a-g](?:#|b|♯|♭)?(?:m|maj|min|dim|aug|sus)?)[,.:;!?]*$")
# words that end a genre's name without naming another ("pop song", "rock band"): "synth pop song" stays synth-pop
GENERIC_HEADS = frozenset({"music", "song", "songs", "tune", "tunes", "track", "tracks", "hits", "band", "bands",
                           "beat", "beats", "style", "vibe", "vibes", "instrumental", "piece", "pieces",
                           "composition", "compositions", "jam", "jams", "number"})
FLAT_SPREAD = 0.15
# words that ask for music and say nothing about it ("make me a jazz song please")
_FILLER_WORDS = frozenset({"a", "an", "the", "some", "me", "us", "please", "make", "give", "play", "write",
                           "create", "generate", "compose", "i", "want", "need", "would", "like", "just", "in", "at",
                           "of", "for", "with", "and", "plus", "featuring", "&", "solo", "solos"})


@dataclass
class GenreScore:
    genre_id: str
    score: float
    stated: bool
    similarity: float


class GenreRanker:
    def __init__(self, kb: KnowledgeBase, embedder: TextEmbedder, *, fallback_genre_id: str | None = None) -> None:
        self._kb = kb
        self._fallback = fallback_genre_id
        self._vocabulary = AnchoredVocabulary(kb.genres, embedder, plurals=True, head_last=self._head_wins)
        self._heads = GenreHeads(kb, self._vocabulary.lexicon)
        self._head_words = [(g.id, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in g.head_words) + r")\b"))
                            for g in kb.genres if g.head_words]

    def warm_up(self) -> None:
        self._vocabulary.warm_up()

    def _named_by_head(self, lowered: str) -> list[str]:
        """Families whose head word is what the prompt asks for ("sad beat", "a beat for rapping"), not a part of
        another thing ("a steady drum beat") or refused ("piano, no beat")."""
        out = []
        for genre_id, pattern in self._head_words:
            for found in pattern.finditer(lowered):
                before = lowered[:found.start()].split()
                if (not before or before[-1] not in _NOT_A_HEAD_BEFORE) and not is_negated(lowered, found.start()):
                    out.append(genre_id)
                    break
        return out

    def _head_wins(self, left: str, right: str, right_words: str) -> bool:
        """Of two overlapping genre names the later one is the head ("80s synth pop": synth-pop; "80s pop punk":
        pop punk), unless it adds only generic words ("synth pop song") or names a family of the earlier one,
        which is the more specific ("dark ambient drone" is dark ambient, not ambient)."""
        if set(right_words.split()) <= GENERIC_HEADS:
            return False
        return all(g.id != right for g in self._kb.genre_lineage(left))

    @property
    def fallback_id(self) -> str | None:
        """The knowledge base's default genre, which a generic prompt gets."""
        return self._fallback

    def similarities(self, prompt_vec: NDArray[np.float32]) -> NDArray[np.float32]:
        """Max cosine similarity of the prompt to each genre's anchors, [n_genres]."""
        return self._vocabulary.similarities(prompt_vec)

    def stated(self, lowered: str) -> tuple[list[str], list[str]]:
        """Genre ids the text names (in order), and genre ids it rules out ("not jazz")."""
        return self._vocabulary.named(lowered)

    def rank(self, lowered: str, prompt_vec: NDArray[np.float32], *, artist_genres: list[str] | None = None,
             signature_genres: list[str] | None = None, lineup_genres: list[str] | None = None,
             stated_moods: list[str] | None = None) -> list[GenreScore]:
        """``signature_genres``: the genres whose line-ups list a stated player that no other family's does; they
        rank higher, and such a prompt is no generic one (it had fallen to pop: a drum kit and a singer under the
        bagpipes). ``lineup_genres``: those listing a stated player the default genre's line-up lacks; a generic
        prompt that states one is one of them (its few words rank the genres too alike to choose any other), not
        the default ("distorted guitar riff, aggressive" had been hyperpop: pop, with the guitar as its only rock)."""
        negated = self.stated(lowered)[1]
        naming = self._heads.read(lowered)  # "jazzy hip hop" names hip hop: the head noun (genre_heads)
        named = [g for g in (naming.heads or naming.modifiers) if g not in negated]
        # a short request's head word ("a chill beat"); a genre's adjective still names its genre ("jazzy beat"), and
        # a long description's "beat" is the drums' ("a caption: the song has a punchy beat and...")
        short = sum(1 for w in lowered.split() if not _FACT_WORD_RE.match(w)) <= GENERIC_MAX_WORDS
        heads = [] if named or not short else self._named_by_head(lowered)
        sims = self.similarities(prompt_vec)
        scores: list[GenreScore] = []
        for index, genre in enumerate(self._kb.genres):
            if genre.id in negated:
                continue
            score = float(sims[index])
            stated = genre.id in named
            if stated:
                # earlier mentions first; a sub-genre named beats its parent named alongside it
                score += KEYWORD_BONUS - 0.01 * named.index(genre.id) + 0.02 * self._depth(genre)
            if artist_genres and genre.id in artist_genres:
                score += ARTIST_BONUS
            if signature_genres and genre.id in signature_genres:
                score += SIGNATURE_BONUS
            if genre.id in heads:
                score += HEAD_BONUS
            scores.append(GenreScore(genre.id, score, stated, float(sims[index])))
        scores.sort(key=lambda s: s.score, reverse=True)
        fallback = next((s for s in scores if s.genre_id == self._fallback), None)
        if fallback is not None and short and not (named or heads or signature_genres or lineup_genres or
                                                   artist_genres) and self._default_moods(stated_moods):
            scores.remove(fallback)
            return [GenreScore(fallback.genre_id, scores[0].score, False, scores[0].similarity), *scores]
        if fallback is not None and short and not signature_genres and not heads and \
                self._generic(scores, artist_genres):
            if lineup_genres:
                bonus = {s.genre_id: LINEUP_BONUS * lineup_genres.count(s.genre_id) for s in scores}
                played = [replace(s, score=s.score + bonus[s.genre_id]) for s in scores]
                return sorted(played, key=lambda s: (bonus[s.genre_id] > 0, s.score), reverse=True)
            scores.remove(fallback)
            scores.insert(0, GenreScore(fallback.genre_id, scores[0].score, False, scores[0].similarity))
        return scores

    def _default_moods(self, stated_moods: list[str] | None) -> bool:
        """Whether a short prompt's stated moods are all the default style's own ("upbeat song", "an upbeat happy
        tune"): it names no other style. The mood line of one genre's anchors ("It sounds upbeat, happy and
        danceable": ska's) had outranked every other genre's for "upbeat song"."""
        if not stated_moods or self._fallback is None:
            return False
        return set(stated_moods) <= set(self._kb.genre(self._fallback).moods)

    def _generic(self, scores: list[GenreScore], artist_genres: list[str] | None) -> bool:
        """True for a (short) prompt that names no genre or artist and ranks the genres about alike."""
        if artist_genres or len(scores) < 10 or any(s.stated for s in scores):
            return False
        if scores[0].genre_id == self._fallback:
            return False
        return scores[0].similarity - sorted((s.similarity for s in scores), reverse=True)[9] < FLAT_SPREAD

    def _depth(self, genre: Genre) -> int:
        depth = 0
        while genre.parent is not None:
            genre = self._kb.genre(genre.parent)
            depth += 1
        return depth

    def bare(self, lowered: str, held: Sequence[tuple[int, int]] = ()) -> bool:
        """The text names a genre and says nothing else about the music ("rock", "jazz music", "a blues song in E"):
        its similarity to a sub-genre's anchors is then noise, and the family itself is meant ("rock" had been
        soft rock at 87 BPM, "jazz" a New Orleans street band, "classical" neoclassical). ``held``: the spans of
        instruments the named family's own line-up holds; naming them says no more ("jazz with trumpet" had been
        bebop at 237 BPM, "jazz tune with a drum solo" jazz fusion with a synth lead)."""
        if not self.stated(lowered)[0]:
            return False
        text = lowered  # the genre names blanked where the vocabulary's lexicon finds them, and the held players
        for start, end in [(m.start, m.end) for m in self._vocabulary.lexicon.find(lowered)] + list(held):
            text = text[:start] + " " * (end - start) + text[end:]
        words = [w.strip(",.;:!?()") for w in text.split()]
        return all(not w or w in GENERIC_HEADS or w in _FILLER_WORDS or _FACT_WORD_RE.match(w) for w in words)

    def split(self, ranked: list[GenreScore], cues: StyleCues | None = None, *, bare: bool = False,
              ) -> tuple[Genre, Genre | None, float, float]:
        """(genre, sub_genre, genre confidence, sub-genre confidence) from a ranking. Under a parent genre, a
        sub-genre the text names wins; else the stated facts (``cues``: moods, instruments, tempo) choose the
        child that more of them fit than fit the parent (style_cues); else the embedding chooses a child more
        similar than the parent, among those the facts do not fit worse (style_cues.candidates)."""
        top = ranked[0]
        best = self._kb.genre(top.genre_id)
        confidence = 0.95 if top.stated else _similarity_confidence(top.similarity)
        if best.parent is None:
            # a style known by its place or occasion is named, never guessed ("energetic pop song" is no K-pop)
            children = [s for s in ranked[1:8] if self._kb.genre(s.genre_id).parent == best.id
                        and (s.stated or not self._kb.genre(s.genre_id).named_only)]
            if cues and not (children and children[0].stated):
                family = [(self._kb.genre(s.genre_id), s.similarity) for s in ranked
                          if self._kb.genre(s.genre_id).parent == best.id]
                chosen = best_child(best, family, cues)
                if chosen is not None:
                    return best, chosen[0], confidence, _similarity_confidence(chosen[1]) * 0.9
                kept = {g.id for g in candidates(best, [g for g, _ in family], cues)}
                children = [s for s in children if s.genre_id in kept]
            if bare and top.stated:  # the family named alone: no sub-genre by similarity (bare)
                children = [s for s in children if s.stated]
            if children and (children[0].stated or children[0].similarity > top.similarity):
                child = children[0]
                sub_conf = 0.9 if child.stated else _similarity_confidence(child.similarity) * 0.9
                return best, self._kb.genre(child.genre_id), confidence, sub_conf
            return best, None, confidence, 0.0
        root = self._kb.root_genre(best.id)
        return root, best, confidence, confidence


def _similarity_confidence(similarity: float) -> float:
    """Map cosine similarity (about 0.1-0.7 for captions vs anchors) to an honest 0.2-0.75."""
    return float(np.clip(0.2 + (similarity - 0.15) * 1.0, 0.2, 0.75))
