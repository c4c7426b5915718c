"""A refusal ends at a comma, as a tag does: "no vocals, piano and strings" asks for a piano and strings.

The refusal had run over the comma (a list of up to four words after "no"), so the tag list refused every player it
named after the first refused one: the piece got the default pop band instead.
"""

from __future__ import annotations

import pytest

from aurora.parser.instruments import InstrumentParser
from knowledge_base import load


@pytest.fixture(scope="module")
def parser() -> InstrumentParser:
    return InstrumentParser(load())


@pytest.mark.parametrize(("prompt", "found", "refused"), [
    ("no vocals, piano and strings", {"piano", "string_section"}, {"vocals"}),
    ("ambient drone, no drums, evolving pads", {"synth_pad"}, {"drum_kit"}),
    ("no drums or bass, piano", {"piano"}, {"drum_kit", "bass_guitar"}),
    ("no drums, bass or guitars", set(), {"drum_kit", "bass_guitar", "guitar"}),  # the list runs on to an "or"
    ("no drums, no bass, just strings and piano", {"string_section", "piano"}, {"drum_kit", "bass_guitar"}),
    ("acoustic guitar song, no vocals, no drums", {"acoustic_guitar"}, {"vocals", "drum_kit"}),
    ("orchestral, no brass, strings and woodwinds only", {"string_section", "woodwinds"}, {"brass_section"}),
])
def test_a_comma_ends_a_refusal(parser: InstrumentParser, prompt: str, found: set[str], refused: set[str]) -> None:
    parsed = parser.parse(prompt)
    assert found <= {f.instrument_id for f in parsed.found}, prompt
    assert set(parsed.excluded) == refused, prompt
