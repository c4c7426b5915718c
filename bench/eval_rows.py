"""Rows of the four evaluation sets and their loaders (jsonl / csv), for bench/parser_eval.py.

Label columns are split on '|' or ';' (the MusicCaps file uses '|' although its README says ';').
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


# ------------------------------------------------------------------------------------------ rows
@dataclass
class MusicBenchRow:
    index: int
    caption: str
    bpm: float | None
    keys: list[str]
    chords: list[str]
    beats_per_bar: int | None


@dataclass
class MusicCapsRow:
    index: int
    ytid: str
    caption: str
    genres: set[str]
    moods: set[str]
    instruments: set[str]


@dataclass
class ConceptCapsRow:
    index: int
    caption: str
    tags: dict[str, list[str]]


@dataclass
class MidiCapsRow:
    index: int
    caption: str
    key: str | None
    time_signature: str | None
    tempo: float | None
    genres: list[str]
    instruments: list[str]
    chords: list[str]


@dataclass
class Loaded:
    """Rows of one set plus the rows skipped while loading (with why)."""

    rows: list[Any]
    skipped: Counter[str] = field(default_factory=Counter)
    total: int = 0


GENERIC_AUDIOSET_INSTRUMENT = "Musical instrument"
CONCEPTCAPS_CATEGORIES = ("tempo_tags", "genre_tags", "mood_tags", "instrument_tags")


def evenly(items: Sequence[Any], limit: int | None) -> list[Any]:
    """At most ``limit`` items spread evenly over the sequence (all when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _split_labels(text: str | None) -> list[str]:
    if not text:
        return []
    return [t.strip() for t in re.split(r"[|;]", text) if t.strip()]


def _records(path: Path, out: Loaded, caption_field: str, *, bad_captions: tuple[str, ...] = (),
             ) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(row index, record, caption) for every record of a .jsonl or .csv file that has a caption;
    counts all records in ``out.total`` and the captionless ones in ``out.skipped``."""
    reason = "caption missing" + "".join(f" or {b!r}" for b in bad_captions)
    with path.open(encoding="utf-8", newline="") as fh:
        if path.suffix == ".csv":
            records: Iterator[dict[str, Any]] = csv.DictReader(fh)
        else:
            records = (json.loads(line) for line in fh if line.strip())
        for i, r in enumerate(records):
            out.total += 1
            caption = (r.get(caption_field) or "").strip()
            if not caption or caption in bad_captions:
                out.skipped[reason] += 1
                continue
            yield i, r, caption


def load_musicbench(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    for i, r, caption in _records(path, out, "captions", bad_captions=("ERROR",)):
        beats = r.get("beats") or []
        positions = beats[1] if len(beats) > 1 else []
        out.rows.append(MusicBenchRow(
            index=i,
            caption=caption,
            bpm=float(r["bpm"]) if r.get("bpm") is not None else None,
            keys=[k for k in (r.get("key") or []) if k],
            chords=list(r.get("chords") or []),
            beats_per_bar=int(max(positions)) if positions else None,
        ))
    out.rows = evenly(out.rows, limit)
    return out


def load_musiccaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    for i, r, caption in _records(path, out, "caption"):
        out.rows.append(MusicCapsRow(
            index=i,
            ytid=r.get("ytid", ""),
            caption=caption,
            genres=set(_split_labels(r.get("audioset_genre"))),
            moods=set(_split_labels(r.get("audioset_mood"))),
            instruments=set(_split_labels(r.get("audioset_instrument"))) - {GENERIC_AUDIOSET_INSTRUMENT},
        ))
    out.rows = evenly(out.rows, limit)
    return out


def load_conceptcaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    for i, r, caption in _records(path, out, "caption"):
        tags: dict[str, list[str]] = {}
        for category in CONCEPTCAPS_CATEGORIES:
            values: list[str] = []
            for raw in (r.get(category) or "").split(","):
                tag = raw.strip().lower()
                if tag and tag not in values:
                    values.append(tag)
            tags[category] = values
        out.rows.append(ConceptCapsRow(index=i, caption=caption, tags=tags))
    out.rows = evenly(out.rows, limit)
    return out


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def load_midicaps(path: Path, limit: int | None = None) -> Loaded:
    out = Loaded(rows=[])
    for i, r, caption in _records(path, out, "caption"):
        out.rows.append(MidiCapsRow(
            index=i,
            caption=caption,
            key=r.get("key") or None,
            time_signature=r.get("time_signature") or None,
            tempo=_float_or_none(r.get("tempo")),
            genres=[g for g in (r.get("genre") or []) if g],
            instruments=[x for x in (r.get("instrument_summary") or []) if x],
            chords=list(r.get("chord_summary") or []),
        ))
    out.rows = evenly(out.rows, limit)
    return out
