"""Which groove a genre plays, and whether a prompt asks for swing: the genre's own groove in the bar's meter (else
the meter's generic one, with the genre's comping and arpeggio rhythms fitted to the bar), so the composer
(arrangement.compose) writes a bluegrass strum in 2/4 or a folk strum in 7/8 from the same data.
"""

from __future__ import annotations

from engine.inputs import ParametersIn
from engine.structure.meter import Meter
from knowledge_base import normalise_name
from knowledge_base.schema import Genre
from knowledge_base.sound import Groove

ASKED_SWING = 0.85  # swung eighths at about 1.8:1 when a prompt asks for swing (as feels.yaml's "swinging")
_SWING_WORDS = {"swing", "swinging", "swung", "swingy", "shuffle"}


def swing_asked(params: ParametersIn) -> bool:
    """The parameters ask for a swing feel: a swing value, or a mood, texture or sub-genre that says so."""
    if params.swing is not None:
        return params.swing > 0.0
    words = [m.value or "" for m in params.mood] + list(params.textures) + [params.sub_genre.value or ""]
    return any(normalise_name(w) in _SWING_WORDS for w in words)


def select_groove(grooves: list[Groove], lineage: list[Genre], meter: Meter) -> tuple[Groove, Groove]:
    """(pattern groove, style groove): the genre's groove in this meter, else the generic one for the
    meter; the style (kit, bass, comping) always comes from the nearest genre groove."""
    keys = [normalise_name(g.id) for g in lineage] + [normalise_name(g.name) for g in lineage]
    def matches(groove: Groove) -> int | None:
        names = [normalise_name(x) for x in groove.genres]
        ranks = [keys.index(n) for n in names if n in keys]
        return min(ranks) if ranks else None
    genre_grooves = sorted((g for g in grooves if g.genres and matches(g) is not None),
                           key=lambda g: matches(g) or 0)
    generic = [g for g in grooves if not g.genres]
    style = genre_grooves[0] if genre_grooves else next((g for g in generic if "4/4" in g.meters), grooves[0])
    in_meter = [g for g in genre_grooves if meter.label in g.meters]
    if in_meter:
        return in_meter[0], in_meter[0]
    pattern = next((g for g in generic if meter.label in g.meters), style)
    if meter.label not in style.meters and pattern is not style:
        # the comping and arpeggio rhythms fit the meter: a 2/4 bar plays the first half of the genre's 4/4 rhythm
        # (a bluegrass strum); other meters take their own groove's rhythm: a 3/4 waltz strum has as many sixteenths
        # as a 6/8 bar but plays 3/4 in it, and a 4/4 rhythm in 7/8 was cut to one chord a bar
        n, own = meter.steps_per_bar, style.comping.pattern
        if len(own) > n and len(own) % n == 0 and all(Meter.parse(m).denominator == meter.denominator
                                                      for m in style.meters):
            arp = style.arp[:n] if len(style.arp) % n == 0 else pattern.arp
            style = style.model_copy(update={"comping": style.comping.model_copy(update={"pattern": own[:n]}),
                                             "arp": arp})
        elif style.comping.style == "strum" and not meter.compound:
            # a strummer keeps strumming in an odd meter: every eighth, the group starts accented (7/8 = 2+2+3),
            # which is how the uneven groups are felt (held chords on the group starts only mark the bar)
            style = style.model_copy(update={"comping": style.comping.model_copy(
                update={"pattern": strummed_eighths(meter)}), "arp": pattern.arp})
        else:
            style = style.model_copy(update={"comping": pattern.comping, "arp": pattern.arp})
    return pattern, style


def strummed_eighths(meter: Meter) -> str:
    """A strum on every eighth of the bar: the downbeat accented most, the other group starts next, the eighths
    between them light ("X.o.x.o.x.o.o." in 7/8)."""
    strong = set(meter.strong_steps)
    return "".join(("X" if s == 0 else "x" if s in strong else "o") if s % 2 == 0 else "."
                   for s in range(meter.steps_per_bar))
