"""Scoring of the four eval sets for bench/parser_eval.py: one function per set turns rows and parses
into Figures (the conventions are described in parser_eval.py's docstring)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from bench.eval_data import (
    AUDIOSET_GENERIC_CLASSES,
    AUDIOSET_INSTRUMENT_CLASSES,
    KBIndex,
    KBKind,
    chords_exact,
    chords_f1,
    key_ck,
    key_ckd,
    key_name,
    match_instruments,
    parse_key,
    set_counts,
    tempo_bin,
    tempo_tb,
    tempo_tbt,
    tempo_within,
)
from bench.eval_rows import (
    CONCEPTCAPS_CATEGORIES,
    GENERIC_AUDIOSET_INSTRUMENT,
    ConceptCapsRow,
    MidiCapsRow,
    MusicBenchRow,
    MusicCapsRow,
)
from bench.eval_stated import (
    chords_stated,
    stated_beats_per_bar,
    stated_bpms,
    stated_keys,
    stated_time_signatures,
    tempo_statement,
)
from bench.parser_eval_figures import Figures, Info, Parsed, beats_of, kb_ids, row_info, with_ancestors


# ------------------------------------------------------------------------------ MusicBench
def _musicbench_tempo(f: Figures, r: MusicBenchRow, p: Parsed, noise: Counter[str]) -> None:
    if r.bpm is None:
        return
    bpm = r.bpm
    statement = tempo_statement(r.caption)
    if statement == "number":
        numbers = stated_bpms(r.caption)
        noise["tempo number stated, label disagrees"] += not any(abs(b - bpm) <= 1 for b in numbers)
        f.fig("tempo_within_1bpm", "tempo within 1 BPM (number stated)").add(
            tempo_within(p.bpm, bpm), row_info(r, p, bpm, p.bpm, stated=numbers, term=p.tempo_term))
    info = row_info(r, p, {"bpm": bpm, "bin": tempo_bin(bpm)},
                    {"bpm": p.bpm, "bin": tempo_bin(p.bpm) if p.bpm is not None else None,
                     "type": p.tempo_type, "term": p.tempo_term},
                    tempo_stated_as=statement)
    tb, tbt = tempo_tb(p.bpm, bpm), tempo_tbt(p.bpm, bpm)
    f.fig("tempo_tb", "tempo bin TB (all rows with a bpm label)").add(tb, info)
    f.fig("tempo_tbt", "tempo bin TBT (all rows with a bpm label)").add(tbt, info)
    if statement == "number":
        f.fig("tempo_tb_number", "  TB, tempo stated as a number").add(tb, info)
    elif statement in ("italian", "word"):
        f.fig("tempo_tb_term_only", "  TB, stated only as Italian term or word").add(tb, info)
        if statement == "italian":
            f.fig("tempo_tb_italian_only", "  TB, stated only as Italian term").add(tb, info)
    else:
        f.fig("tempo_tb_unstated", "  TB, tempo not stated").add(tb, info)


def eval_musicbench(rows: Sequence[MusicBenchRow], parsed: Sequence[Parsed]) -> tuple[Figures, Info]:
    f = Figures()
    noise: Counter[str] = Counter()
    for r, p in zip(rows, parsed, strict=True):
        _musicbench_tempo(f, r, p, noise)

        keys = stated_keys(r.caption)
        if r.keys and keys:
            noise["key stated, label not among stated keys"] += not any(parse_key(k) in keys for k in r.keys)
            info = row_info(r, p, r.keys, p.key, stated=[key_name(k) for k in keys])
            f.fig("key_ck", "key CK (key stated)").add(key_ck(p.key, r.keys), info)
            f.fig("key_ckd", "key CKD (key stated)").add(key_ckd(p.key, r.keys), info)

        beats = stated_beats_per_bar(r.caption)
        if r.beats_per_bar is not None and beats:
            noise["meter stated, label disagrees"] += r.beats_per_bar not in beats
            f.fig("beats_per_bar", "beats per bar (meter/beat count stated)").add(
                beats_of(p.time_signature) == r.beats_per_bar,
                row_info(r, p, r.beats_per_bar, p.time_signature, stated=beats))

        stated = chords_stated(r.caption, r.chords)
        if stated == "full":
            info = row_info(r, p, r.chords, p.chords)
            f.fig("chords_exact", "chord sequence exact (chords stated)").add(
                chords_exact(p.chords, r.chords), info)
            f.fig("chords_f1", "chord-token F1, mean per row (chords stated)", "mean").add_value(
                chords_f1(p.chords, r.chords), info)
        elif stated == "partial":
            noise["chords only partly stated (not scored)"] += 1
    order = ["tempo_within_1bpm", "key_ck", "key_ckd", "beats_per_bar", "chords_exact", "chords_f1", "tempo_tb",
             "tempo_tbt", "tempo_tb_number", "tempo_tb_term_only", "tempo_tb_italian_only", "tempo_tb_unstated"]
    return f.ordered(order), {"label_noise": dict(noise)}


# ------------------------------------------------------------------------------ MidiCaps
def eval_midicaps(rows: Sequence[MidiCapsRow], parsed: Sequence[Parsed], kb: KBIndex) -> tuple[Figures, Info]:
    f = Figures()
    unresolved: Counter[str] = Counter()
    for r, p in zip(rows, parsed, strict=True):
        keys = stated_keys(r.caption)
        if r.key and keys:
            f.fig("key_ck", "key CK (key stated)").add(
                key_ck(p.key, [r.key]), row_info(r, p, r.key, p.key, stated=[key_name(k) for k in keys]))
        if r.time_signature:
            meters = stated_time_signatures(r.caption)
            ok = p.time_signature == r.time_signature
            info = row_info(r, p, r.time_signature, p.time_signature, stated=meters)
            f.fig("time_signature", "time signature exact (all rows)").add(ok, info)
            if meters:
                f.fig("time_signature_stated", "time signature exact (meter stated)").add(ok, info)
        if r.tempo is not None:
            f.fig("tempo_tb", "tempo bin TB").add(
                tempo_tb(p.bpm, r.tempo),
                row_info(r, p, r.tempo, p.bpm, tempo_stated_as=tempo_statement(r.caption)))
        if r.instruments:
            gold: list[str | None] = []
            for label in r.instruments:
                entry_id = kb.resolve_loose("instruments", label)
                if entry_id is None:
                    unresolved[f"instrument: {label}"] += 1
                gold.append(entry_id)
            for key, label, names in (("instrument_f1_all", "instrument F1 (micro), incl. inferred", p.instruments),
                                      ("instrument_f1", "instrument F1 (micro), stated (conf >= 0.6)",
                                       p.stated_instruments)):
                pred = kb_ids(kb, "instruments", names)
                audioset_of = {i: kb.audioset("instruments", i) for i in [*pred, *(g for g in gold if g)]}
                tp, fp, fn = match_instruments(pred, gold, audioset_of)
                f.fig(key, label, "f1").add_counts(
                    tp, fp, fn, row_info(r, p, {"labels": r.instruments, "kb": gold}, pred))
        gold_genres = [g for g in (kb.resolve_loose("genres", x) for x in r.genres) if g]
        unresolved.update(f"genre: {x}" for x in r.genres if kb.resolve_loose("genres", x) is None)
        if gold_genres:
            top3 = with_ancestors(kb, kb_ids(kb, "genres", p.ranked_genres[:3]))
            f.fig("genre_hit3", "genre hit@3 (label genre in top-3 or ancestors)").add(
                bool(set(gold_genres) & top3),
                row_info(r, p, r.genres, p.ranked_genres[:3], expected_kb=gold_genres))
    order = ["key_ck", "time_signature", "time_signature_stated", "tempo_tb", "instrument_f1", "instrument_f1_all",
             "genre_hit3"]
    return f.ordered(order), {"labels_not_in_kb": dict(unresolved)}


# ------------------------------------------------------------------------------ MusicCaps
def eval_musiccaps(rows: Sequence[MusicCapsRow], parsed: Sequence[Parsed], kb: KBIndex) -> Figures:
    f = Figures()
    vocabulary = set(AUDIOSET_INSTRUMENT_CLASSES) | {x for r in rows for x in r.instruments}
    vocabulary.discard(GENERIC_AUDIOSET_INSTRUMENT)
    for r, p in zip(rows, parsed, strict=True):
        if r.instruments:
            for key, label, names in (
                ("instrument_f1", "instrument micro-F1, stated (conf >= 0.6)", p.stated_instruments),
                ("instrument_f1_all", "  same, incl. inferred (conf < 0.6)", p.instruments),
            ):
                pred: set[str] = set()
                for i in kb_ids(kb, "instruments", names):
                    pred |= kb.audioset("instruments", i)
                pred &= vocabulary
                tp, fp, fn = set_counts(pred, r.instruments)
                f.fig(key, label, "f1").add_counts(
                    tp, fp, fn, row_info(r, p, sorted(r.instruments), sorted(pred), parsed_names=names,
                                         missing=sorted(r.instruments - pred),
                                         extra=sorted(pred - r.instruments)))
        if r.genres:
            ranked = kb_ids(kb, "genres", p.ranked_genres)
            for k in (1, 3):
                labels: set[str] = set()
                for g in ranked[:k]:
                    labels |= kb.audioset("genres", g)
                f.fig(f"genre_hit{k}", f"genre hit@{k} (AudioSet genre)").add(
                    bool(labels & r.genres),
                    row_info(r, p, sorted(r.genres), p.ranked_genres[:k], got_audioset=sorted(labels)))
        if r.moods:
            mood_labels: set[str] = set()
            for m in kb_ids(kb, "moods", p.moods):
                mood_labels |= kb.audioset("moods", m)
            f.fig("mood_hit", "mood hit (AudioSet mood)").add(
                bool(mood_labels & r.moods),
                row_info(r, p, sorted(r.moods), p.moods, got_audioset=sorted(mood_labels)))
    return f.ordered(["instrument_f1", "instrument_f1_all", "genre_hit1", "genre_hit3", "mood_hit"])


# ------------------------------------------------------------------------------ ConceptCaps
Resolution = tuple[KBKind, str]
_NEGATION_RE = re.compile(r"^(?:no|without|non|zero)\s+")


def resolve_tag(kb: KBIndex, category: str, tag: str) -> Resolution | None:
    """A ConceptCaps tag -> (KB kind, id), in the order documented at the top of this file."""
    if category == "instrument_tags":
        entry_id = kb.resolve_loose("instruments", tag)
        return ("instruments", entry_id) if entry_id else None
    own: KBKind = "genres" if category == "genre_tags" else "moods"
    other: KBKind = "moods" if own == "genres" else "genres"
    resolvers: list[tuple[KBKind, Callable[[KBKind, str], str | None]]] = [
        (own, kb.resolve), (other, kb.resolve), (own, kb.resolve_contained), (other, kb.resolve_contained)]
    for kind, resolver in resolvers:
        entry_id = resolver(kind, tag)
        if entry_id:
            return kind, entry_id
    return None


def covers(kb: KBIndex, tag_id: str, parsed_ids: set[str]) -> bool:
    """A broader instrument tag ('guitar') is covered by a parsed instrument whose specific AudioSet
    classes include all of the tag's ('acoustic guitar': Acoustic guitar, Guitar)."""
    wanted = kb.audioset("instruments", tag_id) - AUDIOSET_GENERIC_CLASSES
    return bool(wanted) and any(wanted <= kb.audioset("instruments", i) for i in parsed_ids)


def eval_conceptcaps(rows: Sequence[ConceptCapsRow], parsed: Sequence[Parsed],
                     kb: KBIndex) -> tuple[Figures, Info]:
    f = Figures()
    unresolved: dict[str, Counter[str]] = defaultdict(Counter)
    resolved_as: dict[str, Counter[str]] = defaultdict(Counter)
    for r, p in zip(rows, parsed, strict=True):
        pools: dict[KBKind, set[str]] = {
            "genres": with_ancestors(kb, kb_ids(kb, "genres", [p.genre, p.sub_genre])),
            "moods": set(kb_ids(kb, "moods", p.moods)),
            "instruments": set(kb_ids(kb, "instruments", p.instruments)),
        }
        got: dict[KBKind, list[str | None]] = {
            "genres": [p.genre, p.sub_genre], "moods": list(p.moods), "instruments": list(p.instruments)}
        for category in CONCEPTCAPS_CATEGORIES:
            for tag in r.tags[category]:
                if category == "tempo_tags":
                    term = kb.tempo_term(tag)
                    if term is None:
                        unresolved[category][tag] += 1
                        continue
                    ok = p.bpm is not None and term.min_bpm <= p.bpm <= term.max_bpm
                    f.fig("tempo_tags", "tempo tags hit (bpm in the tag's range)").add(
                        ok, row_info(r, p, {"tag": tag, "range": [term.min_bpm, term.max_bpm]}, p.bpm,
                                     term=p.tempo_term))
                    continue
                negated = category == "instrument_tags" and bool(_NEGATION_RE.match(tag))
                resolution = resolve_tag(kb, category, _NEGATION_RE.sub("", tag) if negated else tag)
                if resolution is None:
                    unresolved[category][tag] += 1
                    continue
                kind, entry_id = resolution
                resolved_as[category][f"{tag} -> {kind}:{entry_id}"] += 1
                info = row_info(r, p, {"tag": tag, "kb": f"{kind}:{entry_id}"}, got[kind])
                if negated:
                    f.fig("instrument_tags_negated", "negated instrument tags (instrument absent)").add(
                        entry_id not in pools[kind], info)
                else:
                    hit = entry_id in pools[kind] or (kind == "instruments" and covers(kb, entry_id, pools[kind]))
                    f.fig(category, f"{category.split('_')[0]} tags hit").add(hit, info)
    notes: Info = {
        "unresolved_tags": {c: {"count": sum(v.values()), "top": dict(v.most_common(15))}
                            for c, v in unresolved.items()},
        "tag_resolutions": {c: dict(v.most_common(60)) for c, v in resolved_as.items()},
    }
    order = ["tempo_tags", "genre_tags", "mood_tags", "instrument_tags", "instrument_tags_negated"]
    return f.ordered(order), notes
