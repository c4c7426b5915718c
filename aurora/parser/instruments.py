"""Instruments with roles, and exclusions ("no drums", "without vocals", "instrumental")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aurora.parser.lexicon import Lexicon, Match, adjacent, is_negated, section_scoped
from knowledge_base import KnowledgeBase
from knowledge_base.schema import Instrument, Role

_ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"\b(?:lead|melod\w*|solo\w*|main\s+theme|riff\w*|hook|top\s+line|sings?\b|singing)\b")),
    ("bass", re.compile(r"\b(?:bass\s*line|root\s+notes?|low\s+end)\b")),
    ("harmony", re.compile(r"\b(?:chords?|comp\w*|accompan\w*|backing|harmon\w*|strum\w*|arpeggi\w*)\b")),
    ("pad", re.compile(r"\b(?:pads?|drones?|sustained|background|atmospher\w*|swells?|washes)\b")),
    ("rhythm", re.compile(r"\b(?:beat|groove|rhythm\w*|pattern|pulse|loop)\b")),
)
# a part word ending an alias ("piano melody", "guitar chords"); not "riff" (a riff is a rhythm guitar's part) nor
# "line" (a bass line is the bass's own)
_PART_WORDS = {"melody": "lead", "lead": "lead", "solo": "lead", "chords": "harmony", "pad": "pad"}
# parts a refusal names whoever would play them ("no melody", "no bass", "without chords", "no beat"): the whole part
# is left out, not only the instrument a word names ("no bass" had dropped the bass guitar and kept a synth bass)
_REFUSABLE_PARTS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"\b(?:melod(?:y|ies)|lead(?:\s+(?:lines?|melod(?:y|ies)))?|leads|top\s*lines?)\b")),
    ("bass", re.compile(r"\b(?:bass(?:\s*lines?)?|basses|low\s+end)\b")),
    ("harmony", re.compile(r"\b(?:chords?|comping|accompaniment|harmon(?:y|ies))\b")),
    ("pad", re.compile(r"\bpads?\b")),
    ("rhythm", re.compile(r"\b(?:drums?|beats?|percussion|drum\s+kit)\b")),
    ("texture", re.compile(r"\b(?:arps?|arpeggios?)\b")),
)
_PARTICIPLE_RE = re.compile(r"[a-z]+ing")
_BASS_AS_REGISTER_RE = re.compile(r"\s+(?:notes?|register|range|harmon\w*|parts?|end|frequenc\w*|voices?|clef|"
                                  r"boost\w*|heavy|music|house|drops?)\b")
_KICK_IN_RE = re.compile(r"\s*in\b(?!\s+(?:the|this|that|a|an|my|our|your|its)\b)")  # "drums kick in": a verb
_BASS_DRUMS_RE = re.compile(r"^(?P<bass>.*\bbass)[\s\-]+(?P<drums>drums?)$")  # "bass drums", "double bass drum"
_KIT_PIECE_AFTER_RE = re.compile(r"^(?:\s*(?:,|&|\+|\band\b|\bwith\b))*\s*$")  # "bass drum and snare"
_INSTRUMENTAL_RE = re.compile(r"\b(?:instrumental|no\s+(?:vocals?|voices?|singers?|singing|lyrics))\b", re.I)
_NEGATED_INSTRUMENTAL_RE = re.compile(r"\bnot\s+(?:an?\s+)?instrumental\b", re.I)


def plays_refused_part(inst: Instrument, role: str, refused: list[Role]) -> bool:
    """A line-up player whose part the prompt refuses. A refused beat ("no beat", "no drums") is the drums' and the
    hand percussion's, never a rhythm guitar's or a comping organ's (the line-up's "rhythm" role is both)."""
    if inst.drum:
        return bool({"rhythm", "percussion"} & set(refused)) or role in refused
    return role in refused and role not in ("rhythm", "percussion")


@dataclass
class InstrumentFinding:
    instrument_id: str
    role: str
    confidence: float
    start: int
    phrase: str = ""  # the words the prompt used ("bass", "nylon guitar")
    cued: bool = False  # the role is the prompt's ("piano chords"), not the instrument's first


@dataclass
class InstrumentParse:
    found: list[InstrumentFinding]
    excluded: list[str]
    refused_parts: list[Role]  # parts refused whoever plays them ("no melody"), in the order the prompt says them
    scoped: list[InstrumentFinding] = field(default_factory=list)  # refused in a section only: "no drums in the verse"
    scoped_parts: list[tuple[Role, str]] = field(default_factory=list)  # (part, section word): "no melody in the intro"


class InstrumentParser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        phrases: list[tuple[str, str]] = []
        for inst in kb.instruments:
            phrases += [(inst.name, inst.id), (inst.id.replace("_", " "), inst.id)]
            phrases += [(alias, inst.id) for alias in inst.aliases]
        self._lexicon = Lexicon(phrases)
        # genre names that hold instrument words ("drum and bass", "piano sonata"): a word the genre does not play
        # is the genre's name, not a player the text states ("liquid dnb, live drums": its "drum" had become the
        # snare); one it plays stays ("piano sonata": the piano)
        self._genre_names = Lexicon([(n, g.id) for g in kb.genres for n in (g.name, g.id.replace("_", " "), *g.aliases)
                                     if any(self._lexicon.lookup(w) for w in n.lower().replace("-", " ").split())])
        self._genre_players = {g.id: {gi.instrument for a in kb.genre_lineage(g.id) for gi in a.instruments}
                               for g in kb.genres}
        self._exact = {inst.name.lower() for inst in kb.instruments}
        self._vocal_ids = [i.id for i in kb.instruments if i.family == "vocal"]

    def parse(self, lowered: str) -> InstrumentParse:
        found: dict[str, InstrumentFinding] = {}
        excluded: list[str] = []
        scoped: list[InstrumentFinding] = []
        genre_spans = [(g.start, g.end, g.key) for g in self._genre_names.find(lowered)]
        matches = [m for m in self._lexicon.find(lowered) if not any(
            s <= m.start and m.end <= e and e - s > m.end - m.start and m.key not in self._genre_players[genre_id]
            for s, e, genre_id in genre_spans)]
        for match in self._modifiers_dropped(lowered, self._players_not_kicks(lowered, matches)):
            if match.phrase == "bass" and _BASS_AS_REGISTER_RE.match(lowered, match.end):
                continue  # "the bass notes are played on a tuba": a register, not an instrument
            if match.phrase in ("kick", "kicks") and _KICK_IN_RE.match(lowered, match.end):
                continue
            if is_negated(lowered, match.start):
                if section_scoped(lowered, match.end):  # "no drums in the verse": they rest there only
                    scoped.append(InstrumentFinding(match.key, "", 0.85, match.start, match.phrase))
                    continue
                if match.key not in excluded:
                    excluded.append(match.key)
                continue
            inst = self._kb.instrument(match.key)
            later = [m.start for m in matches if m.start >= match.end]
            role = self._role(lowered, match, inst, min(later, default=len(lowered)))
            cued = role is not None
            confidence = 0.92 if match.phrase in self._exact else 0.85
            if match.key not in found:
                found[match.key] = InstrumentFinding(match.key, role or inst.roles[0], confidence, match.start,
                                                     match.phrase, cued)
        if _INSTRUMENTAL_RE.search(lowered) and not _NEGATED_INSTRUMENTAL_RE.search(lowered):
            generic = self._kb.find_instrument("vocals")
            vocal_exclusion = generic.id if generic else (self._vocal_ids[0] if self._vocal_ids else None)
            if vocal_exclusion and vocal_exclusion not in excluded:
                excluded.append(vocal_exclusion)
        for inst_id in excluded:
            found.pop(inst_id, None)
        refused, refused_in_sections = self._refused_parts(lowered, matches, genre_spans)
        return InstrumentParse(sorted(found.values(), key=lambda f: f.start), excluded, refused, scoped,
                               refused_in_sections)

    @staticmethod
    def _refused_parts(lowered: str, matches: list[Match], genre_spans: list[tuple[int, int, str]],
                       ) -> tuple[list[Role], list[tuple[Role, str]]]:
        """Part words in a refusal: "no melody", "no bass", "no drums or bass". A word inside a longer instrument
        or genre name refuses that instrument only ("no bass guitar", "no piano melody", "no synth pads", "no drum
        and bass"); a bare player word that is also a part ("bass", "drums") refuses the part and the instrument.
        Beside them, the (part, section word) refused in one kind of section only ("no melody in the intro")."""
        spans = [(m.start, m.end) for m in matches] + [(s, e) for s, e, _ in genre_spans]
        refused: list[tuple[int, Role]] = []
        in_sections: list[tuple[Role, str]] = []
        for role, pattern in _REFUSABLE_PARTS:
            for word in pattern.finditer(lowered):
                inside = any(s <= word.start() and word.end() <= e and e - s > len(word[0]) for s, e in spans)
                if inside or not is_negated(lowered, word.start()):
                    continue
                scope = section_scoped(lowered, word.end())
                if scope is None:
                    refused.append((word.start(), role))
                elif scope.group("kind") and not any(s <= word.start() < e for s, e in spans):  # a player's own
                    in_sections.append((role, scope.group("kind")))  # word ("no drums in the verse") rests it
        return list(dict.fromkeys(role for _, role in sorted(refused))), in_sections

    def _players_not_kicks(self, lowered: str, matches: list[Match]) -> list[Match]:
        """"clarinet piano bass drums": in a list of players written without separators, "bass drums" is the bass
        and the drums, not the kick drum, when it follows another player's name (not a drum, not a bass), the
        prompt names no other bass and no kit piece follows it ("heavy bass drum and snare", "808 bass drum",
        "tuba, snare, bass drum" stay kicks)."""
        out: list[Match] = []
        for i, match in enumerate(matches):
            words = _BASS_DRUMS_RE.match(match.phrase.lower())
            bass_key = self._lexicon.lookup(words["bass"]) if words else None
            drums_key = self._lexicon.lookup(words["drums"]) if words else None
            if (words is None or bass_key is None or drums_key is None
                    or self._kb.instrument(match.key).roles[:1] == self._kb.instrument(bass_key).roles[:1]):
                out.append(match)
                continue
            before = matches[i - 1] if i else None
            after = matches[i + 1] if i + 1 < len(matches) else None
            listed = (before is not None and not lowered[before.end:match.start].strip()
                      and not is_negated(lowered, before.start) and not self._kb.instrument(before.key).drum)
            other_bass = any(self._kb.instrument(m.key).roles[:1] == ["bass"] for m in matches if m is not match)
            kit_piece = (after is not None and self._kb.instrument(after.key).drum and after.key != drums_key
                         and _KIT_PIECE_AFTER_RE.match(lowered[match.end:after.start]) is not None)
            if not listed or other_bass or kit_piece:
                out.append(match)
                continue
            drums_start = match.end - len(words["drums"])
            out += [Match(bass_key, words["bass"], match.start, match.start + len(words["bass"])),
                    Match(drums_key, words["drums"], drums_start, match.end)]
        return out

    def _modifiers_dropped(self, lowered: str, matches: list[Match]) -> list[Match]:
        """"synth arps", "synth pads": a word that names an instrument is a modifier when the next word names another
        instrument of its family whose own name says it ("Arpeggiated Synth", "Synth Pad"): one instrument, the
        compound (a compound name wins over its head noun); "guitar bass drums", a list without commas, stays
        three (a bass guitar is no guitar of the guitar family). A participle names its player only alone
        ("screaming over the riffs"), not before another family's ("a screaming guitar solo")."""
        out: list[Match] = []
        for i, match in enumerate(matches):
            after = matches[i + 1] if i + 1 < len(matches) else None
            verb = after is not None and after.phrase in ("kick", "kicks") and _KICK_IN_RE.match(lowered, after.end)
            if after is not None and after.key != match.key and adjacent(lowered, match, after) and not verb:
                # ("the drums kick in": "kick" is a verb, and the drums are named)
                inst = self._kb.instrument(after.key)
                words = {w for n in (inst.name, *inst.aliases) for w in n.lower().replace("-", " ").split()}
                if match.phrase.lower() in words and self._kb.instrument(match.key).family == inst.family:
                    continue
                # a participle naming a player of another family describes the next one: "a screaming guitar
                # solo" is a guitar, no screamed vocal; "singing" before "saw", "humming" before "synth" likewise
                if _PARTICIPLE_RE.fullmatch(match.phrase.lower()) and \
                        self._kb.instrument(match.key).family != inst.family:
                    continue
            out.append(match)
        return out

    @staticmethod
    def _role(lowered: str, match: Match, inst: Instrument, next_start: int) -> str | None:
        """The part the prompt's words give this player, None where they give none: a part named in the alias
        itself ("piano chords", "violin melody": the name and a part word), else the first cue in the words after
        it, up to the next player named ("piano chords with a flute melody": the melody is the flute's, and the
        piano had taken it, the first cue found in the 50 characters after it)."""
        head, _, last = match.phrase.lower().rpartition(" ")
        if head in {n.lower() for n in (inst.name, inst.id.replace("_", " "), *inst.aliases)} and \
                _PART_WORDS.get(last) in inst.roles:
            return _PART_WORDS[last]
        window = re.split(r"[.;,]", lowered[match.end:min(match.end + 50, next_start)])[0]
        cues = [(found.start(), role) for role, cue in _ROLE_CUES if role in inst.roles
                for found in [cue.search(window)] if found is not None]
        return min(cues)[1] if cues else None
