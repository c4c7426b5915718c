"""Short tag lists that name a style family ("hip hop, 808, dark, minor"), as users type them: the style a producer
expects (bench/data/user_prompts_styles.jsonl, also scored by `python -m bench.parser_eval --only user_styles`).

Before: the sub-genre under a named parent was the child whose anchor phrases the tag list was most similar to,
noise on a tag list ('hip hop, 808, dark, minor' was lo-fi hip hop on a 0.609/0.587 tie with trap); a bare number
in a tag list ('house, piano, 124') was no tempo; '808s' was the TR-808 drum machine."""

from __future__ import annotations

import pytest

from aurora import Aurora
from aurora.parser.style_cues import StyleCues, best_child, candidates, cue_score
from bench.parser_eval_figures import parsed_from_result
from bench.user_prompts import USER_PATHS, UserRow, load_user, score_row
from knowledge_base import KnowledgeBase

ROWS = load_user(USER_PATHS["user_styles"])


def test_the_set_is_user_style() -> None:
    assert len(ROWS) >= 30
    assert all("style" in r.labels and r.classes for r in ROWS)
    assert all(r.prompt == r.prompt.lower() and len(r.prompt.split()) <= 8 for r in ROWS)  # tags, not sentences
    others = {r.prompt for name in ("user", "user_unseen") for r in load_user(USER_PATHS[name])}
    assert not {r.prompt for r in ROWS} & others


@pytest.mark.parametrize("row", ROWS, ids=[r.prompt for r in ROWS])
def test_tag_list_gets_the_style_a_producer_expects(aurora: Aurora, row: UserRow) -> None:
    parsed = parsed_from_result(aurora.parse(prompt=row.prompt), [])
    misses = {k: (want, got) for k, (ok, want, got) in score_row(row, parsed).items() if not ok}
    assert not misses, (row.prompt, misses)


@pytest.mark.parametrize("prompt", ["hip hop, 808, dark, minor", "hip hop, 808, dark, minor, 70 bpm",
                                    "hiphop 808 hard", "hip hop beat with 808s", "dark hip hop beat 140bpm"])
def test_a_dark_808_beat_is_not_lofi(aurora: Aurora, prompt: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.genre.value == "Hip Hop" and p.sub_genre.value in (None, "Trap", "Drill"), (prompt, p.sub_genre.value)
    if "808" in prompt:
        assert "808 Bass" in [i.name for i in p.instrumentation if i.source == "stated"]


def test_stated_facts_choose_the_child(kb: KnowledgeBase) -> None:
    hip_hop, trap, drill, lofi = (kb.genre(g) for g in ("hip_hop", "trap", "drill", "lofi_hip_hop"))
    dark_808 = StyleCues(moods=("dark",), instruments=("bass_808",))
    assert cue_score(trap, dark_808) > cue_score(hip_hop, dark_808) == cue_score(lofi, dark_808)
    # the lo-fi child was the more similar one; the facts outrank the embedding, and dark is trap's first mood
    assert best_child(hip_hop, [(lofi, 0.61), (drill, 0.60), (trap, 0.59)], dark_808) == (trap, 0.59)
    assert best_child(hip_hop, [(lofi, 0.61), (trap, 0.59)], StyleCues(moods=("chill",))) == (lofi, 0.61)
    # a tempo is felt at half time too: 70 BPM fits trap (140) as well as lo-fi (70-90), not hip hop (80-100)
    assert cue_score(trap, StyleCues(bpm=70.0)) == cue_score(lofi, StyleCues(bpm=70.0)) == 1.0
    assert cue_score(hip_hop, StyleCues(bpm=70.0)) == -1.0
    # an instrument alone never beats the parent; it narrows the children the embedding may choose from
    only_808 = StyleCues(instruments=("bass_808",))
    assert best_child(hip_hop, [(trap, 0.7)], only_808) is None
    assert lofi not in candidates(hip_hop, [lofi, trap, drill], only_808)
    assert drill not in candidates(hip_hop, [lofi, drill], StyleCues(bpm=90.0))  # drill is 138-146, hip hop 80-100
    assert candidates(hip_hop, [lofi, trap], StyleCues()) == [lofi, trap]


@pytest.mark.parametrize(("prompt", "bpm"), [("house, piano, 124", 124), ("techno, dark, 130", 130),
                                             ("lofi. rhodes. 72.", 72), ("dnb | rolling bass | 174", 174)])
def test_a_bare_number_tag_is_the_tempo(aurora: Aurora, prompt: str, bpm: float) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.tempo.bpm == bpm and p.tempo.type == "explicit" and "tempo" in p.explicit


@pytest.mark.parametrize("prompt", ["hip hop, 808, dark", "acid, 303, squelchy", "synthpop, 1985, retro",
                                    "lofi, 2 min", "ambient in 12/8, calm"])
def test_other_numbers_in_a_tag_list_are_no_tempo(aurora: Aurora, prompt: str) -> None:
    p = aurora.parse(prompt=prompt).parsed_parameters
    assert p.tempo.type == "inferred", (prompt, p.tempo)
