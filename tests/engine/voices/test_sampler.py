"""The sampler: the best installed soundfont, loaded once per process and shared across renders and threads;
sampled kits with velocity layers and round robin; per-genre programs; skipped with a reason without fluidsynth."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import torch

from engine import Engine, EngineConfig, RenderResult
from engine.score import Note, Track
from engine.voices import VoiceContext, build_voice, choose_voice, describe_voice
from engine.voices.registry import sampled_kit, sampler_program
from engine.voices.sampler import (
    SOUNDFONT_DIRS,
    Program,
    SamplerVoice,
    SoundfontPlayer,
    find_named_soundfont,
    find_soundfont,
    sampler_status,
)
from knowledge_base import KnowledgeBase
from tests.engine.conftest import level_near_db, make_controls, make_plan

SOUNDFONT, REASON = sampler_status()
AVL = next((d / "Black_Pearl_4_LV2.sf2" for d in SOUNDFONT_DIRS if (d / "Black_Pearl_4_LV2.sf2").is_file()), None)
needs_sampler = pytest.mark.skipif(SOUNDFONT is None, reason=f"sampler unavailable: {REASON}")
SR = 44100


def _ctx(kb: KnowledgeBase, lineage: tuple[str, ...] = (), soundfont: Path | None = SOUNDFONT) -> VoiceContext:
    return VoiceContext(kb=kb, device=torch.device("cpu"), tonic_pc=9, soundfont=soundfont, genre_lineage=lineage)


def _drums(kit: str, notes: list[Note]) -> Track:
    return Track(name="drums", role="drums", instrument_id="drum_kit", preset=kit, gm_program=0, is_drum=True,
                 notes=notes)


def test_sampler_stage_is_reported(pop_render: RenderResult) -> None:
    stage = pop_render.stage("sampler")
    assert stage.used == (SOUNDFONT is not None)
    assert stage.reason
    assert set(pop_render.voices) == {t.name for t in pop_render.score.tracks}
    if SOUNDFONT is not None and any(v.startswith("sampler") for v in pop_render.voices.values()):
        assert SOUNDFONT.name in stage.reason  # it says which soundfont played


def test_pip_only_path_renders_with_ddsp_voices_and_says_so(kb: KnowledgeBase) -> None:
    """No sampler (as without fluidsynth): every track still renders, with the synthesised kit and DDSP voices."""
    r = Engine(device="cpu", config=EngineConfig(sampler="off")).render(
        plan=make_plan(tempo_bpm=100.0, duration_s=5.0), **make_controls(kb, tempo_bpm=100.0, genre="rock"),
        duration_s=5.0, seed=1)
    assert not r.stage("sampler").used and "off" in r.stage("sampler").reason
    assert r.voices and all(v.startswith(("kit ", "harmonic ")) for v in r.voices.values())
    assert float(np.abs(r.mix).max()) > 0.1


def test_find_soundfont_prefers_the_configured_then_the_best_installed(tmp_path: Path) -> None:
    """The soundfont is an argument (EngineConfig.soundfont_path); the search list is ranked best first."""
    configured, best, small = tmp_path / "mine.sf2", tmp_path / "MuseScore_General.sf3", tmp_path / "TimGM6mb.sf2"
    small.write_bytes(b"")
    assert find_soundfont(None, (best, small)) == small  # only the small one installed
    best.write_bytes(b"")
    assert find_soundfont(None, (best, small)) == best  # the better one wins once installed
    assert find_soundfont(configured, (best, small)) == best  # configured but missing: the search goes on
    configured.write_bytes(b"")
    assert find_soundfont(configured, (best, small)) == configured
    assert find_soundfont(None, ()) is None
    assert find_named_soundfont("general", best) == best
    assert find_named_soundfont("kit.sf2", best, (tmp_path,)) is None
    (tmp_path / "kit.sf2").write_bytes(b"")
    assert find_named_soundfont("kit.sf2", best, (tmp_path,)) == tmp_path / "kit.sf2"


def test_programs_follow_role_and_genre(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Articulations are data: slow strings for a pad, a violin for a line, distortion guitars for metal."""
    sf = tmp_path / "gm.sf2"

    def program(instrument: str, role: str, gm: int, lineage: tuple[str, ...] = ()) -> int:
        track = Track(name=role, role=role, instrument_id=instrument, preset="x", gm_program=gm,  # type: ignore[arg-type]
                      is_drum=False)
        return sampler_program(track, _ctx(kb, lineage, sf)).program

    assert program("string_section", "pad", 48) == 49
    assert program("string_section", "lead", 48) == 40
    assert program("string_section", "harmony", 48) == 48
    assert program("electric_guitar", "harmony", 27, ("heavy_metal", "metal", "rock")) == 30
    assert program("electric_guitar", "harmony", 27, ("indie_rock", "rock")) == 29
    assert program("electric_guitar", "harmony", 27, ("pop",)) == 27
    assert program("piano", "harmony", 0) == 0


@needs_sampler
def test_sampler_voice_plays_a_track_in_stereo(pop_render: RenderResult) -> None:
    assert SOUNDFONT is not None
    track = pop_render.score.track("harmony")
    assert track is not None
    audio = SamplerVoice(SOUNDFONT).render(track, n_samples=SR * 3, sample_rate=SR)
    assert audio.shape == (2, SR * 3) and audio.dtype == np.float32
    assert float(np.abs(audio).max()) > 0.01


@needs_sampler
def test_sampler_note_lands_on_time_and_pitch() -> None:
    """One A4 (440 Hz) at 2 s on a flute: silent before its onset, its pitch after it, across pulled blocks."""
    assert SOUNDFONT is not None
    track = Track(name="lead", role="lead", instrument_id="flute", preset="flute", gm_program=73, is_drum=False,
                  notes=[Note(start_s=2.0, duration_s=1.0, pitch=69, velocity=100)])
    audio = SamplerVoice(SOUNDFONT).render(track, n_samples=4 * SR, sample_rate=SR).mean(axis=0)
    onset = 2 * SR  # beyond one 65536-frame pull block, so block bookkeeping is exercised
    assert float(np.abs(audio[: onset - 64]).max()) < 1e-4
    body = audio[onset + SR // 10: onset + SR // 2]
    assert float(np.sqrt(np.mean(body**2))) > 1e-3
    spectrum = np.abs(np.fft.rfft(body * np.hanning(body.size)))
    peak_hz = float(np.fft.rfftfreq(body.size, 1 / SR)[np.argmax(spectrum)])
    assert peak_hz == pytest.approx(440.0, rel=0.03)


@needs_sampler
def test_soundfont_loads_once_and_is_shared_across_threads() -> None:
    """One player per sample rate per process; concurrent renders give what serial renders give, and no tail of
    one track leaks into the next."""
    assert SOUNDFONT is not None
    player = SoundfontPlayer.shared(SR)
    assert SoundfontPlayer.shared(SR) is player
    tracks = [Track(name=f"t{i}", role="harmony", instrument_id="piano", preset="piano", gm_program=0, is_drum=False,
                    notes=[Note(0.1 * j, 0.4, 60 + i + j, 90) for j in range(6)]) for i in range(3)]
    serial = [SamplerVoice(SOUNDFONT).render(t, n_samples=SR, sample_rate=SR) for t in tracks]
    assert player.loaded.count(SOUNDFONT.name) == 1
    results: dict[int, np.ndarray] = {}

    def work(i: int) -> None:
        results[i] = SamplerVoice(SOUNDFONT).render(tracks[i], n_samples=SR, sample_rate=SR)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(3):
        np.testing.assert_allclose(results[i], serial[i], atol=1e-4)
    assert player.loaded.count(SOUNDFONT.name) == 1


@needs_sampler
def test_double_tracked_part_has_one_take_per_side(kb: KnowledgeBase) -> None:
    track = Track(name="harmony", role="harmony", instrument_id="electric_guitar", preset="electric_guitar",
                  gm_program=27, is_drum=False, notes=[Note(0.25 * j, 0.2, 52 + (j % 4), 100) for j in range(8)])
    ctx = _ctx(kb, ("heavy_metal", "metal", "rock"))
    assert describe_voice(track, ctx).endswith("/30")  # distortion guitar for metal
    audio = build_voice(track, ctx).render(track, n_samples=2 * SR, sample_rate=SR, seed=0)
    left, right = audio[0].astype(np.float64), audio[1].astype(np.float64)
    correlation = float(left @ right / np.sqrt((left @ left) * (right @ right)))
    assert 0.0 < correlation < 0.95  # two takes: related, not identical
    mono = (left + right) / 2
    assert 10 * np.log10((mono @ mono) / ((left @ left + right @ right) / 2)) > -3.0  # mono fold-down holds up


@needs_sampler
def test_kits_switch_by_genre(kb: KnowledgeBase) -> None:
    """Acoustic kits are sampled where installed; the 808 and 909 stay synthesised."""
    ctx = _ctx(kb)
    hit = [Note(0.0, 0.1, 36, 100)]
    assert choose_voice(_drums("tr808", hit), ctx) == "kit"
    assert choose_voice(_drums("tr909", hit), ctx) == "kit"
    brush = sampled_kit(_drums("brush", hit), ctx)
    if brush is not None:  # a GM soundfont with the GS brush kit (MuseScore_General)
        assert (brush.bank, brush.program) == (128, 40)  # the GS Brush kit: brushed drums sound brushed
    sticks = sampled_kit(_drums("jazz", hit), ctx)
    if sticks is not None:  # swing, big band and bebop: the GS Jazz kit, played with sticks
        assert (sticks.bank, sticks.program) == (128, 32)
    if AVL is not None:
        assert choose_voice(_drums("acoustic", hit), ctx) == "sampled_kit"
        assert "Black_Pearl" in describe_voice(_drums("acoustic", hit), ctx)
        assert "Red_Zeppelin" in describe_voice(_drums("rock", hit), ctx)


@pytest.mark.skipif(AVL is None or SOUNDFONT is None, reason="avldrums.lv2-soundfont is not installed")
def test_sampled_kit_velocity_layers_and_round_robin(kb: KnowledgeBase) -> None:
    """A hard snare hit is louder and brighter than a soft one (velocity layers), and repeated hits differ."""
    assert AVL is not None
    program = Program(AVL, 0, 0)

    def snare(velocity: int) -> np.ndarray:
        audio = SamplerVoice(AVL, program=program).render(_drums("acoustic", [Note(0.0, 0.2, 38, velocity)]),
                                                          n_samples=SR // 2, sample_rate=SR)
        return audio.mean(axis=0).astype(np.float64)

    def profile_db(x: np.ndarray) -> np.ndarray:  # octave bands 125 Hz-8 kHz, re the loudest: the spectrum's shape
        power = np.abs(np.fft.rfft(x)) ** 2
        freqs = np.fft.rfftfreq(x.size, 1 / SR)
        bands = np.array([power[(freqs >= f / 1.41) & (freqs < f * 1.41)].sum() for f in 125 * 2.0 ** np.arange(7)])
        return np.asarray(10 * np.log10(bands / bands.max()))

    soft, hard = snare(40), snare(127)
    assert np.sqrt(np.mean(hard**2)) > 2.0 * np.sqrt(np.mean(soft**2))
    shape_change = profile_db(hard) - profile_db(soft)  # ~0 everywhere if it were the same sample, louder
    assert float(np.abs(shape_change).max()) > 1.0 and shape_change[-1] > 1.0  # a hard hit is brighter
    hits = [Note(0.5 * i, 0.2, 38, 100) for i in range(4)]
    audio = SamplerVoice(AVL, program=program, round_robin=True).render(_drums("acoustic", hits),
                                                                        n_samples=2 * SR, sample_rate=SR)
    takes = [audio[:, int(0.5 * i * SR): int(0.5 * i * SR) + SR // 4] for i in range(4)]
    assert any(not np.allclose(takes[0], t, atol=1e-4) for t in takes[1:])


@needs_sampler
def test_presets_load_on_first_use_and_stay_resident() -> None:
    """Samples load per preset (dynamic loading) and the keeper pins each preset once played, so a second render
    of it reads nothing again and sounds the same."""
    assert SOUNDFONT is not None
    player = SoundfontPlayer.shared(SR)
    program = Program(SOUNDFONT, 0, 11)  # vibraphone: played by no other test in this file
    track = Track(name="mallet", role="harmony", instrument_id="vibraphone", preset="mallet", gm_program=11,
                  is_drum=False, notes=[Note(0.0, 0.3, 64, 100)])
    first = SamplerVoice(SOUNDFONT, program=program).render(track, n_samples=SR // 2, sample_rate=SR)
    assert program.label in player.resident
    count = len(player.resident)
    second = SamplerVoice(SOUNDFONT, program=program).render(track, n_samples=SR // 2, sample_rate=SR)
    assert len(player.resident) == count  # pinned once
    assert float(np.abs(first).max()) > 0.01
    np.testing.assert_array_equal(first, second)


@pytest.mark.skipif(AVL is None or SOUNDFONT is None, reason="avldrums.lv2-soundfont is not installed")
def test_sampled_kit_low_cut_keeps_the_kick_above_the_sub_octave(kb: KnowledgeBase) -> None:
    """The Black Pearl kick's fundamental is 43 Hz: its kit entry's low cut (synth_presets.yaml lowcut_hz) leaves the
    31.5 Hz octave at least 6 dB under the 63 Hz one, which the raw sample does not."""
    kick = _drums("acoustic", [Note(0.5 * i, 0.2, 36, 110) for i in range(4)])
    ctx = _ctx(kb)
    voice = build_voice(kick, ctx)
    assert isinstance(voice, SamplerVoice) and voice.lowcut_hz > 0.0

    def sub_re_63_db(audio: np.ndarray) -> float:
        power = np.abs(np.fft.rfft(audio.mean(axis=0).astype(np.float64))) ** 2
        freqs = np.fft.rfftfreq(audio.shape[-1], 1 / SR)
        band = [power[(freqs >= f / 2**0.5) & (freqs < f * 2**0.5)].sum() for f in (31.5, 63.0)]
        return float(10 * np.log10(band[0] / band[1]))

    cut = voice.render(kick, n_samples=2 * SR, sample_rate=SR)
    raw = SamplerVoice(AVL, program=Program(AVL, 0, 0)).render(kick, n_samples=2 * SR, sample_rate=SR)
    assert sub_re_63_db(raw) > -3.0
    assert sub_re_63_db(cut) <= -6.0


def test_a_key_struck_again_ends_the_note_it_interrupts() -> None:
    """Two notes on one key that overlap: the first ends where the second starts, and the second keeps its own
    length (its predecessor's note-off used to arrive while it played and cut it short); the same key struck twice
    at once is one note."""
    from engine.voices.sampler import note_events

    track = Track(name="comp", role="harmony", instrument_id="electric_guitar", preset="electric_guitar_clean",
                  gm_program=27, is_drum=False, notes=[Note(0.0, 1.0, 60, 90), Note(0.5, 1.5, 60, 80),
                                                       Note(0.5, 0.2, 64, 70), Note(0.5, 0.4, 64, 100)])
    sr = 1000
    assert note_events(track, sr) == [(0, 1, 60, 90), (500, 0, 60, 0), (500, 1, 60, 80), (500, 1, 64, 100),
                                      (900, 0, 64, 0), (2000, 0, 60, 0)]


@needs_sampler
def test_an_interrupted_key_keeps_sounding_its_new_note() -> None:
    assert SOUNDFONT is not None
    track = Track(name="lead", role="lead", instrument_id="organ", preset="organ", gm_program=16, is_drum=False,
                  notes=[Note(0.0, 1.0, 60, 100), Note(0.5, 1.5, 60, 100)])
    audio = SamplerVoice(SOUNDFONT).render(track, n_samples=int(2.5 * SR), sample_rate=SR).mean(axis=0)

    def rms(a_s: float, b_s: float) -> float:
        return float(np.sqrt(np.mean(audio[int(a_s * SR): int(b_s * SR)].astype(np.float64) ** 2)))

    assert rms(1.3, 1.9) > 0.5 * rms(0.6, 0.95)  # an organ holds: the second note sounds until 2.0 s


def test_transpose_moves_pitched_keys_and_leaves_the_kit_alone() -> None:
    from engine.voices.sampler import note_events

    organ = Track(name="harmony", role="harmony", instrument_id="hammond_organ", preset="organ", gm_program=16,
                  is_drum=False, notes=[Note(0.0, 0.5, 60, 90), Note(0.5, 0.5, 120, 90)])
    assert [e[2] for e in note_events(organ, 1000, transpose=12)] == [72, 72, 127, 127]  # kept within MIDI keys
    kick = _drums("acoustic", [Note(0.0, 0.1, 36, 100)])
    assert [e[2] for e in note_events(kick, 1000, transpose=12)] == [36, 36]


def test_drawbar_organ_plays_an_octave_up_on_musescore_general(kb: KnowledgeBase, tmp_path: Path) -> None:
    """MuseScore_General's drawbar organ (GM 16) moves an octave up on the sampler and says so; its other programs
    and other soundfonts do not."""
    sampler = kb.synth_presets.sampler
    assert sampler.transposition("MuseScore_General.sf2", 16) == 12
    assert sampler.transposition("MuseScore_General.sf3", 16) == 12
    assert sampler.transposition("TimGM6mb.sf2", 16) == 0
    assert all(sampler.transposition("MuseScore_General.sf2", p) == 0 for p in (0, 4, 19, 33, 56, 66))
    assert sampler.transposition("MuseScore_General.sf2", 17) == sampler.transposition("TimGM6mb.sf2", 17) == 12
    track = Track(name="harmony", role="harmony", instrument_id="hammond_organ", preset="organ", gm_program=16,
                  is_drum=False)
    assert describe_voice(track, _ctx(kb, ("gospel",), tmp_path / "MuseScore_General.sf2")).endswith(
        "/16 played +12")
    assert describe_voice(track, _ctx(kb, ("gospel",), tmp_path / "TimGM6mb.sf2")).endswith("/16")


@needs_sampler
@pytest.mark.parametrize("pitch", [55, 62, 64, 69])
def test_electronic_organ_sounds_its_written_octave(kb: KnowledgeBase, pitch: int) -> None:
    """An electronic organ note (GM 17, Percussive Organ) through the engine's voice sounds louder at the written
    pitch than an octave under it, with whichever soundfont is installed. Played at its key, both MuseScore_General
    and TimGM6mb sound its loudest component an octave low (E4 on MuseScore_General: 4 dB over the key's; every key
    on TimGM6mb: 6-11 dB): an afrobeat organ comp was heard an octave low."""
    track = Track(name="harmony", role="harmony", instrument_id="electronic_organ", preset="organ", gm_program=17,
                  is_drum=False, notes=[Note(0.0, 1.0, pitch, 96)])
    audio = build_voice(track, _ctx(kb, ("afrobeat",))).render(track, n_samples=SR, sample_rate=SR).mean(axis=0)
    body = audio[int(0.1 * SR): int(0.8 * SR)]
    written = 440.0 * 2 ** ((pitch - 69) / 12)
    assert level_near_db(body, SR, written, 1 << 17) > level_near_db(body, SR, written / 2, 1 << 17) + 3.0


@pytest.mark.skipif(SOUNDFONT is None or not SOUNDFONT.name.startswith("MuseScore_General."),
                    reason="MuseScore_General is not the soundfont in use")
@pytest.mark.parametrize("pitch", [55, 62, 69])
def test_hammond_organ_sounds_its_written_octave(kb: KnowledgeBase, pitch: int) -> None:
    """A Hammond note through the engine's voice sounds its loudest footage (the 8') at the written pitch (within
    3 dB of the strongest partial: the 16' under it is about as loud) and nothing two octaves under. Played at its
    key, MuseScore_General's drawbar organ sounded its 8' an octave low and its 16' two octaves low: a gospel comp
    was heard an octave low."""
    track = Track(name="harmony", role="harmony", instrument_id="hammond_organ", preset="organ", gm_program=16,
                  is_drum=False, notes=[Note(0.0, 1.0, pitch, 96)])
    audio = build_voice(track, _ctx(kb, ("gospel",))).render(track, n_samples=SR, sample_rate=SR).mean(axis=0)
    body = audio[int(0.1 * SR): int(0.8 * SR)]
    loudest_db = float(20 * np.log10(np.abs(np.fft.rfft(body.astype(np.float64) * np.hanning(body.size),
                                                         n=1 << 17)).max()))

    def level_db(hz: float) -> float:
        return level_near_db(body, SR, hz, 1 << 17)

    written = 440.0 * 2 ** ((pitch - 69) / 12)
    assert level_db(written) > loudest_db - 3.0  # the written note: the loudest footage
    assert level_db(written / 4) < level_db(written) - 20.0  # and no pipe two octaves under it
