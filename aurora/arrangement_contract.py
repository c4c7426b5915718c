"""How the piece is laid out over time, as a prompt asks it: the parse's and the plan's ``Arrangement`` contract
(re-exported by aurora.contracts)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aurora.contract_base import Contract
from knowledge_base.tempo_curve import CURVE_WORDS, TempoCurveName

ArcName = Literal["rise", "fall"]
EndingName = Literal["ring", "fade_out", "cold", "loop"]


class Arrangement(Contract):
    """How the piece is laid out over time, as the text asks it ("starts quiet and builds", "fades out at the end",
    "a guitar solo in the middle", "no drop"): read by the parser (aurora/parser/arrangement.py), honoured by the
    planner (aurora/arrangement_plan.py) and the engine (the ending, the soloist)."""

    arc: ArcName | None = Field(default=None, description=(
        "'rise': the sections climb from quiet to the loudest at the end; 'fall': they wind down"))
    ending: EndingName | None = Field(default=None, description=(
        "'fade_out': the band plays on while the last section fades; 'cold': it stops together on the last hit; "
        "'loop': a seamless loop, whole phrases with no intro, ending or fade, its end running into its start"))
    solos: list[str] = Field(default_factory=list, description=(
        "The instruments that take a solo section, in order ('Electric Guitar', 'Drum Kit'), as the line-up spells "
        "them"))
    omitted_sections: list[str] = Field(default_factory=list, description=(
        "Kinds of section the text refuses ('drop', 'intro', 'outro', 'bridge', 'breakdown', 'build')"))
    fade_in: bool = Field(default=False, description="'fades in': the piece rises from silence over its opening")
    section_rests: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Players who rest in the sections of a kind ('no drums in the verse': {'verse': ['Drum Kit']})"))
    section_players: dict[str, list[str]] = Field(default_factory=dict, description=(
        "The players alone in the sections of a kind ('only piano in the intro': {'intro': ['Piano']}); 'start' and "
        "'end' are the first and the last section ('ends with just piano': {'end': ['Piano']})"))
    section_only: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Players heard only in the sections of a kind ('strings only in the chorus'): they rest elsewhere"))
    late_players: list[str] = Field(default_factory=list, description=(
        "Players who come in later ('slow intro, then the drums come in'): they rest until `enter_at`"))
    enter_at: str | None = Field(default=None, description=(
        "The kind of section the late players come in at ('chorus', 'drop'); null: after the first section"))
    tempo_curve: TempoCurveName | None = Field(default=None, description=(
        "'slows down at the end' ('rit'), 'speeds up towards the end' ('accel'), 'gets slower and slower' "
        "('slowing'), 'gets faster and faster' ('quickening'): the tempo moves from the stated one"))
    picardy: bool = Field(default=False, description=(
        "'ends on a major chord', 'a Picardy third': a minor piece's last chord is the major tonic"))
    chorus_first: bool = Field(default=False, description=(
        "'starts with the chorus', 'straight into the hook': the piece opens on its chorus, no intro"))
    section_lengths: dict[str, Literal["long", "short"] | int] = Field(default_factory=dict, description=(
        "Kinds of section asked longer or shorter than the form's ('a long intro': {'intro': 'long'}), or a number "
        "of bars ('a 16 bar intro': {'intro': 16})"))
    turn: Literal["major", "minor"] | None = Field(default=None, description=(
        "The mode the mood turns to ('starts sad and ends hopeful': 'major'): the piece starts in the other mode "
        "and its last sections move to the relative key"))

    def __bool__(self) -> bool:
        return bool(self.arc or self.ending or self.solos or self.omitted_sections or self.late_players or self.fade_in
                    or self.section_rests or self.section_players or self.section_only or self.turn
                    or self.tempo_curve or self.section_lengths or self.chorus_first or self.picardy)

    @property
    def solo(self) -> str | None:
        """The first soloist, if any."""
        return self.solos[0] if self.solos else None

    def words(self) -> str:
        """The request in a few words, for the parse table and the text report."""
        parts = [{"rise": "builds from quiet to full", "fall": "winds down from full to quiet"}[self.arc]]\
            if self.arc else []
        parts += [{"fade_out": "fades out", "cold": "stops cold", "ring": "last chord rings",
                   "loop": "loops seamlessly"}[self.ending]]\
            if self.ending else []
        parts += ["fades in"] if self.fade_in else []
        parts += [f"turns to {self.turn} at the end"] if self.turn else []
        parts += [f"{length}-bar {kind}" if isinstance(length, int) else f"{length} {kind}"
                  for kind, length in self.section_lengths.items()]
        parts += ["opens on the chorus"] if self.chorus_first else []
        parts += ["ends on a major chord"] if self.picardy else []
        parts += [CURVE_WORDS[self.tempo_curve]] if self.tempo_curve else []
        parts += [f"{player} solo" for player in self.solos]
        parts += [f"no {kind}" for kind in self.omitted_sections]
        for kind, players in self.section_rests.items():  # a part's rest ("part:lead") reads "lead part"
            who = [f"{p.removeprefix('part:')} part" if p.startswith("part:") else p for p in players]
            parts.append(f"no {' or '.join(who)} in the {kind}")
        parts += [f"{kind}s with {' and '.join(players)} alone" if kind in ("start", "end") else
                  f"only {' and '.join(players)} in the {kind}" for kind, players in self.section_players.items()]
        parts += [f"{' and '.join(players)} only in the {kind}" for kind, players in self.section_only.items()]
        when = f"at the {self.enter_at}" if self.enter_at else "later"
        parts += [f"{' and '.join(self.late_players)} come in {when}"] if self.late_players else []
        return "; ".join(parts)
