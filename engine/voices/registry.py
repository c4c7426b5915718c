"""Which voice plays a track: a registry of voice factories and the small rule that picks one.

    drum track, its kit has a sampled kit installed   -> "sampled_kit"  fluidsynth kit, velocity layers (sampler.py)
    drum track otherwise                              -> "kit"      synthesised drum kit (engine/ddsp/drums.py)
    sampled family and a soundfont is available       -> "sampler"  fluidsynth (engine/voices/sampler.py)
    anything else                                     -> "harmonic" DDSP harmonic-plus-noise (engine/ddsp/synths.py)

Kits, drum voices, presets, the sampled families, sampled kits and per-instrument programs come from
knowledge_base/synth_presets.yaml, so a new instrument, kit or articulation is a data edit. A new kind of
voice is one ``register_voice`` call plus a line in ``choose_voice``; ``describe_voice`` says in words which
voice (and which soundfont and program) played a track, for the render result.

RAVE re-synthesis (engine/voices/rave.py) sits behind the same interface as a wrapping voice: for the
tracks the engine config names (``rave_stems``), ``build_voice`` wraps the chosen voice in a ``RaveVoice``
that re-synthesises what it plays through the one shared RAVE export.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.ddsp.drums import DrumVoice
from engine.ddsp.synths import HarmonicVoice
from engine.score import Track
from engine.voices.base import Voice, VoiceContext
from engine.voices.rave import RaveVoice
from engine.voices.sampler import Program, SamplerVoice, SoundfontPlayer, find_named_soundfont
from knowledge_base.sound import SampledProgram

VoiceFactory = Callable[[Track, VoiceContext], Voice]
PRESENCE_MARGIN = 0.03  # over the mix preset's bass_presence: the mixer estimates the share on other windows
VOICES: dict[str, VoiceFactory] = {}


def register_voice(name: str) -> Callable[[VoiceFactory], VoiceFactory]:
    """Decorator: make ``factory(track, context) -> Voice`` available as ``name``."""

    def add(factory: VoiceFactory) -> VoiceFactory:
        VOICES[name] = factory
        return factory

    return add


def sampled_kit_entry(track: Track, ctx: VoiceContext) -> tuple[Program, SampledProgram] | None:
    """The first installed sampled kit the track's kit lists (synth_presets.yaml ``sampler.kits``) with its entry,
    or None."""
    if ctx.soundfont is None or not ctx.soundfont.is_file():
        return None
    for entry in ctx.kb.synth_presets.sampler.kits.get(track.preset, []):
        path = find_named_soundfont(entry.soundfont, ctx.soundfont)
        if path is None:
            continue
        program = Program(path, entry.bank, entry.program)
        if SoundfontPlayer.shared(ctx.sample_rate).has_preset(program):
            return program, entry
    return None


def sampled_kit(track: Track, ctx: VoiceContext) -> Program | None:
    """The first installed sampled kit the track's kit lists, or None."""
    found = sampled_kit_entry(track, ctx)
    return found[0] if found is not None else None


def sampler_program(track: Track, ctx: VoiceContext) -> Program:
    if ctx.soundfont is None:
        raise ValueError("the sampler voice needs a soundfont")
    program = ctx.kb.synth_presets.sampler.program(track.instrument_id, track.role, ctx.genre_lineage,
                                                   track.gm_program)
    return Program(ctx.soundfont, 0, program)


@register_voice("kit")
def _kit(track: Track, ctx: VoiceContext) -> Voice:
    sound = ctx.kb.synth_presets
    return DrumVoice(sound.kit(track.preset), sound.drum_voices, fallback=sound.default_drum_voice,
                     tonic_pc=ctx.tonic_pc, cache=ctx.drum_shots)


@register_voice("sampled_kit")
def _sampled_kit(track: Track, ctx: VoiceContext) -> Voice:
    found = sampled_kit_entry(track, ctx)
    if found is None:
        raise ValueError(f"no sampled kit installed for {track.preset!r}")
    program, entry = found
    return SamplerVoice(program.soundfont, program=program, round_robin=True, lowcut_hz=entry.lowcut_hz,
                        lowpass_hz=entry.lowpass_hz)


def presence_share(track: Track, ctx: VoiceContext) -> float:
    """The share of its energy a synthesised voice puts above 150 Hz itself: the genre's mix preset's
    ``bass_presence`` for the role, a little over it, so the mixer's presence stage (the same odd-series
    harmonics, for sampled basses) finds nothing to add. 0 for roles without one."""
    target = ctx.kb.mix_presets.for_genres(list(ctx.genre_lineage)).bass_presence.get(track.role, 0.0)
    return min(target + PRESENCE_MARGIN, 0.95) if target > 0.0 else 0.0


@register_voice("sampler")
def _sampler(track: Track, ctx: VoiceContext) -> Voice:
    program = sampler_program(track, ctx)
    doubled = track.role == "harmony" and ctx.kb.synth_presets.sampler.doubled(track.instrument_id, ctx.genre_lineage)
    instrument = ctx.kb.find_instrument(track.instrument_id)
    return SamplerVoice(program.soundfont, program=program, double=doubled,
                        transpose=ctx.kb.synth_presets.sampler.transposition(program.soundfont.name, program.program),
                        routes=fault_routes(program, ctx),
                        slides=instrument is not None and instrument.idiom == "slides",
                        on_time=instrument is not None
                        and instrument.family in ctx.kb.synth_presets.sampler.on_time_families)


def fault_routes(program: Program, ctx: VoiceContext) -> list[tuple[int, int, Program]]:
    """The preset's faulty key zones (knowledge_base ``sampler.faults``), each with the preset that plays it."""
    return [(f.keys[0], f.keys[1], Program(program.soundfont, f.bank, f.program, f.semitones))
            for f in ctx.kb.synth_presets.sampler.faulty(program.soundfont.name, program.program)]


@register_voice("harmonic")
def _harmonic(track: Track, ctx: VoiceContext) -> Voice:
    return HarmonicVoice(ctx.kb.synth_presets.preset(track.preset), device=ctx.device,
                         presence_share=presence_share(track, ctx))


def choose_voice(track: Track, ctx: VoiceContext) -> str:
    """The registry name of the voice that plays ``track``."""
    if track.is_drum:
        return "sampled_kit" if sampled_kit(track, ctx) is not None else "kit"
    inst = ctx.kb.find_instrument(track.instrument_id)
    if ctx.soundfont is not None and inst is not None and inst.family in ctx.kb.synth_presets.sampler.families:
        return "sampler"
    return "harmonic"


def describe_voice(track: Track, ctx: VoiceContext, name: str | None = None) -> str:
    """Which voice plays ``track``, in words: "sampler MuseScore_General.sf3:0/48", "sampled_kit
    Black_Pearl_4_LV2.sf2:0/0", "kit tr808 (synthesised)", "harmonic strings (DDSP)"."""
    name = name or choose_voice(track, ctx)
    if name == "sampled_kit":
        program = sampled_kit(track, ctx)
        return f"sampled_kit {program.label}" if program else "sampled_kit"
    if name == "sampler":
        program = sampler_program(track, ctx)
        moved = ctx.kb.synth_presets.sampler.transposition(program.soundfont.name, program.program)
        routed = "".join(f" keys {lo}-{hi} from {p.bank}/{p.program}" +
                         (f" {p.retune_semitones:+d}" if p.retune_semitones else "")
                         for lo, hi, p in fault_routes(program, ctx))
        return f"sampler {program.label}" + (f" played {moved:+d}" if moved else "") + routed
    if name == "kit":
        return f"kit {track.preset} (synthesised)"
    return f"{name} {track.preset} (DDSP)"


def build_voice(track: Track, ctx: VoiceContext) -> Voice:
    voice = VOICES[choose_voice(track, ctx)](track, ctx)
    if ctx.rave is not None and track.name in ctx.rave_tracks:
        return RaveVoice(voice, ctx.rave)
    return voice
