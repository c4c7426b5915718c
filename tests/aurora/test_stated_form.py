"""A form the prompt lists section by section is the plan's form: "pop song with intro, verse, chorus, verse, chorus,
outro" had been planned from the verse-chorus template (eight sections, a bridge and a third chorus among them)."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.facade import keep_stated
from aurora.parser.form import parse_form


@pytest.mark.parametrize(("text", "form"), [
    ("pop song with intro, verse, chorus, verse, chorus, outro",
     ["intro", "verse", "chorus", "verse 2", "chorus 2", "outro"]),
    ("structure: intro -> verse -> chorus -> bridge -> chorus -> outro",
     ["intro", "verse", "chorus", "bridge", "chorus 2", "outro"]),
    ("edm with intro, build up, drop, breakdown, build, drop, outro",
     ["intro", "build", "drop", "breakdown", "build 2", "drop 2", "outro"]),
    ("Intro then Verse then Pre-Chorus then Chorus", ["intro", "verse", "pre-chorus", "chorus"]),
    ("a song with a catchy chorus and a quiet verse", []),  # words between: no list
    ("rock song with a guitar solo in the middle", []),
    ("a verse-chorus song", []),  # a form's name, not a list
    ("verse and chorus", []),  # two sections name no whole form
])
def test_a_listed_form_is_read_in_order(text: str, form: list[str]) -> None:
    assert parse_form(text.lower()) == form


def test_the_plan_plays_the_listed_sections_as_listed(aurora: Aurora) -> None:
    result = aurora.process(prompt="pop song with intro, verse, chorus, verse, chorus, outro", duration_s=60.0)
    assert result.parse.parsed_parameters.form == ["intro", "verse", "chorus", "verse 2", "chorus 2", "outro"]
    assert "form" in result.parse.parsed_parameters.explicit
    sections = result.plan.structural_plan.sections
    assert [s.name for s in sections] == ["intro", "verse", "chorus", "verse 2", "chorus 2", "outro"]
    assert all(s.bars >= 4 for s in sections[1:-1])  # whole phrases
    energy = {s.name: s.energy_level for s in sections}
    assert energy["chorus"] > energy["verse"] and energy["outro"] < energy["chorus 2"]


def test_a_listed_form_too_long_for_the_clip_lengthens_it_and_says_so(aurora: Aurora) -> None:
    result = aurora.process(prompt="edm with intro, build up, drop, breakdown, build, drop, outro", duration_s=30.0)
    plan = result.plan.structural_plan
    assert [s.name for s in plan.sections][:7] == ["intro", "build", "drop", "breakdown", "build 2", "drop 2", "outro"]
    assert plan.duration_s > 30.0
    assert any("sections you listed" in w for w in result.plan.warnings), result.plan.warnings


def test_a_listed_form_survives_a_later_parse(aurora: Aurora) -> None:
    """An enhanced or model-made parse never drops what the user's own words listed."""
    stated = aurora.parse(prompt="intro, verse, chorus, outro, lofi").parsed_parameters
    other = aurora.parse(prompt="lofi hip hop beat").parsed_parameters
    assert other.form == [] and keep_stated(other, stated).form == ["intro", "verse", "chorus", "outro"]
