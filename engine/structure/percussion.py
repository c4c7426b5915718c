"""What a hand-percussion voice plays in a bar, in any meter and at every energy level (knowledge_base
synth_presets.yaml ``percussion`` says which voices an instrument plays; engine/structure/parts.py plays them).

Each voice plays its instrument's idiom: shakers, sleigh bells, castanets and a guiro keep a steady subdivision
with the accents where the hand falls (sleigh bells are shaken in eighths, the backbeat accented; they had struck
the backbeat alone, 30 hits in 30 s at 140 BPM); claps and snaps mark the backbeat; a pair of hand drums (congas,
bongos, tabla) answers high against low; a hand drum alone (a djembe, a bodhran, a darbuka) plays the beats and the
off-beats between them; bells, blocks and a triangle keep the beat; a gong or a bell tree marks the bar and rings.
A stated part plays at every level (thinner when quiet), never not at all: an asked-for part that rests is lost.
Grids are sixteenth steps ("X" accent, "x" normal, "o" ghost), as grooves.yaml writes them.

Where the style's groove writes a line for a voice (grooves.yaml ``levels``: the cha-cha-chá güiro's split fourth
beat, the son clave, merengue's güira, Motown's tambourine), that line is what the voice plays (``written_line``):
these figures are for the voices a groove leaves to the player (a cha-cha-chá güiro had scraped plain eighths: 84 of
a charanga's 280 percussion onsets fell on its groove's steps).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from engine.structure.dynamics import LEVELS
from engine.structure.meter import Meter

Figure = Callable[[Meter, str], dict[int, str]]  # (meter, level) -> step -> accent mark


def _eighths(meter: Meter) -> range:
    return range(0, meter.steps_per_bar, 2)


def _accented(meter: Meter, steps: range | list[int], *, backbeat: str = "x") -> dict[int, str]:
    """Steps marked by where they fall: the downbeat "X", the backbeat ``backbeat``, other beats "x", between "o"."""
    strong, back = set(meter.strong_steps), set(meter.backbeat_steps)
    return {s: "X" if s == 0 else backbeat if s in back else "x" if s in strong else "o" for s in steps}


def _shaken(meter: Meter, level: str) -> dict[int, str]:
    """A shaker: sixteenths when loud, eighths, and the beats alone when quiet."""
    every = 1 if level == "high" else 2 if level == "mid" else meter.beat_steps
    return _accented(meter, range(0, meter.steps_per_bar, every))


def _jingled(meter: Meter, level: str) -> dict[int, str]:
    """Sleigh bells: shaken in eighths with the backbeat accented; the beats when quiet."""
    steps = meter.strong_steps if level == "low" else list(_eighths(meter))
    return _accented(meter, steps, backbeat="X")


def _rattled(meter: Meter, level: str) -> dict[int, str]:
    """Castanets or a guiro: eighths (the guiro's scrape, the castanets' clicks), the beats when quiet."""
    return _accented(meter, meter.strong_steps if level == "low" else _eighths(meter))


def _tambourine(meter: Meter, level: str) -> dict[int, str]:
    """A tambourine: struck on the backbeat, shaken on the off-beat eighths between (all the eighths when loud)."""
    back = set(meter.backbeat_steps)
    if level == "low":
        return {s: "x" for s in back}
    strong = set(meter.strong_steps)
    steps = [s for s in _eighths(meter) if level == "high" or s in back or s not in strong]
    return _accented(meter, steps, backbeat="X")


def _backbeat(meter: Meter, level: str) -> dict[int, str]:
    """Claps and snaps: on the backbeat (2 and 4; 2 and 3 in a waltz)."""
    return {s: "x" for s in meter.backbeat_steps}


def _beats(meter: Meter, level: str) -> dict[int, str]:
    """A bell, a block or a triangle: every beat, eighths when loud; the bar's first beat and backbeat when quiet."""
    if level == "high":
        return _accented(meter, _eighths(meter))
    steps = meter.strong_steps if level == "mid" else sorted({0, *meter.backbeat_steps})
    return _accented(meter, steps)


def _answer_high(meter: Meter, level: str) -> dict[int, str]:
    """The high drum of a pair (a conga's quinto, a bongo's macho): the off-beat eighths."""
    return {s: "x" for s in range(2, meter.steps_per_bar, 4)}


def _answer_low(meter: Meter, level: str) -> dict[int, str]:
    """The low drum of a pair: open tones a dotted eighth after each beat (the tumbao's)."""
    return {s + 3: "o" for s in meter.strong_steps if s + 3 < meter.steps_per_bar}


def _hand_drum(meter: Meter, level: str) -> dict[int, str]:
    """A hand drum alone (a djembe, a cajón, a bodhrán, a darbuka, a dhol, timbales): the bass tone on the beats and
    slaps on the off-beat eighths, a sixteenth pickup into each backbeat when loud; the beats and the off-beat before
    each backbeat when quiet."""
    back = meter.backbeat_steps
    if level == "low":
        return {**_accented(meter, meter.strong_steps), **{s - 2: "o" for s in back if s >= 2}}
    hits = _accented(meter, _eighths(meter))
    return {**hits, **{s - 1: "o" for s in back if s >= 1}} if level == "high" else hits


def _ring(meter: Meter, level: str) -> dict[int, str]:
    """A gong or a bell tree: struck on the downbeat and left to ring (the bar's middle too when loud)."""
    middle = meter.strong_steps[len(meter.strong_steps) // 2]
    return {0: "X", **({middle: "x"} if level == "high" and middle else {})}


def _big_drum(meter: Meter, level: str) -> dict[int, str]:
    """Big drums (taiko, timpani): the low drum on every beat, the off-beat too when loud."""
    half = meter.beat_steps // 2
    hits = {s: "X" for s in meter.strong_steps}
    if level == "high":
        hits.update({s + half: "x" for s in meter.strong_steps if s + half < meter.steps_per_bar})
    return hits


def _pickup(meter: Meter, level: str) -> dict[int, str]:
    """The answering drum: an eighth before each beat (but the first), none when quiet."""
    return {} if level == "low" else {s - 2: "x" for s in meter.strong_steps if s >= 2}


FIGURES: dict[str, Figure] = {
    "shaker": _shaken, "jingle_bell": _jingled, "castanets": _rattled, "guiro": _rattled,
    "tambourine": _tambourine, "clap": _backbeat,
    "conga_high": _answer_high, "bongo_high": _answer_high,
    "conga_low": _answer_low, "bongo_low": _answer_low, "timbale": _answer_low,
    "cowbell": _beats, "clave": _beats, "wood_block": _beats, "triangle": _beats,
    "crash": _ring, "bell_tree": _ring, "tom_low": _big_drum, "tom_mid": _pickup,
}
HAND_DRUMS = frozenset({"conga_high", "conga_low", "bongo_high", "bongo_low", "timbale"})


def percussion_pattern(voice: str, meter: Meter, level: str, *, alone: bool = False) -> str:
    """The grid ``voice`` plays in a bar of ``meter`` at ``level``; ``alone``: the only voice of its instrument (a
    hand drum alone plays the beats and the off-beats, not one half of a pair's conversation)."""
    figure = _hand_drum if alone and voice in HAND_DRUMS else FIGURES.get(voice, _shaken)
    grid = ["."] * meter.steps_per_bar
    for step, mark in figure(meter, level).items():
        grid[step] = mark
    return "".join(grid)


# a voice that plays the line a groove writes for another when it writes none of its own: the son's clave is written
# for the claves ("clave"), and the line-up's claves player (instruments.yaml wood_block, "claves") strikes a wood block
SAME_LINE: dict[str, tuple[str, ...]] = {"wood_block": ("clave",), "clave": ("wood_block",)}


def played_lines(levels: Mapping[str, Mapping[str, str]]) -> frozenset[str]:
    """Every voice that plays a line of this groove: the voices it writes, and the ones that stand in for them."""
    written = {v for grids in levels.values() for v in grids}
    return frozenset(written | {v for v, twins in SAME_LINE.items() if written & set(twins)})


def line_voice(levels: Mapping[str, Mapping[str, str]], voice: str, meter: Meter) -> str | None:
    """The groove voice whose line ``voice`` plays: its own where the groove writes it (in this meter), else one it
    stands in for (SAME_LINE); None where the groove writes neither (the voice's figure plays)."""
    for v in (voice, *SAME_LINE.get(voice, ())):
        if any(len(grids.get(v, "")) == meter.steps_per_bar for grids in levels.values()):
            return v
    return None


def written_line(levels: Mapping[str, Mapping[str, str]], voice: str, meter: Meter, level: str, *,
                 borrow: bool = False) -> str | None:
    """The groove's own line for ``voice`` at ``level`` (grids that fit the meter only). None when the groove never
    writes the voice: the player's figure plays it. "" (a rest) when the groove writes it at other levels only (the
    cha-cha-chá timbale enters at the high level), unless ``borrow`` (a stated part that would otherwise rest): the
    nearest level's line, thinned to its beats and accents at the low level when it comes from a louder one (a stated
    shaker in a house track's verse shakes the chorus's eighths; in its quiet intro, the beats)."""
    fits = {lv: grids[voice] for lv, grids in levels.items()
            if voice in grids and len(grids[voice]) == meter.steps_per_bar}
    if not fits:
        return None
    if level in fits:
        return fits[level]
    if not borrow:
        return ""
    here = LEVELS.index(level)
    nearest = min(fits, key=lambda lv: (abs(LEVELS.index(lv) - here), LEVELS.index(lv) > here))
    line = fits[nearest]
    if LEVELS.index(nearest) <= here or level != "low":
        return line
    strong = set(meter.strong_steps)
    thin = "".join(c if c != "." and (i in strong or c == "X") else "." for i, c in enumerate(line))
    if not thin.strip("."):  # an off-beat line (a bongo's): its first hit
        first = next(i for i, c in enumerate(line) if c != ".")
        thin = "." * first + line[first] + "." * (len(line) - first - 1)
    return thin
