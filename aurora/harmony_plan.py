"""The planner's harmony: progressions kept in the stated mode, and a chord for every bar of every
section with cadences placed by the section's role.

- A progression is written in the key's own mode: a minor key gets a minor progression (a bossa nova in
  A minor plays Bm7b5-E7-Am7, not the major ii-V-I); when the genre has none in that mode, its
  progression is translated degree by degree.
- Each section plays the progression as written, from its first chord (no rotation back to the tonic).
  Verses, pre-choruses, builds and bridges end on a half cadence (the dominant); choruses, drops and the
  last section end on an authentic cadence (dominant, then tonic). Sections under 4 bars, sections too
  short to play their loop whole before the cadence, and loop forms (solos, loops) keep the plain loop,
  so every chord of the progression sounds.
- A bridge contrasts: another of the genre's progressions in the same mode, else the loop started on
  another degree.
- Stated chords are never replaced: their loop only runs (and a bridge may start it elsewhere); a verse or
  pre-chorus of four bars or more whose stated loop holds the dominant ends on it (A-E-D: ... D | E, a half
  cadence into the chorus, from the user's own chords).
- Harmonic rhythm comes from the genre (``harmonic_rhythm_beats``): jazz and bossa nova change chords
  every two beats, so a section holds two chord slots a bar; a loop of odd length holds its last chord
  across the bar line (ii7-V7 | Imaj7), and the cadences fall on the slots (V7 Imaj7 in the last bar).
- Phrases are 4 or 8 bars. A loop of 3, 5, 6 or 7 bars would cycle across the phrase (I IV V I | IV V I IV:
  the phrase's last bar lands on another chord every time round); it is stretched to the phrase instead, as
  players write it. A loop that closes on its own first chord is a cadence: its first bars are held, so the
  harmonic rhythm quickens into the cadence and the cadence ends the phrase (I | I | V7 | I;
  I | I | vi | vi | ii | ii | V | I). An open loop holds its last bars, the open end resting before the loop
  comes round (I | IV | V | V; i | bVII | bVI | bVI), as a loop of odd length holds its last chord across the
  bar line. Loops longer than 8 bars (a 12-bar blues) are their own phrase: sections are whole forms (the
  planner's ``form_bars``) that keep their own turnaround, an intro plays the form's last bars and only the last
  section resolves; a section shorter than the stretched loop plays the loop as written, so every chord sounds (a
  6-chord blues in a 4-bar chorus: E7 A7 E7 B7).
- A stated mood with a harmony of its own (moods.yaml ``progressions``: horror's i bII, heroism's bVI bVII I)
  chooses the progression: the genre's own that carry the mood's colour, else the mood's. The words decide the
  harmony, as they decide the tempo: "cinematic horror ambience" played the film score's i VI III VII.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge_base.schema import Chords, Mood
from knowledge_base.theory import ROMAN_RE, Key, parse_chord, read_chord, roman_to_chord, scale_pitch_classes

CHORUS = ("chorus", "hook", "drop", "climax", "refrain")
HALF = ("verse", "pre-chorus", "pre chorus", "build", "head", "theme", "opening", "a", "a2", "emergence",
        "bloom", "variation")
# a cinematic build's rise is its contrast: a 3-minute epic cue had played one 4-chord loop in all five sections
BRIDGE = ("bridge", "b", "breakdown", "c", "episode", "development", "middle", "drift", "rise")
EDGE = ("intro", "outro", "ending", "coda", "dissolve", "tag")
LOOPING = ("solo", "loop", "trading")

# degree (lower-case numeral) -> (numeral in minor, suffix changes) and the way back
_TO_MINOR = {"i": "i", "ii": "ii", "iii": "III", "iv": "iv", "v": "V", "vi": "VI", "vii": "VII"}
_TO_MAJOR = {"i": "I", "ii": "ii", "iii": "iii", "iv": "IV", "v": "V", "vi": "vi", "vii": "bVII"}
# a degree's seventh (and ninth) change with its third, so a chord stays diatonic in the new mode: major's iii7
# (a minor seventh) is minor's IIImaj7, not a C7 whose Bb no A minor scale has (city pop, vaporwave, smooth jazz)
_MINOR_SUFFIX = {("i", "maj7"): "7", ("ii", "7"): "ø7", ("ii", ""): "o", ("iv", "maj7"): "7", ("vi", "7"): "maj7",
                 ("i", "maj9"): "9", ("i", "6"): "6", ("iii", "7"): "maj7", ("iii", "9"): "maj9",
                 ("iv", "maj9"): "9", ("vi", "9"): "maj9"}
_MAJOR_SUFFIX = {("i", "7"): "maj7", ("ii", "ø7"): "7", ("ii", "o"): "", ("ii", "m7b5"): "7", ("i", "9"): "maj9",
                 ("iii", "maj7"): "7", ("iii", "maj9"): "9", ("iv", "7"): "maj7", ("iv", "9"): "maj9",
                 ("vi", "maj7"): "7", ("vi", "maj9"): "9", ("i", "m7"): "maj7", ("i", "m9"): "maj9", ("i", "m"): "",
                 ("iv", "m7"): "maj7", ("iv", "m9"): "maj9", ("iv", "m"): ""}


def base_name(name: str) -> str:
    """'chorus 2', 'Chorus (2)', 'verse_2' -> 'chorus' / 'verse'."""
    text = re.sub(r"\s*\(\d+\)\s*$", "", name.strip().lower())
    return re.sub(r"[\s_\-]*\d+$", "", text).strip() or text


def section_role(name: str) -> str:
    """chorus | half | bridge | edge | loop | other, from a section's name."""
    base = base_name(name)
    for role, words in (("edge", EDGE), ("loop", LOOPING), ("chorus", CHORUS), ("bridge", BRIDGE), ("half", HALF)):
        if base in words or any(base.startswith(w + " ") or base == w for w in words if len(w) > 2):
            return role
    return "other"


def is_edge(name: str) -> bool:
    return section_role(name) == "edge"


def progression_is_minor(numerals: list[str]) -> bool:
    """Minor when its tonic chord is minor (a lower-case i); without a tonic chord, when it uses the
    minor scale's major III, VI or VII."""
    for numeral in numerals:
        m = ROMAN_RE.match(numeral.strip())
        if m and not m.group("acc") and m.group("num").lower() == "i":
            return m.group("num") == "i"
    for numeral in numerals:
        m = ROMAN_RE.match(numeral.strip())
        if m and not m.group("acc") and m.group("num") in ("III", "VI", "VII"):
            return True
    return False


# Modes other than major and minor whose progressions are chosen by how well they sound the mode
MODAL = ("dorian", "phrygian", "lydian", "mixolydian", "locrian")


def mode_fit(numerals: Sequence[str], key: Key, chords: Chords) -> float:
    """The share of a progression's chords inside the key's scale; the tonic chord counts when it has the mode's
    own quality (or, in phrygian, is major: the Spanish phrygian's tonic, see ``modal_progressions``)."""
    scale = set(scale_pitch_classes(key, chords))
    tonic_minor = (key.tonic_pc + 3) % 12 in scale
    inside = 0
    for numeral in numerals:
        chord = parse_chord(roman_to_chord(numeral, key, chords), chords)
        if chord is None:
            continue
        if chord.root_pc == key.tonic_pc:
            inside += chord.is_minor(chords) == tonic_minor or key.mode == "phrygian"
        else:
            inside += set(chord.pitch_classes(chords)) <= scale
    return inside / max(len(numerals), 1)


def modal_progressions(progressions: Sequence[list[str]], key: Key, chords: Chords) -> list[list[str]]:
    """The progressions that best sound a modal key: most of their chords inside the mode's scale (A dorian's G
    and D, E phrygian's F), the tonic chord of the mode's own quality. The genre's own come first; the mode's
    defaults (chords.yaml) play when they sound it better (alternative rock has no bVII: "rock in E mixolydian"
    played C#m A E B, whose B has the D# the mode lacks; it now plays E D A E). The Spanish phrygian's tonic is
    major (flamenco's Am G F E: the raised third of the phrygian dominant), so a major tonic counts in phrygian.
    Picked by case alone, "E phrygian" played the minor key's i bVII bVI V (Em D C B: an F# and a D# the mode has
    not) instead of flamenco's iv bIII bII I. Empty for a major or minor key."""
    if key.mode not in MODAL:
        return []
    defaults = [(mode_fit(p, key, chords), list(p)) for p in chords.default_progressions.get(key.mode, [])]
    floor = max((score for score, _ in defaults), default=0.0)
    for scored in ([(mode_fit(p, key, chords), list(p)) for p in progressions], defaults):
        if scored and (best := max(score for score, _ in scored)) >= floor:
            return [p for score, p in scored if score == best]
    return []


def mood_progressions(moods: Sequence[Mood], genre_progressions: Sequence[list[str]],
                      options: Sequence[list[str]], key: Key, chords: Chords, *, minor: bool) -> list[list[str]]:
    """The progressions the first stated mood with a harmony of its own asks for: the genre's ``options`` (its
    progressions in the key's mode) that hold a chord of the mood's colour (trap's i bII already menaces; in a
    minor key the film score's VII is heroism's bVII), else the mood's own in the key's mode. None when no mood
    has one, or when the genre's harmony is its extended chords (every progression of it with sevenths or more:
    jazz, lo-fi and neo-soul keep their voicings whatever the mood)."""
    if genre_progressions and all(any(_extended(n) for n in p) for p in genre_progressions):
        return []
    for mood in moods:
        if not mood.progressions:
            continue
        colour = {_degree(n, key, chords) for n in mood.colour}
        own = [list(p) for p in options if colour & {_degree(n, key, chords) for n in p}]
        return own or [p for p in mood.progressions if progression_is_minor(p) == minor] or \
            [in_mode(p, minor) for p in mood.progressions]
    return []


def _degree(numeral: str, key: Key, chords: Chords) -> tuple[int, bool] | None:
    """Where a numeral's chord sits in ``key`` (root pitch class, minor triad), whatever its spelling or
    extension: in A minor VII and bVII are both G, bII7 is still the Bb."""
    m = ROMAN_RE.match(numeral.strip())
    parsed = parse_chord(roman_to_chord(numeral, key, chords), chords) if m else None
    return (parsed.root_pc, m.group("num").islower()) if m and parsed else None


def _extended(numeral: str) -> bool:
    """A chord whose colour is its extension (Imaj7, ii9, IV7); a dominant seventh on V is the cadence's, not a
    colour (a march's I IV V7 I has functional harmony, not jazz's voicings)."""
    m = ROMAN_RE.match(numeral.strip())
    if not m or not re.search(r"\d", m.group("suffix")):
        return False
    return not (m.group("num").upper() == "V" and m.group("suffix") == "7" and not m.group("acc"))


def in_mode(numerals: list[str], minor: bool) -> list[str]:
    """A progression translated into the other mode degree by degree (ii7-V7-Imaj7 -> iiø7-V7-i7)."""
    if progression_is_minor(numerals) == minor:
        return list(numerals)
    out = []
    for numeral in numerals:
        m = ROMAN_RE.match(numeral.strip())
        if m is None or m.group("acc"):
            out.append(numeral)
            continue
        degree, suffix = m.group("num").lower(), m.group("suffix")
        if m.group("num") == "II":  # a secondary dominant (V of V) stays what it is
            out.append(numeral)
            continue
        table, suffixes = (_TO_MINOR, _MINOR_SUFFIX) if minor else (_TO_MAJOR, _MAJOR_SUFFIX)
        out.append(table[degree] + suffixes.get((degree, suffix), suffix))
    return out


def _root(symbol: str, chords: Chords) -> int | None:
    parsed = parse_chord(symbol, chords)
    return parsed.root_pc if parsed is not None else None


def cadence_chords(loop: list[str], key: Key, chords: Chords) -> tuple[str, str]:
    """(dominant, tonic) in the loop's own colour: the loop's V (else its bVII, else its IV, else a V
    built in the key) and its tonic chord (else one built in the key)."""
    sevenths = any(re.search(r"(7|9|11|13)", c) for c in loop)
    by_interval: dict[int, str] = {}
    for c in loop:
        r = _root(c, chords)
        if r is not None:
            by_interval.setdefault((r - key.tonic_pc) % 12, c)
    # a modal loop without V, bVII or IV closes on its own chord (E phrygian's Em F Em: F, its bII), not a V the
    # mode has not (B major's D#)
    own = next((c for c in reversed(loop) if _root(c, chords) not in (None, key.tonic_pc)), None) \
        if key.mode in MODAL else None
    dominant = by_interval.get(7) or by_interval.get(10) or by_interval.get(5) or own or \
        roman_to_chord("V7" if sevenths else "V", key, chords)
    # a tonic built in the key: a major seventh on a major tonic (a bare 'I7' would be a dominant seventh)
    built = ("i7" if key.is_minor else "Imaj7") if sevenths else ("i" if key.is_minor else "I")
    tonic = by_interval.get(0) or roman_to_chord(built, key, chords)
    return dominant, tonic


def bridge_loop(loop: list[str], alternatives: list[list[str]], key: Key, chords: Chords) -> list[str]:
    """Another progression for the bridge (one with a chord the loop lacks first), as written or from another of its
    chords, else the loop from another degree (never from the tonic): an epic cue's rise had only turned its own
    i bVI bVII loop round, where the genre's other progressions bring III, iv and the major V."""
    others = sorted((alt for alt in alternatives if alt and alt != loop), key=lambda alt: set(alt) <= set(loop))
    # (one that brings a chord the loop lacks first: pop's I V vi IV re-ordered is still the same four chords)
    for candidate in others + [o[k:] + o[:k] for o in others for k in range(1, len(o))]:
        if _root(candidate[0], chords) != key.tonic_pc:
            return candidate
    if len(loop) < 2:
        return loop
    shift = len(loop) // 2
    for k in range(len(loop)):
        rotated = loop[(shift + k) % len(loop):] + loop[:(shift + k) % len(loop)]
        if _root(rotated[0], chords) != key.tonic_pc:
            return rotated
    return loop


def chords_per_bar(beats_per_chord: int | None, time_signature: str) -> int:
    """Chord slots in a bar: the bar's beats over the genre's beats per chord (one a bar when the genre
    sets none, or in odd and compound meters whose bar does not divide)."""
    if not beats_per_chord:
        return 1
    top, bottom = (int(p) for p in time_signature.split("/"))
    beats = top if bottom == 4 else top // 3 if bottom == 8 and top % 3 == 0 else 1
    return max(1, beats // beats_per_chord) if beats % beats_per_chord == 0 else 1


def slot_loop(loop: list[str], per_bar: int) -> list[str]:
    """The loop laid out in chord slots: a loop that does not fill whole bars holds its last chord."""
    if per_bar <= 1 or len(loop) % per_bar == 0:
        return list(loop)
    return list(loop) + [loop[-1]] * (per_bar - len(loop) % per_bar)


def phrase_loop(loop: list[str], per_bar: int = 1) -> list[str]:
    """The loop's chord slots stretched to a 4- or 8-bar phrase: a closed loop's first whole bars, an open
    loop's last ones, are held twice (see the module docstring); a loop of 1, 2, 4 or 8 bars, or longer than 8,
    is unchanged."""
    per_bar = max(per_bar, 1)
    bars = [loop[i:i + per_bar] for i in range(0, len(loop), per_bar)]
    target = next((n for n in (1, 2, 4, 8) if n >= len(bars)), len(bars))
    extra = target - len(bars)
    closed = loop[0] == loop[-1]
    held = range(extra) if closed else range(len(bars) - extra, len(bars))
    return [slot for k, bar in enumerate(bars) for slot in bar * (2 if k in held else 1)]


def section_chords(loop: list[str], name: str, n_bars: int, *, key: Key, chords: Chords, final: bool = False,
                   stated: bool = False, alternatives: list[list[str]] | None = None, per_bar: int = 1) -> list[str]:
    """``per_bar`` chords for every bar of a section (see the module docstring)."""
    if not loop:
        return []
    role = section_role(name)
    source = bridge_loop(loop, alternatives or [], key, chords) if role == "bridge" else loop
    slots = n_bars * per_bar
    source = slot_loop(source, per_bar)
    phrased = phrase_loop(source, per_bar)
    source = phrased if slots >= len(phrased) else source  # a section shorter than the phrase plays every chord
    form = len(phrased) > 8 * per_bar  # a 12-bar blues: a form longer than a phrase, with its own turnaround
    if form and role == "edge" and not final and slots < len(source):
        source = source[-slots:]  # an intro is the form's last bars, its turnaround (V IV I V into bar 1)
    bars = [source[i % len(source)] for i in range(slots)]
    if final and role == "edge" and n_bars < 4 and not stated:  # a whole form's tag too (a blues after its chorus)
        return _tag_ending(bars, loop, n_bars, per_bar, key, chords)
    if stated:
        return _stated_half_cadence(bars, loop, role, key, chords) if n_bars >= 4 and per_bar == 1 and \
            n_bars > len(loop) else bars
    # a loop-based track's last loop keeps looping (the ring-out lands on the tonic), but a solo chorus that ends
    # the piece closes it: a 30 s jazz ballad's head and solo had ended on the solo's bVI
    ends_piece = final and (form or not base_name(name).startswith("loop"))
    if n_bars < 4 or (role == "loop" and not ends_piece) or (slots < len(source) + 2 * per_bar and not final) \
            or (form and not final):
        return bars  # a section too short to hear its loop whole before a cadence, or a whole form, plays the loop
    dominant, tonic = cadence_chords(loop, key, chords)
    if final or role == "chorus":
        bars[-2], bars[-1] = dominant, tonic
    elif role in ("half", "bridge", "other") or (role == "edge" and not final):
        bars[-1] = dominant
    return bars


def _tag_ending(bars: list[str], loop: list[str], n_bars: int, per_bar: int, key: Key, chords: Chords) -> list[str]:
    """The piece's last bars after its last section (a tag, the planner's odd bars): the dominant (with two chords
    a bar, the loop's own approach to it: a jazz tag's ii-V), then the final chord held for the whole last bar; a
    bar before them keeps the loop's chord."""
    dominant, tonic = cadence_chords(loop, key, chords)
    at = loop.index(dominant) if dominant in loop else -1
    approach = loop[at - 1] if at > 0 and loop[at - 1] not in (dominant, tonic) else dominant
    before = [approach] * (per_bar // 2) + [dominant] * (per_bar - per_bar // 2)
    cadence = (before if n_bars >= 2 else []) + [tonic] * per_bar
    return bars[: len(bars) - len(cadence)] + cadence


def _stated_half_cadence(bars: list[str], loop: list[str], role: str, key: Key, chords: Chords) -> list[str]:
    """A verse (pre-chorus, build) on the user's loop ends on the loop's own dominant when it has one; every
    stated chord stays as written, only the bar that closes the section is the stated V."""
    if role != "half":
        return bars
    dominant = next((c for c in loop if (r := _root(c, chords)) is not None and (r - key.tonic_pc) % 12 == 7), None)
    if dominant is None or bars[-1] == dominant:
        return bars
    return [*bars[:-1], dominant]


def with_home_chord(symbols: list[str], key: Key, home: str | None, chords: Chords) -> list[str]:
    """``symbols`` with every tonic chord played as the prompt spells the home chord ('jazz ballad, Ebmaj7': each
    Eb or Ebmaj7 of the progression, its cadences and its bridge is the Ebmaj7). A tonic of the other third (a
    borrowed minor i in a major key) and a tonic over another bass stay as they are."""
    chord = read_chord(home, chords) if home else None
    if chord is None or chord.root_pc != key.tonic_pc:
        return symbols
    out = []
    for symbol in symbols:
        found = read_chord(symbol, chords)
        same = found is not None and found.root_pc == key.tonic_pc and found.bass_pc is None and \
            found.is_minor(chords) == chord.is_minor(chords)
        out.append(chord.symbol if same else symbol)
    return out
