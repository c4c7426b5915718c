"""A section's named players (engine.structure.players): the others rest there, nobody is silenced by a name the
band does not have, and a prompt's solo opening reaches the score through the plan."""

from __future__ import annotations

from aurora import Aurora
from engine.inputs import SectionIn
from engine.score import Note, SectionSpan, Track
from engine.structure.players import keep_section_players
from knowledge_base import KnowledgeBase


def _track(name: str, instrument_id: str) -> Track:
    return Track(name, "harmony", instrument_id, "", 0, False,
                 notes=[Note(float(t), 0.5, 60, 90) for t in range(8)])


def test_a_section_plays_only_its_named_players(kb: KnowledgeBase) -> None:
    piano, drums = _track("harmony", "piano"), _track("drums", "drum_kit")
    spans = [SectionSpan("intro", 0.0, 4.0, 0, 2, 0.3), SectionSpan("verse", 4.0, 4.0, 2, 2, 0.5)]
    sections = [SectionIn(name="intro", duration_ratio=0.5, instruments=["Piano"]),
                SectionIn(name="verse", duration_ratio=0.5)]
    keep_section_players([piano, drums], spans, sections, kb)
    assert [n.start_s for n in piano.notes] == [float(t) for t in range(8)]
    assert [n.start_s for n in drums.notes] == [4.0, 5.0, 6.0, 7.0]


def test_a_name_the_band_does_not_have_silences_no_one(kb: KnowledgeBase) -> None:
    piano = _track("harmony", "piano")
    keep_section_players([piano], [SectionSpan("intro", 0.0, 4.0, 0, 2, 0.3)],
                         [SectionIn(name="intro", duration_ratio=1.0, instruments=["Harp"])], kb)
    assert len(piano.notes) == 8


def test_a_solo_opening_reaches_the_score(aurora: Aurora, kb: KnowledgeBase) -> None:
    from engine import Engine

    result = aurora.process(prompt="starts quiet with solo piano then the whole band comes in, pop rock, 110 bpm",
                            duration_s=20.0, seed=0)
    assert result.parse.parsed_parameters.opening == ["Piano"]
    plan = result.plan.structural_plan
    assert plan.sections[0].instruments == ["Piano"] and plan.sections[1].instruments is None
    score = Engine(device="cpu").render(
        plan=plan.model_dump(by_alias=True), parameters=result.parse.parsed_parameters.model_dump(by_alias=True),
        control_embedding=list(result.parse.control_encoder_params.unified_control_embedding), duration_s=20.0,
        sample_rate=22050, seed=0).score
    first = score.sections[0]
    end_s = first.start_s + first.duration_s - 0.05  # the band's entrance, played a hair early by the feel
    inside = {t.instrument_id for t in score.tracks for n in t.notes if first.start_s <= n.start_s < end_s}
    assert inside == {"piano"}
    later = {t.instrument_id for t in score.tracks for n in t.notes if n.start_s >= first.start_s + first.duration_s}
    assert {"piano", "drum_kit"} <= later



def test_a_tag_ending_plays_the_last_section_s_groove(aurora: Aurora, kb: KnowledgeBase) -> None:
    """The tag ending is the last section's groove going on to the final chord, not a drummer's new take."""
    from bench.music_eval import aurora_inputs, score_only

    plan, params, vector = aurora_inputs(aurora, "deep house track 124 bpm with a warm bassline", 30.0, 0)
    assert plan["sections"][-1]["name"] == "ending"
    score = score_only(kb, plan, params, vector, duration_s=30.0, seed=0)
    drop, ending = score.sections[-2], score.sections[-1]
    drums = score.track("drums")
    assert drums is not None

    def bar_hits(start_s: float) -> set[tuple[int, int]]:
        return {(round((n.start_s - start_s) / score.step_s), n.pitch) for n in drums.notes
                if start_s <= n.start_s < start_s + score.bar_s - score.step_s / 2 and n.pitch not in (49, 57)}

    first_of_drop = bar_hits(drop.start_s)
    assert bar_hits(ending.start_s) <= first_of_drop | {(0, 36)}, (bar_hits(ending.start_s), first_of_drop)


def test_the_piece_s_start_or_end_alone_sounds_with_its_player(aurora: Aurora) -> None:
    """"starts with just a cello" where the cello is the lead: the intro plays its tune (the lead rests in intros,
    which had left the intro silent); "ends with just acoustic guitar": the last section is the guitar's alone and
    the rest of the song keeps its band (the "just" had closed the line-up for the whole song)."""
    from engine import Engine

    engine = Engine(device="cpu")
    for prompt, kind, instrument in (("indie song, starts with just a cello, then the band", "start", "cello"),
                                     ("rock song that ends with just acoustic guitar", "end", "acoustic_guitar")):
        result = aurora.process(prompt=prompt, duration_s=40.0, seed=0)
        assert kind in result.parse.parsed_parameters.arrangement.section_players
        score = engine.render(
            plan=result.plan.structural_plan.model_dump(by_alias=True),
            parameters=result.parse.parsed_parameters.model_dump(by_alias=True),
            control_embedding=list(result.parse.control_encoder_params.unified_control_embedding), duration_s=40.0,
            sample_rate=22050, seed=0).score
        span = score.sections[0] if kind == "start" else score.sections[-1]
        end_s = span.start_s + span.duration_s - 0.05
        inside = {t.instrument_id for t in score.tracks for n in t.notes if span.start_s <= n.start_s < end_s}
        outside = {t.instrument_id for t in score.tracks for n in t.notes if not span.start_s - 0.05 <= n.start_s}
        outside |= {t.instrument_id for t in score.tracks for n in t.notes if n.start_s >= span.start_s +
                    span.duration_s} if kind == "start" else set()
        assert inside == {instrument}
        assert len(outside - {instrument}) >= 2  # the band plays the rest
