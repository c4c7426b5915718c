"""Unit tests of the parser bench's metric helpers (bench/eval_data.py): pure functions, no model."""

from __future__ import annotations

import pytest

from bench.eval_data import (
    PRF,
    KBEntry,
    KBIndex,
    TempoTermEntry,
    chords_exact,
    chords_f1,
    key_ck,
    key_ckd,
    match_instruments,
    micro_f1,
    parse_chord,
    parse_key,
    percentile,
    relative_key,
    set_counts,
    tempo_bin,
    tempo_tb,
    tempo_tbt,
    tempo_within,
)
from bench.eval_rows import (
    evenly,
)
from bench.eval_stated import (
    chords_stated,
    stated_beats_per_bar,
    stated_bpms,
    stated_keys,
    stated_time_signatures,
    tempo_statement,
)


# ------------------------------------------------------------------------------------------- keys
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E major", (4, "major")),
        ("EM", (4, "major")),
        ("Em", (4, "minor")),
        ("F#m", (6, "minor")),
        ("C maj", (0, "major")),
        ("D#major", (3, "major")),
        ("Bb minor", (10, "minor")),
        ("A#minor", (10, "minor")),
        ("A# minor", (10, "minor")),
        ("G min", (7, "minor")),
        ("C#M", (1, "major")),
        ("Dmaj", (2, "major")),
        ("Cminor", (0, "minor")),
        ("B flat minor", (10, "minor")),
        ("F sharp major", (6, "major")),
        ("E♭ major", (3, "major")),
        ("Bb", (10, "major")),
        ("A", (9, "major")),
        ("Cb major", (11, "major")),
        ("a minor", (9, "minor")),
        ("D minor.", (2, "minor")),
        ("in the key of A", None),
        ("key of A minor", (9, "minor")),
    ],
)
def test_parse_key_spellings(text: str, expected: tuple[int, str] | None) -> None:
    assert parse_key(text) == expected


@pytest.mark.parametrize("text", ["", None, "D dorian", "H major", "banana", "C# lydian"])
def test_parse_key_rejects(text: str | None) -> None:
    assert parse_key(text) is None


def test_enharmonic_keys_are_equal() -> None:
    assert parse_key("Bb minor") == parse_key("A# minor") == parse_key("A#m")
    assert parse_key("Gb major") == parse_key("F#M")


def test_relative_keys() -> None:
    assert relative_key((0, "major")) == (9, "minor")
    assert relative_key((9, "minor")) == (0, "major")
    assert relative_key((3, "minor")) == (6, "major")


def test_key_ck_and_ckd() -> None:
    assert key_ck("E major", ["EM"])
    assert key_ck("A# minor", ["Bb minor"])
    assert not key_ck("E minor", ["E major"])
    assert key_ck("C major", ["C minor", "C major"])  # either listed key counts
    assert key_ck("C major", [None, "C major"])
    assert not key_ck(None, ["C major"])
    assert not key_ck("C major", [None])
    assert key_ckd("A minor", ["C major"])
    assert key_ckd("C major", ["Am"])
    assert key_ckd("C major", ["C major"])
    assert not key_ckd("E minor", ["C major"])
    assert not key_ckd(None, ["C major"])


# ------------------------------------------------------------------------------------------ tempo
@pytest.mark.parametrize(
    ("bpm", "expected"),
    [(30, 0), (40, 0), (40.1, 1), (59, 1), (60, 1), (60.5, 2), (70, 2), (70.5, 3), (90, 3), (91, 4), (109, 4),
     (110, 4), (112, 5), (140, 5), (142, 6), (160, 6), (161, 7), (210, 7), (212, 8), (250, 8)],
)
def test_tempo_bins(bpm: float, expected: int) -> None:
    """Upper edges belong to the lower bin, as in MusicBench's captions (160 bpm = Vivace, 90 = Andante)."""
    assert tempo_bin(bpm) == expected


def test_tb_and_tbt() -> None:
    assert tempo_tb(100, 95)
    assert not tempo_tb(112, 108)
    assert tempo_tbt(112, 108)
    assert tempo_tbt(65, 75)  # bins 2 and 3
    assert not tempo_tbt(65, 95)  # bins 2 and 4
    assert not tempo_tb(None, 100)
    assert not tempo_tbt(None, 100)


def test_tempo_within() -> None:
    assert tempo_within(118.0, 118.0)
    assert tempo_within(119.0, 118.0)
    assert tempo_within(117.0, 118.0)
    assert not tempo_within(119.5, 118.0)
    assert not tempo_within(None, 118.0)


def test_stated_bpm_and_tempo_statement() -> None:
    assert stated_bpms("The beat is 4. The bpm is 118.0. The key is EM.") == [118.0]
    assert stated_bpms("The tempo of this song is 120.0 beats per minute.") == [120.0]
    assert stated_bpms("counting to 3 at an unrelenting pace of 126 bpm") == [126.0]
    assert stated_bpms("The song's tempo is changed by a factor of 1.5 after 7.18 seconds.") == []
    assert stated_bpms("The song is transposed by 12 semitones at 5.5 seconds") == []
    assert tempo_statement("This song goes at 175.0 beats per minute.") == "number"
    assert tempo_statement("This song is in Vivace. The key is E minor.") == "italian"
    assert tempo_statement("A slow and mellow tune.") == "word"
    assert tempo_statement("A mellow tune.") == "none"


# ------------------------------------------------------------------------------------ key, meter
def test_stated_keys() -> None:
    assert stated_keys("This piece is either in the key of Cm or CM.") == [(0, "minor"), (0, "major")]
    assert stated_keys("The key of this song is G# maj.") == [(8, "major")]
    assert stated_keys("This upbeat song in F minor features reverb.") == [(5, "minor")]
    assert stated_keys("In C#maj, this tune is triumphant.") == [(1, "major")]
    assert stated_keys("a melody in the lower key. Male voices sing A lot.") == []
    assert stated_keys("The keyboard plays Am and G chords.") == []
    assert stated_keys("off-key, with an e-guitar fingerpicking F/Eb and Bb7 chords") == []


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("The beat is 3. The bpm is 97.0.", [3]),
        ("The beat counts to 2.", [2]),
        ("The time signature is 3/4.", [3]),
        ("with a 3-beat pulse that drives the energy", [3]),
        ("counting four beats per measure at a tempo of 83.0 bpm", [4]),
        ("while the beat is measured at three", [3]),
        ("giving it a waltz-like feel", [3]),
        ("a simple beat in common time", [4]),
        ("The beat is a consistent 4, giving it a steady rhythm.", [4]),
        ("The count is till 3 and it is set in Dmin key.", [3]),
        ("Set in a lively 12/8 time signature", [12]),
        ("A song with a steady drum beat and 120 bpm.", []),
        ("The bass plays 12 bar blues style bassline.", []),
    ],
)
def test_stated_beats_per_bar(caption: str, expected: list[int]) -> None:
    assert stated_beats_per_bar(caption) == expected


def test_stated_time_signatures() -> None:
    assert stated_time_signatures("The time signature is 6/4 and the tempo is fast.") == ["6/4"]
    assert stated_time_signatures("A gentle waltz.") == ["3/4"]
    assert stated_time_signatures("No meter here.") == []


# ----------------------------------------------------------------------------------------- chords
@pytest.mark.parametrize(
    ("a", "b"),
    [("C#m", "Dbm"), ("Bbmaj7", "A#M7"), ("Amaj7", "AΔ7"), ("Gm7b5", "Gø"), ("G/B", "G/Cb"),
     ("E7/G#", "E7/Ab"), ("C", "CM"), ("C", "Cmaj"), ("Cm", "Cmin"), ("Caug", "C+"), ("G/G", "G"),
     ("Ebm6", "D#min6")],
)
def test_chord_enharmonic_and_spelling_equivalence(a: str, b: str) -> None:
    assert parse_chord(a) is not None
    assert parse_chord(a) == parse_chord(b)


@pytest.mark.parametrize(("a", "b"), [("C", "Cm"), ("C7", "Cmaj7"), ("G/B", "G"), ("C#", "D"), ("Am7", "Am")])
def test_chord_differences(a: str, b: str) -> None:
    assert parse_chord(a) != parse_chord(b)


def test_parse_chord_rejects_non_chords() -> None:
    assert parse_chord("H7") is None
    assert parse_chord("xyz") is None


def test_chord_exact_match() -> None:
    assert chords_exact(["Amaj7", "C#", "B", "E"], ["Amaj7", "Db", "B", "E"])
    assert not chords_exact(["Amaj7", "C#", "B"], ["Amaj7", "C#", "B", "E"])
    assert not chords_exact(["C#", "Amaj7", "B", "E"], ["Amaj7", "C#", "B", "E"])  # order matters
    assert chords_exact(["E7/G#"], ["E7/G#", "N"])  # no-chord marker dropped
    assert chords_exact([], [])


def test_chord_f1() -> None:
    assert chords_f1(["A", "E7", "A7", "D"], ["A", "E7", "A7", "D"]) == 1.0
    assert chords_f1(["Bb", "Gm"], ["A#", "Gm"]) == 1.0
    assert chords_f1(["C"], ["D"]) == 0.0
    # pred 2 chords, gold 4, overlap 2 -> P 1, R 0.5, F1 2/3
    assert chords_f1(["A", "E"], ["A", "E", "A", "D"]) == pytest.approx(2 / 3)
    # repeats count as a multiset: gold has A twice
    assert chords_f1(["A", "A", "E", "D"], ["A", "E", "A", "D"]) == 1.0
    assert chords_f1([], []) == 1.0
    assert chords_f1([], ["C"]) == 0.0


def test_chords_stated() -> None:
    caption = "The chord sequence is Amaj7, C#, B, E, A, C#m. The beat is 4."
    assert chords_stated(caption, ["Amaj7", "C#", "B", "E", "A", "C#m"]) == "full"
    assert chords_stated("The chord sequence includes D/A and A.", ["D/A", "A", "D"]) == "partial"
    assert chords_stated("A piano plays softly.", ["A"]) == "none"  # only sentences about chords count
    assert chords_stated("A piano plays chords. The key is E.", ["E"]) == "none"
    assert chords_stated("The chord progression centers around the key of Bb.", ["Bb"]) == "none"
    assert chords_stated("The chord progression of B minor is powerful.", ["Bm"]) == "full"
    assert chords_stated("Its chord sequence is in Bm with a beat of 4.", ["Bm"]) == "full"
    assert chords_stated("The chord sequence is Db, Gb.", ["C#", "F#"]) == "full"
    # a paraphrase that drops repeats or reorders is not a full statement of the labelled sequence
    assert chords_stated("The chords progression in A#, F, Dm, Gm, and F.", ["A#", "F", "A#", "Dm", "Gm", "A#", "F"]) \
        == "partial"
    assert chords_stated("The chords go from B7 to Em to B and back to Em.", ["B7", "Em", "B", "Em"]) == "full"
    assert chords_stated("The chord sequence is Gm, C.", ["C", "Gm"]) == "partial"
    assert chords_stated("No chords here.", []) == "none"


# ---------------------------------------------------------------------------------------- F1 etc.
def test_micro_f1() -> None:
    assert micro_f1(0, 0, 0) == 0.0
    assert micro_f1(5, 0, 0) == 1.0
    assert micro_f1(1, 1, 1) == pytest.approx(0.5)
    prf = PRF()
    prf.add(*set_counts({"Guitar", "Piano"}, {"Guitar", "Drum"}))  # tp 1, fp 1, fn 1
    prf.add(*set_counts({"Violin, fiddle"}, {"Violin, fiddle"}))  # tp 1
    assert (prf.tp, prf.fp, prf.fn) == (2, 1, 1)
    assert prf.precision == pytest.approx(2 / 3)
    assert prf.recall == pytest.approx(2 / 3)
    assert prf.f1 == pytest.approx(2 / 3)
    # micro, not macro: a big row weighs more than a small one
    big = PRF()
    big.add(10, 0, 0)
    big.add(0, 1, 1)
    assert big.f1 == pytest.approx(20 / 22)


def test_set_counts() -> None:
    assert set_counts(["a", "b", "b"], ["b", "c"]) == (1, 1, 1)
    assert set_counts([], ["x"]) == (0, 0, 1)


def test_match_instruments_by_id_then_specific_audioset_class() -> None:
    audioset = {
        "electric_guitar": {"Electric guitar", "Guitar", "Plucked string instrument"},
        "distorted_guitar": {"Electric guitar", "Guitar", "Plucked string instrument"},
        "banjo": {"Banjo", "Plucked string instrument"},
        "piano": {"Piano", "Keyboard (musical)"},
        "organ": {"Organ", "Keyboard (musical)"},
    }
    assert match_instruments(["piano"], ["piano"], audioset) == (1, 0, 0)
    assert match_instruments(["distorted_guitar"], ["electric_guitar"], audioset) == (1, 0, 0)
    # sharing only a broad class is not a match
    assert match_instruments(["banjo"], ["electric_guitar"], audioset) == (0, 1, 1)
    assert match_instruments(["organ"], ["piano"], audioset) == (0, 1, 1)
    # one-to-one; an unresolvable gold label is a false negative
    assert match_instruments(["piano"], ["piano", "piano", None], audioset) == (1, 0, 2)


def _kb() -> KBIndex:
    return KBIndex(
        genres=[
            KBEntry("rock", "Rock", ("rock music",), ("Rock music",)),
            KBEntry("punk_rock", "Punk Rock", ("punk",), (), parent="rock"),
            KBEntry("edm", "EDM", ("electronic dance music",), ("Electronic dance music",)),
            KBEntry("soft_rock", "Soft Rock", (), ("Rock music",), parent="rock"),
        ],
        instruments=[
            KBEntry("bass_guitar", "Bass Guitar", ("bass", "e-bass"), ("Bass guitar",)),
            KBEntry("electric_guitar", "Electric Guitar", ("e-guitar",), ("Electric guitar", "Guitar")),
            KBEntry("trumpet", "Trumpet", (), ("Trumpet", "Brass instrument")),
            KBEntry("vocals", "Vocals", ("voice", "singer", "male vocal"), ("Singing",)),
        ],
        moods=[KBEntry("happy", "Happy", ("cheerful", "joyful"), ("Happy music",)),
               KBEntry("soft", "Soft", ("gentle",), ("Tender music",))],
        tempo_terms=[TempoTermEntry("medium", ("medium tempo", "moderate tempo"), 90, 120, 105)],
    )


def test_kb_index_resolution() -> None:
    kb = _kb()
    assert kb.resolve("genres", "Rock Music") == "rock"
    assert kb.resolve("genres", "punk-rock") == "punk_rock"
    assert kb.resolve("instruments", "trumpets") == "trumpet"
    assert kb.resolve("instruments", "groovy bass line") is None
    assert kb.resolve_contained("instruments", "groovy bass line") == "bass_guitar"
    assert kb.resolve_contained("instruments", "passionate male vocal") == "vocals"
    assert kb.resolve_loose("instruments", "Electric Guitar") == "electric_guitar"
    assert kb.resolve_contained("genres", "soft rock") == "soft_rock"  # longest alias wins
    assert kb.ancestors("punk_rock") == ["punk_rock", "rock"]
    assert kb.audioset("genres", "punk_rock") == {"Rock music"}  # inherited from the parent
    assert kb.audioset("instruments", "trumpet") == {"Trumpet", "Brass instrument"}
    term = kb.tempo_term("Moderate Tempo")
    assert term is not None and term.term == "medium"
    assert kb.tempo_term("groovy") is None


def test_evenly_and_percentile() -> None:
    assert evenly(list(range(10)), None) == list(range(10))
    assert evenly(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert evenly(list(range(3)), 10) == [0, 1, 2]
    assert percentile([], 50) is None
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([float(i) for i in range(101)], 95) == pytest.approx(95.0)
