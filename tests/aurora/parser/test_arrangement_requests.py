"""Arrangement requests as people type them ("starts quiet and builds", "fades out at the end", "ends abruptly",
"a guitar solo in the middle", "no drop") are read into the parse's ``arrangement``; they had been read as nothing."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.contracts import Arrangement
from aurora.facade import keep_stated


def arrangement(aurora: Aurora, text: str) -> Arrangement:
    return aurora.parse(prompt=text).parsed_parameters.arrangement


@pytest.mark.parametrize(("text", "arc"), [
    ("piano piece that starts quiet and builds to a big finish", "rise"),
    ("epic orchestral piece that gets louder and louder", "rise"),
    ("ambient drone that slowly builds over time", "rise"),
    ("post rock, starts soft, builds into a huge wall of guitars", "rise"),
    ("synthwave track that gradually intensifies", "rise"),
    ("cinematic track, starts big and winds down to a quiet ending", "fall"),
    ("soft acoustic song that gets quieter towards the end", "fall"),
    ("a song that doesn't get louder", None),  # refused, not asked
    ("upbeat pop song with piano", None),
])
def test_the_arc_a_text_asks_is_read(aurora: Aurora, text: str, arc: str | None) -> None:
    assert arrangement(aurora, text).arc == arc


@pytest.mark.parametrize(("text", "ending"), [
    ("lofi beat that fades out at the end", "fade_out"),
    ("seamless loop for a game menu, chill", "loop"), ("loopable lofi beat", "loop"),
    ("lofi loop with rhodes", None),  # a loop-based style, not a loop asked
    ("pop song, fade out ending", "fade_out"),
    ("chill house track that fades away", "fade_out"),
    ("country song with a fade-out", "fade_out"),
    ("rock song that ends abruptly", "cold"),
    ("metal track that stops suddenly", "cold"),
    ("funk jam with a cold ending, no fade", "cold"),
    ("don't fade out, just stop", "cold"),
    ("synth pad that fades in slowly", None),  # a fade-in is not an ending
])
def test_the_ending_a_text_asks_is_read(aurora: Aurora, text: str, ending: str | None) -> None:
    assert arrangement(aurora, text).ending == ending


@pytest.mark.parametrize(("text", "soloist"), [
    ("rock song with a guitar solo in the middle", "guitar"),
    ("jazz quartet with a sax solo", "saxophone"),
    ("blues shuffle with a harmonica solo", "harmonica"),
    ("jazz trio with a drum solo", "drum kit"),
    ("funky disco track with a bass solo in the middle", "bass"),
    ("relaxing piano solo", None),  # a piece for the piano alone
    ("sad violin solo piece", None),
    ("a sad violin solo in A minor", None),  # the only player named: a piece for it
    ("solo guitar, fingerstyle", None),
])
def test_a_solo_section_is_read_only_where_the_text_asks_one_in_a_piece(aurora: Aurora, text: str,
                                                                        soloist: str | None) -> None:
    solo = arrangement(aurora, text).solo
    assert (solo is None) if soloist is None else (solo is not None and soloist in solo.lower())


@pytest.mark.parametrize(("text", "omitted"), [
    ("techno track, long build up, no drop", ["drop"]),
    ("pop song, no intro, straight into the verse", ["intro"]),
    ("dubstep without a breakdown", ["breakdown"]),
    ("rock song, skip the bridge", ["bridge"]),
    ("house track with a breakdown and a big drop", []),
])
def test_refused_sections_are_read(aurora: Aurora, text: str, omitted: list[str]) -> None:
    assert arrangement(aurora, text).omitted_sections == omitted


def test_the_request_is_explicit_and_survives_the_llm_tiers(aurora: Aurora) -> None:
    stated = aurora.parse(prompt="rock song that ends abruptly").parsed_parameters
    assert "arrangement" in stated.explicit
    llm_reply = stated.model_copy(update={"arrangement": Arrangement()})  # a tier that dropped it
    assert keep_stated(llm_reply, stated).arrangement.ending == "cold"


def test_the_request_is_shown_in_words(aurora: Aurora) -> None:
    from aurora.report import describe
    from aurora.ui.format import parameter_rows

    result = aurora.parse(prompt="rock song with a guitar solo in the middle that fades out, no intro")
    words = result.parsed_parameters.arrangement.words()
    assert "fades out" in words and "guitar solo" in words.lower() and "no intro" in words
    assert ["Arrangement", words, "", "explicit"] in parameter_rows(result.parsed_parameters)
    assert f"Arrangement: {words}" in describe(result)


@pytest.mark.parametrize(("text", "late", "at"), [
    ("slow intro then the drums come in, chill hip hop", ["Drum Kit"], None),
    ("piano intro, then the bass and drums join", ["Bass Guitar", "Drum Kit"], None),
    ("ambient pads, and the beat drops in at the chorus", ["Drum Kit"], "chorus"),
    ("soft piano then strings enter", ["String Section"], None),
    ("rock song with drums and bass", [], None),
])
def test_players_who_come_in_later_are_read(aurora: Aurora, text: str, late: list[str], at: str | None) -> None:
    found = arrangement(aurora, text)
    assert (found.late_players, found.enter_at) == (late, at)


def test_a_cue_word_used_as_a_verb_or_refused_suggests_no_form(aurora: Aurora) -> None:
    """'the beat drops in' had made an ambient piece a club track's build and drop."""
    assert aurora.parse(prompt="ambient pads, and the beat drops in").parsed_parameters.structure.value != \
        "EDM Build and Drop"


def test_drums_that_kick_in_are_named(aurora: Aurora) -> None:
    """'then the drums kick in': 'kick' is the verb, and the drums are a player (they had been read as the modifier
    of a kick drum that the verb then dropped, so a folk rock band never got its drummer)."""
    params = aurora.parse(prompt="acoustic guitar first, then the drums kick in, folk rock").parsed_parameters
    assert "Drum Kit" in {i.name for i in params.instrumentation if i.source == "stated"}
    assert params.arrangement.late_players == ["Drum Kit"]


@pytest.mark.parametrize(("text", "fade_in"), [
    ("ambient piece that fades in slowly", True), ("lofi beat, fade in at the start", True),
    ("synthwave track fading in from silence", True), ("don't fade in", False), ("fades in and out", False),
    ("lofi beat that fades out at the end", False),
])
def test_a_fade_in_is_read(aurora: Aurora, text: str, fade_in: bool) -> None:
    assert arrangement(aurora, text).fade_in is fade_in


@pytest.mark.parametrize(("text", "rests", "late"), [
    ("pop song, no drums in the verse", {"verse": ["Drum Kit"]}, []),
    ("rock song, no bass in the intro", {"intro": ["Bass Guitar"]}, []),
    ("no drums or bass in the intro, rock", {"intro": ["Drum Kit", "Bass Guitar"]}, []),
    ("no drums until the chorus, indie pop", {}, ["Drum Kit"]),
    ("pop song, no drums", {}, []),  # refused everywhere: an exclusion, no rest
])
def test_a_refusal_scoped_to_a_section_is_a_rest_there(aurora: Aurora, text: str, rests: dict[str, list[str]],
                                                       late: list[str]) -> None:
    """'no drums in the verse' had refused the drums (and the beat) for the whole song."""
    params = aurora.parse(prompt=text).parsed_parameters
    assert params.arrangement.section_rests == rests and params.arrangement.late_players == late
    scoped = bool(rests or late)
    assert ("Drum Kit" in params.excluded_instruments) is (text == "pop song, no drums")
    assert not scoped or not params.excluded_parts


@pytest.mark.parametrize(("text", "alone", "only"), [
    ("rock song, only guitar in the intro", {"intro": ["Electric Guitar"]}, {}),
    ("only piano and bass in the verse, jazz", {"verse": ["Piano", "Bass Guitar"]}, {}),
    ("pop ballad with strings only in the chorus", {}, {"chorus": ["String Section"]}),
    ("rock song that ends with just acoustic guitar", {"end": ["Acoustic Guitar"]}, {}),  # the piece's edges
    ("folk song that finishes on solo fiddle", {"end": ["Violin"]}, {}),
    ("indie song, starts with just a cello, then the band", {"start": ["Cello"]}, {}),
])
def test_a_line_up_scoped_to_a_section_closes_no_line_up(aurora: Aurora, text: str, alone: dict[str, list[str]],
                                                         only: dict[str, list[str]]) -> None:
    """'rock song, only guitar in the intro' had been a guitar alone for the whole song."""
    params = aurora.parse(prompt=text).parsed_parameters
    assert params.arrangement.section_players == alone and params.arrangement.section_only == only
    assert params.ensemble is None and any(i.source == "inferred" for i in params.instrumentation)


@pytest.mark.parametrize(("text", "words"), [
    ("house track, drums drop out in the breakdown", "no Drum Kit in the breakdown"),
    ("hip hop beat, no melody in the intro", "no lead part in the intro"),
    ("a song with no chorus", "no chorus"),
    ("game boss battle theme, looping", "loops seamlessly"),
    ("jazz trio, bass solo, then piano solo", "Bass Guitar solo; Piano solo"),
    ("pop ballad that ends with only piano", "ends with Piano alone"),
    ("rock song with a long intro", "long intro"),
    ("edm track with a lengthy breakdown and a brief outro", "long breakdown; short outro"),
    ("rock song with a long guitar solo", "long solo; Lead Guitar solo"),
    ("1:30 long piano intro", ""),  # the piece's length, not its intro's
    ("house track with a 16 bar intro", "16-bar intro"),
    ("rock song with an eight-bar guitar solo", "8-bar solo; Lead Guitar solo"),
    ("techno, breakdown of 32 bars", "32-bar breakdown"),
    ("rock song, straight into the chorus, no intro", "opens on the chorus; no intro"),
    ("hook first pop song", "opens on the chorus"),
    ("melancholic string quartet in D minor with a picardy third", "ends on a major chord"),
    ("sad song in A minor that doesn't end on a major chord", ""),
])
def test_more_ways_people_lay_out_a_piece(aurora: Aurora, text: str, words: str) -> None:
    assert aurora.parse(prompt=text).parsed_parameters.arrangement.words() == words


def test_looping_said_of_a_part_is_no_loop(aurora: Aurora) -> None:
    assert arrangement(aurora, "looping arpeggios, synthwave").ending is None


def test_a_kit_piece_rests_alone(aurora: Aurora) -> None:
    rests = arrangement(aurora, "house track with no kick in the breakdown").section_rests
    assert rests == {"breakdown": ["Kick Drum"]}
