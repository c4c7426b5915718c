"""Key signature in every spelling people use: "F#m", "C maj", "EM", "D#major", "B flat minor", "E Minor",
"g minor", "in Bb", "song in C#", "key of e", "Key: D Minor", "F#/Gb, major", "Camelot 4A", "Open Key 6m",
plus key changes ("modulates to E major") and several keys in one prompt ("in A Minor and F Lydian").

Case matters for the one-letter suffixes ("EM" is E major, "Em" E minor), so this reads the cleaned text
with its case kept; mode words are read in any case. A lower-case note name counts only where nothing else
can be meant: with a mode word ("g minor"), after "key"/"key of", after "in" with an accidental or at the
end of a phrase ("in c#", "in e,"); a lower-case "a" needs a key cue too ("lofi, a minor" but not "with a
minor feel"). A bare note after "in" or "key" states the tonic and leaves the mode to the rest of the
prompt. When alternatives are offered ("Cm or CM") the first wins; other keys joined with "and"/"then"
are reported as changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge_base.schema import Chords
from knowledge_base.theory import Key, key_of, pitch_class

_ACC = r"(?P<acc>\s?-?(?:sharp|flat)\b|[#♯b♭])?"
_MODE_WORD = (r"harmonic\s+minor|melodic\s+minor|major|minor|maj|min|mj|mn|dorian|phrygian|lydian|mixolydian"
              r"|locrian|aeolian|ionian")
_MODE = rf"(?P<mode>\s*-?\s*(?i:{_MODE_WORD})\b|M\b|m\b)?"
_TOKEN_RE = re.compile(rf"(?<![\w#♯♭/'’\-])(?P<root>[A-Ga-g]){_ACC}{_MODE}(?![\w#♯'’])")
_PAIR_RE = re.compile(rf"\s*/\s*(?P<root>[A-Ga-g]){_ACC}{_MODE}(?![\w#♯/'’])")
_APART_MODE_RE = re.compile(r"\s*[,/]\s*(?P<mode>(?i:major|minor))\b")
_KEY_TRIGGER_RE = re.compile(r"\b(?:key|tonality|tonal\s+cent(?:er|re)|tonic)\b", re.I)
_LOW_KEY_RE = re.compile(r"\blow[\s-]$", re.I)
# a guitar tuning names the low string the riffs ring on, the tonic a band tuned so plays in: "drop D", "drop-C#",
# "Eb standard", "tuned to D standard"; a key stated anywhere wins over it
_TUNING_RE = re.compile(r"\b(?i:drop)[\s-]?(?P<root>[A-Gb-g])(?P<acc>[#♯b♭])?(?![\w#♯'’])"
                        r"|(?<![\w#♯/'’\-])(?P<root2>[A-G])(?P<acc2>[#♯b♭])?\s+(?i:standard)\b")
_FILLER_RE = re.compile(r"^(?:\s*(?:of|is|:|=|-|in|the|signature|either))*\s*$", re.I)
_IN_RE = re.compile(r"\bin\s+(?:the\s+)?$", re.I)
_PHRASE_END_RE = re.compile(r"\s*(?:$|[,.;!?)|]|\s+(?:at|with|and|for|over|using|featuring|please)\b)", re.I)
_SEGMENT_BEFORE_RE = re.compile(r"(?:^|[,;|\n]|\s-\s)\s*$")
_SEGMENT_AFTER_RE = re.compile(r"\s*(?:$|[,;|\n]|\s-\s)")
_A_CUE_BEFORE_RE = re.compile(r"(?:^|[,;|:(\n]|\bin|\bof|\bkey|\bis)\s*$", re.I)
_GENERIC_AFTER_RE = re.compile(
    r"\s*(?:key|keys|feel|mode|tonality|vibe|scale|sound|tone|progression|chord|chords|flavou?r|quality|tinge)\b",
    re.I)
_CHORDS_IN_RE = re.compile(r"\b(?:chords?|progressions?|sequence)\s+(?:\w+\s+){0,2}in\s+(?:the\s+)?$", re.I)
_MORE_CHORDS_RE = re.compile(r"\s*(?:,|-|–|—|→|\band\b|\bthen\b|\bto\b)\s*[A-G](?![a-z]{2})")
_CHORD_CONTEXT_RE = re.compile(r"\b(?:chords?|progressions?|sequence|changes)\b", re.I)
_CHORD_AFTER_RE = re.compile(r"\s*(?:\w+\s+)?(?:chords?|triads?|arpeggios?)\b", re.I)
_CAMELOT_RE = re.compile(
    r"\b(?:(?P<cue>camelot|open\s*key)(?:\s+key)?\s*[:=]?\s*)?(?P<num>1[0-2]|[1-9])\s?(?P<letter>[ABdm])\b", re.I)
_CHANGE_RE = re.compile(
    r"\b(?:modulat\w*|key\s+change\w*|changes?\s+key|shifts?\s+(?:up\s+|down\s+)?to|moves?\s+to"
    r"|transitions?\s+to|switch(?:es)?\s+to|goes\s+to)\s+(?:to\s+|into\s+)?(?:the\s+)?(?:key\s+of\s+)?",
    re.I,
)
_MODES = {
    "major": "major", "maj": "major", "mj": "major", "ionian": "major",
    "minor": "minor", "min": "minor", "mn": "minor", "aeolian": "minor",
    "dorian": "dorian", "phrygian": "phrygian", "lydian": "lydian", "mixolydian": "mixolydian",
    "locrian": "locrian", "harmonic minor": "harmonic_minor", "melodic minor": "minor",
}
# candidate priorities: a "key" statement beats "X major" anywhere, which beats a bare "in Em"
# (often a chord: "the progression in Bm ... the key is D major")
KEY_CUE, FULL_MODE, SHORT = 0, 1, 2
_CONFIDENCE = {KEY_CUE: 0.97, FULL_MODE: 0.95, SHORT: 0.85}


@dataclass
class KeyFinding:
    key: Key
    confidence: float
    span: tuple[int, int]
    mode_stated: bool
    changes: list[Key] = field(default_factory=list)
    alternatives: list[Key] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    tonic_pc: int
    mode: str  # "" when the text leaves the mode unstated
    lower: bool  # the note name was written in lower case
    accidental: bool
    mode_word: bool  # a spelled-out mode ("minor", "Lydian"), not a one-letter suffix


@dataclass(frozen=True)
class _Candidate:
    priority: int
    token: _Token

    @property
    def start(self) -> int:
        return self.token.start


def parse_key(text: str, chords: Chords) -> KeyFinding | None:
    tokens = _tokens(text)
    candidates = _cue_candidates(text, tokens) + _camelot_candidates(text)
    for tok in tokens:
        priority = _context_priority(text, tok, tokens)
        if priority is not None and not _CHORD_AFTER_RE.match(text, tok.end):
            candidates.append(_Candidate(priority, tok))
    if not candidates:
        return _tuning(text, chords)
    changes = _changes(text, tokens)
    change_starts = {tok.start for tok in changes}
    pool = [c for c in candidates if c.start not in change_starts] or candidates
    pool.sort(key=lambda c: (c.priority, c.start))
    primary = pool[0]
    key = _key(primary.token, chords)
    alternatives: list[Key] = []
    later: list[Key] = []
    for other in sorted({c.start: c for c in pool[1:]}.values(), key=lambda c: c.start):
        gap = other.start - primary.token.end
        other_key = _key(other.token, chords)
        if other_key == key or not 0 <= gap < 40:
            continue
        between = text[primary.token.end:other.start]
        (alternatives if re.search(r"\bor\b", between, re.I) else later).append(other_key)
    changed = [_key(tok, chords) for tok in changes] + later
    return KeyFinding(key, _CONFIDENCE[primary.priority] if primary.token.mode else 0.85,
                      (primary.token.start, primary.token.end), bool(primary.token.mode),
                      changes=list(dict.fromkeys(k for k in changed if k != key)), alternatives=alternatives[:2])


def _tuning(text: str, chords: Chords) -> KeyFinding | None:
    """The tonic a stated guitar tuning implies ("metal in drop D": D, its mode the style's); a key stated anywhere
    wins over it. "heavy metal, drop D" had been in E minor, a tone above the dropped string."""
    m = _TUNING_RE.search(text)
    if m is None:
        return None
    root, acc = (m.group("root"), m.group("acc")) if m.group("root") else (m.group("root2"), m.group("acc2"))
    symbol = {"#": "#", "♯": "#", "b": "b", "♭": "b"}.get(acc or "", "")
    return KeyFinding(key_of(pitch_class(root.upper() + symbol), "minor", chords), 0.7, m.span(), False)


# a mode named without a tonic: "minor blues", "a sad song in minor", "major-key pop", "in a dorian mode"
_MODE_ALONE_RE = re.compile(
    r"\b(?P<mode>minor|major|dorian|phrygian|lydian|mixolydian)"
    r"(?=[\s-]+(?:key|mode|tonality|scale|blues|chords?|progressions?|feel)\b)"
    r"|\bin\s+(?P<after_in>minor|major|dorian|phrygian|lydian|mixolydian)\b", re.I)


def stated_mode(text: str) -> str | None:
    """The mode a text names without a tonic ("minor blues", "a ballad in a minor key", "sad song in minor"):
    "minor blues" had been played as a major blues (E7 A7 B7), the mode words read only beside a note name."""
    m = _MODE_ALONE_RE.search(text)
    return _MODES[(m.group("mode") or m.group("after_in")).lower()] if m else None


def _key(tok: _Token, chords: Chords) -> Key:
    return key_of(tok.tonic_pc, tok.mode or "major", chords)


# -- tokens ------------------------------------------------------------------------------------------
def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        tok = _token(m)
        pair = _PAIR_RE.match(text, m.end())
        if pair is not None:
            second = _token(pair)
            if second.tonic_pc != tok.tonic_pc:
                continue  # "C/E" is a slash chord, not an enharmonic pair
            tok = _Token(tok.start, pair.end(), tok.tonic_pc, tok.mode or second.mode, tok.lower, True,
                         tok.mode_word or second.mode_word)
        elif text[m.end():m.end() + 1] == "/":
            continue
        if not tok.mode:
            apart = _APART_MODE_RE.match(text, tok.end)
            if apart is not None and (tok.accidental or not tok.lower):
                tok = _Token(tok.start, apart.end(), tok.tonic_pc, _MODES[apart.group("mode").lower()], tok.lower,
                             tok.accidental, True)
        out.append(tok)
    return out


def _token(m: re.Match[str]) -> _Token:
    root = m.group("root")
    acc = (m.group("acc") or "").strip().lstrip("-").lower()
    acc_symbol = {"sharp": "#", "flat": "b", "#": "#", "♯": "#", "b": "b", "♭": "b"}.get(acc, "")
    mode_raw = (m.group("mode") or "").strip().lstrip("-").strip()
    if mode_raw == "M":
        mode = "major"
    elif mode_raw == "m":
        mode = "minor"
    else:
        mode = _MODES.get(re.sub(r"\s+", " ", mode_raw.lower()), "")
    return _Token(m.start(), m.end(), pitch_class(root.upper() + acc_symbol), mode, root.islower(),
                  bool(acc_symbol), len(mode_raw) > 1)


# -- contexts ----------------------------------------------------------------------------------------
def _cue_candidates(text: str, tokens: list[_Token]) -> list[_Candidate]:
    """The first key spelled in the few words after 'key', 'key of', 'tonality', skipping fillers."""
    out: list[_Candidate] = []
    for trig in _KEY_TRIGGER_RE.finditer(text):
        if _LOW_KEY_RE.search(text, max(0, trig.start() - 5), trig.start()):
            continue  # "low key" / "low-key" is a mood
        window = re.split(r"[.;!?]\s|,\s*(?:and|but|with)\b", text[trig.end():trig.end() + 40])[0]
        limit = trig.end() + len(window)
        for tok in tokens:
            if not trig.end() <= tok.start < limit:
                continue
            right_after = bool(_FILLER_RE.match(text[trig.end():tok.start]))
            if tok.lower and not (tok.mode_word or right_after):
                continue
            if not tok.lower and not (tok.mode or tok.accidental or right_after or tok.tonic_pc != 9):
                continue  # a bare capital "A" further on is more often the article
            out.append(_Candidate(KEY_CUE, tok))
            break
    return out


def _camelot_candidates(text: str) -> list[_Candidate]:
    """Camelot ('8A' = A minor, '8B' = C major) and Open Key ('1m' = A minor, '1d' = C major) codes: after a
    'camelot'/'open key'/'key' cue, or a bare upper-case Camelot code alone in a tag list or beside a BPM
    ("drill, 4A", "techno 128 bpm 8A")."""
    out: list[_Candidate] = []
    for m in _CAMELOT_RE.finditer(text):
        number, letter, cue = int(m.group("num")), m.group("letter"), (m.group("cue") or "").lower()
        keyed = bool(cue) or bool(re.search(r"\bkey\s*[:=]?\s*$", text[max(0, m.start() - 12):m.start()], re.I))
        if letter.upper() in "AB" and not cue.startswith("open"):
            alone = letter.isupper() and " " not in m.group(0) and (
                bool(_SEGMENT_BEFORE_RE.search(text, 0, m.start()) and _SEGMENT_AFTER_RE.match(text, m.end()))
                or bool(re.search(r"\d\s*bpm\b", text, re.I)))  # DJ notation: "techno 128 bpm 8A"
            if not (keyed or alone):
                continue
            minor = letter.upper() == "A"
            tonic = (9 if minor else 0) + 7 * (number - 8)
        elif letter.lower() in "dm" and keyed and not cue.startswith("camelot"):
            minor = letter.lower() == "m"
            tonic = (9 if minor else 0) + 7 * (number - 1)
        else:
            continue
        tok = _Token(m.start(), m.end(), tonic % 12, "minor" if minor else "major", False, False, True)
        out.append(_Candidate(KEY_CUE, tok))
    return out


def _context_priority(text: str, tok: _Token, tokens: list[_Token]) -> int | None:
    before = text[max(0, tok.start - 12):tok.start]
    # lower-case "a": the article unless a key cue precedes and nothing generic follows ("a minor feel")
    if tok.lower and tok.tonic_pc == 9 and not tok.accidental and (
            not (tok.mode_word and _A_CUE_BEFORE_RE.search(before)) or _GENERIC_AFTER_RE.match(text, tok.end)):
        return None
    if tok.mode_word:
        return FULL_MODE
    if _IN_RE.search(before):
        if not tok.mode and _CHORDS_IN_RE.search(text[max(0, tok.start - 40):tok.start]) \
                and _MORE_CHORDS_RE.match(text, tok.end):
            return None  # "a chord progression in A, D and E": chords, as captions use it
        # a lone note after "chords in" is the key they are in: "jazzy piano chords in Eb"
        if not tok.lower or tok.accidental or tok.mode:
            return SHORT
        return SHORT if _PHRASE_END_RE.match(text, tok.end) else None
    if (tok.mode or tok.accidental) and not tok.lower and _alone_in_segment(text, tok) \
            and not _CHORD_CONTEXT_RE.search(text) and sum(_alone_in_segment(text, t) for t in tokens) == 1:
        return SHORT  # one key alone in a tag list: "trap, 140 bpm, F#m, dark" (several are a chord list)
    return None


def _alone_in_segment(text: str, tok: _Token) -> bool:
    return bool(_SEGMENT_BEFORE_RE.search(text[max(0, tok.start - 12):tok.start])
                and _SEGMENT_AFTER_RE.match(text, tok.end) and re.search(r"[,;|\n]", text))


def _changes(text: str, tokens: list[_Token]) -> list[_Token]:
    out: list[_Token] = []
    for trig in _CHANGE_RE.finditer(text):
        tok = next((t for t in tokens if t.start == trig.end()), None)
        if tok is not None:
            out.append(tok)
    return out
