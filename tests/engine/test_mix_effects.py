"""The mixer's effects (engine/mix_effects.py) on long signals."""

from __future__ import annotations

import numpy as np


def test_in_place_chunked_processing_is_the_same_as_one_pedalboard_call() -> None:
    """The mixer and master run pedalboard a CHUNK at a time over the signal's own memory (no whole-length copies):
    state carries across chunks, so filters, a compressor, a delay and a reverb give exactly what one call gives."""
    import pedalboard as pb

    from engine.mix_effects import process_in_place
    from engine.mix_gain import CHUNK

    def board() -> pb.Pedalboard:
        return pb.Pedalboard([pb.HighpassFilter(cutoff_frequency_hz=150.0),
                              pb.HighShelfFilter(cutoff_frequency_hz=8000.0, gain_db=-6.0, q=0.7),
                              pb.Compressor(threshold_db=-20.0, ratio=3.0, attack_ms=8.0, release_ms=120.0),
                              pb.Delay(delay_seconds=0.3, feedback=0.3, mix=0.2),
                              pb.Reverb(room_size=0.5, wet_level=0.3, dry_level=0.7)])

    x = (np.random.default_rng(2).standard_normal((2, 2 * CHUNK + 12345)) * 0.1).astype(np.float32)
    whole = board()(x, 44100)
    chunked = x.copy()
    assert process_in_place(board(), chunked, 44100) is chunked
    np.testing.assert_array_equal(chunked, whole)
