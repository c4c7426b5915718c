"""Stage: prompt enhancer, rule-based (spec §3.2.1, §5.2.1).

Adds what the text leaves unstated, taken from the parse's inferences (genre conventions, mood,
artist profiles) and the caller's hints. It never touches a dimension the user stated, so an
enhancement can only add detail, never contradict. How much is added depends on the level:

    minimal     genre, tempo
    moderate    + key, instrumentation, mood
    aggressive  + meter, structure, energy, texture, duration
"""

from __future__ import annotations

from aurora.contracts import Addition, CleanPrompt, EnhanceContext, EnhanceResult, ParsedMusicalParameters
from knowledge_base import KnowledgeBase

_LEVELS = {
    "minimal": ("genre", "tempo"),
    "moderate": ("genre", "tempo", "key", "instrumentation", "mood"),
    "aggressive": ("genre", "tempo", "key", "instrumentation", "mood", "meter", "structure", "energy",
                   "duration"),
}


class RuleEnhancer:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def enhance(self, *, clean: CleanPrompt, parsed: ParsedMusicalParameters, context: EnhanceContext | None,
                level: str) -> EnhanceResult:
        stated = set(parsed.explicit)
        context = context or EnhanceContext()
        additions: list[Addition] = []
        wanted = _LEVELS.get(level, _LEVELS["moderate"])
        genre_name = parsed.sub_genre.value or parsed.genre.value

        if "genre" in wanted and "genre" not in stated:
            hint = self.kb.find_genre(context.genre_hint) if context.genre_hint else None
            if hint is not None:
                genre_name = hint.name
                additions.append(Addition(type="genre", value=hint.name, confidence=0.9,
                                          reasoning="From the genre hint you gave."))
            elif parsed.genre.confidence >= 0.3:
                additions.append(Addition(
                    type="genre", value=genre_name, confidence=round(parsed.genre.confidence, 2),
                    reasoning="The closest style to how the prompt describes the music."))
        genre = self.kb.find_genre(genre_name)

        if "tempo" in wanted and "tempo" not in stated:
            bpm = parsed.tempo.bpm
            hinted = genre is not None and context.genre_hint and genre.name == genre_name
            if genre is not None and hinted and parsed.tempo.type == "inferred":
                bpm = genre.tempo_bpm.typical
            additions.append(Addition(type="tempo", value=f"{bpm:g} BPM", confidence=0.6,
                                      reasoning=f"A typical tempo for {genre_name}"
                                      + (f" ({parsed.tempo.term})" if parsed.tempo.term else "") + "."))
        if "key" in wanted and "key_signature" not in stated and parsed.key_signature.value:
            additions.append(Addition(type="key", value=parsed.key_signature.value, confidence=0.45,
                                      reasoning="A key whose mode suits the mood and genre."))
        if "mood" in wanted and "mood" not in stated:
            hint_mood = self.kb.find_mood(context.mood_hint) if context.mood_hint else None
            if hint_mood is not None:
                additions.append(Addition(type="mood", value=hint_mood.name, confidence=0.9,
                                          reasoning="From the mood hint you gave."))
            elif parsed.mood:
                names = ", ".join(m.value for m in parsed.mood[:2])
                additions.append(Addition(type="mood", value=names, confidence=round(parsed.mood[0].confidence, 2),
                                          reasoning="The mood the description comes closest to."))
        if "instrumentation" in wanted:
            inferred = [i for i in parsed.instrumentation if i.source != "stated"]
            limit = 4 if level == "aggressive" else 3
            if inferred:
                value = ", ".join(f"{i.name} ({i.role})" for i in inferred[:limit])
                additions.append(Addition(type="instrumentation", value=value, confidence=0.55,
                                          reasoning=f"Typical {genre_name} instruments for the roles not yet "
                                                    "covered."))
        if "meter" in wanted and "time_signature" not in stated:
            additions.append(Addition(type="meter", value=f"{parsed.time_signature.value} time", confidence=0.6,
                                      reasoning=f"The usual meter for {genre_name}."))
        if "structure" in wanted and "structure" not in stated:
            structure = self.kb.find_structure(parsed.structure.value)
            if structure is not None:
                additions.append(Addition(type="structure", value=f"{structure.name} structure", confidence=0.5,
                                          reasoning=f"A common form for {genre_name}."))
        if "energy" in wanted and "energy_level" not in stated:
            energy = parsed.energy_level.value
            word = "low" if energy < 0.35 else "medium" if energy < 0.7 else "high"
            additions.append(Addition(type="energy", value=f"{word} energy", confidence=0.5,
                                      reasoning="Follows from the tempo, genre and mood."))
        if "duration" in wanted and "duration_s" not in stated and context.duration_hint:
            additions.append(Addition(type="duration", value=f"{context.duration_hint:g} seconds", confidence=0.95,
                                      reasoning="From the duration hint you gave."))

        enhanced = _compose(clean.text, additions)
        confidence = 0.85 if not additions else round(min(0.9, 0.5 + 0.4 * sum(a.confidence for a in additions)
                                                          / len(additions)), 3)
        return EnhanceResult(original_prompt=clean.original, enhanced_prompt=enhanced, additions=additions,
                             confidence=confidence)


def _compose(text: str, additions: list[Addition]) -> str:
    """The user's words first, then the additions as a readable, parseable tail."""
    if not additions:
        return text
    parts: list[str] = []
    for a in additions:
        if a.type == "instrumentation":
            parts.append("with " + ", ".join(v.split(" (")[0] for v in a.value.split(", ")))
        elif a.type == "key":
            parts.append(f"in {a.value}")
        elif a.type == "mood":
            parts.append(f"{a.value} mood")
        elif a.type == "duration":
            parts.append(f"{a.value} long")
        else:
            parts.append(a.value)
    base = text.rstrip(" .")
    return f"{base}. " + "; ".join(parts) + "."
