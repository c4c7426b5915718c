"""Mixer gain staging: a preset's gains_db set the balance whatever level each voice comes out at."""

from __future__ import annotations

import numpy as np
import pytest

from engine.ddsp.core import add_harmonic_presence as add_presence
from engine.ddsp.core import presence_harmonics
from engine.mix_stereo import width_side
from engine.mixer import mix
from engine.score import Score
from knowledge_base import KnowledgeBase
from tests.engine.test_mix_gain import _active_rms_db

SR = 22050


def test_mix_balance_follows_the_preset_not_the_voice_levels(kb: KnowledgeBase) -> None:
    """A drum track ~35 dB hotter than the harmony track still ends up at the preset's drums/harmony balance."""
    preset = kb.mix_presets.for_genres(["pop"])
    n = 3 * SR
    rng = np.random.default_rng(0)
    t = np.arange(n) / SR
    hits = np.zeros(n, dtype=np.float32)
    for start in range(0, n - 2000, SR // 4):  # noise bursts four times a second
        hits[start:start + 2000] = rng.standard_normal(2000).astype(np.float32) * np.exp(-np.arange(2000) / 400)
    chords = (0.004 * sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0))).astype(np.float32)
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="pop",
                  duration_s=3.0, bar_s=2.0, step_s=0.125)
    stems, premaster = mix(tracks={"drums": ("drums", hits * 2.0), "harmony": ("harmony", chords)}, score=score,
                           preset=preset, sample_rate=SR, seed=1, fx=None)
    expected = preset.gains_db["drums"] - preset.gains_db["harmony"]
    measured = _active_rms_db(stems["drums"]) - _active_rms_db(stems["harmony"])
    # the drum compressor and the harmony high-pass move it a little; unstaged it would be ~35 dB
    assert measured == pytest.approx(expected, abs=4.0)
    assert np.allclose(sum(stems.values()), premaster, atol=1e-5)


def _share_above(x: np.ndarray, cutoff_hz: float, sr: int) -> float:
    power = np.abs(np.fft.rfft(x.mean(axis=0) if x.ndim == 2 else x)) ** 2
    return float(power[np.fft.rfftfreq(power.size * 2 - 2, 1 / sr) >= cutoff_hz].sum() / power.sum())


def test_presence_makes_a_sub_bass_audible_on_small_speakers() -> None:
    """A pure 55 Hz bass gets parallel harmonics until ~a third of its energy lies above 150 Hz; a bass that
    already has that (a sampled bass guitar, here a bright saw) is left exactly as it was."""
    sr = 44100
    t = np.arange(2 * sr) / sr
    sub = (0.3 * np.sin(2 * np.pi * 55 * t) * np.exp(-(t % 0.5) / 0.2)).astype(np.float32)
    assert _share_above(sub, 150.0, sr) < 0.01
    lifted = add_presence(sub.copy(), 0.33, sr)
    assert 0.25 <= _share_above(lifted, 150.0, sr) <= 0.45
    # the fundamental is kept: the low band loses at most a little to the new harmonics' share
    low = lambda x: float((np.abs(np.fft.rfft(x))[:150 * 2] ** 2).sum())  # noqa: E731 - below 150 Hz (0.5 Hz bins)
    assert low(lifted) == pytest.approx(low(sub), rel=0.05)
    saw = (0.3 * 2 * ((110 * t) % 1.0 - 0.5)).astype(np.float32)  # 39% of a saw lies above its fundamental
    np.testing.assert_array_equal(add_presence(saw.copy(), 0.33, sr), saw)
    stereo = np.stack([sub, sub])
    assert add_presence(stereo.copy(), 0.33, sr).shape == (2, sub.size)


def test_presence_of_an_upright_bass_stays_under_the_bass() -> None:
    """An upright bass line over two octaves (A1-D3: its D3 is just under 150 Hz) reaches the share with harmonics
    under its own level, and its notes below 150 Hz are not doubled: the harmonics carry no copy of the notes. A
    tanh's output, mostly the note, came through the band edge: harmonics 12 dB over the bass, its low band x19,
    and their 5f (a major third) outweighed a minor key's chords (boom bap, jazz and tango read as major)."""
    sr = 44100
    t = np.arange(sr // 2) / sr
    env = np.exp(-t / 0.35) * np.clip(t / 0.005, 0, 1)
    notes = []
    for midi in (33, 38, 45, 50, 45, 38, 33, 50):
        f = 440.0 * 2 ** ((midi - 69) / 12)
        notes.append(env * (np.sin(2 * np.pi * f * t) + 0.25 * np.sin(4 * np.pi * f * t)))
    bass = (0.3 * np.concatenate(notes)).astype(np.float32)
    harmonics = presence_harmonics(bass, 0.33, sr)
    assert harmonics is not None
    assert 10 * np.log10(float(np.mean(harmonics**2)) / float(np.mean(bass**2))) < 0.0
    lifted = bass + harmonics
    assert 0.28 <= _share_above(lifted, 150.0, sr) <= 0.4
    low = lambda x: float((np.abs(np.fft.rfft(x))[:75] ** 2).sum())  # noqa: E731 - below 150 Hz (2 Hz bins)
    assert low(lifted) == pytest.approx(low(bass), rel=0.1)


def test_presence_stays_a_parallel_layer_on_notes_near_its_band() -> None:
    """A bass note just under 150 Hz (B2-D3: a double bass's upper notes) leaks its fundamental through the harmonics'
    filter skirt, in phase with the voice; the layer still raises the bass by at most 3 dB (at a third's share). The
    solve chased the share with a saturated copy of the note 12-14 dB over it (boom bap's double bass sat 9 dB over
    the drums)."""
    sr = 44100
    t = np.arange(2 * sr) / sr
    for f_hz in (123.5, 130.8, 146.8):
        note = (0.3 * np.sin(2 * np.pi * f_hz * t) * np.exp(-(t % 0.5) / 0.2)).astype(np.float32)
        lifted = add_presence(note.copy(), 0.33, sr)
        rise_db = 10.0 * np.log10(float(np.mean(lifted ** 2)) / float(np.mean(note ** 2)))
        assert 0.5 < rise_db <= 3.1, (f_hz, rise_db)


def test_a_widened_mono_part_stays_in_phase(kb: KnowledgeBase) -> None:
    """A bright mono arp (all its energy above the side's 250 Hz high-pass) widened at the presets' largest width:
    its side stays at or under its mid, so L/R correlation >= 0 (at width 1.4 it was -0.37, side/mid +3 dB), and
    the mono fold-down is still the dry part exactly."""
    widest = max((w, g[0], role) for raw in kb.mix_presets.presets if (g := raw.get("genres"))
                 for role, w in raw.get("widths", {}).items())
    width, genre, role = widest
    assert width >= 1.4
    preset = kb.mix_presets.for_genres([genre])
    n = 2 * SR
    t = np.arange(n) / SR
    freq = np.where((t * 8).astype(int) % 2 == 0, 659.3, 880.0)  # eighth notes, E5 and A5
    arp = (0.1 * np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-(t % 0.125) / 0.08)).astype(np.float32)
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id=genre, duration_s=2.0, bar_s=2.0, step_s=0.125)
    stems, _ = mix(tracks={"arp": (role, arp)}, score=score, preset=preset, sample_rate=SR, seed=1, fx=None)
    left, right = stems["arp"][0].astype(np.float64), stems["arp"][1].astype(np.float64)
    side_mid = np.sum((left - right) ** 2) / np.sum((left + right) ** 2)
    assert 0.3 <= side_mid <= 1.05  # still wide (-5 dB or more), never wider than its middle
    assert np.dot(left, right) / np.sqrt(np.dot(left, left) * np.dot(right, right)) >= -1e-3
    # the side alone: capped, and it still cancels in mono (the fold-down is the dry voice)
    mid = arp * np.float32(0.7071)
    side = width_side(arp, delay_s=0.013, width=width * 0.7071, sample_rate=SR, onto=np.stack([mid, mid]))
    np.testing.assert_allclose(((mid + side) + (mid - side)) / 2, mid, atol=1e-6)
    assert float(np.dot(side, side)) <= float(np.dot(mid, mid)) * 1.0001


def test_mix_takes_stereo_voices_and_widens_pads(kb: KnowledgeBase) -> None:
    """A stereo voice (sampler, kit) keeps its image; a mono pad is widened; stems still sum to the pre-master."""
    preset = kb.mix_presets.for_genres(["pop"])
    n = 2 * SR
    rng = np.random.default_rng(1)
    t = np.arange(n) / SR
    pad = (0.1 * sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6))).astype(np.float32)
    wide = rng.standard_normal((2, n)).astype(np.float32) * 0.05  # uncorrelated channels: a wide stereo voice
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="pop", duration_s=2.0, bar_s=2.0, step_s=0.125)
    stems, premaster = mix(tracks={"pad": ("pad", pad), "harmony": ("harmony", wide)}, score=score, preset=preset,
                           sample_rate=SR, seed=1, fx=None)

    def side_mid_db(x: np.ndarray) -> float:
        return float(10 * np.log10(np.mean((x[0] - x[1]) ** 2) / np.mean((x[0] + x[1]) ** 2)))

    assert side_mid_db(stems["pad"]) >= -8.0
    assert side_mid_db(stems["harmony"]) > -3.0  # its own image, kept
    assert np.allclose(sum(stems.values()), premaster, atol=1e-5)


def test_saturate_is_pedalboards_distortion_in_place() -> None:
    """The vectorised saturation gives what pedalboard's Distortion gives, and works in place."""
    import pedalboard as pb

    from engine.ddsp.core import saturate

    x = (np.random.default_rng(3).standard_normal((2, 4410)) * 0.4).astype(np.float32)
    expected = pb.Pedalboard([pb.Distortion(drive_db=7.0)])(x, 44100)
    out = saturate(x, 7.0)
    assert out is x
    np.testing.assert_allclose(out, expected, atol=1e-6)


def _octave_db(x: np.ndarray, centre_hz: float, sr: int) -> float:
    power = np.abs(np.fft.rfft(x.mean(axis=0) if x.ndim == 2 else x)) ** 2
    freqs = np.fft.rfftfreq(power.size * 2 - 2, 1 / sr)
    return float(10 * np.log10(power[(freqs >= centre_hz / 1.414) & (freqs < centre_hz * 1.414)].sum()))


def test_acoustic_kits_are_heard_from_the_overheads_electronic_kits_are_not(kb: KnowledgeBase) -> None:
    """A close-miked hi-hat's loudest octave is 16 kHz (the AVL kits' hats): genres that play sampled acoustic kits
    shelve their drum stem's top octave down ~6 dB against its 2-4 kHz; electronic kits, whose synthesised hats
    already roll off, are left as they are."""
    sr = 44100
    n = 2 * sr
    rng = np.random.default_rng(5)
    hats = np.zeros(n, dtype=np.float32)
    for start in range(0, n - 3000, sr // 8):  # white-noise ticks: every octave louder than the one below
        hats[start:start + 3000] = rng.standard_normal(3000).astype(np.float32) * np.exp(-np.arange(3000) / 600)
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="reggae", duration_s=2.0, bar_s=2.0, step_s=0.125)

    def top_re_presence(genre: str, **update: object) -> float:
        preset = kb.mix_presets.for_genres([genre]).model_copy(update=update)
        stems, _ = mix(tracks={"drums": ("drums", hats.copy())}, score=score, preset=preset, sample_rate=sr, seed=1,
                       fx=None)
        return _octave_db(stems["drums"], 16000.0, sr) - _octave_db(stems["drums"], 2000.0, sr)

    for genre in ("reggae", "indie_rock", "blues"):  # default, rock and jazz presets: sampled kits
        assert kb.mix_presets.for_genres([genre]).highshelf_db["drums"] <= -4.0
        assert top_re_presence(genre) < top_re_presence(genre, highshelf_db={}) - 4.0
    for genre in ("techno", "trap", "lofi"):
        assert kb.mix_presets.for_genres([genre]).highshelf_db.get("drums", 0.0) == 0.0


def test_hip_hop_loops_are_stereo_records_and_fold_down_to_the_dry_loop(kb: KnowledgeBase) -> None:
    """A hip-hop or lo-fi keys loop is sampled from a stereo record: its stem is wider than a pop comping part
    (side/mid at least 2 dB more; a Cm7 voiced from C3, whose tones under the side's 250 Hz high-pass stay
    mostly mono), and its mono fold-down is still the dry part. An octave up, both widths reach the in-phase
    ceiling (L/R correlation >= 0; it was -0.24 for pop and -0.49 for the loop)."""
    from engine.mix_stereo import side_mid_ratio

    sr = 44100
    t = np.arange(2 * sr) / sr
    keys = (0.1 * sum(np.sin(2 * np.pi * f * t) for f in (130.8, 155.6, 196.0, 233.1))).astype(np.float32)
    score = Score(tempo_bpm=90.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="minor",
                  key_is_minor=True, genre_id="boom_bap", duration_s=2.0, bar_s=2.667, step_s=0.1667)

    def stem(genre: str) -> np.ndarray:
        preset = kb.mix_presets.for_genres([genre])
        stems, _ = mix(tracks={"harmony": ("harmony", keys.copy())}, score=score, preset=preset, sample_rate=sr,
                       seed=1, fx=None)
        return stems["harmony"]

    pop, loop = stem("pop"), stem("boom_bap")
    assert 10 * np.log10(side_mid_ratio(loop)) > 10 * np.log10(side_mid_ratio(pop)) + 2.0
    assert 10 * np.log10(side_mid_ratio(stem("lofi_hip_hop"))) > 10 * np.log10(side_mid_ratio(pop)) + 2.0
    # the added side cancels in mono: the fold-down is the pop part's (same gain, filters and pan)
    np.testing.assert_allclose(loop.mean(axis=0), pop.mean(axis=0), atol=1e-4 * float(np.abs(pop).max()))
    keys = (0.1 * sum(np.sin(2 * np.pi * f * t) for f in (261.6, 311.1, 392.0, 466.2))).astype(np.float32)
    for genre in ("pop", "boom_bap"):
        bright = stem(genre)
        assert float(np.dot(bright[0], bright[1])) >= -1e-6 * float(np.dot(bright[0], bright[0])), genre


def _three_tracks(n: int, sr: int, *, seed: int) -> tuple[dict[str, tuple[str, np.ndarray]], Score]:
    """Drums (noise), a 55 Hz bass and a 330 Hz pad of ``n`` samples, and a pop score with a kick every beat."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    audio = {"drums": ("drums", (rng.standard_normal(n) * 0.1).astype(np.float32)),
             "bass": ("bass", (0.2 * np.sin(2 * np.pi * 55 * t)).astype(np.float32)),
             "pad": ("pad", (0.05 * np.sin(2 * np.pi * 330 * t)).astype(np.float32))}
    duration_s = n / sr
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="pop", duration_s=duration_s, bar_s=2.0, step_s=0.125,
                  kick_times_s=[k * 0.5 for k in range(int(duration_s / 0.5))])
    return audio, score


def test_tracks_still_being_synthesised_mix_exactly_as_finished_ones(kb: KnowledgeBase) -> None:
    """The engine hands the mixer each track as a Future while slower tracks still render: the mixer waits on each
    in its channel strip, and the stems and pre-master are exactly what finished arrays give, reported in track
    order whichever track finishes first."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    sr = 22050
    n = 2 * sr
    audio, score = _three_tracks(n, sr, seed=4)
    preset = kb.mix_presets.for_genres(["pop"])
    want_stems, want = mix(tracks={k: (r, a.copy()) for k, (r, a) in audio.items()}, score=score, preset=preset,
                           sample_rate=sr, seed=1, fx=None)
    release = threading.Event()

    def render(name: str) -> np.ndarray:
        if name == "drums":  # the first track finishes last
            release.wait(5.0)
        return audio[name][1].copy()

    order: list[str] = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: (role, pool.submit(render, name)) for name, (role, _) in audio.items()}
        threading.Timer(0.2, release.set).start()
        t0 = time.perf_counter()
        stems, premaster = mix(tracks=dict(futures), score=score, preset=preset, sample_rate=sr, seed=1, fx=None,
                               n_samples=n, on_track=order.append)
    assert time.perf_counter() - t0 >= 0.15  # it did wait for the slow track
    assert order == ["drums", "bass", "pad"]
    np.testing.assert_array_equal(premaster, want)
    for name, stem in want_stems.items():
        np.testing.assert_array_equal(stems[name], stem)


def test_a_finished_tracks_strip_starts_before_the_tracks_ahead_of_it_finish(kb: KnowledgeBase,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A track's channel strip starts as soon as its own synthesis is done, not once every track before it in the
    score is: while the first track still renders, both later tracks are already through their strips (so the last
    track to finish leaves only its own strip to run), and the mix is still summed in track order, to the bit."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import engine.mixer as mixer_module

    sr = 22050
    n = sr
    audio, score = _three_tracks(n, sr, seed=5)
    preset = kb.mix_presets.for_genres(["pop"])
    want_stems, want = mix(tracks={k: (r, a.copy()) for k, (r, a) in audio.items()}, score=score, preset=preset,
                           sample_rate=sr, seed=1, fx=None)
    release = threading.Event()
    both_stripped = threading.Event()
    stripped_early: list[bool] = []
    staging = mixer_module.staging_gain

    def spy(signal: np.ndarray, sample_rate: int) -> float:  # the first step of every channel strip
        stripped_early.append(not release.is_set())
        if len(stripped_early) == 2:
            both_stripped.set()
        return staging(signal, sample_rate)

    monkeypatch.setattr(mixer_module, "staging_gain", spy)

    def render(name: str) -> np.ndarray:
        if name == "drums":  # the first track finishes last: after the others' strips, or after 3 s
            both_stripped.wait(3.0)
            release.set()
        return audio[name][1].copy()

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: (role, pool.submit(render, name)) for name, (role, _) in audio.items()}
        stems, premaster = mix(tracks=dict(futures), score=score, preset=preset, sample_rate=sr, seed=1, fx=None,
                               n_samples=n)
    assert stripped_early == [True, True, False]  # bass and pad went through their strips while drums rendered
    np.testing.assert_array_equal(premaster, want)
    assert list(stems) == list(want_stems)
    for name, stem in want_stems.items():
        np.testing.assert_array_equal(stems[name], stem)


def test_the_kick_ducks_a_basss_low_end_not_its_small_speaker_harmonics(kb: KnowledgeBase) -> None:
    """A plucked bass under a ducking kick on every note keeps its presence harmonics (a multiband side-chain):
    ducked with the attacks they ride on, a boom-bap double bass fell to 21% of its energy above 150 Hz."""
    from engine.ddsp.core import mean_square

    sr = 44100
    t = np.arange(4 * sr) / sr
    beat = 0.5
    bass = (0.3 * np.sin(2 * np.pi * 55 * t) * np.exp(-(t % beat) / 0.15)).astype(np.float32)  # plucks on the beat
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=9, key_mode="minor",
                  key_is_minor=True, genre_id="boom_bap", duration_s=4.0, bar_s=2.0, step_s=0.125,
                  kick_times_s=[beat * i for i in range(8)])
    preset = kb.mix_presets.for_genres(["boom_bap"]).model_copy(
        update={"ducking_db": 8.0, "duck_roles": ["bass"], "bass_presence": {"bass": 0.33}})
    stems, _ = mix(tracks={"bass": ("bass", bass.copy())}, score=score, preset=preset, sample_rate=sr, seed=1,
                   fx=None)
    mono = stems["bass"].mean(axis=0)
    assert _share_above(mono, 150.0, sr) >= 0.25
    # the low end is still ducked: the first 60 ms after each kick is quieter than in an unducked mix
    plain = preset.model_copy(update={"ducking_db": 0.0})
    unducked, _ = mix(tracks={"bass": ("bass", bass.copy())}, score=score, preset=plain, sample_rate=sr, seed=1,
                      fx=None)
    head = np.concatenate([np.arange(int(k * sr), int(k * sr) + int(0.06 * sr)) for k in score.kick_times_s])
    assert mean_square(mono[head]) < 0.9 * mean_square(unducked["bass"].mean(axis=0)[head])


@pytest.mark.parametrize(("keys", "seed"), [("piano", 0), ("piano", 1), ("rhodes", 1)])
def test_a_lofi_beat_is_a_stereo_mix_that_folds_down_to_mono(kb: KnowledgeBase, keys: str, seed: int) -> None:
    """A lo-fi beat's dark master lifts the mono kick and bass and turns down the highs where the hats' spread is:
    its width comes from the kit's room and the keys and melody washed in a stereo room. A dusty piano beat (a stereo
    piano sample keeps its own image) and a Rhodes one (a mono part, widened) both sit inside the issue's stereo
    rows (side/mid -12..-6 dB, L/R correlation 0.5..0.9; the piano was at -11.8 and -12.2 dB; a widened part's side
    is held at or under its mid, which keeps the keys in phase and costs them 0.2 dB of side) and fold down to mono
    with under 1.5 dB lost."""
    from bench.sound_eval import stereo_stats
    from engine import Engine
    from tests.engine.conftest import make_controls, make_plan

    plan = make_plan(tempo_bpm=80.0, duration_s=20.0, key="D minor", chords=("Dm7", "Gm7", "Cmaj7", "A7"),
                     sections=(("intro", 0.2, 0.3), ("verse", 0.5, 0.45), ("chorus", 0.3, 0.55)))
    controls = make_controls(kb, tempo_bpm=80.0, genre="lofi_hip_hop", instruments=(keys,), energy=0.4)
    r = Engine(device="cpu").render(plan=plan, duration_s=20.0, sample_rate=44100, seed=seed, **controls)
    stats = stereo_stats(r.mix)
    assert -11.9 <= stats["side_mid_db"] <= -6.5 and 0.5 <= stats["correlation"] <= 0.9, stats
    assert stats["mono_loss_db"] <= 1.5, stats


def _tone_db(x: np.ndarray, hz: float, start_s: float, end_s: float) -> float:
    """Level (dB) of the ``hz`` component of mono ``x`` between start_s and end_s."""
    seg = x[int(start_s * SR):int(end_s * SR)].astype(np.float64)
    t = np.arange(seg.size) / SR
    return float(20 * np.log10(abs(np.dot(seg, np.exp(-2j * np.pi * hz * t))) * 2 / seg.size + 1e-12))


def test_a_leads_delay_repeats_in_its_gaps_and_ducks_under_its_notes(kb: KnowledgeBase) -> None:
    """The lead's tempo delay is ducked by the dry line, as an engineer sets a lead's echo: a repeat that lands in
    a gap sounds at the preset's mix, one that lands on a later note dips >= 12 dB under a plain delay's (a plain
    delay's repeats blurred a synth lead: heard 172 notes where 77 were written)."""
    preset = kb.mix_presets.for_genres(["techno"])
    assert preset.delay.role == "lead" and preset.delay.mix > 0.0
    score = Score(tempo_bpm=150.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="major",
                  key_is_minor=False, genre_id="techno", duration_s=2.0, bar_s=1.6, step_s=0.1)
    delay_s = preset.delay.beats * score.step_s * 4  # 0.3 s
    t = np.arange(2 * SR) / SR
    lead = np.zeros(2 * SR, dtype=np.float32)
    first = t < 0.2  # A 440 Hz note, a gap where its first repeat sounds, then a held E under its second repeat
    lead[first] = 0.3 * np.sin(2 * np.pi * 440 * t[first])
    held = (t >= 0.55) & (t < 1.6)
    lead[held] = 0.3 * np.sin(2 * np.pi * 660 * t[held])
    stems, _ = mix(tracks={"lead": ("lead", lead)}, score=score, preset=preset, sample_rate=SR, seed=1, fx=None)
    out = stems["lead"].mean(axis=0)
    dry = _tone_db(out, 440, 0.05, 0.15)
    first_repeat = _tone_db(out, 440, delay_s + 0.05, delay_s + 0.15) - dry
    second_repeat = _tone_db(out, 440, 2 * delay_s + 0.05, 2 * delay_s + 0.15) - dry
    mix_db = 20 * np.log10(preset.delay.mix / (1 - preset.delay.mix))
    feedback_db = 20 * np.log10(preset.delay.feedback)
    assert first_repeat == pytest.approx(mix_db, abs=1.5)  # in the gap: the preset's echo
    assert second_repeat < mix_db + feedback_db - 12.0  # under the held note: ducked
    assert _tone_db(out, 660, 1.0, 1.2) > dry - 3.0  # the held note itself is not


