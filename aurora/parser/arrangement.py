"""How the piece unfolds, as people ask it: "starts quiet and builds to a big finish", "fades out at the end",
"ends abruptly", "a guitar solo in the middle", "no drop".

These had been read as nothing: the plan played the genre's form at its usual levels, rang its last chord over
a short fade, gave no one a solo and kept the drop it was told to leave out. Each request is one field of
``Arrangement``; the planner (aurora/arrangement_plan.py) and the engine honour them.

A "<player> solo" is a solo section when the text asks for one in a piece ("with a sax solo", "a guitar solo in
the middle", "drum solo", "a fuzzy guitar solo and organ"); "a relaxing piano solo", "a sad violin solo" or "violin
solo piece" is a piece for that player alone, which the ensemble reader already plays as such.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from aurora.arrangement_contract import ArcName, Arrangement, EndingName
from aurora.parser.ensemble import join_at
from aurora.parser.instruments import InstrumentFinding
from aurora.parser.lexicon import EDGE_ONLY, SECTION_WORDS, is_negated, section_scoped
from aurora.parser.mood_turn import parse_turn
from knowledge_base.instrument_kinds import PART_PREFIX
from knowledge_base.schema import Mood
from knowledge_base.tempo_curve import TempoCurveName

_NEGATED = r"(?<!\bno )(?<!\bnot )(?<!\bwithout )(?<!\bnever )(?<!\bdon't )(?<!\bdoesn't )"
_LOUDER = r"(?:louder|bigger|more\s+intense|heavier|fuller|stronger|more\s+powerful)"
_QUIETER = r"(?:quieter|softer|calmer|sparser|gentler|smaller)"
_ARC_PATTERNS: tuple[tuple[ArcName, re.Pattern[str]], ...] = (
    ("rise", re.compile(
        rf"\b(?:starts?|begins?|opens?|starting|beginning)\s+(?:\w+\s+){{0,2}}?(?:quiet|quietly|soft|softly|calm|"
        rf"gentle|gently|small|sparse|minimal|low|with\s+(?:just|only))\b.{{0,80}}?{_NEGATED}\b(?:builds?|building|"
        rf"grows?|growing|swells?|swelling|rises?|rising|climbs?|gets?\s+{_LOUDER}|explodes?|ends?\s+(?:big|loud|"
        rf"huge|epic))\b")),
    ("rise", re.compile(rf"{_NEGATED}\b(?:gets?|getting|grows?|growing|becomes?|becoming)\s+{_LOUDER}\b")),
    ("rise", re.compile(rf"{_NEGATED}\bbuilds?\s+(?:up\s+)?(?:slowly\s+|gradually\s+|steadily\s+)?(?:to|into|towards?)"
                        r"\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:climax|finish|finale|ending|crescendo|peak|end)\b")),
    ("rise", re.compile(rf"{_NEGATED}\b(?:builds?|building|grows?|growing|swells?)\s+(?:up\s+)?(?:slowly|gradually|"
                        r"steadily|throughout|over\s+time|the\s+whole\s+(?:way|time|track|song))\b")),
    ("rise", re.compile(rf"{_NEGATED}\b(?:slowly|gradually|steadily)\s+(?:builds?|building|grows?|growing|swells?|"
                        r"intensif(?:y|ies|ying))\b")),
    ("rise", re.compile(rf"{_NEGATED}\b(?:slow|gradual|steady|long)\s+(?:build|build-up|buildup|crescendo)\b")),
    ("rise", re.compile(rf"{_NEGATED}\bcrescendos?\b")),
    ("fall", re.compile(rf"{_NEGATED}\b(?:gets?|getting|grows?|growing|becomes?|becoming)\s+{_QUIETER}\b")),
    ("fall", re.compile(rf"{_NEGATED}\b(?:winds?|winding|calms?|calming|settles?|settling)\s+down\b")),
    ("fall", re.compile(rf"{_NEGATED}\b(?:de|di)(?:crescendo|minuendo)s?\b")),
    ("fall", re.compile(r"\b(?:starts?|begins?|opens?)\s+(?:\w+\s+){0,2}?(?:loud|big|intense|full|heavy|huge)\b"
                        rf".{{0,80}}?\b(?:calms?|quiets?|softens?|winds?\s+down|dies\s+(?:down|away)|gets?\s+"
                        rf"{_QUIETER})\b")),
)
_FADE = r"(?:fades?|fading|fade-?out)(?:\s+(?:out|away|off))?"
_ENDING_PATTERNS: tuple[tuple[EndingName, re.Pattern[str]], ...] = (
    ("cold", re.compile(rf"\b(?:no|without(?:\s+an?)?|never|don'?t|doesn'?t|not)\s+(?:\w+\s+)?{_FADE}\b")),
    ("cold", re.compile(r"\b(?:ends?|ending|stops?|stopping|finish(?:es)?|cuts?\s+off)\s+(?:abruptly|suddenly|"
                        r"dead|cold|short|on\s+a\s+(?:hit|stab|stop))\b")),
    ("cold", re.compile(r"\b(?:abrupt|sudden|cold|hard|dead)\s+(?:ending|end|stop|finish|cut)\b")),
    ("loop", re.compile(r"\b(?:loopable|seamless(?:ly)?\s+loop(?:s|ing|able|ed)?|loops?\s+(?:seamlessly|perfectly|"
                        r"cleanly)|perfect(?:ly)?\s+loop(?:s|ing|able)?|looping\s+(?:background|track|music|bgm|bed)|"
                        r"(?:game|menu|level)\s+loop|loop\s+for\s+an?\s+(?:game|menu|level|video|podcast|stream|app))\b")),
    ("loop", re.compile(r"\b(?:looping|looped|loops)\s*(?:$|[,.;!])")),  # "boss battle theme, looping"
    ("fade_out", re.compile(r"\b(?:fades?|fading)\s+(?:out|away|off|to\s+(?:silence|nothing|black))\b")),
    ("fade_out", re.compile(r"\bfade-?outs?\b")),
    ("fade_out", re.compile(rf"\b{_FADE}\s+(?:at|in|towards?)\s+the\s+end\b")),
    ("fade_out", re.compile(r"\b(?:ends?|ending|finish(?:es)?)\s+(?:with|on|in)\s+an?\s+(?:slow\s+|long\s+)?fade\b")),
)
_AT_END = (r"\s+(?:(?:at|towards?|near|for|in|into)\s+the\s+(?:very\s+)?(?:end|ending|finish|outro|close|"
           r"last\s+(?:few\s+)?bars?))")
_THROUGHOUT = r"(?:gradually|over\s+time|throughout|the\s+whole)"
_TEMPO_PATTERNS: tuple[tuple[TempoCurveName, re.Pattern[str]], ...] = (  # the tempo moving: knowledge_base.tempo_curve
    ("rit", re.compile(rf"{_NEGATED}\b(?:slows?|slowing|winds?|winding)\s+down{_AT_END}\b")),
    ("rit", re.compile(rf"{_NEGATED}\b(?:gets?|getting)\s+slower{_AT_END}\b")),
    ("rit", re.compile(rf"{_NEGATED}\b(?:ritardando|ritard|rallentando|allargando)s?\b")),
    ("rit", re.compile(r"\b(?:ends?|ending|finish(?:es)?)\s+(?:with|on|in)\s+an?\s+(?:big\s+|long\s+)?(?:slow-?down|"
                       r"ritardando|rit)\b")),
    ("accel", re.compile(rf"{_NEGATED}\b(?:speeds?|speeding)\s+up{_AT_END}\b")),
    ("accel", re.compile(rf"{_NEGATED}\b(?:gets?|getting)\s+faster{_AT_END}\b")),
    ("accel", re.compile(rf"{_NEGATED}\baccelerandos?\b")),
    ("slowing", re.compile(rf"{_NEGATED}\b(?:gets?|getting|grows?|growing)\s+slower\b")),
    ("slowing", re.compile(rf"{_NEGATED}\b(?:gradually|slowly|steadily|keeps?)\s+(?:slows?|slowing)\s+down\b")),
    ("slowing", re.compile(rf"{_NEGATED}\b(?:slows?|slowing)\s+down\s+{_THROUGHOUT}\b")),
    ("quickening", re.compile(rf"{_NEGATED}\b(?:gets?|getting|grows?|growing)\s+faster\b")),
    ("quickening", re.compile(rf"{_NEGATED}\b(?:gradually|steadily|keeps?)\s+(?:speeds?|speeding)\s+up\b")),
    ("quickening", re.compile(rf"{_NEGATED}\b(?:speeds?|speeding)\s+up\s+{_THROUGHOUT}\b")),
    ("quickening", re.compile(r"\bfaster\s+and\s+faster\b")),
)
# "a long intro", "an extended guitar solo", "a short bridge": a kind of section longer or shorter than the form's
_SECTION_KINDS_RE = r"(?P<kind>intro|outro|ending|bridge|breakdown|solo|build-?up|build|drop)s?"
_LENGTH_RE = re.compile(r"\b(?P<len>long|longer|extended|lengthy|drawn-out|short|shorter|brief|quick)\s+(?:\w+\s+)?"
                        rf"{_SECTION_KINDS_RE}\b")
# "a 16 bar intro", "an eight-bar breakdown", "intro of 8 bars": a kind of section's length in bars
_BAR_COUNTS = {"two": 2, "four": 4, "six": 6, "eight": 8, "twelve": 12, "sixteen": 16, "twenty-four": 24,
               "thirty-two": 32, "sixty-four": 64}
_COUNT_RE = rf"(?P<n>\d{{1,3}}|{'|'.join(_BAR_COUNTS)})"
_BARS_BEFORE_RE = re.compile(rf"\b{_COUNT_RE}[\s-]*bars?\s+(?:long\s+)?(?:\w+\s+)?{_SECTION_KINDS_RE}\b")
_BARS_AFTER_RE = re.compile(rf"\b{_SECTION_KINDS_RE}\s+(?:of|for|lasting)\s+{_COUNT_RE}\s+bars?\b")
MAX_SECTION_BARS = 128
_DURATION_BEFORE_RE = re.compile(r"(?:\d|\b(?:minutes?|mins?|seconds?|secs?|hours?))\s*$")  # "1:30 long": the piece's
_LENGTHS = {"long": "long", "longer": "long", "extended": "long", "lengthy": "long", "drawn-out": "long"}
# "starts with the chorus", "opens on the hook", "straight into the chorus", "chorus first": the hook opens the song
_CHORUS_FIRST_RE = re.compile(rf"{_NEGATED}\b(?:(?:starts?|starting|begins?|beginning|opens?|opening|kicks?\s+off|"
                              r"leads?\s+off)\s+(?:right\s+)?(?:with|on)|straight\s+into|jumps?\s+(?:right\s+)?into)\s+(?:the\s+|a\s+)?"
                              r"(?:chorus|hook|refrain)\b|\b(?:chorus|hook)[\s-]+first\b")
# "ends on a major chord", "a Picardy third", "with a major chord at the end": a minor piece's last chord major
_PICARDY_RE = re.compile(rf"{_NEGATED}\b(?:(?:ends?|ending|finish(?:es)?|closes?|lands?)\s+(?:on|with|in)\s+"
                         r"(?:a\s+|the\s+)?major\s+(?:chord|triad)|picardy(?:\s+third)?|major\s+(?:chord|triad)\s+at\s+the\s+end)\b")
_FADE_IN_RE = re.compile(rf"{_NEGATED}\b(?:fades?|fading|fade-?)\s*in\b(?!\s+(?:and\s+out|the|a|an)\b)")
# the kinds of section a text can refuse ("no drop", "without an intro", "skip the bridge"): the planner's
# aurora.arrangement_plan.SECTION_KINDS
_KIND_WORDS = {"drop": "drop", "drops": "drop", "intro": "intro", "outro": "outro", "bridge": "bridge",
               "breakdown": "breakdown", "build": "build", "build-up": "build", "buildup": "build",
               "build up": "build", "solo": "solo", "solos": "solo", "ending": "outro", "chorus": "chorus",
               "choruses": "chorus", "hook": "chorus"}
_OMIT_RE = re.compile(r"\b(?:no|without(?:\s+an?)?|skip(?:s|ping)?\s+the|leave\s+out\s+the|don'?t\s+(?:want|need)\s+"
                      r"an?|minus\s+the)\s+(?:big\s+|long\s+|real\s+)?(?P<kind>"
                      + "|".join(sorted((re.escape(w) for w in _KIND_WORDS), key=len, reverse=True)) + r")\b")
# "<player> solo": a section when the text asks for it inside a piece
_SOLO_AFTER_RE = re.compile(r"\s+solos?\b(?!\s+(?:piece|performance|recital|album|version|arrangement|cover|"
                            r"instrumental|record|song|tune|track|work))")
_SOLO_PLACE_RE = re.compile(r"\s*(?:in\s+the\s+(?:middle|bridge|end)|section|break|spot|at\s+the\s+end|halfway|"
                            r"over\b|after\b|before\b|,?\s*then\b)")
_SOLO_ASKED_RE = re.compile(r"\b(?:with|and|plus|featuring|feat\.?|including|includes|has|have|gets?|take|then)\s+"
                            r"(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){0,2}$")  # "with an eight-bar guitar solo"
_ARTICLE_RE = re.compile(r"\b(?:an?|the)\s+(?:[\w-]+\s+){0,2}$")
# "then the drums come in", "the bass and drums join at the chorus", "until the beat drops in": who comes in later
_ENTRY_RE = re.compile(r"\b(?:then|until|till|before|later|eventually|and|after\s+(?:that|a\s+while|\w+\s+bars?))\s+"
                       r"(?:the\s+|a\s+|some\s+|in\s+)?(?P<who>[\w\s,&'-]{2,60}?)\s+(?:comes?|kicks?|joins?|enters?|"
                       r"drops?|fades?|slides?)\s*(?:in|on)?\b(?:\s+(?:at|in|on|for)\s+the\s+(?P<at>chorus|hook|drop|"
                       r"verse|bridge|second\s+verse))?")
_BEAT_WORDS = re.compile(r"\b(?:beat|beats|groove|percussion|drums?|drummer)\b")
DRUM_KIT_NAME = "Drum Kit"
_DROP_OUT_RE = re.compile(rf"\b(?P<who>(?:the\s+)?[\w\s,&'-]{{2,40}}?)\s+(?:drops?|cuts?|falls?|stops?|goes|go)\s+"
                          rf"(?:out|away|silent|quiet)\s+(?:in|during|for)\s+the\s+(?P<kind>{SECTION_WORDS})\b")
_SCOPED_LINEUP_RE = re.compile(rf"\b(?:(?P<lead>only|just)\s+(?P<who>[^,.;]{{1,50}}?)|only)\s+(?:in|during|for)\s+"
                               rf"the\s+(?:first\s+|last\s+|final\s+)?(?P<kind>{SECTION_WORDS})\b")
# "ends with just piano", "starts with only a cello", "finishes on solo guitar": the first or last section's players
_EDGE_ALONE_RE = re.compile(EDGE_ONLY + r"\s+(?P<who>[^,.;]{1,40}?)(?=\s*(?:$|[,.;]|\band\b|\bthen\b|\bplaying\b))")
EDGE_KINDS = ("start", "end")  # the pseudo-kinds of section a line-up is scoped to: the first and the last
_ALONE_FAMILIES = ("keyboard", "plucked")  # a "piano solo", a "harp solo": a piece for the player alone
_INTRO_AFTER_RE = re.compile(r"\s+(?:solo\s+)?intro\b")  # "<player> intro": the player the piece opens with
T = TypeVar("T")


def parse_arrangement(lowered: str, found: Sequence[InstrumentFinding], scoped: Sequence[InstrumentFinding] = (),
                      refused_parts: Sequence[tuple[str, str]] = (), *, family: Callable[[str], str],
                      is_piece: Callable[[str], bool] = lambda _: False, spelled: Callable[[str], str],
                      find_mood: Callable[[str], Mood | None] = lambda _: None) -> Arrangement:
    """The arrangement the text asks for; an empty Arrangement where it asks nothing.

    ``found``: the instruments the text names (start offsets in ``lowered``), ``scoped`` those it refuses in a section
    only ("no drums in the verse"), ``refused_parts`` the (part, section kind) it refuses there ("no melody in the
    intro"); ``family(instrument_id)`` their family, ``is_piece(instrument_id)`` whether one is a kit piece,
    ``spelled(instrument_id)`` the name the line-up gives them, ``find_mood(word)`` the mood a word names."""
    late, enter_at = _late_players(lowered, found, family, spelled)
    rests: dict[str, list[str]] = {}
    for m in _DROP_OUT_RE.finditer(lowered):  # "drums drop out in the breakdown": they rest there
        names = [_player(f, family, spelled) for f in found if m.start("who") <= f.start < m.end("who")]
        names += [DRUM_KIT_NAME] if not names and _BEAT_WORDS.search(m.group("who")) else []
        for name in names:
            rests.setdefault(_singular_kind(m.group("kind")), []).append(name)
    for part in refused_parts:  # "no melody in the intro": the part rests there
        rests.setdefault(_singular_kind(part[1]), []).append(PART_PREFIX + part[0])
    for finding in scoped:  # "no drums in the verse", "no bass until the chorus", "no drums at the start"
        scope = section_scoped(lowered, finding.start + len(finding.phrase))
        if scope is None:
            continue
        name = _player(finding, family, spelled, is_piece)  # a kit piece rests alone: "no kick in the breakdown"
        kind = _singular_kind(scope.group("kind")) if scope.group("kind") else None
        if scope.group("until") or scope.group("start"):
            late, enter_at = list(dict.fromkeys([*late, name])), enter_at or kind
        elif kind:
            rests.setdefault(kind, []).append(name)
    return Arrangement(arc=_first(_ARC_PATTERNS, lowered), ending=_first(_ENDING_PATTERNS, lowered),
                       fade_in=bool(_FADE_IN_RE.search(lowered)), turn=parse_turn(lowered, find_mood),
                       chorus_first=bool(_CHORUS_FIRST_RE.search(lowered)), picardy=bool(_PICARDY_RE.search(lowered)),
                       tempo_curve=_first(_TEMPO_PATTERNS, lowered), section_lengths=_section_lengths(lowered),
                       solos=_solos(lowered, found, family, spelled), late_players=late, enter_at=enter_at,
                       section_rests={k: list(dict.fromkeys(v)) for k, v in rests.items()},
                       **_scoped_lineups(lowered, found, family, spelled),
                       omitted_sections=list(dict.fromkeys(_KIND_WORDS[" ".join(m.group("kind").split())]
                                                           for m in _OMIT_RE.finditer(lowered))))


def _section_lengths(lowered: str) -> dict[str, str | int]:
    """"a long intro" ({'intro': 'long'}), "a short bridge", "a 16 bar intro" ({'intro': 16}), "breakdown of 8 bars";
    not a piece's own length ("1:30 long piano intro")."""
    out: dict[str, str | int] = {}
    for m in _LENGTH_RE.finditer(lowered):
        if not is_negated(lowered, m.start()) and not _DURATION_BEFORE_RE.search(lowered[:m.start()]):
            out[_KIND_WORDS[m.group("kind").replace("-", "")]] = _LENGTHS.get(m.group("len"), "short")
    for m in itertools.chain(_BARS_BEFORE_RE.finditer(lowered), _BARS_AFTER_RE.finditer(lowered)):
        count = int(m.group("n")) if m.group("n").isdigit() else _BAR_COUNTS[m.group("n")]
        if 1 <= count <= MAX_SECTION_BARS:
            out[_KIND_WORDS[m.group("kind").replace("-", "")]] = count
    return out


def _first(patterns: tuple[tuple[T, re.Pattern[str]], ...], lowered: str) -> T | None:
    return next((value for value, pattern in patterns if pattern.search(lowered)), None)


def _solos(lowered: str, found: Sequence[InstrumentFinding], family: Callable[[str], str],
           spelled: Callable[[str], str]) -> list[str]:
    """The players the text asks a solo of, in its order ("a harmonica solo, then a guitar solo")."""
    out: list[str] = []
    others = len({f.instrument_id for f in found}) > 1  # "a sad violin solo": a piece, not a section
    for finding in found:
        end = finding.start + len(finding.phrase)
        after = _SOLO_AFTER_RE.match(lowered, end - 5 if finding.phrase.endswith(" solo") else end)  # "drum solo"
        if after is None:
            continue
        before = lowered[:finding.start]
        kind = family(finding.instrument_id)
        asked = bool(_SOLO_ASKED_RE.search(before) or _SOLO_PLACE_RE.match(lowered, after.end()))
        if kind == "drums" or asked or (kind not in _ALONE_FAMILIES and others and _ARTICLE_RE.search(before)):
            out.append(spelled(finding.instrument_id))
    return list(dict.fromkeys(out))


def opening_players(lowered: str, found: Sequence[InstrumentFinding], spelled: Callable[[str], str]) -> list[str]:
    """The stated players named before the others join ("starts with solo piano, then the band comes in"): they
    open the piece alone. Names as the line-up spells them (``spelled``)."""
    join = join_at(lowered)
    if join is None and "intro" not in lowered:
        return []
    if join is None:  # "a mellotron flute intro", "piano intro, then...": that player opens the piece alone
        found = [f for f in found if _INTRO_AFTER_RE.match(lowered, f.start + len(f.phrase))]
        join = len(lowered)
    return list(dict.fromkeys(spelled(f.instrument_id) for f in found if f.start < join))


def _scoped_lineups(lowered: str, found: Sequence[InstrumentFinding], family: Callable[[str], str],
                    spelled: Callable[[str], str]) -> dict[str, dict[str, list[str]]]:
    """"only piano in the intro" (the intro is the piano's alone: ``section_players``) and "strings only in the
    chorus" (the strings rest elsewhere: ``section_only``), as the word order says."""
    alone: dict[str, list[str]] = {}
    only: dict[str, list[str]] = {}

    def names(start: int, end: int) -> list[str]:
        return [_player(f, family, spelled) for f in found if start <= f.start < end]

    for m in _EDGE_ALONE_RE.finditer(lowered):  # "ends with just piano": the last section is the piano's alone
        kind = EDGE_KINDS[0] if m.group("edge").startswith(("start", "begin", "open")) else EDGE_KINDS[1]
        if players := names(*m.span("who")):
            alone.setdefault(kind, []).extend(players)
    for m in _SCOPED_LINEUP_RE.finditer(lowered):
        kind = _singular_kind(m.group("kind"))
        if m.group("lead") and (players := names(*m.span("who"))):  # "only piano and bass in the verse"
            alone.setdefault(kind, []).extend(players)
        elif not m.group("lead"):  # "strings only in the chorus": the players just before the word
            clause = max(lowered.rfind(c, 0, m.start()) for c in ",.;") + 1
            if players := names(clause, m.start()):
                only.setdefault(kind, []).extend(players)
    return {"section_players": {k: list(dict.fromkeys(v)) for k, v in alone.items()},
            "section_only": {k: list(dict.fromkeys(v)) for k, v in only.items()}}


def _player(finding: InstrumentFinding, family: Callable[[str], str], spelled: Callable[[str], str],
            is_piece: Callable[[str], bool] | None = None) -> str:
    """The name a named player goes by in the plan: any drum word is the Drum Kit (the engine finds the band's kit
    or machine by it), unless ``is_piece`` keeps a kit piece's own name; else the line-up's spelling."""
    drums = family(finding.instrument_id) == "drums"
    return DRUM_KIT_NAME if drums and not (is_piece and is_piece(finding.instrument_id)) else \
        spelled(finding.instrument_id)


def _singular_kind(word: str) -> str:
    word = word.replace("-", "").replace("buildup", "build")
    return {"verses": "verse", "choruses": "chorus", "drops": "drop"}.get(word, word)


def _late_players(lowered: str, found: Sequence[InstrumentFinding], family: Callable[[str], str],
                  spelled: Callable[[str], str]) -> tuple[list[str], str | None]:
    """The players the text has come in later, and the kind of section they come in at (None: the second)."""
    for m in _ENTRY_RE.finditer(lowered):
        start, end = m.span("who")
        names = [_player(f, family, spelled) for f in found if start <= f.start < end]
        if _BEAT_WORDS.search(m.group("who")):
            names.append(DRUM_KIT_NAME)
        if names:
            at = m.group("at")
            return list(dict.fromkeys(names)), " ".join(at.split()) if at else None
    return [], None

