"""Orchestration (issue 10): every stated instrument is heard, each hand-percussion instrument as its own part,
a guessed player keeps to the part the genre's line-up gives it, and a generic drum phrase plays the genre's
own drums."""

from __future__ import annotations

from typing import Any

import pytest

from bench import music_metrics as mm
from engine.inputs import parse_parameters, parse_plan
from engine.score import Score
from engine.structure.arrangement import compose
from engine.structure.meter import Meter
from engine.structure.orchestration import orchestrate
from engine.structure.percussion import percussion_pattern
from knowledge_base import KnowledgeBase
from knowledge_base.layout import decode
from tests.engine.conftest import make_controls, make_plan

VERSE_CHORUS = (("verse", 0.5, 0.3), ("chorus", 0.5, 0.8))


def composed(kb: KnowledgeBase, genre: str, items: list[dict[str, str]], *, energy: float = 0.6,
             sections: tuple[tuple[str, float, float], ...] = VERSE_CHORUS, duration_s: float = 16.0) -> Score:
    plan = make_plan(tempo_bpm=110.0, key="C major", chords=("C", "F", "G", "C"), duration_s=duration_s,
                     sections=sections)
    controls = make_controls(kb, tempo_bpm=110.0, genre=genre, energy=energy)
    params = parse_parameters({**controls["parameters"], "instrumentation": items})
    return compose(plan=parse_plan(plan), controls=decode(kb, controls["control_embedding"]), params=params, kb=kb,
                   duration_s=duration_s, seed=0)


def stated(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "role": "rhythm", "confidence": 0.9, "source": "stated"} for n in names]


def hand_percussion(kb: KnowledgeBase) -> list[str]:
    kit = kb.synth_presets.kit_pieces()
    return sorted(i.id for i in kb.instruments if i.drum and i.id not in kit and i.family != "fx")


@pytest.mark.parametrize("meter_text", ["4/4", "3/4", "6/8", "7/8"])
def test_every_hand_percussion_instrument_plays_at_every_level(kb: KnowledgeBase, meter_text: str) -> None:
    """Claps and finger snaps (the clap voice) had no pattern, a shaker or tambourine none at low energy: a stated
    "clapping" was a silent part, dropped from the score."""
    meter = Meter.parse(meter_text)
    for instrument in hand_percussion(kb):
        voices = kb.synth_presets.percussion_voices(instrument)
        for level in ("low", "mid", "high"):
            hits = "".join(percussion_pattern(v, meter, level) for v in voices)
            assert hits.strip("."), f"{instrument} ({voices}) is silent at {level} in {meter_text}"


def test_every_hand_percussion_instrument_has_voices_of_its_own(kb: KnowledgeBase) -> None:
    """A gong or wind chimes fell to the default shaker: only the generic 'percussion' plays the default."""
    fallen = [i for i in hand_percussion(kb) if i not in kb.synth_presets.percussion and i != "percussion"]
    assert not fallen


def test_each_stated_percussion_instrument_is_its_own_track(kb: KnowledgeBase) -> None:
    """'hand claps and tambourine': two parts, two stems, each heard in every bar, a quiet verse included (both
    had shared one track named for the clap, which played nothing)."""
    score = composed(kb, "pop", stated("hand clap", "tambourine"))
    bars = mm.music_bars(score)
    for inst in ("clap", "tambourine"):
        tracks = [t for t in score.tracks if t.instrument_id == inst]
        assert len(tracks) == 1 and tracks[0].role == "percussion" and tracks[0].featured, inst
        played = {mm.bar_of(score, n.start_s) for n in tracks[0].notes}
        assert len(played) >= bars - 1, inst  # the ringing last bar aside
    assert len({t.name for t in score.tracks}) == len(score.tracks)
    assert any(t.role == "drums" for t in score.tracks)  # pop's kit still plays under them


def test_a_kids_song_s_clapping_and_bass(kb: KnowledgeBase) -> None:
    """'cheerful kids song, glockenspiel, ukulele, clapping': the claps play, and the line-up's bass guitar plays
    the bass (the inferred piano had taken it with its third role, at MIDI 30-37)."""
    items = [{"name": "glockenspiel", "role": "lead", "source": "stated"},
             {"name": "ukulele", "role": "rhythm", "source": "stated"},
             {"name": "hand clap", "role": "rhythm", "source": "stated"},
             {"name": "piano", "role": "harmony", "source": "inferred"},
             {"name": "bass guitar", "role": "bass", "source": "inferred"}]
    score = composed(kb, "childrens", [{**i, "confidence": 0.9} for i in items])
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts["bass"] == "bass_guitar" and parts["lead"] == "glockenspiel" and parts["harmony"] == "ukulele"
    assert parts["percussion"] == "clap" and all(t.notes for t in score.tracks)


@pytest.mark.parametrize("genre", ["pop", "rock", "folk", "childrens", "salsa", "deep house", "jazz"])
def test_a_guessed_player_plays_only_its_line_up_part(kb: KnowledgeBase, genre: str) -> None:
    """Every inferred (not stated) pitched part plays the role the genre's line-up gives its instrument; a chordal
    player beside a kitless band's strummer may break its chords (arp: orchestration._picks_beside_the_strum)."""
    lineup = [(gi.instrument, gi.role) for g in kb.genre_lineage(genre) for gi in g.instruments]
    items = [{"name": kb.instrument(i).name, "role": r, "confidence": 0.5, "source": "inferred"} for i, r in lineup]
    controls = make_controls(kb, tempo_bpm=110.0, genre=genre)
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), genres=kb.genre_lineage(genre), kb=kb,
                            params=parse_parameters({**controls["parameters"], "instrumentation": items}))
    role_of = {"rhythm": "harmony", "vocal": "lead", "texture": "arp"}
    for part in orchestra.parts:
        if part.role in ("drums", "percussion"):
            continue
        own = {role_of.get(r, r) for i, r in lineup if i == part.instrument_id}
        capable = part.role in ("bass", "harmony") and part.role in kb.instrument(part.instrument_id).roles
        picks = part.role == "arp" and "harmony" in own
        assert part.role in own or capable or picks or part.role in ("pad", "lead"), (part, own)


@pytest.mark.parametrize(("genre", "phrase", "role", "expected"), [
    ("rock", "big drums", "drums", "drum_kit"), ("trap", "huge drums", "drums", "trap_drums"),
    ("pop", "massive drums", "drums", "drum_kit"), ("epic_trailer", "big drums", "percussion", "taiko"),
    ("film_score", "epic drums", "percussion", "taiko"), ("rock", "war drums", "percussion", "taiko")])
def test_a_generic_drum_phrase_plays_the_genre_s_drums(kb: KnowledgeBase, genre: str, phrase: str, role: str,
                                                       expected: str) -> None:
    score = composed(kb, genre, stated(phrase))
    track = next((t for t in score.tracks if t.role == role), None)
    assert track is not None and track.instrument_id == expected and track.featured
    assert all(t.instrument_id != "taiko" for t in score.tracks) or expected == "taiko"


def _orchestra(kb: KnowledgeBase, genre: str, items: list[dict[str, Any]], ensemble: str | None = None,
               song_form: bool = False, refused: tuple[str, ...] = ()) -> Any:
    controls = make_controls(kb, tempo_bpm=90.0, genre=genre)
    params = parse_parameters({**controls["parameters"], "ensemble": ensemble, "excluded_parts": list(refused),
                               "instrumentation": [{"confidence": 0.9, **i} for i in items]})
    orchestra = orchestrate(controls=decode(kb, controls["control_embedding"]), params=params,
                            genres=kb.genre_lineage(genre), kb=kb, song_form=song_form)
    return {p.role: p.instrument_id for p in orchestra.parts}


@pytest.mark.parametrize("ensemble", ["Duo", None])
def test_the_stated_melodic_player_takes_the_melody(kb: KnowledgeBase, ensemble: str | None) -> None:
    """'piano and cello duet', 'cello and piano, romantic': the cello sings the tune and the piano accompanies; the
    cello had played the bass (its first role) under the piano's right hand, or under a guessed violin."""
    items = [{"name": "piano", "role": "harmony", "source": "stated"},
             {"name": "cello", "role": "bass", "source": "stated"},
             {"name": "violin", "role": "lead", "source": "inferred"},
             {"name": "timpani", "role": "percussion", "source": "inferred"}]
    parts = _orchestra(kb, "romantic_era", items, ensemble)
    assert parts["lead"] == "cello" and parts["harmony"] == "piano"
    assert parts["bass"] in ({"piano"} if ensemble else {"double_bass", "cello"} - {"cello"})
    assert "violin" not in parts.values() and "timpani" not in parts.values()


def test_a_named_melody_keeps_its_player(kb: KnowledgeBase) -> None:
    """A prompt that gives the melody to someone keeps it there (a violin and cello duet: the violin leads); a
    stated bass (a dubstep wobble bass) plays the bass, not the tune over it."""
    items = [{"name": "violin", "role": "lead", "source": "stated"},
             {"name": "cello", "role": "bass", "source": "stated"}]
    assert _orchestra(kb, "classical", items, "Duo")["lead"] == "violin"
    items = [{"name": "wobble bass", "role": "bass", "source": "stated"},
             {"name": "synth lead", "role": "lead", "source": "inferred"}]
    parts = _orchestra(kb, "dubstep", items)
    assert parts["bass"] == "wobble_bass" and parts["lead"] != "wobble_bass"
    # an acid bassline (its name "Acid Bass (TB-303)" does not end in "bass") plays the bass line, not only the tune
    items = [{"name": "Acid Bass (TB-303)", "role": "bass", "source": "stated"},
             {"name": "Synthesizer", "role": "texture", "source": "inferred"}]
    parts = _orchestra(kb, "techno", items)
    assert parts["bass"] == "acid_bass"


def test_no_guessed_part_is_an_effect_or_a_voice(kb: KnowledgeBase) -> None:
    """An epic trailer's line-up lists cinematic impacts, hip hop's a turntable: guessed, they played arpeggios
    on a sub bass or a synth pad. Only a stated effect plays a part."""
    for genre in kb.genres:
        lineup = [(gi.instrument, gi.role) for g in kb.genre_lineage(genre.id) for gi in g.instruments]
        items = [{"name": kb.instrument(i).name, "role": r, "source": "inferred"} for i, r in lineup]
        for song_form in (False, True):  # a chorus's added layer too
            parts = _orchestra(kb, genre.id, items, song_form=song_form)
            families = {kb.instrument(i).family for r, i in parts.items() if r not in ("drums", "percussion")}
            assert not families & {"fx", "vocal"}, genre.id


@pytest.mark.parametrize("genre", ["indian_classical", "asian", "middle_eastern", "traditional", "new_age",
                                   "meditation"])
def test_no_bass_guitar_joins_a_line_up_without_a_band(kb: KnowledgeBase, genre: str) -> None:
    """A sitar and tabla, a koto, an oud: a line-up with neither a kit nor a bass player had the fill list's bass
    guitar added under it. Every pitched part is the line-up's own."""
    lineup = [(gi.instrument, gi.role) for g in kb.genre_lineage(genre) for gi in g.instruments]
    parts = _orchestra(kb, genre, [{"name": kb.instrument(i).name, "role": r, "source": "inferred"}
                                   for i, r in lineup])
    assert {i for r, i in parts.items() if r not in ("drums", "percussion")} <= {i for i, _ in lineup}


def test_a_fourth_percussion_instrument_joins_the_last_part(kb: KnowledgeBase) -> None:
    """Three percussion parts at most; the voices of a fourth stated instrument play on the last one, never lost."""
    parts = orchestrate(controls=decode(kb, make_controls(kb, tempo_bpm=100.0, genre="salsa")["control_embedding"]),
                        params=parse_parameters({**make_controls(kb, tempo_bpm=100.0, genre="salsa")["parameters"],
                                                 "instrumentation": stated("congas", "bongos", "cowbell", "triangle")}),
                        genres=kb.genre_lineage("salsa"), kb=kb).parts
    percussion = [p for p in parts if p.role == "percussion"]
    assert [p.instrument_id for p in percussion] == ["congas", "bongos", "cowbell"]
    assert "triangle" in percussion[-1].voices and "cowbell" in percussion[-1].voices


def test_the_line_up_s_percussion_plays_beside_a_stated_one(kb: KnowledgeBase) -> None:
    """'salsa with congas': the stated congas are a named part; the line-up's timbales and cowbell (guessed) play
    one more part, not featured, with none of the congas' voices."""
    items = stated("congas") + [{"name": n, "role": "percussion", "confidence": 0.5, "source": "inferred"}
                                for n in ("timbales", "cowbell")]
    score = composed(kb, "salsa", items)
    percussion = [t for t in score.tracks if t.role == "percussion"]
    assert [(t.instrument_id, t.featured) for t in percussion] == [("congas", True), ("timbales", False)]
    congas = {n.pitch for n in percussion[0].notes}
    assert percussion[1].notes and not congas & {n.pitch for n in percussion[1].notes}


@pytest.mark.parametrize(("genre", "names", "kit", "instrument"), [
    ("lofi hip hop", ("Drum Kit",), "lofi_live", "drum_kit"),  # "lofi beat with live drums" played the lo-fi machine
    ("trap", ("Drum Kit",), "acoustic", "drum_kit"),  # "Drum Kit" had been read as a kind: the line-up's 808
    ("trap", ("Trap Drums", "Drum Kit"), "acoustic", "drum_kit"),  # "trap beat with a live drummer"
    ("deep house", ("Drum Kit",), "acoustic", "drum_kit"),
    ("rock", ("Drum Machine",), "tr909", "drum_machine"),  # "rock song with a drum machine" played the rock kit
    ("folk", ("Electronic Drums",), "tr909", "electronic_drums"),
    ("lofi hip hop", ("Drum Machine",), "lofi", "drum_machine"),  # lo-fi's own machine ("lofi beat with drums")
    ("deep house", ("Hi-hat", "Snare Drum"), "tr909", None),  # kit pieces choose no kit
    ("rock", ("Hi-hat",), "rock", None),
])
def test_a_stated_kind_of_drums_chooses_the_kit(kb: KnowledgeBase, genre: str, names: tuple[str, ...], kit: str,
                                               instrument: str | None) -> None:
    """The parser's names for a drummer ("Drum Kit": live, real, acoustic drums, a drummer) and for a machine ("Drum
    Machine", "Electronic Drums": programmed drums) choose a kit of that kind when the genre's groove plays the other
    kind, and the drum track is that instrument's; a named kit piece keeps the genre's kit."""
    score = composed(kb, genre, stated(*names))
    drums = next(t for t in score.tracks if t.role == "drums")
    assert drums.preset == kit
    if instrument is not None:
        assert drums.instrument_id == instrument and drums.featured


@pytest.mark.parametrize("genre", ["ambient", "dark_ambient"])
def test_an_ambient_piece_has_no_beat_unless_asked(kb: KnowledgeBase, genre: str) -> None:
    """Ambient inherited electronic's drum machine (a tr909 ticking at -26 dB under a drone); its line-up is its own:
    pads, a drone bass, piano and strings. Asked for, the drums play."""
    lineup = [(gi.instrument, gi.role) for g in mm_lineage(kb, genre) for gi in g.instruments]
    guessed = _orchestra(kb, genre, [{"name": kb.instrument(i).name, "role": r, "source": "inferred"}
                                     for i, r in lineup])
    assert "drums" not in guessed and guessed.get("bass") in ("synth_bass", "sub_bass"), guessed
    asked = _orchestra(kb, genre, stated("Drum Kit") + [{"name": kb.instrument(i).name, "role": r,
                                                         "source": "inferred"} for i, r in lineup])
    assert "drums" in asked and asked.get("bass") in ("synth_bass", "sub_bass"), asked


def mm_lineage(kb: KnowledgeBase, genre: str) -> list[Any]:
    lineage = kb.genre_lineage(genre)
    closed = next((k for k, g in enumerate(lineage) if g.own_lineup), len(lineage) - 1)
    return lineage[: closed + 1]


def test_a_lullaby_has_no_claps_and_no_electric_bass(kb: KnowledgeBase) -> None:
    """A cradle song inherited the children's band's clapping and bass guitar."""
    lineup = [(gi.instrument, gi.role) for g in mm_lineage(kb, "lullaby") for gi in g.instruments]
    parts = _orchestra(kb, "lullaby", stated("Acoustic Guitar") + [
        {"name": kb.instrument(i).name, "role": r, "source": "inferred"} for i, r in lineup])
    assert not {"clap", "bass_guitar"} & set(parts.values()), parts


@pytest.mark.parametrize("keyboard", ["Upright Piano", "Grand Piano", "Piano"])
def test_a_stated_piano_plays_its_own_left_hand(kb: KnowledgeBase, keyboard: str) -> None:
    """'soft piano lullaby' (a felt piano): the stated piano held the chords while the lullaby line-up's other piano,
    never asked for, played the bass under them. The stated player's left hand plays the bass."""
    found = kb.find_instrument(keyboard)
    assert found is not None
    parts = _orchestra(kb, "lullaby", [{"name": keyboard, "role": "harmony", "source": "stated"}])
    assert parts.get("harmony") == found.id and parts.get("bass") == found.id, parts
    assert set(parts.values()) - {found.id} <= {"music_box", "celesta"}, parts  # no second piano
    parts = _orchestra(kb, "lullaby", [{"name": "Harp", "role": "harmony", "source": "stated"}])
    assert parts.get("harmony") == "harp" and parts.get("bass") == "piano", parts  # a harp leaves it to the piano

@pytest.mark.parametrize("second", ["whistling", "flute", "trumpet", "harmonica"])
def test_a_second_stated_line_player_plays_a_line_not_chords(kb: KnowledgeBase, second: str) -> None:
    """'indie folk, banjo, handclaps, whistling': two stated leads; the second one, a player of one line at a time,
    plays the counter line (it had whistled the pad's chords), while a chordal second player still takes the pad."""
    items = [{"name": "banjo", "role": "lead", "source": "stated"},
             {"name": second, "role": "lead", "source": "stated"}]
    parts = _orchestra(kb, "folk", items)
    placed = {i: r for r, i in parts.items()}
    assert set(placed) >= {"banjo", kb.find_instrument(second).id}
    assert placed[kb.find_instrument(second).id] in ("counter", "arp", "lead")
    assert placed[kb.find_instrument(second).id] not in ("pad", "harmony")
    items = [{"name": "banjo", "role": "lead", "source": "stated"},
             {"name": "mandolin", "role": "lead", "source": "stated"},
             {"name": "organ", "role": "lead", "source": "stated"}]
    assert _orchestra(kb, "folk", items).get("pad") in ("organ", "mandolin")


@pytest.mark.parametrize(("genre", "named", "comping", "not_lead"), [
    ("ska", ["Brass Section", "Electric Guitar"], "electric_guitar", "electric_guitar"),
    ("funk", ["Brass Section", "Electric Guitar"], "electric_guitar", "electric_guitar"),
])
def test_the_line_up_s_comping_player_comps_when_two_are_asked_to(kb: KnowledgeBase, genre: str, named: list[str],
                                                                   comping: str, not_lead: str) -> None:
    """'upbeat ska tune with horns and offbeat guitar': both stated players comp; the part went to the first named
    (the horns) and the ska guitar's skank became the melody. The line-up's own comping player comps."""
    items = [{"name": n, "role": "harmony", "confidence": 0.9, "source": "stated"} for n in named]
    score = composed(kb, genre, items)
    parts = {t.role: t.instrument_id for t in score.tracks}
    assert parts.get("harmony") == comping and parts.get("lead") != not_lead, parts



def test_a_leading_chordal_player_comps_as_well(kb: KnowledgeBase) -> None:
    """A neoclassical piano that leads (its line-up's part) plays its chords too, a pianist's two hands: the chords
    had gone to the strings, and before that an inferred upright piano had the tune over the stated piano's chords."""
    items = [{"name": "piano", "role": "lead", "source": "stated"},
             {"name": "cello", "role": "counter", "source": "inferred"},
             {"name": "string section", "role": "pad", "source": "inferred"}]
    parts = _orchestra(kb, "neoclassical", items)
    assert parts["lead"] == "piano" and parts["harmony"] == "piano"
    items = [{"name": "violin", "role": "lead", "source": "stated"},  # a violin plays no chords
             {"name": "string section", "role": "pad", "source": "inferred"}]
    assert _orchestra(kb, "neoclassical", items).get("harmony") != "violin"


@pytest.mark.parametrize("instrument", ["piano", "acoustic guitar", "harp"])
def test_a_solo_chordal_player_holds_the_chords_between_its_bass_and_tune(kb: KnowledgeBase, instrument: str) -> None:
    """'waltz, piano solo, E minor': a named-only line-up of one piano played a bass note a bar under its tune and
    no chord between them (the waltz's oom-pah-pah was gone). The player who leads holds the chords too."""
    parts = _orchestra(kb, "waltz", [{"name": instrument, "role": "lead", "source": "stated"}],
                       "Named instruments only")
    found = kb.find_instrument(instrument)
    assert found is not None and parts.get("harmony") == found.id and parts.get("lead") == found.id, parts
    parts = _orchestra(kb, "waltz", [{"name": "flute", "role": "lead", "source": "stated"}],
                       "Named instruments only")
    assert "harmony" not in parts, parts  # a flute plays no chords


@pytest.mark.parametrize(("genre", "refused", "gone"), [
    ("techno", ("lead",), {"lead"}), ("ambient", ("bass",), {"bass"}), ("deep_house", ("harmony",), {"harmony"}),
    ("synthwave", ("texture",), {"arp"}), ("house", ("rhythm",), {"drums", "percussion"}),
])
def test_a_refused_part_has_no_player(kb: KnowledgeBase, genre: str, refused: tuple[str, ...], gone: set[str]) -> None:
    """'ambient pads, no bass' had kept the style's synth bass once the bass guitar was refused; 'minimal techno, no
    melody' had a synth lead."""
    assert gone & set(_orchestra(kb, genre, [], song_form=True)), "the style plays the part when nothing is refused"
    assert not gone & set(_orchestra(kb, genre, [], song_form=True, refused=refused))


def test_a_stated_melodic_player_takes_another_part_when_the_melody_is_refused(kb: KnowledgeBase) -> None:
    """'cello and piano, no melody': the cello plays (the bass line) and nobody has the tune."""
    items = [{"name": "piano", "role": "harmony", "source": "stated"}, {"name": "cello", "role": "lead",
                                                                         "source": "stated"}]
    parts = _orchestra(kb, "neoclassical", items, refused=("lead",))
    assert "lead" not in parts and "cello" in parts.values() and parts.get("harmony") == "piano", parts
