"""A rhythm guitar's voicing follows its sound: through an overdriven or distorted program it plays power chords
(root, fifth, octave; no third), a clean guitar keeps full chords. A distorted guitar holding chords on the pad part
plays them too (root, fifth, octave, fifth) in rock and metal; shoegaze and post-rock (walls of distorted full chords
washed in reverb, knowledge_base sampler.full_chord_genres) keep full chords."""

from __future__ import annotations

import pytest

from engine.inputs import parse_parameters, parse_plan
from engine.score import Score
from engine.structure.arrangement import compose
from engine.structure.harmony import parse_chord, power_chord
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls, make_plan


def _score(kb: KnowledgeBase, genre: str, instruments: tuple[str, ...] = (), duration_s: float = 12.0) -> Score:
    controls = make_controls(kb, tempo_bpm=120.0, genre=genre, instruments=instruments, energy=0.8)
    return compose(plan=parse_plan(make_plan(tempo_bpm=120.0, duration_s=duration_s, chords=("Am", "F", "C", "G"))),
                   controls=decode(kb, controls["control_embedding"]), params=parse_parameters(controls["parameters"]),
                   kb=kb, duration_s=duration_s, seed=0)


def _thirds(score: Score, role: str = "harmony") -> tuple[int, int]:
    """(notes of a part on their chord's third, its notes) over the chords' spans."""
    track = score.track(role)
    assert track is not None and track.notes
    on_third = counted = 0
    for note in track.notes:
        span = next((c for c in reversed(score.chords) if c.start_s <= note.start_s + 0.05), None)
        if span is None or note.start_s + 0.05 > score.chords[-1].start_s + score.chords[-1].duration_s:
            continue
        counted += 1
        on_third += (note.pitch - span.root_pc) % 12 in (3, 4)
    return on_third, counted


@pytest.mark.parametrize(("genre", "instrument"), [("rock", "electric_guitar"), ("heavy_metal", "distorted_guitar"),
                                                   ("punk", "distorted_guitar")])
def test_distorted_rhythm_guitar_plays_power_chords(kb: KnowledgeBase, genre: str, instrument: str) -> None:
    score = _score(kb, genre)
    track = score.track("harmony")
    assert track is not None and track.instrument_id == instrument
    on_third, counted = _thirds(score)
    riffs = genre == "heavy_metal"  # metal riffs: stabs on other degrees (the minor third too), each a power chord
    assert counted > 20 and (on_third == 0 or riffs), f"{on_third} of {counted} notes on the third"
    assert min(n.pitch for n in track.notes) < 50  # rooted on the low strings
    by_onset: dict[int, list[int]] = {}
    for note in track.notes:
        by_onset.setdefault(round(note.start_s / score.step_s), []).append(note.pitch)
    shapes = {tuple(p - min(ps) for p in sorted(ps)) for ps in by_onset.values() if len(ps) == 3}
    assert shapes == {(0, 7, 12)}, shapes
    for step, pitches in by_onset.items():  # never a third stacked on a root: harsh through distortion
        span = next(c for c in reversed(score.chords) if c.start_s <= step * score.step_s + 0.05)
        assert not {span.root_pc, (span.root_pc + 3) % 12} <= {p % 12 for p in pitches}, (step, pitches)
        assert not {span.root_pc, (span.root_pc + 4) % 12} <= {p % 12 for p in pitches}, (step, pitches)


def test_clean_guitar_keeps_full_chords(kb: KnowledgeBase) -> None:
    score = _score(kb, "jazz", instruments=("clean_electric_guitar",))
    track = score.track("harmony")
    assert track is not None and track.instrument_id == "clean_electric_guitar"
    on_third, counted = _thirds(score)
    assert on_third >= counted // 6


def test_power_chord_shape(kb: KnowledgeBase) -> None:
    a_minor, b_dim, g7 = (parse_chord(s, kb.chords) for s in ("Am", "Bdim", "G7"))
    assert a_minor is not None and b_dim is not None and g7 is not None
    assert power_chord(a_minor.pitch_classes, None, low=40, high=52) == (45, 52, 57)
    assert power_chord(g7.pitch_classes, (45, 52, 57), low=40, high=52) == (43, 50, 55)  # slides two frets down
    assert power_chord(b_dim.pitch_classes, None, low=40, high=52) is None  # no perfect fifth: full chord


@pytest.mark.parametrize(("genre", "instruments", "pad"), [("rock", (), "distorted_guitar"),
                                                          ("heavy_metal", ("distorted_guitar",), "shred_guitar")])
def test_distorted_pad_guitar_plays_power_chords(kb: KnowledgeBase, genre: str, instruments: tuple[str, ...],
                                                 pad: str) -> None:
    score = _score(kb, genre, instruments=instruments, duration_s=40.0)  # pads hold chords once the song opens up
    track = score.track("pad")
    assert track is not None and track.instrument_id == pad
    on_third, counted = _thirds(score, "pad")
    assert counted > 8 and on_third == 0, f"{on_third} of {counted} pad notes on the third"
    by_onset: dict[float, list[int]] = {}
    for note in track.notes:
        by_onset.setdefault(round(note.start_s, 1), []).append(note.pitch)
    shapes = {tuple(p - min(ps) for p in sorted(ps)) for ps in by_onset.values() if len(ps) == 4}
    assert shapes == {(0, 7, 12, 19)}, shapes
    assert 52 <= min(n.pitch for n in track.notes) <= 64 + 2  # an octave above the rhythm part's low strings


@pytest.mark.parametrize("genre", ["shoegaze", "post_rock"])
def test_reverb_wall_genres_keep_full_chords_on_distorted_guitars(kb: KnowledgeBase, genre: str) -> None:
    score = _score(kb, genre, duration_s=40.0)
    lineage = tuple(g.id for g in kb.genre_lineage(genre))
    track = score.track("pad")
    assert track is not None and track.instrument_id == "distorted_guitar"
    assert kb.synth_presets.sampler.program(track.instrument_id, "pad", lineage, track.gm_program) in \
        kb.synth_presets.sampler.power_chords  # a distorted program, yet full chords
    on_third, counted = _thirds(score, "pad")
    assert counted > 8 and on_third >= counted // 6, f"{on_third} of {counted} pad notes on the third"
    rhythm = score.track("harmony")  # shoegaze's rhythm guitar is overdriven too: full chords as well
    assert rhythm is not None
    if kb.synth_presets.sampler.program(rhythm.instrument_id, "harmony", lineage, rhythm.gm_program) in \
            kb.synth_presets.sampler.power_chords:
        on_third, counted = _thirds(score)
        assert counted > 20 and on_third >= counted // 6, f"{on_third} of {counted} rhythm notes on the third"


def test_full_chord_genres_are_genres(kb: KnowledgeBase) -> None:
    genres = {g.id for g in kb.genres}
    assert kb.synth_presets.sampler.full_chord_genres
    assert set(kb.synth_presets.sampler.full_chord_genres) <= genres


def test_a_low_key_tunes_the_riff_down() -> None:
    """Metal in D (drop D) had chugged on D3, an octave over the dropped string, and no riff went under E2: a key of
    D#, D, C#, C or B roots the power chords on its tonic under E2 (a 7-string's low B); other keys keep the E2
    floor."""
    from engine.structure.harmony import tuned_power_chord_roots

    assert [tuned_power_chord_roots(pc)[0] for pc in (11, 0, 1, 2, 3, 4, 5, 9)] == [35, 36, 37, 38, 39, 40, 40, 40]
    assert tuned_power_chord_roots(2) == (38, 50) and tuned_power_chord_roots(4) == (40, 52)


@pytest.mark.parametrize(("key", "tonic_pitch"), [("D minor", 38), ("B minor", 35), ("E minor", 40)])
def test_the_riff_reaches_the_tuned_string(kb: KnowledgeBase, key: str, tonic_pitch: int) -> None:
    tonic = key.split(maxsplit=1)[0]
    controls = make_controls(kb, tempo_bpm=160.0, genre="heavy_metal", energy=0.9)
    plan = make_plan(tempo_bpm=160.0, duration_s=12.0, key=key, chords=(f"{tonic}m", f"{tonic}m"))
    score = compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]),
                    params=parse_parameters(controls["parameters"]), kb=kb, duration_s=12.0, seed=0)
    guitar = score.track("harmony")
    assert guitar is not None and min(n.pitch for n in guitar.notes) == tonic_pitch
