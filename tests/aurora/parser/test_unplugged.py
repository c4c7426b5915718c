"""An acoustic version ("acoustic rock song", "unplugged rock ballad") swaps the style's electric players for
acoustic ones; "acoustic rock song" had played an electric rhythm guitar and a lead guitar."""

from __future__ import annotations

import pytest

from aurora import Aurora
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import unplugged_swap


@pytest.mark.parametrize(("prompt", "acoustic"), [
    ("acoustic rock song", True), ("unplugged rock ballad", True), ("stripped back pop song", True),
    ("rock song with acoustic guitar", False),  # an instrument's own name, not a version
    ("acoustic drums and a synth bass", False), ("rock song", False),
])
def test_an_acoustic_version_is_read(aurora: Aurora, prompt: str, acoustic: bool) -> None:
    params = aurora.parse(prompt=prompt).parsed_parameters
    assert params.acoustic is acoustic and (("acoustic" in params.explicit) is acoustic)
    if acoustic:
        inferred = {i.name for i in params.instrumentation if i.source == "inferred"}
        assert not inferred & {"Electric Guitar", "Lead Guitar", "Distorted Guitar", "Synthesizer"}


def test_every_swap_names_an_acoustic_instrument(kb: KnowledgeBase) -> None:
    for electric, acoustic in unplugged_swap(kb).items():
        assert acoustic is None or kb.instrument(acoustic).unplugged is None, (electric, acoustic)
