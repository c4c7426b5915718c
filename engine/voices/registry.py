"""Which voice plays a track: a registry of voice factories and the small rule that picks one.

    drum track                                    -> "kit"      synthesised drum kit (engine/ddsp/drums.py)
    acoustic family and a soundfont is available  -> "sampler"  fluidsynth (engine/voices/sampler.py)
    anything else                                 -> "harmonic" DDSP harmonic-plus-noise (engine/ddsp/synths.py)

Kits, drum voices and presets come from knowledge_base/synth_presets.yaml, so a new instrument, kit
or drum voice is a data edit. A new kind of voice is one ``register_voice`` call plus a line in ``choose_voice``.

RAVE re-synthesis (engine/codec.py) is not a voice here: it does not play notes, it re-synthesises a
stem some voice already rendered, so it stays a post-stage of the facade. There it runs once per
configured stem on the engine's device, in stem order (one model, not one copy per synthesis thread,
and a model that draws noise draws it in the same order every render), and reports its own stage.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.ddsp.drums import DrumVoice
from engine.ddsp.synths import HarmonicVoice
from engine.score import Track
from engine.voices.base import Voice, VoiceContext
from engine.voices.sampler import ACOUSTIC_FAMILIES, SamplerVoice

VoiceFactory = Callable[[Track, VoiceContext], Voice]
VOICES: dict[str, VoiceFactory] = {}


def register_voice(name: str) -> Callable[[VoiceFactory], VoiceFactory]:
    """Decorator: make ``factory(track, context) -> Voice`` available as ``name``."""

    def add(factory: VoiceFactory) -> VoiceFactory:
        VOICES[name] = factory
        return factory

    return add


@register_voice("kit")
def _kit(track: Track, ctx: VoiceContext) -> Voice:
    sound = ctx.kb.synth_presets
    return DrumVoice(sound.kit(track.preset), sound.drum_voices, fallback=sound.default_drum_voice,
                     tonic_pc=ctx.tonic_pc, cache=ctx.drum_shots)


@register_voice("sampler")
def _sampler(track: Track, ctx: VoiceContext) -> Voice:
    if ctx.soundfont is None:
        raise ValueError("the sampler voice needs a soundfont")
    return SamplerVoice(ctx.soundfont)


@register_voice("harmonic")
def _harmonic(track: Track, ctx: VoiceContext) -> Voice:
    return HarmonicVoice(ctx.kb.synth_presets.preset(track.preset), device=ctx.device)


def choose_voice(track: Track, ctx: VoiceContext) -> str:
    """The registry name of the voice that plays ``track``."""
    if track.is_drum:
        return "kit"
    inst = ctx.kb.find_instrument(track.instrument_id)
    if ctx.soundfont is not None and inst is not None and inst.family in ACOUSTIC_FAMILIES:
        return "sampler"
    return "harmonic"


def build_voice(track: Track, ctx: VoiceContext) -> Voice:
    return VOICES[choose_voice(track, ctx)](track, ctx)
