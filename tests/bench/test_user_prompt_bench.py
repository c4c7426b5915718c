"""The user-style bench's data and scoring rules (bench/user_prompts.py)."""

from __future__ import annotations

from bench.parser_eval_figures import Parsed
from bench.user_prompts import USER_PATHS, UserRow, cut_points, grammatical, load_user, score_row


def test_sets_are_large_enough_and_labelled() -> None:
    dev, unseen = load_user(USER_PATHS["user"]), load_user(USER_PATHS["user_unseen"])
    assert len(dev) >= 150 and len(unseen) >= 50
    assert not {r.prompt for r in dev} & {r.prompt for r in unseen}
    assert sum(bool(r.labels) for r in dev + unseen) >= 0.98 * len(dev + unseen)
    for row in dev + unseen:
        assert row.classes, row.prompt
        labels = {"bpm", "key", "meter", "inst", "excl", "no_part", "dur", "genre", "style", "lineup"}
        assert set(row.labels) <= labels, row.prompt
        assert row.labels.get("lineup", "open") in ("open", "closed"), row.prompt


def test_scoring_rules() -> None:
    row = load_user(USER_PATHS["user"])[0]  # "sad piano in E Minor": key E minor, Piano
    hit = score_row(row, Parsed(key="E minor", instruments=["Upright Piano"]))
    assert all(ok for ok, _, _ in hit.values())  # an upright piano is a kind of piano
    miss = score_row(row, Parsed(key="E major", instruments=["Guitar"]))
    assert not any(ok for ok, _, _ in miss.values())


def test_a_stated_tempo_must_be_read_as_stated() -> None:
    row = UserRow(0, "dark techno at 128", [], {"bpm": 128})
    assert score_row(row, Parsed(bpm=128, tempo_type="explicit"))["bpm"][0]
    assert not score_row(row, Parsed(bpm=128, tempo_type="inferred"))["bpm"][0]  # the genre's tempo, by chance
    none = UserRow(0, "808 trap beat, 90s vibe", [], {"bpm": None})  # no tempo stated: none may be read
    assert score_row(none, Parsed(bpm=140, tempo_type="inferred"))["bpm"][0]
    assert not score_row(none, Parsed(bpm=90, tempo_type="explicit"))["bpm"][0]


def test_lineup_rule() -> None:
    closed = UserRow(0, "solo piano", [], {"lineup": "closed"})
    assert score_row(closed, Parsed(instruments=["Piano"], stated_instruments=["Piano"]))["lineup"][0]
    assert not score_row(closed, Parsed(instruments=["Piano", "Drum Kit"], stated_instruments=["Piano"]))["lineup"][0]
    opened = UserRow(0, "guitar solo over a funky groove", [], {"lineup": "open"})
    assert score_row(opened, Parsed(instruments=["Lead Guitar", "Bass Guitar"],
                                    stated_instruments=["Lead Guitar"]))["lineup"][0]
    assert not score_row(opened, Parsed(instruments=["Lead Guitar"], stated_instruments=["Lead Guitar"]))["lineup"][0]


def test_refused_part_rule() -> None:
    """A refused part is met when the parse refuses it and no parsed player plays it; a rhythm guitar does not play
    a refused beat (its line-up role "rhythm" is comping)."""
    row = UserRow(0, "ambient pads, no bass", [], {"no_part": ["bass"]})
    assert score_row(row, Parsed(refused_parts=["bass"], parts={"Synth Pad": "pad"}))["part:bass"][0]
    assert not score_row(row, Parsed(refused_parts=[], parts={"Synth Pad": "pad"}))["part:bass"][0]
    assert not score_row(row, Parsed(refused_parts=["bass"], parts={"Synth Bass": "bass"}))["part:bass"][0]
    from bench.parser_eval_figures import _part_of

    assert _part_of("Electric Guitar", "rhythm") == "harmony" and _part_of("Drum Kit", "rhythm") == "rhythm"


def test_grammar_rules() -> None:
    assert grammatical("lofi beat with ", "lofi beat with rhodes")
    assert not grammatical("lofi beat with ", "lofi beat with at 80 BPM")
    assert not grammatical("in D mi", "in D mi in F major", mid_word=True)  # the word being typed is left unfinished
    assert grammatical("in D mi", "in D minor")
    assert not grammatical("lofi", "lofi lofi beat")


def test_cut_points_are_seeded_prefixes() -> None:
    prompts = ["a calm piano ballad", "dark techno at 130 bpm"]
    cuts = cut_points(prompts, 20)
    assert cuts == cut_points(prompts, 20) and len(cuts) == 20
    assert all(any(p.startswith(c) and c != p for p in prompts) for c, _ in cuts)
    assert ("a calm piano bal", True) in cut_points(["a calm piano ballad"], 200)
