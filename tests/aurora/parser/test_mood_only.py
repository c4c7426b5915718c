"""A short prompt of moods the default style has too names no other style: "upbeat song" had been ska (its anchors'
mood line, "It sounds upbeat, happy and danceable", outranked every other genre's), and stays pop now. Moods the
default does not list still choose by the embedding ("chill music" is lo-fi, "epic music" a trailer cue)."""

from __future__ import annotations

import pytest

from aurora import Aurora


@pytest.mark.parametrize("prompt", ["upbeat song", "upbeat happy song", "an upbeat happy tune", "upbeat music",
                                    "upbeat guitar song"])
def test_the_default_style_s_own_moods_keep_it(aurora: Aurora, prompt: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.genre.value == "Pop"


@pytest.mark.parametrize(("prompt", "genre"), [("chill music", "Hip Hop"), ("epic music", "Film Score / Cinematic"),
                                               ("upbeat reggae song", "Reggae")])
def test_other_moods_and_named_styles_still_choose(aurora: Aurora, prompt: str, genre: str) -> None:
    assert aurora.parse(prompt=prompt).parsed_parameters.genre.value == genre
