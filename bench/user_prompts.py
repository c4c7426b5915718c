"""Prompts as real users type them (issue 14): hand-labelled sets in bench/data, scored per class of prompt,
and the suggester measured on partial prompts cut from them. Run through `python -m bench.parser_eval`.

Data (JSON lines; labels are the values the prompt *states*, nothing inferred):
  bench/data/user_prompts.jsonl        the set the parser is developed against (302 prompts)
  bench/data/user_prompts_unseen.jsonl prompts of the same kinds, kept apart to check the figures (192)
Each row: prompt, classes (tag list, lowercase, dj, typo, key, bare_note, feel, duration, negation, ...),
and any of bpm, key ("E minor"; a tonic alone, "Bb", when the mode is not stated; a mode alone, "minor", when
the tonic is not), meter, inst (instruments
named, KB names; "A|B" accepts either), excl (instruments ruled out), no_part (parts refused whoever plays them,
"no melody": lead, bass, harmony, pad, rhythm, texture), dur (seconds), genre (KB genre or
sub-genre name; "A|B" accepts either), lineup ("closed": the named instruments are the whole line-up, "solo piano";
"open": a band is implied around them, "a guitar solo over a funky groove"). bpm null: the prompt states no
tempo (its numbers are eras, model numbers, bars, durations), so none may be read as one.

Figures, each over the rows that state the value:
- bpm within 1 and read as stated (tempo type explicit); bpm null: the parsed tempo is not explicit;
- key CK (tonic pitch class equal, and the mode too when stated); meter exact;
- instrument recall: a named instrument (or a kind of it: 'Upright Piano' for 'Piano') is among the parsed
  instruments; exclusions kept: a ruled-out
  instrument is in the parsed exclusions and not among the parsed instruments; a refused part ("no melody", "no
  bass") is among the parsed refused parts and no parsed instrument plays it;
- stated duration within 1 s of the parsed duration (out-of-range statements are brought into the 5-600 s
  range by the pipeline, so a label above 600 s expects 600 s);
- genre: the label is the parsed genre or sub-genre;
- line-up: "closed" when every parsed instrument is a stated one (nothing inferred beside them), "open" when the
  parse adds players the prompt did not name;
- style (bench/data/user_prompts_styles.jsonl: short tag lists naming a style family, "hip hop, 808, dark"):
  the label is the style played, the parsed sub-genre, else the parsed genre ("Trap|Hip Hop": lo-fi is a miss).
Suggest (partial prompts cut at seeded random points of the prompts, `--suggest-n`):
- grammatical: the chip applied reads as a prompt (no "with at", no dangling article or connector before a
  comma, no doubled word, the word being typed completed rather than split);
- agrees when applied: the parse of the applied prompt keeps the chip's value (tempo, key, genre, mood,
  instruments, structure);
- same as Parse: a tempo or key chip equals what Parse infers for the text it is added to (the partial
  prompt, its word being typed completed);
- latency: suggest() wall time (p50, p95).
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.eval_data import parse_key

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_PATHS = {"user": DATA_DIR / "user_prompts.jsonl", "user_unseen": DATA_DIR / "user_prompts_unseen.jsonl",
              "user_styles": DATA_DIR / "user_prompts_styles.jsonl"}
FIGURES = ("bpm", "key", "meter", "inst", "excl", "part", "dur", "genre", "style", "lineup")
FIGURE_TITLES = {"bpm": "bpm ±1", "key": "key CK", "meter": "meter", "inst": "instr. recall",
                 "excl": "excl. kept", "part": "part refused", "dur": "duration", "genre": "genre", "style": "style",
                 "lineup": "line-up"}
TARGETS = {"key": 0.97, "bpm": 0.99, "meter": 0.97, "inst": 0.90, "excl": 0.95, "dur": 0.97}
MAX_DURATION_S = 600.0


@dataclass
class UserRow:
    index: int
    prompt: str
    classes: list[str]
    labels: dict[str, Any]


@dataclass
class Tally:
    hits: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.n += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None


@dataclass
class UserResult:
    name: str
    path: Path
    rows: int
    overall: dict[str, Tally]
    by_class: dict[str, dict[str, Tally]]
    failures: list[dict[str, Any]] = field(default_factory=list)


def load_user(path: Path) -> list[UserRow]:
    rows: list[UserRow] = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            data = json.loads(line)
            prompt, classes = data.pop("prompt"), data.pop("classes")
            rows.append(UserRow(index, prompt, list(classes), data))
    return rows


# ------------------------------------------------------------------------------ scoring
def _alternatives(label: str) -> set[str]:
    return {a.strip().lower() for a in label.split("|")}


def score_row(row: UserRow, parsed: Any) -> dict[str, tuple[bool, Any, Any]]:
    """figure -> (hit, expected, got) for every figure the row states. ``parsed`` is a bench Parsed."""
    out: dict[str, tuple[bool, Any, Any]] = {}
    labels = row.labels
    stated_tempo = parsed.tempo_type in (None, "explicit")  # None: a system that reports no tempo type
    if "bpm" in labels and labels["bpm"] is None:  # no tempo stated: none may be read from the prompt's numbers
        out["bpm"] = (parsed.tempo_type != "explicit", None, f"{parsed.bpm} {parsed.tempo_type}")
    elif "bpm" in labels:
        out["bpm"] = (parsed.bpm is not None and stated_tempo and abs(parsed.bpm - float(labels["bpm"])) <= 1.0,
                      labels["bpm"], parsed.bpm if stated_tempo else f"{parsed.bpm} {parsed.tempo_type}")
    if "key" in labels:
        out["key"] = (_key_hit(labels["key"], parsed.key), labels["key"], parsed.key)
    if "meter" in labels:
        out["meter"] = (parsed.time_signature == labels["meter"], labels["meter"], parsed.time_signature)
    if "inst" in labels:
        for name in labels["inst"]:
            out[f"inst:{name}"] = (_instrument_hit(name, parsed.instruments), name, sorted(parsed.instruments))
    if "excl" in labels:
        excluded = {i.lower() for i in parsed.excluded}
        present = {i.lower() for i in parsed.instruments}
        for name in labels["excl"]:
            names = _alternatives(name)
            out[f"excl:{name}"] = (bool(names & excluded) and not names & present, name, sorted(parsed.excluded))
    for role in labels.get("no_part", []):  # a refused part: refused, and no player of it guessed or kept
        players = sorted(name for name, played in parsed.parts.items() if played == role)
        out[f"part:{role}"] = (role in parsed.refused_parts and not players, role,
                               f"refused {parsed.refused_parts}, played by {players}")
    if "dur" in labels:
        expected = min(float(labels["dur"]), MAX_DURATION_S)
        got_s = parsed.duration_s
        out["dur"] = (got_s is not None and abs(min(got_s, MAX_DURATION_S) - expected) <= 1.0, labels["dur"], got_s)
    if "genre" in labels:
        got_genres = {g.lower() for g in (parsed.genre, parsed.sub_genre) if g}
        out["genre"] = (bool(_alternatives(labels["genre"]) & got_genres), labels["genre"],
                        f"{parsed.genre}/{parsed.sub_genre}")
    if "lineup" in labels:  # closed: nothing inferred beside the named players; open: a band around them
        closed = bool(parsed.instruments) and set(parsed.instruments) <= set(parsed.stated_instruments)
        got = "closed" if closed else "open"
        out["lineup"] = (got == labels["lineup"], labels["lineup"], f"{got}: {sorted(parsed.instruments)}")
    if "style" in labels:  # the style played: the sub-genre, else the genre ("Hip Hop" is not met by lo-fi)
        style = parsed.sub_genre or parsed.genre
        out["style"] = (bool(style) and style.lower() in _alternatives(labels["style"]), labels["style"],
                        f"{parsed.genre}/{parsed.sub_genre}")
    return out


def _instrument_hit(label: str, parsed: Sequence[str]) -> bool:
    """The named instrument, or a kind of it ('Upright Piano' for 'Piano', 'Clean Electric Guitar' for
    'Electric Guitar'), is among the parsed instruments."""
    names = _alternatives(label)
    return any(p.lower() == n or p.lower().endswith(" " + n) for p in parsed for n in names)


_MODE_ONLY = frozenset({"major", "minor", "dorian", "phrygian", "lydian", "mixolydian"})


def _key_hit(label: str, got: str | None) -> bool:
    """Tonic pitch class equal; the mode too when the label states one ('E minor' vs 'E'). A label of a mode alone
    ('minor': "minor blues" states no tonic) checks the mode only."""
    if got is None:
        return False
    parts, got_parts = label.split(), got.split()
    if parts[0].lower() in _MODE_ONLY:
        return " ".join(got_parts[1:]).lower() == label.lower()
    tonic_label, got_key = parse_key(f"{parts[0]} major"), parse_key(f"{got_parts[0]} major")
    if tonic_label is None or got_key is None or tonic_label[0] != got_key[0]:
        return False
    if len(parts) == 1:
        return True
    mode = " ".join(parts[1:]).lower()
    got_mode = got.split(maxsplit=1)[1].lower() if " " in got else ""
    return got_mode == mode


def evaluate_user(name: str, path: Path, rows: Sequence[UserRow], parsed: Sequence[Any]) -> UserResult:
    overall = {f: Tally() for f in FIGURES}
    by_class: dict[str, dict[str, Tally]] = defaultdict(lambda: {f: Tally() for f in FIGURES})
    failures: list[dict[str, Any]] = []
    for row, p in zip(rows, parsed, strict=True):
        for key, (hit, expected, got) in score_row(row, p).items():
            figure = key.split(":")[0]
            overall[figure].add(hit)
            for cls in row.classes:
                by_class[cls][figure].add(hit)
            if not hit:
                failures.append({"row": row.index, "prompt": row.prompt, "figure": figure, "classes": row.classes,
                                 "expected": expected, "got": got, **({"error": p.error} if p.error else {})})
    return UserResult(name, path, len(rows), overall, dict(by_class), failures)


def print_user(res: UserResult, *, max_failures: int = 40) -> None:
    print(f"\n== User-style prompts ({res.path.name}): {res.rows} hand-labelled prompts, stated values only")
    head = f"  {'class':<16}{'rows':>5}" + "".join(f"{FIGURE_TITLES[f]:>14}" for f in FIGURES)
    print(head)

    def line(title: str, tallies: dict[str, Tally], n_rows: int | str) -> str:
        cells = []
        for f in FIGURES:
            t = tallies[f]
            cells.append(f"{_pct(t.value)} ({t.n})" if t.n else "-")
        return f"  {title:<16}{n_rows!s:>5}" + "".join(f"{c:>14}" for c in cells)

    print(line("ALL", res.overall, res.rows))
    targets = "".join(f"{(_pct(TARGETS[f]) if f in TARGETS else ''):>14}" for f in FIGURES)
    print(f"  {'target':<16}{'':>5}{targets}")
    for cls in sorted(res.by_class):
        n_rows = max(t.n for t in res.by_class[cls].values())
        print(line(cls, res.by_class[cls], f"~{n_rows}"))
    if res.failures:
        print(f"  failing ({len(res.failures)}; first {min(max_failures, len(res.failures))}):")
        for fail in res.failures[:max_failures]:
            print(f"    [{fail['figure']}] {fail['prompt']!r}: expected {fail['expected']!r}, got {fail['got']!r}")


def user_json(res: UserResult) -> dict[str, Any]:
    def figs(tallies: dict[str, Tally]) -> dict[str, Any]:
        return {f: {"hits": t.hits, "rows": t.n, "value": t.value} for f, t in tallies.items() if t.n}

    return {"path": str(res.path), "rows": res.rows, "overall": figs(res.overall),
            "by_class": {c: figs(t) for c, t in sorted(res.by_class.items())}, "failures": res.failures}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


# ------------------------------------------------------------------------------ suggest
_CONNECTORS = r"(?:with|at|in|of|for|to|from|by)"
_BROKEN_RES = (
    re.compile(rf"\b{_CONNECTORS}\s+{_CONNECTORS}\b", re.I),               # "with at"
    re.compile(r"\b(?:a|an|the|with|at|in|of|and|for|to)\s*(?:,|$)", re.I),  # dangling before a comma / the end
    re.compile(r",\s*,|\s,"),                                               # empty list item
    re.compile(r"\b(\w+)\s+\1\b", re.I),                                    # doubled word
)


def grammatical(partial: str, preview: str, *, mid_word: bool = False) -> bool:
    """The chip applied reads as a prompt: see the module docstring. ``mid_word``: the partial prompt ends inside
    a word (its fragment must then be completed, not left as it is)."""
    if any(r.search(preview) for r in _BROKEN_RES):
        return False
    stem_match = re.search(r"[A-Za-z][\w\-&']*$", partial)
    if stem_match is None or partial.endswith(" "):
        return preview.lower().startswith(partial.rstrip().rstrip(",").lower())
    stem = partial[: stem_match.start()]
    if not preview.lower().startswith(stem.lower()):
        return False
    rest = preview[len(stem):]
    fragment = stem_match.group(0)
    if not rest.lower().startswith(fragment.lower()):
        return False  # the typed fragment is split or replaced
    completed = re.match(r"[\w\-&']*", rest)
    return not (mid_word and completed is not None and completed.group(0).lower() == fragment.lower())


def cut_points(prompts: Sequence[str], n: int, seed: int = 14) -> list[tuple[str, bool]]:
    """``n`` partial prompts, each a prompt cut at a random character (seeded), never empty, with whether the
    cut falls inside a word."""
    rng = random.Random(seed)
    out: list[tuple[str, bool]] = []
    while len(out) < n and prompts:
        prompt = prompts[rng.randrange(len(prompts))]
        if len(prompt) < 4:
            continue
        cut = rng.randrange(3, len(prompt))
        out.append((prompt[:cut], prompt[cut - 1].isalnum() and prompt[cut].isalnum()))
    return out


@dataclass
class SuggestFigures:
    partials: int = 0
    chips: int = 0
    grammatical: Tally = field(default_factory=Tally)
    agrees: Tally = field(default_factory=Tally)
    same_as_parse: Tally = field(default_factory=Tally)
    latency_ms: list[float] = field(default_factory=list)
    broken: list[dict[str, str]] = field(default_factory=list)
    disagreeing: list[dict[str, Any]] = field(default_factory=list)


def measure_suggest(aurora: Any, partials: Sequence[tuple[str, bool]], *, count: int = 5) -> SuggestFigures:
    figs = SuggestFigures(partials=len(partials))
    for partial, mid_word in partials:
        t0 = time.perf_counter()
        result = aurora.suggest(partial_prompt=partial, suggestion_count=count)
        figs.latency_ms.append((time.perf_counter() - t0) * 1000)
        bases: dict[str, Any] = {}
        for chip in result.suggestions:
            figs.chips += 1
            ok = grammatical(partial, chip.preview, mid_word=mid_word)
            figs.grammatical.add(ok)
            if not ok:
                figs.broken.append({"partial": partial, "preview": chip.preview})
            if chip.kind != "missing_dimension":
                continue
            applied = aurora.parse(prompt=chip.preview).parsed_parameters
            agree = _chip_kept(chip, applied)
            figs.agrees.add(agree)
            if not agree:
                figs.disagreeing.append({"partial": partial, "chip": chip.text, "dimension": chip.dimension})
            if chip.dimension in ("tempo", "key"):
                base = _base_of(chip)
                if base not in bases:
                    try:
                        bases[base] = aurora.parse(prompt=base).parsed_parameters
                    except Exception:  # a partial prompt may be unusable on its own ("a"): nothing to compare
                        bases[base] = None
                if bases[base] is not None:
                    figs.same_as_parse.add(_chip_kept(chip, bases[base]))
    return figs


def _base_of(chip: Any) -> str:
    """The text a chip was added to: its preview without the chip (a word being typed stays completed)."""
    text, preview = str(chip.text), str(chip.preview)
    body = text.split(" ", 1)[1] if " " in text else text
    for tail in (text, body):
        if preview.endswith(tail):
            return preview[: len(preview) - len(tail)].rstrip(" ,;")
    return preview


def _chip_kept(chip: Any, params: Any) -> bool:
    value = chip.text.removeprefix("at ").removeprefix("in ").removeprefix("with ")
    if chip.dimension == "tempo":
        return bool(f"{params.tempo.bpm:g} BPM" == value)
    if chip.dimension == "key":
        return bool(params.key_signature.value == value)
    if chip.dimension == "genre":
        return value.lower() in {(params.genre.value or "").lower(), (params.sub_genre.value or "").lower()}
    if chip.dimension == "mood":
        return value.removesuffix(" mood").lower() in {m.value.lower() for m in params.mood}
    if chip.dimension == "instrumentation":
        wanted = {w.strip().lower() for w in re.split(r",|\band\b", value) if w.strip()}
        return wanted <= {i.name.lower() for i in params.instrumentation}
    if chip.dimension == "structure":
        return bool(value.removeprefix("a ").removesuffix(" structure").lower() == params.structure.value.lower())
    return True


def print_suggest(figs: SuggestFigures, *, max_examples: int = 10) -> None:
    lat = sorted(figs.latency_ms)
    p50 = lat[len(lat) // 2] if lat else float("nan")
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
    print(f"\n== Suggest on {figs.partials} partial user prompts ({figs.chips} chips)")
    print(f"  grammatical when applied        {_pct(figs.grammatical.value):>8} ({figs.grammatical.n} chips)")
    print(f"  applied chip kept by Parse      {_pct(figs.agrees.value):>8} ({figs.agrees.n} dimension chips)")
    print(f"  tempo/key chip = Parse's value  {_pct(figs.same_as_parse.value):>8} ({figs.same_as_parse.n} chips)")
    print(f"  suggest() wall p50 / p95        {p50:8.2f} / {p95:.2f} ms (target p95 <= 30 ms)")
    for item in figs.broken[:max_examples]:
        print(f"    not grammatical: {item['partial']!r} -> {item['preview']!r}")
    for item in figs.disagreeing[:max_examples]:
        print(f"    not kept: {item['partial']!r} + {item['chip']!r} ({item['dimension']})")


def suggest_json(figs: SuggestFigures) -> dict[str, Any]:
    lat = sorted(figs.latency_ms)
    return {"partials": figs.partials, "chips": figs.chips, "grammatical": figs.grammatical.value,
            "agrees_when_applied": figs.agrees.value, "same_as_parse": figs.same_as_parse.value,
            "latency_ms": {"p50": lat[len(lat) // 2] if lat else None,
                           "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else None},
            "broken": figs.broken, "disagreeing": figs.disagreeing}
