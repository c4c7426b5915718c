"""The sound bench's spectral and stereo rows (bench/sound_eval.py) on small renders: hip-hop and folk mixes as wide
as records and mono-safe, trap's backbeat carries a clap, an ambient bass line reaching F1 keeps the 31.5 Hz octave
under the 63 Hz one, string parts and the reverb return carry no sub-octave rumble, a house bar's drums have mids."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import Engine, RenderResult
from engine.ddsp.drums import DrumVoice
from engine.mastering import master
from engine.mix_effects import rumble_cut_hz
from engine.mixer import mix
from engine.score import Note, Score, Track
from engine.voices import VoiceContext, build_voice
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

SR = 44100


def _octave_db(x: np.ndarray, centre_hz: float, sr: int = SR) -> float:
    """Energy of the mono sum in the octave around ``centre_hz`` (the bench's bands), dB."""
    y = np.asarray(x, dtype=np.float64)
    y = y.mean(axis=0) if y.ndim == 2 else y
    power = np.abs(np.fft.rfft(y)) ** 2
    freqs = np.fft.rfftfreq(y.size, 1.0 / sr)
    return float(10 * np.log10(power[(freqs >= centre_hz / np.sqrt(2)) & (freqs < centre_hz * np.sqrt(2))].sum()
                               + 1e-20))


def _stereo(x: np.ndarray) -> tuple[float, float, float]:
    """side/mid (dB), L/R correlation and mono fold-down loss (dB) of [2, n], as bench/sound_eval.py measures them."""
    left, right = x[0].astype(np.float64), x[1].astype(np.float64)
    mid, side = (left + right) / 2, (left - right) / 2
    ll, rr = float(left @ left), float(right @ right)
    return (10 * np.log10(float(side @ side) / float(mid @ mid)), float(left @ right) / np.sqrt(ll * rr),
            -10 * np.log10(float(mid @ mid) / ((ll + rr) / 2)))


_RENDERS: dict[str, RenderResult] = {}
_CASES = {  # genre: (tempo, key, chords, instruments a user names)
    "trap": (140.0, "F minor", ("Fm", "Db", "Ab", "Eb"), ("trap_drums", "bass_808", "piano")),
    "boom_bap": (90.0, "A minor", ("Am", "F", "C", "G"), ("breakbeat", "double_bass", "piano")),
    "folk": (100.0, "G major", ("G", "C", "D", "Em"), ("acoustic_guitar", "violin", "double_bass")),
}


def _render(engine: Engine, kb: KnowledgeBase, genre: str) -> RenderResult:
    if genre not in _RENDERS:
        tempo, key, chords, instruments = _CASES[genre]
        plan = make_plan(tempo_bpm=tempo, key=key, chords=chords, duration_s=8.0)
        _RENDERS[genre] = engine.render(plan=plan, **make_controls(kb, tempo_bpm=tempo, genre=genre,
                                                                   instruments=instruments),
                                        duration_s=8.0, sample_rate=SR, seed=0)
    return _RENDERS[genre]


@pytest.mark.parametrize("genre", ["trap", "boom_bap", "folk"])
def test_hip_hop_and_folk_mixes_are_as_wide_as_records_and_mono_safe(engine: Engine, kb: KnowledgeBase,
                                                                     genre: str) -> None:
    """Commercial mixes sit at side/mid -12..-6 dB and L/R correlation 0.5-0.9. Hip hop's kick and 808 are mono, so
    its keys, bells, pads and the kit's room carry the width; a folk guitar is a stereo pair in a room. (They sat
    at -12.8 to -12.9 dB, correlation 0.89-0.90.)"""
    side_mid_db, correlation, mono_loss_db = _stereo(_render(engine, kb, genre).mix)
    assert -12.0 <= side_mid_db <= -6.0
    assert 0.5 <= correlation <= 0.9
    assert mono_loss_db <= 1.5


def test_trap_layers_a_clap_on_every_backbeat_snare(engine: Engine, kb: KnowledgeBase) -> None:
    """Trap's half-time backbeat is a snare and a clap together on beat 3 (the clap only came in at the highest
    energy: a 30 s render played 20 snares and no clap)."""
    score = _render(engine, kb, "trap").score
    drums = next(t for t in score.tracks if t.role == "drums")

    def off_beat_3_s(t: float) -> float:
        d = (t - score.bar_s / 2) % score.bar_s
        return min(d, score.bar_s - d)

    # the snares on beat 3 (a fill's snare rolls are the snare's own)
    backbeats = [n.start_s for n in drums.notes if n.pitch == 38 and off_beat_3_s(n.start_s) < 0.05]
    claps = [n.start_s for n in drums.notes if n.pitch == 39]
    assert len(backbeats) >= 3
    assert all(any(abs(s - c) < 0.03 for c in claps) for s in backbeats)


def test_an_ambient_bass_line_reaching_f1_keeps_the_sub_octave_under_the_63_hz_one(kb: KnowledgeBase) -> None:
    """The DDSP synth bass playing F1 (43.7 Hz: inside the 31.5 Hz octave) a bar in four, through the ambient mix
    and master: the genre's high-pass keeps the 31.5 Hz octave >= 6 dB under the 63 Hz one (it was ~4 dB under)."""
    sr = 22050
    pitches = (29, 31, 33, 36, 29, 31, 33, 36)  # F1 G1 A1 C2 (the bench's ambient line), a bar each
    bar_s = 2.0
    track = Track(name="bass", role="bass", instrument_id="synth_bass", preset="synth_bass", gm_program=38,
                  is_drum=False, notes=[Note(i * bar_s, bar_s * 0.95, p, 90) for i, p in enumerate(pitches)])
    lineage = tuple(g.id for g in kb.genre_lineage("ambient"))
    ctx = VoiceContext(kb=kb, device=torch.device("cpu"), tonic_pc=5, genre_lineage=lineage)
    n = int(len(pitches) * bar_s * sr)
    audio = build_voice(track, ctx).render(track, n_samples=n, sample_rate=sr, seed=0)
    preset = kb.mix_presets.for_genres(list(lineage))
    score = Score(tempo_bpm=60.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=5, key_mode="minor", key_is_minor=True,
                  genre_id="ambient", duration_s=n / sr, bar_s=bar_s, step_s=0.125, tracks=[track])
    _, premaster = mix(tracks={"bass": ("bass", audio)}, score=score, preset=preset, sample_rate=sr, seed=0, fx=None)
    mastered, _ = master(premaster, sr, preset.master, fade_out_s=0.5)
    assert _octave_db(mastered, 31.5, sr) <= _octave_db(mastered, 63.0, sr) - 6.0
    # the line's other notes (G1 and up) keep their fundamentals: A1 (55 Hz) loses under 2 dB to the filter
    assert preset.master.highpass_hz <= 50.0


def test_a_string_part_is_cut_under_its_lowest_note_and_the_bass_is_not(kb: KnowledgeBase) -> None:
    """A sampled violin's bow and room rumble (here 35 Hz) sat over a quartet's cello in the 31.5 Hz octave: every
    pitched part but the bass is cut an octave under its lowest note; its notes are untouched."""
    sr = 22050
    t = np.arange(2 * sr) / sr
    rumble = 0.05 * np.sin(2 * np.pi * 35.0 * t)
    tone = 0.1 * np.sin(2 * np.pi * 196.0 * t)  # G3, the violin's lowest string
    violin = Track(name="lead", role="lead", instrument_id="violin", preset="violin", gm_program=40, is_drum=False,
                   notes=[Note(0.0, 2.0, 55, 90)])
    cello = Track(name="bass", role="bass", instrument_id="cello", preset="cello", gm_program=42, is_drum=False,
                  notes=[Note(0.0, 2.0, 36, 90)])
    assert rumble_cut_hz(violin) == pytest.approx(98.0, abs=0.1)  # an octave under G3
    assert rumble_cut_hz(cello) == 0.0  # the bass keeps its role's own cut
    preset = kb.mix_presets.for_genres(["baroque", "classical"])
    score = Score(tempo_bpm=100.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=7, key_mode="major",
                  key_is_minor=False, genre_id="baroque", duration_s=2.0, bar_s=2.4, step_s=0.15,
                  tracks=[violin, cello])
    stems, _ = mix(tracks={"lead": ("lead", (rumble + tone).astype(np.float32))}, score=score, preset=preset,
                   sample_rate=sr, seed=0, fx=None)
    dry_gap = 20 * np.log10(0.1 / 0.05)  # the tone over the rumble before the mixer: 6 dB
    gap = _octave_db(stems["lead"], 250.0, sr) - _octave_db(stems["lead"], 31.5, sr)
    assert gap > dry_gap + 35.0  # the old first-order 200 Hz high-pass alone left ~15 dB of it


def test_the_reverb_return_carries_no_sub_octave(kb: KnowledgeBase) -> None:
    """A kick's room tail under 100 Hz is mud: the shared reverb's send is high-passed (its return held the mix's
    sub-octave rumble: bossa nova's reverb stem had its 31.5 Hz octave 5.5 dB under its loudest)."""
    sr = 22050
    n = 2 * sr
    t = np.arange(n) / sr
    hits = np.zeros(n, dtype=np.float32)
    for start in range(0, n - 4000, sr // 2):  # a low kick body plus a snappy top, twice a second
        env = np.exp(-np.arange(4000) / 1500)
        hits[start:start + 4000] = (np.sin(2 * np.pi * 55.0 * t[:4000]) + np.sin(2 * np.pi * 1000.0 * t[:4000])) * env
    preset = kb.mix_presets.for_genres(["boom_bap", "hip_hop"])
    score = Score(tempo_bpm=120.0, beats_per_bar=4, beat_unit=4, key_tonic_pc=0, key_mode="minor",
                  key_is_minor=True, genre_id="boom_bap", duration_s=2.0, bar_s=2.0, step_s=0.125)
    stems, _ = mix(tracks={"drums": ("drums", hits)}, score=score, preset=preset, sample_rate=sr, seed=0, fx=None)
    dry = _octave_db(stems["drums"], 63.0, sr) - _octave_db(stems["drums"], 1000.0, sr)
    wet = _octave_db(stems["reverb"], 63.0, sr) - _octave_db(stems["reverb"], 1000.0, sr)
    assert wet < dry - 4.0  # it held ~5 dB more of it than the dry kit


def test_a_house_bar_has_drum_mids_within_20_db_of_its_kick(kb: KnowledgeBase) -> None:
    """A 909 four-on-the-floor bar with its clap on 2 and 4 and off-beat hats: the clap has body under its crack, so
    the kit's 500 Hz-1 kHz band sits within 20 dB of its 63 Hz octave (deep house's drums were 21.4 dB under)."""
    sp = kb.synth_presets
    kit = next(k for k in sp.kits if k.id == "tr909")
    beat_s = 0.5
    notes = [Note(bar * 4 * beat_s + b * beat_s, 0.1, 36, 110) for bar in range(4) for b in range(4)]
    notes += [Note(bar * 4 * beat_s + b * beat_s, 0.1, 39, 85) for bar in range(4) for b in (1, 3)]
    notes += [Note(bar * 4 * beat_s + b * beat_s + beat_s / 2, 0.1, 46, 80) for bar in range(4) for b in range(4)]
    track = Track(name="drums", role="drums", instrument_id="drum_machine", preset="tr909", gm_program=0,
                  is_drum=True, notes=sorted(notes, key=lambda nt: nt.start_s))
    audio = DrumVoice(kit, sp.drum_voices, tonic_pc=0).render(track, n_samples=int(8.5 * SR), sample_rate=SR, seed=0)
    mono = audio.mean(axis=0).astype(np.float64)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(mono.size, 1.0 / SR)
    mids = 10 * np.log10(power[(freqs >= 500) & (freqs < 1000)].sum())
    lows = 10 * np.log10(power[(freqs >= 44) & (freqs < 88)].sum())
    assert mids >= lows - 20.0


def test_an_ambient_sub_drone_is_heard_on_a_small_speaker(engine: Engine, kb: KnowledgeBase) -> None:
    """The sound bench's ambient prompt, as Aurora plans it: a synth bass holding C2-F1 under 15 dB swells. Under
    F1-C2 only 5f and 7f of the presence series clear 150 Hz (3f sits at 131-196 Hz), so the default third's share was
    met before the swells and the finished stem had 22% of its energy above 150 Hz; the ambient strip asks for more
    and the stem keeps the issue's >= 25% (it is the bass's only trace on a phone)."""
    from aurora import Aurora
    from bench.sound_eval import inputs_for, share_above

    plan, controls, _ = inputs_for(Aurora(), kb, "calm ambient soundscape with pads and rain", "ambient", 0)
    result = engine.render(plan=plan, **controls, duration_s=30.0, sample_rate=SR, seed=0)
    bass = next(t for t in result.score.tracks if t.role == "bass")
    assert min(n.pitch for n in bass.notes) <= 33  # the low line the row failed on (A1 and under)
    assert share_above(result.stems[bass.name], SR, 150.0) >= 0.25
