"""Which sub-genre a prompt means when it names only the parent ("hip hop, 808, dark, minor"): the facts it
states (moods, instruments, a tempo) against each style's own moods, line-up and tempo range in the KB.

Why not the embedding alone: a tag list is a poor sentence, and its similarity to the children's anchor
phrases is noise ("hip hop, 808 bass, dark, minor" sits at 0.609 to lo-fi and 0.587 to trap), so the
dusty, mellow lo-fi style was chosen for a dark 808 beat. The stated facts discriminate: dark is a trap
mood and no lo-fi one, the 808 is in trap's line-up and not in lo-fi's. The embedding still breaks ties.
"""

from __future__ import annotations

from dataclasses import dataclass

from aurora.parser.meter import MeterFinding
from aurora.parser.tempo import TempoFinding
from knowledge_base.schema import Genre

# a tempo is felt at half or double time as well (a 70 BPM trap beat is written at 140)
TEMPO_FACTORS = (1.0, 0.5, 2.0)
# a stated feel fits a style whose swing is this close ("swinging" 0.85: swing 0.75, bebop 0.7, jazz 0.65; not
# fusion's or smooth jazz's 0.2)
SWING_FIT = 0.3
CLOSED_BAND_PLAYERS = 2  # stated players of its own a sub-genre with a closed line-up needs to be chosen unnamed
EPS = 1e-9
# stated moods this far in arousal from a style's energy do not fit it: "chill pop" is no hyperpop (energy 0.9)
ENERGY_APART = 0.62  # "sad trap" (0.2 against 0.8) is a style of its own; "chill" hyperpop (0.25 against 0.9) is not


@dataclass(frozen=True)
class StyleCues:
    """Facts the text states that tell styles apart: mood ids, instrument ids, a tempo stated as a number, a feel's
    swing, a time signature."""

    moods: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    bpm: float | None = None
    swing: float | None = None  # a stated feel's swing ("swinging": 0.85, "straight": 0)
    meter: str | None = None  # a time signature the text states ("12/8 slow blues")
    word_bpm: tuple[float, float] | None = None  # a tempo word's range ("slow": 55-85 BPM)
    arousal: float | None = None  # the stated moods' mean arousal (knowledge_base moods.yaml), 0..1

    def __bool__(self) -> bool:
        return bool(self.moods or self.instruments or self.bpm is not None or self.swing is not None or self.meter
                    or self.word_bpm or self.arousal is not None)


def stated_cues(*, moods: list[str], arousals: list[float], instruments: list[str], tempo: TempoFinding | None,
                meter: MeterFinding | None, swing: float | None) -> StyleCues:
    """The cues from the parser's findings: a tempo number (or range) as BPM, a tempo word as its range (a feel word,
    "half-time", says how the beat is felt, not how fast), the stated moods' mean arousal."""
    number = tempo is not None and tempo.source in ("number", "range")
    word = tempo is not None and tempo.source in ("word", "italian") and not tempo.feel
    return StyleCues(moods=tuple(moods), instruments=tuple(instruments), bpm=tempo.bpm if number and tempo else None,
                     swing=swing, meter=meter.value if meter else None,
                     word_bpm=tempo.range_bpm if word and tempo else None,
                     arousal=sum(arousals) / len(arousals) if arousals else None)


def _odd(meter: str) -> bool:
    """5/4, 7/8, 11/8: a meter of an odd number of beats beyond three (3/4, 9/8 are no odd meters)."""
    beats = int(meter.split("/", maxsplit=1)[0])
    return beats % 2 == 1 and beats > 3 and beats != 9


def meter_fits(genre: Genre, meter: str) -> bool:
    """The style plays the meter: it lists it, or, for an odd meter, lists another odd meter (a fusion band that
    plays 7/8 plays 5/4; a New Orleans street band plays neither)."""
    return meter in genre.meters or (_odd(meter) and any(_odd(m) for m in genre.meters))


def cue_score(genre: Genre, cues: StyleCues) -> float:
    """How many stated facts fit the style: +1 for each of its moods, +1 for a tempo in its range (at half or
    double time too), -1 for a tempo outside it, +1 for a stated feel's swing near its own, -1 for one far off,
    +1 for a stated meter it plays, -1 for one it does not (a 12/8 slow blues is no 4/4 boogie-woogie), +1 for a
    tempo word's range that meets its own, -1 for one that does not, -1 for stated moods whose arousal is
    ENERGY_APART from its energy.
    Instruments do not count here: a line-up lists a few typical instruments, not all the style allows (a sad
    pop ballad with strings is no J-pop for listing strings)."""
    score = float(sum(1 for m in cues.moods if m in genre.moods))
    if cues.swing is not None:  # "medium swing 160": a swinging style, not jazz fusion's straight sixteenths
        score += 1.0 if abs(genre.swing - cues.swing) <= SWING_FIT else -1.0
    if cues.bpm is not None:
        span = genre.tempo_bpm
        score += 1.0 if any(span.min <= cues.bpm * f <= span.max for f in TEMPO_FACTORS) else -1.0
    if cues.meter is not None:
        score += 1.0 if meter_fits(genre, cues.meter) else -1.0
    if cues.word_bpm is not None:  # a tempo word is how fast it feels: no half or double time ("slow blues" is
        # no boogie-woogie at twice its tempo)
        score += 1.0 if genre.tempo_bpm.min <= cues.word_bpm[1] and cues.word_bpm[0] <= genre.tempo_bpm.max else -1.0
    if cues.arousal is not None and abs(genre.energy - cues.arousal) > ENERGY_APART:
        score -= 1.0
    return score


def instrument_fit(genre: Genre, cues: StyleCues) -> int:
    """Stated instruments in the style's own line-up: they choose among children, never against the parent."""
    own = {item.instrument for item in genre.instruments}
    return sum(1 for i in cues.instruments if i in own)


def closed_against(child: Genre, parent: Genre, cues: StyleCues) -> bool:
    """The child plays a closed line-up of its own (``own_lineup``) that leaves out a stated instrument its parent's
    band has (a piano, a double bass and a drum kit are a jazz combo's, which a New Orleans street band of tuba,
    snare and bass drum leaves out; a drum kit is country's and no bluegrass band's), or that fewer than
    CLOSED_BAND_PLAYERS stated instruments are players of, or none the parent's band lacks."""
    if not child.own_lineup:
        return False
    own = {item.instrument for item in child.instruments}
    band = {item.instrument for item in parent.instruments}
    # a closed band is told by its players: one stated instrument it shares with others ("trumpet solo over a slow
    # jazz ballad") is no New Orleans street band; two of its own ("tuba and banjo", "banjo, fiddle") are
    leaves_out = any(i in band and i not in own for i in cues.instruments)
    # and by a player the parent's band lacks: "jazz with trumpet and sax" is the jazz combo both are players of,
    # no street band of tuba and banjo
    distinct = any(i in own and i not in band for i in cues.instruments)
    return leaves_out or not distinct or instrument_fit(child, cues) < CLOSED_BAND_PLAYERS


def _mood_rank(genre: Genre, cues: StyleCues) -> int:
    """A genre's moods are listed most characteristic first: dark is trap's first mood, drill's second."""
    return -sum(genre.moods.index(m) for m in cues.moods if m in genre.moods)


def best_child(parent: Genre, children: list[tuple[Genre, float]], cues: StyleCues) -> tuple[Genre, float] | None:
    """The child style that more stated facts fit than fit the parent, with its embedding similarity (none whose
    closed line-up leaves out a stated instrument: closed_against); among children the facts fit alike, the one
    holding more of the stated instruments, then the one whose moods list the stated ones earlier, then the more
    similar one. None when no child fits more facts than the parent. A style named only (``Genre.named_only``) is never
    chosen here."""
    # a style known by its place or occasion is no guess from moods and tempo ("energetic workout music" had been K-pop)
    children = [(c, sim) for c, sim in children if not closed_against(c, parent, cues) and not c.named_only]
    if not cues or not children:
        return None
    floor = cue_score(parent, cues)
    top_score, _, _, similarity, child = max(
        ((cue_score(c, cues), instrument_fit(c, cues), _mood_rank(c, cues), sim, c) for c, sim in children),
        key=lambda t: t[:4])
    return (child, similarity) if top_score > floor + EPS else None


def candidates(parent: Genre, children: list[Genre], cues: StyleCues) -> list[Genre]:
    """The children the embedding may choose from when the facts do not decide: not those that fewer stated
    facts fit than fit the parent (a 150 BPM drill track), and, where some hold a stated instrument in their own
    line-up, only those (an 808 named: trap, drill or phonk, not lo-fi with its upright bass); never one whose closed
    line-up leaves out a stated instrument of the parent's band (closed_against)."""
    if not cues:
        return children
    floor = cue_score(parent, cues)
    kept = [c for c in children if cue_score(c, cues) >= floor - EPS and not closed_against(c, parent, cues)]
    holding = [c for c in kept if instrument_fit(c, cues)]
    return holding or kept
