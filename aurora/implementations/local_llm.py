"""Level 2: a local Hugging Face causal LM whose JSON is constrained to a schema while it decodes.

The model (hub id or local folder; HF_HUB_OFFLINE is honoured by transformers) is loaded on first
use, once per process, and shared; generation is serialised per model. xgrammar masks every token
that would leave the JSON schema, so the reply parses whatever the weights. The schemas here are
compact on purpose: names chosen from the knowledge base (enums), integers with bounds and short
strings keep every reply finite, small models accurate and CPU decoding fast; the reply is then
expanded into the full contract. A wall-clock StoppingCriteria bounds generation time.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import Field

from aurora.config import AuroraConfig, LocalLLMConfig
from aurora.contract_base import Contract
from aurora.contracts import (
    AdditionType,
    CleanPrompt,
    EnergyValue,
    EnhanceResult,
    GenreValue,
    InstrumentValue,
    KeySignatureValue,
    MoodValue,
    ParsedMusicalParameters,
    PlanParameters,
    StructureValue,
    TempoValue,
    TimeSignatureValue,
    Transition,
)
from aurora.exceptions import LocalLLMUnavailableError, ParseError, ValidationError
from aurora.implementations.base import (
    EnhanceRequest,
    Implementation,
    ParseOutput,
    PlanOutput,
    Resources,
    register,
)
from aurora.implementations.codex import CircuitBreaker
from aurora.implementations.llm_common import (
    TEMPLATE_VERSION,
    EnhanceReply,
    Message,
    PlanReply,
    SectionReply,
    Task,
    enhance_task,
    json_schema,
    keep_stated,
    load_template,
    parse_task,
    plan_task,
    run_task,
)
from knowledge_base import KnowledgeBase

TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
KEYS = [f"{t} {m}" for m in ("major", "minor") for t in TONICS]
METERS = ["4/4", "3/4", "6/8", "2/4", "5/4", "7/8", "12/8"]
R = TypeVar("R")
SECTION_NAMES = ["intro", "verse", "pre-chorus", "chorus", "bridge", "breakdown", "build", "drop", "solo", "outro"]
CHORDS = [f"{r}{q}" for r in ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
          for q in ("", "m", "7", "maj7", "m7")]


# ---------------------------------------------------------------- compact replies
class CompactParse(Contract):
    genre: str
    moods: list[str] = Field(max_length=3)
    tempo_bpm: int = Field(ge=40, le=220)
    key: str
    time_signature: str
    energy: int = Field(ge=0, le=10)
    instruments: list[str] = Field(max_length=4)
    structure: str


class CompactAddition(Contract):
    type: AdditionType
    value: str = Field(max_length=40)


class CompactEnhance(Contract):
    enhanced_prompt: str = Field(min_length=1, max_length=300)
    additions: list[CompactAddition] = Field(max_length=3)


class CompactSection(Contract):
    name: str
    weight: int = Field(ge=1, le=8)
    energy: int = Field(ge=0, le=10)


class CompactPlan(Contract):
    sections: list[CompactSection] = Field(min_length=1, max_length=6)
    chords: list[str] = Field(min_length=1, max_length=8)


def _schema(model: type[Contract], enums: dict[str, list[str]]) -> dict[str, Any]:
    """The model's JSON schema with knowledge-base names as enums (xgrammar enforces them)."""
    schema: dict[str, Any] = json.loads(json.dumps(model.model_json_schema()))
    for path, values in enums.items():
        node = schema
        for part in path.split("."):
            node = node["properties"][part] if part != "[]" else node["items"]
            node = schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
        node.clear()
        node["enum"] = values
    return schema


def compact_parse_schema(kb: KnowledgeBase) -> dict[str, Any]:
    return _schema(CompactParse, {
        "genre": [g.name for g in kb.genres], "moods.[]": [m.name for m in kb.moods], "key": KEYS,
        "time_signature": METERS, "instruments.[]": [i.name for i in kb.instruments],
        "structure": [s.name for s in kb.structures]})


def expand_parse(kb: KnowledgeBase, reply: CompactParse, base: ParsedMusicalParameters) -> ParsedMusicalParameters:
    instruments = []
    for name in dict.fromkeys(reply.instruments):
        found = kb.find_instrument(name)
        if found is not None:
            instruments.append(InstrumentValue(name=found.name, role=found.roles[0], confidence=0.6, source="inferred"))
    return base.model_copy(update={
        "genre": GenreValue(value=reply.genre, confidence=0.7),
        "mood": [MoodValue(value=m, confidence=0.6, source="inferred") for m in dict.fromkeys(reply.moods)]
        or base.mood,
        "tempo": TempoValue(type="inferred", bpm=float(reply.tempo_bpm), confidence=0.6),
        "key_signature": KeySignatureValue(value=reply.key, confidence=0.5),
        "time_signature": TimeSignatureValue(value=reply.time_signature, confidence=0.6),
        "energy_level": EnergyValue(value=reply.energy / 10.0, confidence=0.6),
        "instrumentation": instruments or base.instrumentation,
        "structure": StructureValue(value=reply.structure, confidence=0.6),
    })


def expand_plan(reply: CompactPlan, base: PlanReply) -> PlanReply:
    total = sum(s.weight for s in reply.sections)
    sections = [SectionReply(name=s.name, duration_ratio=s.weight / total, energy_level=s.energy / 10.0,
                             description=s.name) for s in reply.sections]
    transitions = [Transition(**{"from": a.name, "to": b.name,
                                 "type": "build" if b.energy > a.energy else "fade" if b.energy < a.energy else "fill"})
                   for a, b in zip(reply.sections, reply.sections[1:], strict=False) if a.name != b.name]
    progression = base.chord_progression.model_copy(update={"chords": list(reply.chords), "roman_numerals": []})
    return PlanReply(structure_type="-".join(dict.fromkeys(s.name for s in reply.sections)), sections=sections,
                     transitions=transitions, chord_progression=progression)


# ---------------------------------------------------------------- the model, loaded once per process
@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    device: str
    compiler: Any
    grammars: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grammar(self, schema: dict[str, Any]) -> Any:
        text = json.dumps(schema, sort_keys=True)
        if text not in self.grammars:
            self.grammars[text] = self.compiler.compile_json_schema(text, any_whitespace=False)
        return self.grammars[text]


_LOADED: dict[tuple[str, str], LoadedModel] = {}
_LOAD_LOCK = threading.Lock()


def load_model(model_id: str, device: str = "auto") -> LoadedModel:
    """Shared across Aurora instances: a model is large, loading it twice would double memory."""
    with _LOAD_LOCK:
        key = (model_id, device)
        if key not in _LOADED:
            import torch
            import xgrammar as xgr
            from transformers import AutoModelForCausalLM, AutoTokenizer

            target = ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
            tokenizer = AutoTokenizer.from_pretrained(model_id)
            loaded: Any = AutoModelForCausalLM.from_pretrained(
                model_id, dtype=torch.float32 if target == "cpu" else "auto")
            model = loaded.to(target).eval()
            vocab_size = int(model.get_output_embeddings().weight.shape[0])
            info = xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=vocab_size)
            _LOADED[key] = LoadedModel(model, tokenizer, target, xgr.GrammarCompiler(info))
        return _LOADED[key]


@dataclass
class GenerationStats:
    calls: int = 0
    new_tokens: int = 0
    seconds: float = 0.0


class LocalLLMImplementation:
    name = "local_llm"
    template_version = TEMPLATE_VERSION

    def __init__(self, resources: Resources, config: LocalLLMConfig) -> None:
        self._resources = resources
        self.config = config
        self.cache_model = config.model or ""
        self._failure: str | None = None
        self.stats = GenerationStats()
        self.breaker = CircuitBreaker(threshold=3, cooldown_s=60.0)

    def available(self) -> bool:
        """Configured, not known to fail loading (a failed load is not retried in this process), and its
        replies not unusable three times in a row (then skipped for a cool-down, like codex)."""
        return self.config.configured and self._failure is None and self.breaker.allow(lambda: True)

    def skip_reason(self) -> str | None:
        if not self.config.configured:
            return None
        if self._failure is not None:
            return f"local model failed to load: {self._failure}"
        return f"circuit breaker {self.breaker.state}: the local model's replies were unusable; cooling down"

    def _run(self, task: Task[R]) -> R:
        try:
            result = run_task(task, self._complete, kb=self._resources.kb)
        except (ParseError, ValidationError):
            self.breaker.failure()
            raise
        self.breaker.success()
        return result

    def enhance(self, request: EnhanceRequest) -> EnhanceResult:
        task = enhance_task(request.clean, request.context, request.level)

        def finish(reply: CompactEnhance) -> EnhanceResult:
            return task.finish(EnhanceReply(enhanced_prompt=reply.enhanced_prompt, confidence=0.6, additions=[
                {"type": a.type, "value": a.value, "reasoning": "local model", "confidence": 0.5}  # type: ignore[misc]
                for a in reply.additions]))

        compact = Task(task.name, task.template, task.messages, CompactEnhance, json_schema(CompactEnhance),
                       {"enhanced_prompt": request.clean.text, "additions": []}, finish)
        return self._run(compact)

    def parse(self, clean: CleanPrompt) -> ParseOutput:
        full = parse_task(self._resources, clean)
        kb = self._resources.kb
        base = ParsedMusicalParameters.model_validate(full.base)

        def finish(reply: CompactParse) -> ParseOutput:
            stated = ParsedMusicalParameters.model_validate(full.base)
            return ParseOutput(keep_stated(expand_parse(kb, reply, base), stated))

        template = load_template("parse_compact")
        task = Task("parse", template, template.render(user_prompt=clean.text), CompactParse,
                    compact_parse_schema(kb), _compact_base(base), finish)
        return self._run(task)

    def plan(self, parameters: PlanParameters) -> PlanOutput:
        full = plan_task(self._resources, parameters)
        base = PlanReply.model_validate(full.base)
        schema = _schema(CompactPlan, {"sections.[].name": SECTION_NAMES, "chords.[]": CHORDS})
        base_compact = {"sections": [{"name": "verse", "weight": 1, "energy": 5}],
                        "chords": list(base.chord_progression.chords[:8])}
        task = Task("plan", full.template, full.messages, CompactPlan, schema, base_compact,
                    lambda reply: full.finish(expand_plan(reply, base)))
        return self._run(task)

    # -- generation ----------------------------------------------------------------------------------
    def _complete(self, messages: list[Message], task: Task[Any]) -> str:
        try:
            loaded = load_model(self.config.model or "", self.config.device)
        except Exception as exc:  # any loader failure (missing files, offline hub, bad config) skips this level
            self._failure = f"{type(exc).__name__}: {exc}"[:300]
            raise LocalLLMUnavailableError(f"local model {self.config.model!r} could not be loaded: "
                                           f"{self._failure}") from exc
        return self._generate(loaded, messages, task.schema)

    def _generate(self, loaded: LoadedModel, messages: list[Message], schema: dict[str, Any]) -> str:
        import torch
        import xgrammar as xgr
        from transformers import StoppingCriteria, StoppingCriteriaList

        class WallClock(StoppingCriteria):
            def __init__(self, limit_s: float) -> None:
                self.deadline = time.monotonic() + limit_s
                self.hit = False

            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                self.hit = time.monotonic() > self.deadline
                return self.hit

        # The template's OUTPUT FORMAT is the only format text: the grammar enforces the schema, and
        # pasting its enums into the prompt would cost thousands of prompt tokens on every call.
        tok = loaded.tokenizer
        text = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = tok(text, return_tensors="pt", add_special_tokens=False).to(loaded.device)
        clock = WallClock(self.config.time_limit_s)
        started = time.perf_counter()
        with loaded.lock, torch.inference_mode():
            processor = xgr.contrib.hf.LogitsProcessor(loaded.grammar(schema))
            out = loaded.model.generate(**inputs, max_new_tokens=self.config.max_new_tokens, do_sample=False,
                                        logits_processor=[processor], stopping_criteria=StoppingCriteriaList([clock]),
                                        pad_token_id=tok.pad_token_id or tok.eos_token_id)
        new = out[0, inputs["input_ids"].shape[1]:]
        self.stats.calls += 1
        self.stats.new_tokens += int(new.shape[0])
        self.stats.seconds += time.perf_counter() - started
        if clock.hit:
            raise LocalLLMUnavailableError(f"local model exceeded its {self.config.time_limit_s:g} s time limit")
        return str(tok.decode(new, skip_special_tokens=True))


def _compact_base(p: ParsedMusicalParameters) -> dict[str, Any]:
    return {"genre": p.genre.value, "moods": [m.value for m in p.mood][:3],
            "tempo_bpm": min(220, max(40, round(p.tempo.bpm))),
            "key": p.key_signature.value or "C major", "time_signature": p.time_signature.value,
            "energy": round(p.energy_level.value * 10), "instruments": [i.name for i in p.instrumentation][:4],
            "structure": p.structure.value}


@register("local_llm")
def _factory(resources: Resources) -> Implementation:
    config = resources.settings.get("config")
    return LocalLLMImplementation(resources, config.local_llm if isinstance(config, AuroraConfig) else LocalLLMConfig())
