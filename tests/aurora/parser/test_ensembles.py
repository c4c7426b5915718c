"""A named ensemble is a closed line-up: "jazz trio" is piano, double bass and drums and nothing jazz would add
(no trumpet, no trombone); "string quartet" is violins, viola and cello and names classical music when the
prompt names no genre; "piano trio" is a jazz trio in a jazz prompt, a classical one otherwise. Phrased the way
users write (typos aside, the words they use), plus combinations never tuned on."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.ensemble import small_group_style
from engine.inputs import parse_parameters
from engine.structure.orchestration import orchestrate
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls


def _parse(aurora: Aurora, prompt: str) -> tuple[str | None, list[str], list[str], str]:
    p = aurora.parse(prompt=prompt).parsed_parameters
    stated = [i.name for i in p.instrumentation if i.source == "stated"]
    others = [i.name for i in p.instrumentation if i.source != "stated"]
    return p.ensemble, stated, others, p.sub_genre.value or p.genre.value


@pytest.mark.parametrize(("prompt", "ensemble", "players", "genre"), [
    ("jazz trio, swinging, piano bass and drums, 140 bpm", "Jazz trio", {"Piano", "Double Bass", "Drum Kit"}, "jazz"),
    ("string quartet, G major, calm", "String quartet", {"Violin", "Viola", "Cello"}, "classical"),
    ("jazz waltz 3/4 piano trio in Bb", "Jazz trio", {"Piano", "Double Bass", "Drum Kit"}, "jazz"),
    ("a melancholic piano trio in E minor", "Piano trio", {"Piano", "Violin", "Cello"}, "classical"),
    ("brass quintet playing a fanfare", "Brass quintet", {"Trumpet", "French Horn", "Trombone", "Tuba"}, "classical"),
    ("loud power trio jam, 140 bpm", "Power trio", {"Electric Guitar", "Bass Guitar", "Drum Kit"}, "rock"),
    ("greasy organ trio groove", "Organ trio", {"Hammond Organ", "Clean Electric Guitar", "Drum Kit"}, "jazz"),
    ("swing big band, trumpets, 180 bpm", "Big band", {"Trumpet", "Trombone", "Saxophone", "Piano"}, "jazz"),
])
def test_an_ensemble_states_its_players_and_no_one_else(aurora: Aurora, kb: KnowledgeBase, prompt: str,
                                                        ensemble: str, players: set[str], genre: str) -> None:
    named, stated, others, style = _parse(aurora, prompt)
    assert named == ensemble
    assert players <= set(stated)
    assert not others  # closed: nothing inferred from the genre beside the ensemble
    assert genre in {g.id for g in kb.genre_lineage(style)}


def test_an_ensemble_takes_other_named_instruments_and_exclusions(aurora: Aurora) -> None:
    _, stated, others, _ = _parse(aurora, "a jazz trio with a vibraphone solo")
    assert {"Piano", "Double Bass", "Drum Kit", "Vibraphone"} <= set(stated) and not others
    _, stated, _, _ = _parse(aurora, "jazz trio without drums, late night")
    assert "Drum Kit" not in stated and {"Piano", "Double Bass"} <= set(stated)
    named, _, _, _ = _parse(aurora, "a jazz song, no string quartet please")
    assert named is None


def test_jangly_guitars_are_clean_electric_guitars(aurora: Aurora) -> None:
    _, stated, _, _ = _parse(aurora, "instrumental indie rock track with jangly guitars, 120 bpm, E major")
    assert stated == ["Clean Electric Guitar"]  # the indie line-up's bright clean electric, not a 12-string acoustic


def _orchestra(kb: KnowledgeBase, genre: str, ensemble: str | None, names: list[tuple[str, str]],
               excluded: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    controls = make_controls(kb, tempo_bpm=120.0, genre=genre)
    params = parse_parameters({**controls["parameters"], "ensemble": ensemble, "excluded_instruments": list(excluded),
                               "instrumentation": [{"name": n, "role": r, "source": "stated"} for n, r in names]})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage(genre), kb=kb, song_form=True)
    return [(p.role, p.instrument_id) for p in orchestra.parts]


def test_the_engine_plays_the_ensemble_and_adds_no_one(kb: KnowledgeBase) -> None:
    trio = _orchestra(kb, "swing", "Jazz trio", [("piano", "harmony"), ("double bass", "bass"), ("drum kit", "rhythm")])
    assert {i for _, i in trio} == {"piano", "double_bass", "drum_kit"}  # no trumpet or trombone from swing
    assert ("lead", "piano") in trio  # the piano's right hand carries the melody
    quartet = _orchestra(kb, "classical", "String quartet", [("violin", "lead"), ("viola", "harmony"),
                                                             ("cello", "bass")])
    assert sorted(quartet) == sorted([("bass", "cello"), ("harmony", "viola"), ("lead", "violin"),
                                      ("counter", "violin")])
    with_vibes = _orchestra(kb, "jazz", "Jazz trio", [("piano", "harmony"), ("double bass", "bass"),
                                                      ("drum kit", "rhythm"), ("vibraphone", "lead")])
    assert ("lead", "vibraphone") in with_vibes and ("harmony", "piano") in with_vibes
    no_drums = _orchestra(kb, "jazz", "Jazz trio", [("piano", "harmony"), ("double bass", "bass")],
                          excluded=("drum kit",))
    assert not any(r == "drums" for r, _ in no_drums)


def test_every_ensemble_in_the_knowledge_base_is_playable(kb: KnowledgeBase) -> None:
    """Each entry names known instruments and genres, and its players all get a part."""
    named = [e for e in kb.ensembles if e.parts]
    assert len(named) >= 8
    for ensemble in named:
        parts = _orchestra(kb, ensemble.genre, ensemble.name, [])
        assert {p.instrument for p in ensemble.parts} == {i for _, i in parts}, ensemble.id


@pytest.mark.parametrize("prompt", ["6/8 irish ballad with harp, gentle", "an old irish air on the fiddle",
                                    "slow celtic ballad with harp and flute"])
def test_an_irish_or_celtic_ballad_is_celtic_music(aurora: Aurora, kb: KnowledgeBase, prompt: str) -> None:
    """Not the default pop with a drum kit: the genre's own line-up (harp, fiddle, whistle, frame drum)."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert "celtic" in {g.id for g in kb.genre_lineage(p.sub_genre.value or p.genre.value)}
    assert "Drum Kit" not in {i.name for i in p.instrumentation}


@pytest.mark.parametrize(("prompt", "players"), [
    ("solo piano, sad", {"piano"}),
    ("a sad piano solo piece", {"piano"}),
    ("just piano and cello, slow", {"piano", "cello"}),
    ("acoustic guitar only, folk", {"acoustic_guitar"}),
    ("unaccompanied cello suite", {"cello"}),
    ("a duo for violin and piano", {"violin", "piano"}),
    # a jazz trio's players, no genre named: its bass is the double bass (the bass guitar of the default pop was not)
    ("a trio of piano, bass and drums playing a ballad", {"piano", "double_bass", "drum_kit"}),
    # the players a piece is written for: a sonata for violin and piano had a cello on the bass line
    ("sonata for violin and piano", {"violin", "piano"}),
    ("a piece for cello, piano and harp, melancholic", {"cello", "piano", "harp"}),
    # a section alone is its players: a waltz for strings had a piano, a double bass and a flute; strings only
    # had a pad and a melody over no bass line at all
    ("waltz for strings in 3/4, D major, tender", {"violin", "viola", "string_section", "cello"}),
    ("strings only, slow and sad", {"violin", "viola", "string_section", "cello"}),
    ("just brass, majestic fanfare", {"trumpet", "trombone", "french_horn", "tuba", "brass_section"}),
])
def test_a_closed_line_up_plays_only_what_was_named(aurora: Aurora, kb: KnowledgeBase, prompt: str,
                                                    players: set[str]) -> None:
    """'solo', 'just', 'only', 'unaccompanied' and a count word with that many instruments close the line-up: the
    engine adds no drum kit, bass guitar or synth pad from the genre (it did, to every one of these)."""
    result = aurora.process(prompt=prompt, duration_s=8.0, seed=0)
    params = result.parse.parsed_parameters
    assert params.ensemble is not None
    encoded = result.parse.control_encoder_params
    assert encoded is not None
    controls = decode(kb, list(encoded.unified_control_embedding))
    orchestra = orchestrate(controls=controls, params=parse_parameters(params.model_dump(by_alias=True)),
                            genres=kb.genre_lineage(params.sub_genre.value or params.genre.value), kb=kb,
                            song_form=True)
    assert {p.instrument_id for p in orchestra.parts} == players


@pytest.mark.parametrize("prompt", ["rock song with a guitar solo", "I just want a chill beat with piano",
                                    "a quartet with piano and sax", "lofi beat for studying with piano",
                                    "a song for my mother with acoustic guitar and harmonica",
                                    "music for a rainy day, piano and strings"])
def test_a_band_with_a_solo_is_not_a_closed_line_up(aurora: Aurora, prompt: str) -> None:
    """A 'guitar solo' is a section in a band; 'just' far from an instrument closes nothing; a quartet naming two
    players leaves the other two to the genre."""
    assert aurora.parse(prompt=prompt).parsed_parameters.ensemble is None


@pytest.mark.parametrize("prompt", [
    "starts quiet with solo piano then the whole band comes in, pop rock, 110 bpm",
    "piano alone until the drums kick in, indie",
    "solo violin, later joined by the orchestra",
    "acoustic guitar only at first, then drums and bass come in",
])
def test_a_solo_opening_that_others_join_leaves_the_line_up_open(aurora: Aurora, prompt: str) -> None:
    """The solo instrument opens the piece; the players the text has join later come from the genre (it played
    the piano alone for the whole song); 'drums kick in' is a verb, not the kick drum."""
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    assert parsed.ensemble is None, prompt
    assert any(i.source == "inferred" or i.name == "Drum Kit" for i in parsed.instrumentation), prompt
    assert "Kick Drum" not in {i.name for i in parsed.instrumentation}, prompt


@pytest.mark.parametrize("prompt", ["punchy kick in the mix, house", "the kick in this track is huge"])
def test_the_kick_in_a_mix_is_the_kick_drum(aurora: Aurora, prompt: str) -> None:
    assert "Kick Drum" in {i.name for i in aurora.parse(prompt=prompt).parsed_parameters.instrumentation}


def test_an_instrument_named_with_the_ensemble_s_words_is_the_instrument(aurora: Aurora) -> None:
    """'big band horns' are the brass section (an instrument), not a closed big band."""
    p = aurora.parse(prompt="swing jazz, big band horns, 160 bpm").parsed_parameters
    assert p.ensemble is None and "Brass Section" in {i.name for i in p.instrumentation if i.source == "stated"}


def test_an_llm_tier_adds_no_one_to_a_named_ensemble(aurora: Aurora) -> None:
    """keep_stated: what an enhanced (LLM) parse adds beside a closed line-up is dropped; elsewhere it stays."""
    from aurora.contracts import InstrumentValue
    from aurora.facade import keep_stated

    trumpet = InstrumentValue(name="Trumpet", role="lead", confidence=0.7, source="stated")
    for prompt, kept in (("jazz trio, late night", False), ("a jazz song with piano", True)):
        stated = aurora.parse(prompt=prompt).parsed_parameters
        llm = stated.model_copy(update={"instrumentation": [*stated.instrumentation, trumpet], "ensemble": None})
        merged = keep_stated(llm, stated)
        assert ("Trumpet" in {i.name for i in merged.instrumentation}) is kept
        assert merged.ensemble == stated.ensemble


def test_the_parse_table_says_the_line_up_is_closed(aurora: Aurora) -> None:
    from aurora.ui import format as fmt

    rows = {r[0]: r for r in fmt.parameter_rows(aurora.parse(prompt="string quartet, G major, calm").parsed_parameters)}
    assert rows["Line-up"][1].startswith("String quartet") and rows["Line-up"][3] == "explicit"
    assert "Line-up" not in {r[0] for r in fmt.parameter_rows(aurora.parse(prompt="rock song").parsed_parameters)}


def test_a_bluegrass_band_borrows_no_drums_from_country(kb: KnowledgeBase) -> None:
    """A genre with its own line-up (own_lineup) takes nothing from its ancestors: bluegrass got country's drum kit
    and electric guitar; a drum kit the prompt names still plays."""
    plain = _orchestra(kb, "bluegrass", None, [("banjo", "lead")])
    assert not {i for _, i in plain} & {"drum_kit", "electric_guitar", "bass_guitar"}
    assert {"banjo", "double_bass"} <= {i for _, i in plain}
    with_drums = _orchestra(kb, "bluegrass", None, [("banjo", "lead"), ("drum kit", "rhythm")])
    assert ("drums", "drum_kit") in with_drums
    country = _orchestra(kb, "country", None, [("banjo", "lead")])
    assert any(r == "drums" for r, _ in country)  # country keeps its drummer


@pytest.mark.parametrize(("prompt", "bass", "genre"), [
    ("late night quartet - tenor sax, piano, bass, drums", "Double Bass", "jazz"),
    ("trumpet piano bass & drums, slow and smoky", "Double Bass", "jazz"),
    ("clarinet with piano, bass and drums", "Double Bass", "jazz"),
    ("a trio: piano, bass and drums, rainy evening", "Double Bass", "jazz"),
    ("violin viola cello, something calm", "Cello", "classical"),
])
def test_a_listed_small_group_plays_its_ensemble_s_genre(aurora: Aurora, kb: KnowledgeBase, prompt: str, bass: str,
                                                          genre: str) -> None:
    """Players listed one by one, no genre named: a sax (trumpet, clarinet) with piano, bass and drums is a jazz
    group, so its plain "bass" is the double bass, not the default pop's bass guitar (it was, in every one)."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert genre in {g.id for g in kb.genre_lineage(p.sub_genre.value or p.genre.value)}
    basses = [i.name for i in p.instrumentation if i.role == "bass"]
    assert basses == [bass]


@pytest.mark.parametrize(("prompt", "bass"), [
    ("funk tune, sax, piano, bass, drums", "Bass Guitar"),  # the genre named keeps its own bass
    ("synth, piano, bass and drums", "Bass Guitar"),  # a synth lead is no jazz group
    ("sax, piano, bass guitar and drums", "Bass Guitar"),  # the bass named outright
])
def test_a_listed_line_up_of_another_kind_keeps_its_genre_s_bass(aurora: Aurora, prompt: str, bass: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert [i.name for i in p.instrumentation if i.role == "bass"] == [bass]
    assert p.genre.value != "Jazz"


@pytest.mark.parametrize("prompt", [
    "a quartet: sax, piano, bass and drums",
    "clarinet piano bass drums",
    "trumpet piano bass drums slow ballad",
    "jazz trio, swinging, piano bass and drums, 140 bpm",
    "tenor sax piano bass drums, smoky bar",
    "a jazz quintet, trumpet and alto sax up front, medium swing",
])
def test_a_small_jazz_group_is_no_big_band(aurora: Aurora, kb: KnowledgeBase, prompt: str) -> None:
    """Three to five players, named as a jazz group or listed one by one, were labelled "Swing / Big Band" (and
    given the big band's trombone and singer): a small group plays a small-group sub-genre of jazz."""
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.genre.value == "Jazz"
    assert p.sub_genre.value not in {"Swing / Big Band"}
    # a sub-genre of small groups, or the family itself (a slow ballad is none of its sub-genres' tempi)
    sub = kb.find_genre(p.sub_genre.value) if p.sub_genre.value else kb.find_genre("jazz")
    assert sub is not None and not any(e.genre == sub.id for e in kb.ensembles if e.id == "big_band")
    assert not {"Trombone", "Brass Section", "Vocals"} & {i.name for i in p.instrumentation}


@pytest.mark.parametrize(("prompt", "sub_genre"), [
    ("swing quartet: clarinet, piano, bass, drums", "Swing / Big Band"),  # the sub-genre named stays
    ("big band swing, 180 bpm", "Swing / Big Band"),
    ("trumpet sax trombone piano bass drums, swinging", "Swing / Big Band"),  # six players: a big band may be
])
def test_a_named_swing_or_a_full_horn_line_keeps_swing(aurora: Aurora, prompt: str, sub_genre: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value == sub_genre


def test_a_small_group_s_sub_genre_follows_its_line_up_tempo_and_moods(kb: KnowledgeBase) -> None:
    jazz, swing = kb.genre("jazz"), kb.genre("swing")
    quartet = [kb.instrument(i) for i in ("saxophone", "piano", "double_bass", "drum_kit")]
    words = {"swing": 0.6, "jazz_fusion": 0.59, "bebop": 0.57, "cool_jazz": 0.52, "smooth_jazz": 0.45}
    # fusion ranks above bebop by the words, but its slap bass and synth are not this acoustic group
    assert small_group_style(kb, jazz, swing, quartet, words).id == "bebop"
    assert small_group_style(kb, jazz, swing, quartet, words, tempo_bpm=120).id == "cool_jazz"  # bebop is 180+
    assert small_group_style(kb, jazz, swing, quartet, words, moods=["moody", "mellow"]).id == "cool_jazz"
    six = [*quartet, kb.instrument("trumpet"), kb.instrument("trombone")]
    assert small_group_style(kb, jazz, swing, six, words) is swing  # as many players as the big band: it may be
    assert small_group_style(kb, jazz, kb.genre("bebop"), quartet, words).id == "bebop"  # a small-group choice stays


@pytest.mark.parametrize(("prompt", "player"), [
    ("piano sonata, c# minor, dramatic", "Piano"),  # was a romantic orchestra with violin, cello and timpani
    ("chopin style piano nocturne", "Piano"),
    ("piano prelude in e minor", "Piano"),
    ("bach cello suite", "Cello"),
])
def test_a_form_written_for_one_player_is_a_solo_piece(aurora: Aurora, prompt: str, player: str) -> None:
    parsed = aurora.parse(prompt=prompt).parsed_parameters
    assert parsed.genre.value == "Classical", prompt
    assert [i.name for i in parsed.instrumentation] == [player], prompt


def test_a_concerto_keeps_its_orchestra(aurora: Aurora) -> None:
    parsed = aurora.parse(prompt="piano concerto with full orchestra").parsed_parameters
    names = {i.name for i in parsed.instrumentation}
    assert {"Piano", "Orchestra"} <= names


@pytest.mark.parametrize(("prompt", "opening"), [
    ("mellotron flute intro, psychedelic rock 1967", ["Mellotron Flute"]),  # the flute tape opens alone
    ("rock song with a guitar solo intro", ["Lead Guitar"]),
    ("house track with a long intro", []),                                 # an intro, no player named for it
])
def test_a_player_s_intro_opens_the_piece(aurora: Aurora, prompt: str, opening: list[str]) -> None:
    result = aurora.process(prompt=prompt, duration_s=45.0, seed=0)
    assert result.parse.parsed_parameters.opening == opening
    first = result.plan.structural_plan.sections[0]
    assert (first.instruments or []) == opening and (not opening or first.name == "intro")


def test_a_short_piece_is_not_left_to_its_opening_player(aurora: Aurora) -> None:
    """At 30 s a pop ballad is one chorus and a tag: a piano intro never leaves the piano alone in all of it."""
    plan = aurora.process(prompt="pop ballad with a piano intro", duration_s=30.0, seed=0).plan.structural_plan
    assert [s.name for s in plan.sections][-1] == "ending" and plan.sections[0].instruments is None


@pytest.mark.parametrize(("prompt", "styles"), [
    ("jazz trio, 120 bpm, Bb", {"Cool Jazz", "Bebop", None}),       # was Jazz Fusion: e-piano, synth, bass guitar
    ("jazz trio, no drums, 120 bpm, Bb", {"Cool Jazz", "Bebop", None}),
    ("jazz quartet with sax, swinging, 200 bpm", {"Bebop"}),         # was Cool Jazz (90-150 BPM) at 200
])
def test_a_named_small_group_plays_the_style_whose_band_it_is(aurora: Aurora, prompt: str,
                                                             styles: set[str | None]) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.sub_genre.value in styles


@pytest.mark.parametrize("prompt", ["melancholic cello and piano duet in g minor",
                                    "a piece for cello and piano, melancholic", "just piano and cello, slow"])
def test_in_a_duo_the_tune_s_player_plays_no_bass(aurora: Aurora, kb: KnowledgeBase, prompt: str) -> None:
    """A cello named before the piano sang the melody and played the bass line under it too (one player, two lines);
    the piano's left hand plays the bass, as it does when the piano is named first."""
    result = aurora.process(prompt=prompt, duration_s=8.0, seed=0)
    params = result.parse.parsed_parameters
    encoded = result.parse.control_encoder_params
    assert encoded is not None
    controls = decode(kb, list(encoded.unified_control_embedding))
    orchestra = orchestrate(controls=controls, params=parse_parameters(params.model_dump(by_alias=True)),
                            genres=kb.genre_lineage(params.sub_genre.value or params.genre.value), kb=kb)
    parts = {p.role: p.instrument_id for p in orchestra.parts}
    assert parts.get("lead") == "cello" and parts.get("bass") == "piano", parts
