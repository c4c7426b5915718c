"""The user-style bench's data and scoring rules (bench/user_prompts.py)."""

from __future__ import annotations

from bench.parser_eval_figures import Parsed
from bench.user_prompts import USER_PATHS, cut_points, grammatical, load_user, score_row


def test_sets_are_large_enough_and_labelled() -> None:
    dev, unseen = load_user(USER_PATHS["user"]), load_user(USER_PATHS["user_unseen"])
    assert len(dev) >= 150 and len(unseen) >= 50
    assert not {r.prompt for r in dev} & {r.prompt for r in unseen}
    assert sum(bool(r.labels) for r in dev + unseen) >= 0.98 * len(dev + unseen)
    for row in dev + unseen:
        assert row.classes, row.prompt
        assert set(row.labels) <= {"bpm", "key", "meter", "inst", "excl", "dur", "genre"}, row.prompt


def test_scoring_rules() -> None:
    row = load_user(USER_PATHS["user"])[0]  # "sad piano in E Minor": key E minor, Piano
    hit = score_row(row, Parsed(key="E minor", instruments=["Upright Piano"]))
    assert all(ok for ok, _, _ in hit.values())  # an upright piano is a kind of piano
    miss = score_row(row, Parsed(key="E major", instruments=["Guitar"]))
    assert not any(ok for ok, _, _ in miss.values())


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
