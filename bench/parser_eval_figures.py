"""Parser bench: the parsed view of a result, the systems under test (Aurora, keyword baseline) and
the figure bookkeeping. Split from parser_eval.py; run `python -m bench.parser_eval`."""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bench.eval_data import (
    PRF,
    KBIndex,
    KBKind,
)
from bench.eval_rows import (
    Loaded,
)


# ------------------------------------------------------------------------------ parsed view
@dataclass
class Parsed:
    """What the bench reads from one parse (Aurora's or the baseline's), by KB *names*."""

    bpm: float | None = None
    tempo_type: str | None = None
    tempo_term: str | None = None
    key: str | None = None
    time_signature: str | None = None
    chords: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    stated_instruments: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    refused_parts: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)  # instrument name -> the part it plays
    genre: str | None = None
    sub_genre: str | None = None
    moods: list[str] = field(default_factory=list)
    ranked_genres: list[str] = field(default_factory=list)
    explicit: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration_s: float | None = None
    error: str | None = None

    def brief(self) -> dict[str, Any]:
        """A compact 'got' for failure dumps."""
        return {
            "bpm": self.bpm, "tempo_type": self.tempo_type, "tempo_term": self.tempo_term, "key": self.key,
            "time_signature": self.time_signature, "chords": self.chords, "instruments": self.instruments,
            "stated_instruments": self.stated_instruments,
            "excluded": self.excluded, "genre": self.genre, "sub_genre": self.sub_genre, "moods": self.moods,
            "ranked_genres": self.ranked_genres, "explicit": self.explicit, "error": self.error,
        }


@functools.cache
def _drum_names() -> frozenset[str]:
    import knowledge_base

    return frozenset(i.name for i in knowledge_base.load().instruments if i.drum)


def _part_of(name: str, role: str) -> str:
    """The part a parsed player plays: a line-up's "rhythm" role is the beat for a drum and comping for anyone
    else (a rhythm guitar does not play a refused beat)."""
    return "harmony" if role == "rhythm" and name not in _drum_names() else role


def parsed_from_result(result: Any, ranked: list[str]) -> Parsed:
    """Read an aurora ParseResult (duck-typed so the bench does not depend on its import)."""
    p = result.parsed_parameters
    tempo = getattr(p, "tempo", None)
    key = getattr(p, "key_signature", None)
    meter = getattr(p, "time_signature", None)
    genre = getattr(p, "genre", None)
    sub = getattr(p, "sub_genre", None)
    return Parsed(
        bpm=float(tempo.bpm) if tempo is not None and tempo.bpm is not None else None,
        tempo_type=getattr(tempo, "type", None),
        tempo_term=getattr(tempo, "term", None),
        key=getattr(key, "value", None),
        time_signature=getattr(meter, "value", None),
        chords=list(getattr(p, "chords", None) or []),
        instruments=[i.name for i in getattr(p, "instrumentation", None) or []],
        stated_instruments=[i.name for i in getattr(p, "instrumentation", None) or []
                            if getattr(i, "source", "stated") == "stated"],
        excluded=list(getattr(p, "excluded_instruments", None) or []),
        refused_parts=list(getattr(p, "excluded_parts", None) or []),
        parts={i.name: _part_of(i.name, getattr(i, "role", "")) for i in getattr(p, "instrumentation", None) or []},
        genre=getattr(genre, "value", None),
        sub_genre=getattr(sub, "value", None),
        moods=[m.value for m in getattr(p, "mood", None) or []],
        ranked_genres=ranked,
        explicit=list(getattr(p, "explicit", None) or []),
        warnings=list(getattr(result, "warnings", None) or []),
        duration_s=getattr(p, "duration_s", None),
    )


# ------------------------------------------------------------------------------ systems
class AuroraSystem:
    """Aurora's offline tier, timed per call."""

    name = "aurora"

    def __init__(self, aurora: Any) -> None:
        self.aurora = aurora
        self.parse_ms: list[float] = []
        self.parse_reported_ms: list[float] = []
        self.rank_ms: list[float] = []
        self.errors: Counter[str] = Counter()
        self.served_by: Counter[str] = Counter()  # which implementation (tier) answered each parse
        self.has_rank = callable(getattr(aurora, "rank_genres", None))

    def analyse(self, caption: str, rank: bool) -> Parsed:
        try:
            t0 = time.perf_counter()
            result = self.aurora.parse(prompt=caption)
            self.parse_ms.append((time.perf_counter() - t0) * 1000)
            meta = getattr(result, "aurora_metadata", None)
            if meta is not None:
                self.parse_reported_ms.append(float(meta.processing_time_ms))
                self.served_by[str(meta.implementation)] += 1
            ranked: list[str] = []
            if rank and self.has_rank:
                t0 = time.perf_counter()
                ranked = [name for name, _ in self.aurora.rank_genres(prompt=caption, k=3)]
                self.rank_ms.append((time.perf_counter() - t0) * 1000)
            parsed = parsed_from_result(result, ranked)
            if rank and not self.has_rank:
                parsed.ranked_genres = [g for g in (parsed.genre, parsed.sub_genre) if g]
            return parsed
        except Exception as exc:  # a crash on one row is a failure of that row, not of the bench
            message = f"{type(exc).__name__}: {exc}"
            self.errors[type(exc).__name__] += 1
            return Parsed(error=message[:500])


class KeywordBaseline:
    """Plain keyword matching of KB entry *names* (no aliases), whole words, lower-cased caption."""

    name = "baseline"

    def __init__(self, kb: KBIndex) -> None:
        def patterns(kind: KBKind) -> list[tuple[re.Pattern[str], str]]:
            return [(re.compile(r"(?<!\w)" + re.escape(e.name.lower()) + r"(?!\w)"), e.name)
                    for e in kb.entries[kind].values()]

        self.genres = patterns("genres")
        self.instruments = patterns("instruments")
        self.moods = patterns("moods")
        self.tempo = [(re.compile(r"(?<!\w)" + re.escape(t.term.lower()) + r"(?!\w)"), t.typical_bpm, t.term)
                      for t in kb.tempo_terms]

    @staticmethod
    def _ordered(text: str, pats: list[tuple[re.Pattern[str], str]]) -> list[str]:
        found: list[tuple[int, int, str]] = []
        for pattern, name in pats:
            m = pattern.search(text)
            if m:
                found.append((m.start(), -len(name), name))
        return [name for _, _, name in sorted(found)]

    def analyse(self, caption: str, rank: bool = True) -> Parsed:
        text = caption.lower()
        genres = self._ordered(text, self.genres)
        bpm: float | None = None
        term: str | None = None
        tempo_hits = sorted((m.start(), -len(t), typical, t)
                            for pattern, typical, t in self.tempo if (m := pattern.search(text)))
        if tempo_hits:
            _, _, bpm, term = tempo_hits[0]
        instruments = self._ordered(text, self.instruments)
        return Parsed(
            bpm=bpm, tempo_term=term, instruments=instruments, stated_instruments=instruments,
            genre=genres[0] if genres else None, moods=self._ordered(text, self.moods),
            ranked_genres=genres[:3],
        )


def create_aurora(factory: str) -> Any:
    """Import and build the system under test ('aurora:Aurora' by default), then warm it up."""
    module, _, attr = factory.partition(":")
    mod = __import__(module, fromlist=[attr])
    aurora = getattr(mod, attr)()
    aurora.warm_up()
    return aurora


def load_kb_index() -> KBIndex:
    import knowledge_base

    return KBIndex.from_kb(knowledge_base.load())


# ------------------------------------------------------------------------------ figures
FigureKind = Literal["rate", "mean", "f1"]
Info = dict[str, Any]


@dataclass
class Figure:
    label: str
    kind: FigureKind = "rate"
    total: float = 0.0
    n: int = 0
    prf: PRF = field(default_factory=PRF)
    failures: list[Info] = field(default_factory=list)

    def add(self, ok: bool, info: Info) -> None:
        """A hit-or-miss row."""
        self.n += 1
        self.total += 1.0 if ok else 0.0
        if not ok:
            self.failures.append(info)

    def add_value(self, value: float, info: Info) -> None:
        """A row scored 0..1 (the figure is the mean); below 1 counts as a failure."""
        self.n += 1
        self.total += value
        if value < 1.0:
            self.failures.append(info)

    def add_counts(self, tp: int, fp: int, fn: int, info: Info) -> None:
        """A row of a micro-averaged F1."""
        self.n += 1
        self.prf.add(tp, fp, fn)
        if fp or fn:
            self.failures.append(info)

    @property
    def value(self) -> float | None:
        if self.n == 0:
            return None
        return self.prf.f1 if self.kind == "f1" else self.total / self.n

    def to_json(self) -> Info:
        out: Info = {"value": self.value, "rows": self.n}
        if self.kind == "f1":
            out.update(precision=self.prf.precision, recall=self.prf.recall, tp=self.prf.tp, fp=self.prf.fp,
                       fn=self.prf.fn)
        return out


class Figures(dict[str, Figure]):
    """Figures of one system on one set, in the order they were first used."""

    def fig(self, key: str, label: str, kind: FigureKind = "rate") -> Figure:
        if key not in self:
            self[key] = Figure(label=label, kind=kind)
        return self[key]

    def ordered(self, keys: Sequence[str]) -> Figures:
        """The same figures, those named in keys first and in that order."""
        out = Figures((k, self[k]) for k in keys if k in self)
        out.update((k, v) for k, v in self.items() if k not in out)
        return out


@dataclass
class DatasetResult:
    name: str
    path: Path
    loaded: Loaded
    aurora: Figures
    baseline: Figures | None = None
    notes: Info = field(default_factory=dict)


def row_info(row: Any, parsed: Parsed, expected: Any, got: Any, **extra: Any) -> Info:
    info: Info = {"row": row.index, "caption": row.caption, "expected": expected, "got": got}
    info.update(extra)
    if parsed.error:
        info["error"] = parsed.error
    return info


def kb_ids(kb: KBIndex, kind: KBKind, names: Sequence[str | None]) -> list[str]:
    """KB ids of names the parser returned; a name the KB does not know stays as '?name'."""
    out: list[str] = []
    for name in names:
        if not name:
            continue
        entry_id = kb.resolve(kind, name) or f"?{name}"
        if entry_id not in out:
            out.append(entry_id)
    return out


def with_ancestors(kb: KBIndex, genre_ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for g in genre_ids:
        out.add(g)
        out.update(kb.ancestors(g))
    return out


def beats_of(time_signature: str | None) -> int | None:
    if not time_signature:
        return None
    head = time_signature.split("/")[0]
    return int(head) if head.isdigit() else None

