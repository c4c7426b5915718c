"""Aurora: the one entry point of the semantic layer. Keyword-only calls, typed results.

Each NLP task walks the configured implementations in order (codex -> local_llm -> rule_based ->
defaults, spec §9); a level that is not configured is skipped at no cost, a level that fails
records its error code, and `defaults` always answers. Every result carries AuroraMetadata
naming the implementation that served, its time, the cache hit and the levels tried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import knowledge_base
from aurora.cache import AuroraCache, cache_key
from aurora.cached_answers import CACHED_LEVELS, CachedAnswer, enhance_answer, parse_answer, plan_answer
from aurora.config import AuroraConfig
from aurora.contracts import (
    AttemptRecord,
    AuroraMetadata,
    CleanPrompt,
    ControlEncoderParams,
    EnhanceContext,
    EnhanceResult,
    InstrumentValue,
    ModuleName,
    ParsedMusicalParameters,
    ParseResult,
    PlanParameters,
    PlanResult,
    PreprocessNote,
    ProcessResult,
    SuggestResult,
)
from aurora.exceptions import AuroraError, ImplementationError, KnowledgeBaseError
from aurora.implementations import REGISTRY
from aurora.implementations.base import EnhanceRequest, Implementation, Resources
from aurora.implementations.llm_common import LLM_LEVELS, PartialResultError
from aurora.mapper import ParameterMapper
from aurora.parser.semantic import ParseOutcome, SemanticParser
from aurora.planner import StructuralPlanner
from aurora.preprocess import Preprocessor, readable
from aurora.suggester import Suggester
from aurora.text_embedding import TextEmbedder
from aurora.validation import (
    check_context,
    check_enhancement_level,
    check_optional_duration,
    check_plan_parameters,
    check_seed,
    check_suggestion_count,
)
from knowledge_base import KnowledgeBase
from knowledge_base.limits import (
    DEFAULT_DURATION_S,
    DEFAULT_SUGGESTIONS,
    MAX_DURATION_S,
    MIN_DURATION_S,
    EnhancementLevel,
    duration_in_range,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class Aurora:
    """Text -> validated parameters, 640-d control embedding and structural plan.

    Construction is cheap: the knowledge base is read on first use and the embedding model is
    loaded lazily (or by ``warm_up()``), so importing and creating Aurora never loads a model.
    """

    def __init__(self, *, config: AuroraConfig | None = None, knowledge_base: KnowledgeBase | None = None,
                 embedder: TextEmbedder | None = None) -> None:
        self.config = config or AuroraConfig.from_env()
        self._kb = knowledge_base
        self._embedder = embedder
        self._lock = threading.Lock()
        self._ready = False

    # -- lazy components -------------------------------------------------------------------------
    def _setup(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            kb = self._kb or _load_knowledge_base(self.config.knowledge_base_dir)
            embedder = self._embedder or TextEmbedder(self.config.embedding_model, device=self.config.device,
                                                      cache_dir=self.config.embedding_cache_dir)
            self._kb, self._embedder = kb, embedder
            self.preprocessor = Preprocessor(kb, max_chars=self.config.max_prompt_chars)
            self.parser = SemanticParser(kb, embedder)
            self.mapper = ParameterMapper(kb, embedder)
            self.planner = StructuralPlanner(kb, default_structure=self.config.default_structure)
            self.suggester = Suggester(kb, parser=self.parser, clean=self.preprocessor.normalise,
                                       is_word=self.preprocessor.is_known_word)
            resources = Resources(kb=kb, parser=self.parser, planner=self.planner, settings={"config": self.config})
            self.cache = AuroraCache(self.config.cache)
            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="aurora")
            self.implementations: list[Implementation] = [
                REGISTRY[name](resources) for name in self.config.implementations if name in REGISTRY
            ]
            if not any(i.name == "defaults" for i in self.implementations):
                self.implementations.append(REGISTRY["defaults"](resources))
            self._ready = True

    @property
    def knowledge_base(self) -> KnowledgeBase:
        self._setup()
        assert self._kb is not None
        return self._kb

    def warm_up(self) -> None:
        """Load the KB, the embedding model and the anchor embeddings now rather than on first request."""
        self._setup()
        assert self._embedder is not None
        self._embedder.load()
        self.parser.warm_up()
        self.mapper.warm_up()
        self.preprocessor.clean("warm up the spelling and language tools")

    # -- public API ------------------------------------------------------------------------------
    def preprocess(self, *, prompt: object) -> CleanPrompt:
        self._setup()
        return self.preprocessor.clean(prompt)

    def enhance(self, *, prompt: str, context: EnhanceContext | None = None,
                enhancement_level: str | None = None) -> EnhanceResult:
        started = time.perf_counter()
        level = self._enhancement_level(enhancement_level)
        context = check_context(context)
        clean = self.preprocess(prompt=prompt)
        request = EnhanceRequest(clean=clean, context=context, level=level)
        result, meta = self._serve("prompt_enhancer", lambda impl: impl.enhance(request), started,
                                   cached=enhance_answer(request))
        notes = list(clean.notes)
        if meta.implementation in LLM_LEVELS:
            notes += self._contradictions(self.parser.parse(clean).parameters, result.enhanced_prompt)
        return result.model_copy(update={"aurora_metadata": meta, "notes": notes})

    def parse(self, *, prompt: str) -> ParseResult:
        started = time.perf_counter()
        clean = self.preprocess(prompt=prompt)
        return self._parse_clean(clean, started)[0]

    def map_parameters(self, *, parameters: ParsedMusicalParameters) -> ControlEncoderParams:
        """The control embedding for parameters a caller edited (the studio's refinement panel)."""
        self._setup()
        return self.mapper.map(parameters).control_encoder_params

    def rank_genres(self, *, prompt: str, k: int = 3) -> list[tuple[str, float]]:
        """Best-first genre names with scores (for hit@k measurements and UI alternatives)."""
        clean = self.preprocess(prompt=prompt)
        ranking = self.parser.rank_genres(clean.text)
        return [(self.knowledge_base.genre(s.genre_id).name, round(s.score, 4)) for s in ranking[:k]]

    def plan(self, *, parameters: PlanParameters, l1: dict[str, str] | None = None) -> PlanResult:
        """A structural plan for caller-built (or parsed) parameters; they are validated again here, so a
        malformed meter, tempo or duration is an InputError (AURORA_INPUT_INVALID), never a planner crash."""
        started = time.perf_counter()
        parameters = check_plan_parameters(parameters)
        self._setup()
        output, meta = self._serve("structural_planner", lambda impl: impl.plan(parameters), started,
                                   cached=plan_answer(parameters), l1=l1)
        return PlanResult(structural_plan=output.plan, warnings=output.warnings, aurora_metadata=meta)

    def suggest(self, *, partial_prompt: str, suggestion_count: int = DEFAULT_SUGGESTIONS) -> SuggestResult:
        started = time.perf_counter()
        count = check_suggestion_count(suggestion_count)
        self._setup()
        text = readable(partial_prompt[: self.config.max_prompt_chars]) if isinstance(partial_prompt, str) else ""
        suggestions = self.suggester.suggest(text, count=count)
        meta = AuroraMetadata(module="suggester", implementation="rule_based",
                              processing_time_ms=_ms(started), cache_hit=False)
        return SuggestResult(partial_prompt=text, suggestions=suggestions, aurora_metadata=meta)

    def process(self, *, prompt: str, duration_s: float | None = None, enhancement_level: str | None = None,
                context: EnhanceContext | None = None, seed: int = 0) -> ProcessResult:
        """The whole semantic pipeline (spec §6.1): preprocess, enhance, parse, map, plan.

        Every argument is checked first: an explicit ``duration_s`` that is not a number of seconds in 5-600,
        a seed outside 0 to 2**32 - 1, an unknown enhancement level or a malformed context raises InputError
        (AURORA_INPUT_INVALID), as generate() does; a duration read from the prompt text is brought into range,
        with a warning naming what was asked and what is used. A duration stated in the prompt wins over the
        defaults; an explicit ``duration_s`` wins over the prompt, and the result carries a warning when the two
        disagree.
        """
        started = time.perf_counter()
        duration_s = check_optional_duration(duration_s)
        seed = check_seed(seed)
        context = check_context(context)
        level = self._enhancement_level(enhancement_level)
        timings: dict[str, float] = {}
        t = time.perf_counter()
        clean = self.preprocess(prompt=prompt)
        timings["preprocess"] = _ms(t)

        l1: dict[str, str] = {}  # L1: this request's intermediate results

        # Enhancement and the quick parse (the user's own words: what they stated, exactly) run
        # concurrently (§10.2); the rule tier's enhancer needs the quick parse, so it waits for it.
        t = time.perf_counter()
        quick_future = self._pool.submit(self._timed_quick_parse, clean)
        request = EnhanceRequest(clean=clean, context=context, level=level)

        def enhance(impl: Implementation) -> EnhanceResult:
            if impl.name in LLM_LEVELS:
                return impl.enhance(request)
            return impl.enhance(replace(request, quick_parse=quick_future.result()[0].parameters))

        enhanced, enhance_meta = self._serve("prompt_enhancer", enhance, t, cached=enhance_answer(request), l1=l1)
        quick, timings["quick_parse"] = quick_future.result()
        notes = list(clean.notes)
        if enhance_meta.implementation in LLM_LEVELS:
            notes += self._contradictions(quick.parameters, enhanced.enhanced_prompt)
        enhanced = enhanced.model_copy(update={"aurora_metadata": enhance_meta, "notes": notes})
        timings["enhance"] = _ms(t)

        t = time.perf_counter()
        rule_enhanced = enhance_meta.implementation in ("rule_based", "defaults")
        if rule_enhanced and self._rule_tier_only() and not _hinted(context):
            # The rule enhancer only restates what the quick parse inferred, so parsing its text again
            # would give the same parameters: reuse the quick parse (an L1 hit for this request).
            parse_result, map_ms = self._result_from_outcome(quick, clean, t)
        else:
            detailed_clean = clean.model_copy(update={"text": enhanced.enhanced_prompt})
            parse_result, map_ms = self._parse_clean(detailed_clean, t, stated=quick.parameters, l1=l1)
        timings["parse"] = _ms(t) - map_ms
        timings["map"] = map_ms

        t = time.perf_counter()
        params = parse_result.parsed_parameters
        duration = duration_s or params.duration_s or (context.duration_hint if context else None) or DEFAULT_DURATION_S
        duration_warnings: list[str] = []
        if duration_s is not None and params.duration_s is not None and abs(params.duration_s - duration_s) >= 1.0:
            duration_warnings.append(f"The prompt asks for {_clock(params.duration_s)}; the duration you set "
                                     f"({_clock(duration_s)}) is used.")
        if not duration_in_range(duration):  # only a duration read from the prompt can be out of range here
            kept = min(MAX_DURATION_S, max(MIN_DURATION_S, duration))
            limit = "maximum" if duration > MAX_DURATION_S else "minimum"
            duration_warnings.append(f"The prompt asks for {duration:g} s; the {limit} is {kept:g} s "
                                     f"(durations are {MIN_DURATION_S:g}-{MAX_DURATION_S:g} s), so this plan is "
                                     f"{kept:g} s long.")
            duration = kept
        plan_params = plan_parameters_from(params, duration_s=float(duration), seed=seed)
        plan_result = self.plan(parameters=plan_params, l1=l1)
        timings["plan"] = _ms(t)
        timings["total"] = _ms(started)
        warnings = ([n.message for n in notes] + parse_result.warnings + duration_warnings
                    + plan_result.warnings)
        served_by = parse_result.aurora_metadata.implementation if parse_result.aurora_metadata else "defaults"
        meta = AuroraMetadata(module="pipeline", implementation=served_by, processing_time_ms=timings["total"])
        return ProcessResult(original_prompt=clean.original, clean_prompt=clean, enhance=enhanced,
                             parse=parse_result, plan=plan_result, timings_ms=timings,
                             warnings=list(dict.fromkeys(warnings)), aurora_metadata=meta)

    # -- internals -------------------------------------------------------------------------------
    def _enhancement_level(self, requested: object) -> EnhancementLevel:
        return check_enhancement_level(requested, self.config.default_enhancement_level)

    def _contradictions(self, stated: ParsedMusicalParameters, enhanced_prompt: str) -> list[PreprocessNote]:
        """Notes for each fact the user stated (tempo, key, meter) that a model's enhanced prompt states
        differently: the user's value is what the track uses; the note keeps the rewrite from being taken
        as a faithful restatement ('Use as prompt')."""
        try:
            enhanced = self.parser.parse(CleanPrompt(original=enhanced_prompt, text=enhanced_prompt)).parameters
        except Exception:  # the check is advisory: a failure to read the rewrite must not fail the request
            log.exception("could not check the enhanced prompt against the stated facts")
            return []
        out: list[PreprocessNote] = []
        for field_name, label in (("tempo", "tempo"), ("key_signature", "key"), ("time_signature", "meter")):
            if field_name not in stated.explicit or field_name not in enhanced.explicit:
                continue
            asked, rewritten = _fact(stated, field_name), _fact(enhanced, field_name)
            if asked != rewritten:
                out.append(PreprocessNote(
                    code="AURORA_ENHANCED_CONTRADICTS",
                    message=f"The enhanced prompt says {label} {rewritten}, but you asked for {asked}; "
                            f"your {asked} is kept.", original=asked, replacement=rewritten))
        return out

    def _rule_tier_only(self) -> bool:
        """True when no model level would serve a parse right now (unconfigured or breaker open)."""
        self._setup()
        first = next((i for i in self.implementations if i.available()), None)
        return first is None or first.name in ("rule_based", "defaults")

    def _result_from_outcome(self, outcome: ParseOutcome, clean: CleanPrompt, started: float,
                             ) -> tuple[ParseResult, float]:
        t = time.perf_counter()
        mapping = self.mapper.map(outcome.parameters)
        map_ms = _ms(t)
        meta = AuroraMetadata(module="semantic_parser", implementation="rule_based", processing_time_ms=_ms(started),
                              cache_hit=True, attempts=[AttemptRecord(implementation="rule_based")])
        warnings = list(dict.fromkeys(outcome.warnings + mapping.warnings))
        return ParseResult(parsed_parameters=outcome.parameters, control_encoder_params=mapping.control_encoder_params,
                           warnings=warnings, notes=clean.notes, aurora_metadata=meta), map_ms

    def _timed_quick_parse(self, clean: CleanPrompt) -> tuple[ParseOutcome, float]:
        t = time.perf_counter()
        return self.parser.parse(clean), _ms(t)

    def _parse_clean(self, clean: CleanPrompt, started: float, stated: ParsedMusicalParameters | None = None,
                     l1: dict[str, str] | None = None) -> tuple[ParseResult, float]:
        """Parse (through the fallback chain) and map; returns the result and the mapping time."""
        output, meta = self._serve("semantic_parser", lambda impl: impl.parse(clean), started,
                                   cached=parse_answer(clean), l1=l1)
        params = output.parameters
        if stated is not None:
            params = keep_stated(params, stated)
        t = time.perf_counter()
        mapping = self.mapper.map(params)
        map_ms = _ms(t)
        meta = meta.model_copy(update={"processing_time_ms": _ms(started)})
        warnings = list(dict.fromkeys(output.warnings + mapping.warnings))
        return ParseResult(parsed_parameters=params, control_encoder_params=mapping.control_encoder_params,
                           warnings=warnings, notes=clean.notes, aurora_metadata=meta), map_ms

    def _serve(self, module: ModuleName, task: Callable[[Implementation], T], started: float, *,
               cached: CachedAnswer[T] | None = None, l1: dict[str, str] | None = None) -> tuple[T, AuroraMetadata]:
        """Walk the levels: skip the unavailable, answer from L1/L2/L3 when a model level has the
        result cached, record each failure's code, serve a partial reply with AURORA_VALIDATION_ERROR."""
        self._setup()
        attempts: list[AttemptRecord] = []

        def served(impl: Implementation, result: T, *, hit: bool = False) -> tuple[T, AuroraMetadata]:
            return result, AuroraMetadata(module=module, implementation=impl.name,  # type: ignore[arg-type]
                                          processing_time_ms=_ms(started), cache_hit=hit, attempts=attempts)

        for impl in self.implementations:
            t = time.perf_counter()
            if not self._available(impl):
                reason = _skip_reason(impl)
                if reason is not None:  # configured but skipped (breaker open, load failed): say so
                    attempts.append(AttemptRecord(implementation=impl.name,  # type: ignore[arg-type]
                                                  error_code="AURORA_SKIPPED_BY_BREAKER", message=reason[:300],
                                                  elapsed_ms=_ms(t), skipped=True))
                continue
            key = self._cache_key(module, impl, cached)
            if key is not None and cached is not None:
                hit = self._cached_result(key, cached, l1)
                if hit is not None:
                    attempts.append(AttemptRecord(implementation=impl.name, elapsed_ms=_ms(t)))  # type: ignore[arg-type]
                    return served(impl, hit, hit=True)
            try:
                result = task(impl)
            except PartialResultError as partial:
                attempts.append(AttemptRecord(implementation=impl.name, error_code=partial.code,  # type: ignore[arg-type]
                                              message=str(partial)[:300], elapsed_ms=_ms(t)))
                return served(impl, partial.partial)
            except AuroraError as exc:  # an expected failure of this level (timeout, bad reply, ...)
                if impl.name == "defaults":
                    raise
                log.info("%s: %s failed with %s (%s); trying the next level", module, impl.name, exc.code, exc)
                attempts.append(AttemptRecord(implementation=impl.name, error_code=exc.code,  # type: ignore[arg-type]
                                              message=str(exc)[:300], elapsed_ms=_ms(t)))
                continue
            except Exception as exc:  # any other fault of this level (a bug, RecursionError, ...): log, fall back
                if impl.name == "defaults":
                    raise
                log.exception("%s: %s raised %s; trying the next level", module, impl.name, type(exc).__name__)
                attempts.append(AttemptRecord(implementation=impl.name,  # type: ignore[arg-type]
                                              error_code=ImplementationError.code,
                                              message=f"{type(exc).__name__}: {exc}"[:300], elapsed_ms=_ms(t)))
                continue
            attempts.append(AttemptRecord(implementation=impl.name, elapsed_ms=_ms(t)))  # type: ignore[arg-type]
            if key is not None and cached is not None:
                text = cached.encode(result)
                if l1 is not None:
                    l1[key] = text
                self.cache.set(cached.tier, key, text)
            return served(impl, result)
        raise AuroraError("No implementation could serve the request.")  # unreachable: defaults answers

    @staticmethod
    def _available(impl: Implementation) -> bool:
        """``impl.available()``; a level whose check itself fails (a probe bug) counts as unavailable."""
        if impl.name == "defaults":
            return True
        try:
            return bool(impl.available())
        except Exception:
            log.exception("%s: available() raised; skipping this level", impl.name)
            return False

    def _cached_result(self, key: str, cached: CachedAnswer[T], l1: dict[str, str] | None) -> T | None:
        """The cached answer for ``key`` (L1, then L2/L3); an entry that no longer decodes is a miss."""
        text = l1.get(key) if l1 is not None else None
        text = text if text is not None else self.cache.get(key)
        if text is None:
            return None
        try:
            return cached.decode(text)
        except Exception:
            log.warning("ignoring a cache entry that does not decode (%s)", key)
            return None

    def _cache_key(self, module: str, impl: Implementation, cached: CachedAnswer[T] | None) -> str | None:
        if cached is None or impl.name not in CACHED_LEVELS:
            return None
        return cache_key(module=module, implementation=impl.name, model=str(getattr(impl, "cache_model", "")),
                         template_version=str(getattr(impl, "template_version", "")),
                         normalised_input=cached.normalised_input)


def _fact(params: ParsedMusicalParameters, field_name: str) -> str:
    if field_name == "tempo":
        return f"{params.tempo.bpm:g} BPM"
    if field_name == "key_signature":
        return params.key_signature.value or "no key"
    return params.time_signature.value


def _skip_reason(impl: Implementation) -> str | None:
    reason = getattr(impl, "skip_reason", None)
    if not callable(reason):
        return None
    try:
        text = reason()
    except Exception:
        return None
    return text if isinstance(text, str) else None


def keep_stated(params: ParsedMusicalParameters, stated: ParsedMusicalParameters) -> ParsedMusicalParameters:
    """What the user's own words stated wins over anything a later (enhanced / LLM) parse says."""
    update: dict[str, object] = {}
    field_names = ("genre", "sub_genre", "tempo", "mood", "structure", "key_signature", "time_signature",
                   "energy_level", "chords", "duration_s", "excluded_instruments", "excluded_parts", "feels",
                   "ensemble", "form", "arrangement", "acoustic")
    stated_fields = set(stated.explicit)
    for name in field_names:
        if name in stated_fields or (name in ("genre", "sub_genre") and stated_fields & {"genre", "sub_genre"}):
            update[name] = getattr(stated, name)
    if "instrumentation" in stated_fields:
        stated_names = {i.name for i in stated.instrumentation if i.source == "stated"}
        extra = [i for i in params.instrumentation if i.name not in stated_names
                 and i.name not in stated.excluded_instruments] if stated.ensemble is None else []  # closed
        update["instrumentation"] = [i for i in stated.instrumentation if i.source == "stated"] + extra
    excluded = set(stated.excluded_instruments if "excluded_instruments" in update else params.excluded_instruments)
    instruments: list[InstrumentValue] = update.get("instrumentation", params.instrumentation)  # type: ignore[assignment]
    update["instrumentation"] = [i for i in instruments if i.name not in excluded]  # an exclusion always wins
    update["explicit"] = sorted(stated_fields)
    update["reference_artists"] = stated.reference_artists or params.reference_artists
    update["textures"] = list(dict.fromkeys(stated.textures + params.textures))
    if stated.tonic_chord and "key_signature" in update:  # the home chord the user spelled goes with its key
        update["tonic_chord"] = stated.tonic_chord
    return params.model_copy(update=update)


def plan_parameters_from(params: ParsedMusicalParameters, *, duration_s: float, seed: int = 0) -> PlanParameters:
    return PlanParameters(
        genre=params.sub_genre.value or params.genre.value,
        mood=params.mood[0].value if params.mood else "",
        moods=[m.value for m in params.mood if m.source == "stated"],
        tempo_bpm=params.tempo.bpm,
        duration_seconds=duration_s,
        key=params.key_signature.value,
        key_changes=params.key_signature.changes[:1], key_change_at=params.key_signature.change_at, form=params.form,
        time_signature=params.time_signature.value,
        structure=params.structure.value,
        structure_inferred="structure" not in params.explicit,
        energy_level=params.energy_level.value,
        chords=params.chords, arrangement=params.arrangement,
        opening=params.opening,
        tonic_chord=params.tonic_chord,
        seed=seed,
    )


def _clock(seconds: float) -> str:
    """'10:00' for 600 s, '45 s' under a minute: how a user wrote it, more or less."""
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}" if total >= 60 else f"{seconds:g} s"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 3)


def _hinted(context: EnhanceContext | None) -> bool:
    return context is not None and any((context.genre_hint, context.mood_hint))


def _load_knowledge_base(directory: Path) -> KnowledgeBase:
    """The shared knowledge base; its load errors become Aurora's coded KnowledgeBaseError."""
    try:
        return knowledge_base.load(directory)
    except knowledge_base.KnowledgeBaseError as exc:
        raise KnowledgeBaseError(str(exc)) from exc
