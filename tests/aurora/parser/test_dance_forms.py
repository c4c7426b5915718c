"""Dance forms with a meter of their own (knowledge_base/feels.yaml): the name sets the meter when the text states
none. An "irish reel" had been Celtic's first meter, 6/8 (a reel is in four), a "slip jig" a jig's 6/8 (it is in 9/8:
the meter parser read the "jig" inside it), a hornpipe 6/8 (it is a dotted four)."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize(("prompt", "meter"), [
    ("irish reel on fiddle, fast, D major", "4/4"),  # Celtic's first meter is 6/8: a reel is in four
    ("irish slip jig on tin whistle", "9/8"),  # not a jig's 6/8
    ("an irish jig", "6/8"),
    ("sailor's hornpipe on the fiddle, G major", "4/4"),
    ("a polka with accordion and tuba", "2/4"),
    ("a jazz polka", "2/4"),
    ("bluegrass jig on banjo", "6/8"),
    ("a minuet for harpsichord", "3/4"),
    ("a mazurka for solo piano", "3/4"),
    ("a reel in 6/8", "6/8"),  # a stated signature wins
])
def test_a_dance_form_sets_its_meter(aurora: Aurora, prompt: str, meter: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.time_signature.value == meter
    assert "time_signature" in p.explicit


@pytest.mark.parametrize(("prompt", "style"), [
    ("irish slip jig on tin whistle", "Celtic"),
    ("a hornpipe", "Celtic"),
    ("bluegrass jig on banjo", "Bluegrass"),  # a dance names its genre only when no other genre is named
    ("a jazz polka", "Jazz"),
])
def test_a_dance_form_names_its_genre_only_alone(aurora: Aurora, prompt: str, style: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert style in (p.genre.value, p.sub_genre.value)


def test_a_hornpipe_is_dotted(aurora: Aurora) -> None:
    p = aurora.parse(prompt="sailor's hornpipe on the fiddle").parsed_parameters
    assert [(f.value, f.swing) for f in p.feels] == [("Hornpipe", 0.6)]


def test_a_stated_dance_meter_suggests_no_form(aurora: Aurora) -> None:
    """A meter stated by a dance's name is a stated meter: the suggester proposes no form chip beside it, as for
    "a military march" (whose 2/4 the meter parser had read)."""
    for partial in ("a lively hornpipe on the fiddle ", "a military march "):
        dims = {s.dimension for s in aurora.suggest(partial_prompt=partial, suggestion_count=8).suggestions}
        assert "structure" not in dims, partial


def test_a_video_reel_names_no_celtic_tune(aurora: Aurora) -> None:
    """A reel is also a video clip: the word sets the meter (4/4, harmless) but names no genre."""
    p = aurora.parse(prompt="upbeat music for my instagram reel").parsed_parameters
    assert "Celtic" not in (p.genre.value, p.sub_genre.value)


@pytest.mark.parametrize("prompt", ["flamenco guitar rumba, E phrygian, 120 bpm", "gipsy kings style guitar rumba",
                                    "catalan rumba with handclaps", "congolese rumba with sweet guitars"])
def test_a_rumba_is_in_four(aurora: Aurora, prompt: str) -> None:
    """A guitar rumba had been played in flamenco's first meter, a bulería's 12/8."""
    assert aurora.parse(prompt=prompt).parsed_parameters.time_signature.value == "4/4"


def test_flamenco_without_a_rumba_keeps_its_own_meter(aurora: Aurora) -> None:
    assert aurora.parse(prompt="flamenco guitar, passionate").parsed_parameters.time_signature.value == "12/8"
