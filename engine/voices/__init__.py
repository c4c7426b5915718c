"""Instrument voices behind one interface (``Voice``: a Track in, mono float32 audio out).

The DDSP voices live in engine/ddsp/ (harmonic synth, drum kit); the fluidsynth sampler, which is not
DDSP, lives here. ``build_voice(track, context)`` picks one by the rule in ``registry.choose_voice``.
"""

from engine.voices.base import Voice, VoiceContext
from engine.voices.registry import VOICES, build_voice, choose_voice, describe_voice, register_voice

__all__ = ["VOICES", "Voice", "VoiceContext", "build_voice", "choose_voice", "describe_voice", "register_voice"]
