"""The rule-based semantic parser: runs every entity extractor, then infers what the text leaves
unstated from genre, mood and artist profiles, marking it inferred (never overriding a stated fact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from aurora.contracts import (
    CleanPrompt,
    EnergyValue,
    FeelValue,
    GenreValue,
    InstrumentValue,
    KeySignatureValue,
    MoodValue,
    ParsedMusicalParameters,
    ReferenceArtist,
    StructureValue,
    SubGenreValue,
    TempoValue,
    TimeSignatureValue,
)
from aurora.parser.arrangement import opening_players, parse_arrangement
from aurora.parser.artists import ArtistFinding, ArtistParser
from aurora.parser.chords import lone_tonic_chord, parse_chords
from aurora.parser.duration import parse_duration
from aurora.parser.ensemble import (
    EnsembleFinding,
    EnsembleParser,
    ensemble_instruments,
    others_join,
    small_group_style,
)
from aurora.parser.feel import FeelFinding, FeelParser, blank_feel_words, feel_meter, feel_swing, tempo_window
from aurora.parser.form import parse_form
from aurora.parser.genre import GenreRanker, GenreScore
from aurora.parser.habits import key_signature, usual_tempo
from aurora.parser.home_chord import home_chord_key
from aurora.parser.instruments import InstrumentFinding, InstrumentParser, plays_refused_part
from aurora.parser.key import parse_key
from aurora.parser.key_change import parse_key_change, with_key_change
from aurora.parser.lexicon import without_scoped_only
from aurora.parser.lineup_roles import filled_roles, lineup_roles
from aurora.parser.meter import parse_meter
from aurora.parser.mood import MoodFinding, MoodParser
from aurora.parser.signature_players import SignaturePlayers
from aurora.parser.structure import StructureParser, TextureParser
from aurora.parser.style_cues import StyleCues, stated_cues
from aurora.parser.tempo import TempoFinding, TempoParser
from aurora.parser.unplugged import unplugged
from aurora.parser.unusable import unusable_values
from aurora.text_embedding import TextEmbedder
from knowledge_base import KnowledgeBase
from knowledge_base.instrument_kinds import kind_in_lineup
from knowledge_base.schema import Chords, Ensemble, Genre, Instrument, Role
from knowledge_base.theory import Key, estimate_key_from_chords, key_of, parse_key_label, roman_to_chord

# "solo" closes a line-up only where aurora.parser.ensemble.EnsembleParser.closed says ("solo piano", "piano solo,
# sad"), never as a band's part ("a guitar solo over a funky groove")
_SOLO_RE = re.compile(r"\b(?:unaccompanied|only|just|a\s+cappella|acapella|a\s+capella|alone|no\s+other\s+"
                      r"(?:instruments?|instrumentation|accompaniment)|nothing\s+else)\b")
INFERRED_INSTRUMENT_CONFIDENCE = 0.45
ARTIST_INSTRUMENT_CONFIDENCE = 0.55
ALONE_CONFIDENCE = 0.6  # a solo piece's genre read from its player, not stated
# tempo words at or above this are "fast" words (a faster genre keeps its tempo); at or below, "slow" words
FAST_WORD_BPM = 115.0
SLOW_WORD_BPM = 90.0


@dataclass
class ParseOutcome:
    parameters: ParsedMusicalParameters
    genre_ranking: list[GenreScore]
    warnings: list[str] = field(default_factory=list)


class SemanticParser:
    """Text -> ParsedMusicalParameters with honest confidences. Thread-safe after warm_up()."""

    def __init__(self, kb: KnowledgeBase, embedder: TextEmbedder) -> None:
        self.kb = kb
        self.embedder = embedder
        self.tempo = TempoParser(kb)
        self.instruments = InstrumentParser(kb)
        fallback = kb.find_genre(kb.defaults.genre)
        self.genres = GenreRanker(kb, embedder, fallback_genre_id=fallback.id if fallback else None)
        self.moods = MoodParser(kb, embedder)
        self.artists = ArtistParser(kb)
        self.structures = StructureParser(kb)
        self.textures = TextureParser(kb)
        self.feels = FeelParser(kb)
        self.ensembles = EnsembleParser(kb)
        self.signatures = SignaturePlayers(kb)

    def warm_up(self) -> None:
        self.genres.warm_up()
        self.moods.warm_up()

    def rank_genres(self, text: str) -> list[GenreScore]:
        lowered = text.lower()
        return self._rank(lowered, self.embedder.encode_one(text), self.artists.parse(lowered))

    def _rank(self, lowered: str, prompt_vec: np.ndarray, artists: list[ArtistFinding]) -> list[GenreScore]:
        """Genres ranked for the text, with the artists' names blanked out ("Daft Punk" names no genre)."""
        players, moods = self.instruments.parse(lowered), self.moods.named(lowered)
        return self.genres.rank(_without_artists(lowered, artists), prompt_vec,
                                artist_genres=[a.artist.genre for a in artists],
                                signature_genres=self.signatures.genres(players, moods),
                                lineup_genres=self.signatures.lineup_genres(players, self.genres.fallback_id, moods),
                                stated_moods=moods)

    def unstated(self, text: str) -> tuple[Genre, float, str | None]:
        """What parse() infers where ``text`` states no tempo and no key: the style (genre or sub-genre), its
        tempo and its key. The suggester's chips propose exactly these values."""
        lowered = text.lower()
        prompt_vec = self.embedder.encode_one(text) if text.strip() else np.zeros(384, dtype=np.float32)
        artists = self.artists.parse(lowered)
        feels = self.feels.parse(lowered)
        genre, sub_genre, _, _ = self._split(lowered, prompt_vec,
                                                self._feel_aware_rank(lowered, prompt_vec, artists, feels))
        style = sub_genre or genre
        moods = self.moods.parse(lowered, prompt_vec, genre=style)
        if not any(m.stated for m in moods) and artists:
            moods = [MoodFinding(m, 0.55, False) for m in artists[0].artist.moods[:3]]
        tempo = self._tempo(lowered, style, moods, artists, [], [], feels)
        return style, tempo.bpm, key_signature(self.kb, None, style, moods, artists, [], text).value

    def parse(self, clean: CleanPrompt) -> ParseOutcome:
        text = clean.text
        lowered = text.lower()
        warnings: list[str] = []
        explicit: list[str] = []
        prompt_vec = self.embedder.encode_one(text) if text.strip() else np.zeros(384, dtype=np.float32)

        artists = self.artists.parse(lowered)
        feels = self.feels.parse(lowered)
        ensemble = self._ensemble(lowered)
        ranking = self._feel_aware_rank(lowered, prompt_vec, artists, feels)
        genre, sub_genre, genre_conf, sub_conf = self._split(lowered, prompt_vec, ranking)
        if ensemble is not None:
            explicit.append("ensemble")
        if ranking[0].stated:
            explicit.append("genre")
            if sub_genre is not None and ranking[0].genre_id == sub_genre.id:
                explicit.append("sub_genre")  # the typed word named the sub-genre: label it where it lands
        style_genre = sub_genre or genre
        if feels:
            explicit.append("feels")

        moods = self.moods.parse(lowered, prompt_vec, genre=style_genre)
        if any(m.stated for m in moods):
            explicit.append("mood")
        elif artists:
            moods = [MoodFinding(m, 0.55, False) for m in artists[0].artist.moods[:3]]

        key_finding = parse_key(text, self.kb.chords)
        tempo_value = self._tempo(lowered, style_genre, moods, artists, warnings, explicit, feels)
        key_value = key_signature(self.kb, key_finding, style_genre, moods, artists, explicit, text)
        meter = parse_meter(text)
        if meter is not None:
            explicit.append("time_signature")
            time_signature = TimeSignatureValue(value=meter.value, confidence=meter.confidence)
        elif feel_meter(feels) is not None:
            explicit.append("time_signature")
            time_signature = TimeSignatureValue(value=feel_meter(feels) or "4/4", confidence=0.8)
        else:
            time_signature = TimeSignatureValue(value=style_genre.meters[0], confidence=0.6)

        chords: list[str] = []
        skip = [key_finding.span] if key_finding else []
        chord_finding = parse_chords(text, self.kb.chords, skip_spans=skip)
        if chord_finding is not None:
            explicit.append("chords")
            if chord_finding.chords:
                chords = chord_finding.chords
            else:
                if key_finding is not None and not key_finding.mode_stated and chord_finding.roman:
                    # "I-IV-V in A": the numerals' case says the mode the text left out
                    first = chord_finding.roman[0].lstrip("b#♭♯")
                    key_value = key_value.model_copy(update={"value": key_of(
                        key_finding.key.tonic_pc, "minor" if first[:1].islower() else "major", self.kb.chords).label()})
                key = _key_from_label(key_value.value, self.kb.chords) or key_of(0, "major", self.kb.chords)
                chords = [roman_to_chord(n, key, self.kb.chords) for n in chord_finding.roman]

        tonic_chord = None if chord_finding is not None else lone_tonic_chord(text, self.kb.chords, skip_spans=skip)
        tonic_symbol = None  # "jazz ballad, Ebmaj7": the key and the home chord one spelled chord names
        if tonic_chord is not None:
            key_value, tonic_symbol = home_chord_key(tonic_chord, key_finding, key_value, style_genre, self.kb.chords)
            if "key_signature" not in explicit:
                explicit.append("key_signature")

        if key_finding is None and chord_finding is not None and chord_finding.chords:
            from_chords = estimate_key_from_chords(chords, self.kb.chords)
            if from_chords is not None:  # the stated harmony implies the key better than genre habits do
                key_value = KeySignatureValue(value=from_chords.label(), confidence=0.7)

        if ensemble is None:  # "solo piano", "just piano and cello", "a trio of piano, bass and drums"
            ensemble = self.ensembles.closed(without_scoped_only(lowered), self.instruments.parse(lowered).found)
            if ensemble is not None:
                explicit.append("ensemble")
        band = self._band(lowered, artists)  # players listed as a known ensemble's: its own instruments first
        band_players = [p.instrument for p in band.parts] if band is not None and band.genre in {
            g.id for g in self.kb.genre_lineage(style_genre.id)} else []
        instruments, excluded, refused = self._instruments(lowered, style_genre, artists, explicit, ensemble,
                                                           band_players)
        instruments, acoustic = unplugged(lowered, self.instruments.parse(lowered).found, instruments, self.kb)
        energy = self.moods.energy(lowered, moods)
        if energy is not None:
            explicit.append("energy_level")
            energy_value = EnergyValue(value=round(energy.value, 3), confidence=energy.confidence)
        else:
            energy_value = EnergyValue(value=round(self._infer_energy(style_genre, moods, tempo_value.bpm), 3),
                                       confidence=0.45)

        structure = self.structures.parse(lowered, [g.id for g in self.kb.genre_lineage(style_genre.id)])
        if structure is not None:
            explicit.append("structure")
            structure_value = StructureValue(value=self.kb.structure(structure.structure_id).name,
                                             confidence=structure.confidence)
        else:
            structure_value = StructureValue(value=self.kb.structure(style_genre.structures[0]).name, confidence=0.5)

        duration_s = parse_duration(lowered)
        if duration_s is not None:
            explicit.append("duration_s")
        if key_finding and key_finding.alternatives:
            alt = ", ".join(k.label() for k in key_finding.alternatives)
            warnings.append(f"Several keys are named; using {key_value.value} (also mentioned: {alt}).")
        if key_finding and key_finding.changes:
            verb = "is read as a key change" if len(key_value.changes) == 1 else "are read as key changes"
            warnings.append(f"Several keys are named; {key_value.value} is the key and {', '.join(key_value.changes)} "
                            f"{verb}.")
        key_value = with_key_change(key_value, parse_key_change(text), self.kb.chords, warnings)

        params = ParsedMusicalParameters(
            genre=GenreValue(value=genre.name, confidence=round(genre_conf, 3)),
            sub_genre=SubGenreValue(value=sub_genre.name if sub_genre else None, confidence=round(sub_conf, 3)),
            tempo=tempo_value,
            mood=[MoodValue(value=self.kb.mood(m.mood_id).name, confidence=m.confidence,
                            source="stated" if m.stated else ("artist" if artists else "inferred")) for m in moods],
            instrumentation=instruments,
            structure=structure_value,
            key_signature=key_value,
            time_signature=time_signature,
            energy_level=energy_value,
            reference_artists=[ReferenceArtist(name=a.artist.name, relevance=a.relevance) for a in artists],
            excluded_instruments=[self.kb.instrument(i).name for i in excluded],
            excluded_parts=refused,
            chords=chords,
            tonic_chord=tonic_symbol,
            duration_s=duration_s,
            textures=self.textures.parse(lowered),
            feels=[FeelValue(value=f.feel.name, swing=feel_swing([f])) for f in feels],
            ensemble=ensemble.ensemble.name if ensemble is not None else None, acoustic=acoustic,  # "unplugged"
            opening=opening_players(lowered, (named := self.instruments.parse(lowered)).found, spelled := (
                lambda i: self._spelled(i, instruments))),  # "starts with solo piano, then the band comes in"
            form=(form := parse_form(lowered)),  # "intro, verse, chorus, verse, chorus, outro": the sections listed
            arrangement=(laid := parse_arrangement(lowered, named.found, named.scoped, named.scoped_parts,  # "fade out"
                                                   spelled=spelled, family=lambda i: self.kb.instrument(i).family,
                                                   is_piece=lambda i: i in self.kb.synth_presets.drum_pieces,
                                                   find_mood=self.kb.find_mood)),
            explicit=sorted(set(explicit) | ({"form"} if form else set()) | ({"arrangement"} if laid else set())
                            | ({"acoustic"} if acoustic else set())),
        )
        warnings += unusable_values(text, params)  # stated values no extractor could use, never dropped silently
        return ParseOutcome(params, ranking, warnings)

    def _spelled(self, instrument_id: str, instruments: list[InstrumentValue]) -> str:
        """A named player as the line-up spells it (a stated "piano" played as the upright)."""
        name, stated = self.kb.instrument(instrument_id).name, [v.name for v in instruments if v.source == "stated"]
        return next((s for s in stated if s == name), None) or next((s for s in stated if s.endswith(" " + name)), name)

    # -- inference of what the text leaves unstated ------------------------------------------
    def _feel_aware_rank(self, lowered: str, prompt_vec: np.ndarray, artists: list[ArtistFinding],
                         feels: list[FeelFinding]) -> list[GenreScore]:
        """Genres ranked for the text; a feel word ("waltz", "swinging") is not the genre when the text names
        another one ("a slow jazz waltz" is Jazz in 3/4), and names it only when nothing else does."""
        ranking = self._rank(lowered, prompt_vec, artists)
        own = {f.feel.genre for f in feels if f.feel.genre}
        if own and ranking[0].stated and ranking[0].genre_id in own:
            without = self._rank(blank_feel_words(lowered, feels), prompt_vec, artists)
            ranking = without if without[0].stated else ranking
        ensemble = self._ensemble(lowered)
        if ensemble is not None and ensemble.ensemble.genre and not ranking[0].stated and not artists:
            # "string quartet, G major, calm": the ensemble names its genre when nothing else does
            ranking = _promoted(ranking, ensemble.ensemble.genre)
        elif not ranking[0].stated and (band := self._band(lowered, artists)) is not None and band.genre:
            # "a quartet: sax, piano, bass and drums": an ensemble's players listed one by one name its genre too
            ranking = _promoted(ranking, band.genre)
        return ranking

    def _split(self, lowered: str, prompt_vec: np.ndarray, ranking: list[GenreScore],
               ) -> tuple[Genre, Genre | None, float, float]:
        """Genre and sub-genre from the ranking, the sub-genre fitting a small group the text names or lists ("a
        quartet: sax, piano, bass and drums" is no big band: aurora.parser.ensemble.small_group_style). A sub-genre
        the text names stays. A piece for one player alone that names no genre is the player's own (``_alone``)."""
        alone = None if ranking[0].stated else self._alone(lowered)
        if alone is not None and alone.id not in {g.id for g in self.kb.genre_lineage(ranking[0].genre_id)}:
            root = self.kb.genre_lineage(alone.id)[-1]
            return root, (alone if alone.id != root.id else None), ALONE_CONFIDENCE, ALONE_CONFIDENCE
        family = self.kb.genre(ranking[0].genre_id)  # the players its own line-up holds say no more than its name
        held = [(f.start, f.start + len(f.phrase)) for f in self.instruments.parse(lowered).found
                if f.instrument_id in {i.instrument for i in family.instruments}] if family.parent is None else []
        genre, sub_genre, genre_conf, sub_conf = self.genres.split(ranking, self._cues(lowered),
                                                                   bare=self.genres.bare(lowered, held))
        if sub_genre is None or (ranking[0].stated and ranking[0].genre_id == sub_genre.id):
            return genre, sub_genre, genre_conf, sub_conf
        players = self._group_players(lowered, genre)
        if not players:
            return genre, sub_genre, genre_conf, sub_conf
        tempo = self.tempo.parse(lowered)
        moods = [m.mood_id for m in self.moods.parse(lowered, prompt_vec) if m.stated]
        fitting = small_group_style(self.kb, genre, sub_genre, players, {s.genre_id: s.similarity for s in ranking},
                                    moods=moods, tempo_bpm=tempo.bpm if tempo is not None else None)
        return genre, fitting, genre_conf, sub_conf if fitting is not None else 0.0

    def _alone(self, lowered: str) -> Genre | None:
        """The genre of a piece for one player alone ("solo guitar, gentle": folk, not the hard rock a guitar's word
        sits nearest; "a sad piano piece": neoclassical, not film music with an orchestra): instruments.yaml
        ``solo_genre``. None where the text names other players or an artist, or leaves the line-up open."""
        found = self.instruments.parse(lowered).found
        ids = {f.instrument_id for f in found}
        if len(ids) != 1 or self.artists.parse(lowered) or \
                self.ensembles.closed(without_scoped_only(lowered), found) is None:
            return None
        return self.kb.find_genre(self.kb.instrument(ids.pop()).solo_genre)

    def _group_players(self, lowered: str, genre: Genre) -> list[Instrument]:
        """The players of the ensemble of ``genre``'s family the text names (a jazz trio's piano, double bass and
        drums) or lists one by one ("sax piano bass drums", each word read as that group's instrument)."""
        named = self._ensemble(lowered)
        if named is not None and named.ensemble.parts:
            if named.ensemble.genre is None or self.kb.root_genre(named.ensemble.genre).id != genre.id:
                return []
            return [self.kb.instrument(i) for i in dict.fromkeys(p.instrument for p in named.ensemble.parts)]
        found = self.instruments.parse(lowered).found
        band = self.ensembles.by_players(found)
        if band is None or band.genre is None or self.kb.root_genre(band.genre).id != genre.id:
            return []
        own = [p.instrument for p in band.parts]
        return [kind_in_lineup(self.kb, f.phrase, self.kb.instrument(f.instrument_id), own) for f in found]

    def _band(self, lowered: str, artists: list[ArtistFinding]) -> Ensemble | None:
        """The ensemble whose players the text lists when it names no ensemble, genre or artist (aurora.parser.
        ensemble.EnsembleParser.by_players)."""
        if artists or self.genres.stated(lowered)[0] or self._ensemble(lowered) is not None:
            return None
        return self.ensembles.by_players(self.instruments.parse(lowered).found)

    def _cues(self, lowered: str) -> StyleCues:
        """The stated facts that tell a genre's sub-genres apart: moods, instruments, a tempo stated as a number, a
        feel, a meter."""
        moods = self.moods.named(lowered)
        return stated_cues(moods=moods, arousals=[self.kb.mood(m).arousal for m in moods],
                           instruments=[f.instrument_id for f in self.instruments.parse(lowered).found],
                           tempo=self.tempo.parse(lowered), meter=parse_meter(lowered),
                           swing=feel_swing(self.feels.parse(lowered)))

    def _ensemble(self, lowered: str) -> EnsembleFinding | None:
        """The ensemble the text names, unless its words are part of a longer instrument name ("big band horns"
        are the brass section, not a big band)."""
        found = self.ensembles.parse(lowered, self.genres.stated(lowered)[0])
        if found is None or any(f.start <= found.start and f.start + len(f.phrase) > found.end
                                for f in self.instruments.parse(lowered).found):
            return None
        return found

    def _tempo(self, lowered: str, genre: Genre, moods: list[MoodFinding], artists: list[ArtistFinding],
               warnings: list[str], explicit: list[str], feels: list[FeelFinding]) -> TempoValue:
        finding = self.tempo.parse(lowered)
        if finding is not None:
            explicit.append("tempo")
            if finding.conflicts:
                chosen = f"'{finding.term}'" if finding.term else "the stated number"
                warnings.append(
                    f"Contradictory tempo words ({', '.join(finding.conflicts)} vs {chosen}); "
                    f"using {chosen} ({finding.bpm:g} BPM)."
                )
            bpm = finding.bpm
            if finding.source == "italian" and finding.range_bpm is not None:
                bpm = self._marking_tempo(finding.range_bpm, genre, moods)
            elif finding.source == "word":
                bpm = self._word_tempo(finding, genre)
            return TempoValue(type="explicit", bpm=bpm, confidence=finding.confidence,
                              range_bpm=finding.range_bpm, term=finding.term)
        if artists:
            return TempoValue(type="inferred", bpm=artists[0].artist.tempo_bpm, confidence=0.55,
                              term=f"style of {artists[0].artist.name}")
        window = tempo_window(genre, feels)
        bpm = usual_tempo(self.kb, genre, feels, [m.mood_id for m in moods if m.stated],
                          [m.mood_id for m in moods if not m.stated])
        return TempoValue(type="inferred", bpm=round(bpm), confidence=0.5, range_bpm=(window.min, window.max),
                          term=", ".join(f.feel.name.lower() for f in feels if f.feel.tempo_bpm) or None)

    def _mood_tempo_shift(self, moods: list[MoodFinding]) -> float:
        return float(np.mean([self.kb.mood(m.mood_id).tempo_shift_bpm for m in moods])) if moods else 0.0

    def _marking_tempo(self, range_bpm: tuple[float, float], genre: Genre, moods: list[MoodFinding]) -> float:
        """An Italian marking names a range (Allegro 110-140); within it, the genre's (and mood's) usual tempo
        decides: an Allegro techno track sits near 130, an Allegro ballad near 113. A 10% margin keeps the choice
        inside the marking's range. Plain words ("fast") keep their typical tempo: on the eval captions their
        labels spread over two or three tempo bins whatever the genre, so the genre adds nothing there."""
        lo, hi = range_bpm
        margin = 0.1 * (hi - lo)
        return float(round(np.clip(genre.tempo_bpm.typical + self._mood_tempo_shift(moods), lo + margin, hi - margin)))

    @staticmethod
    def _word_tempo(finding: TempoFinding, genre: Genre) -> float:
        """A plain word names a range and a direction from the genre's usual tempo: "fast" is at least the word's
        tempo, so fast punk goes to the top of the range rather than down to its middle; "slow" is at most the
        word's tempo, so a slow doom track keeps its 66. The word sets the direction: no mood shift is added."""
        usual, word_bpm = genre.tempo_bpm.typical, finding.bpm
        lo, hi = finding.range_bpm or (word_bpm, word_bpm)
        if word_bpm >= FAST_WORD_BPM:
            return float(round(min(max(word_bpm, usual), hi)))
        if word_bpm <= SLOW_WORD_BPM:
            return float(round(max(min(word_bpm, usual), lo)))
        return word_bpm

    def _instruments(self, lowered: str, genre: Genre, artists: list[ArtistFinding], explicit: list[str],
                     ensemble: EnsembleFinding | None = None, band_players: list[str] | None = None,
                     ) -> tuple[list[InstrumentValue], list[str], list[Role]]:
        parsed = self.instruments.parse(lowered)
        if parsed.refused_parts:
            explicit.append("excluded_parts")
        if ensemble is not None:  # a closed line-up: nothing is inferred beside it
            explicit += ["instrumentation"] + (["excluded_instruments"] if parsed.excluded else [])
            return (ensemble_instruments(self.kb, parsed.found, parsed.excluded, genre, ensemble, band_players or []),
                    parsed.excluded, parsed.refused_parts)
        lineup = list(dict.fromkeys([*(band_players or []), *(gi.instrument for g in self.kb.genre_lineage(genre.id)
                                                               for gi in g.instruments)]))
        for f in parsed.found:  # "bass" in a jazz trio is the double bass (knowledge_base.instrument_kinds)
            f.instrument_id = kind_in_lineup(self.kb, f.phrase, self.kb.instrument(f.instrument_id), lineup).id
        unique: dict[str, InstrumentFinding] = {}
        for f in parsed.found:
            unique.setdefault(f.instrument_id, f)
        parsed.found = lineup_roles(self.kb, list(unique.values()), genre)
        out = [InstrumentValue(name=self.kb.instrument(f.instrument_id).name, role=f.role,
                               confidence=f.confidence) for f in parsed.found]
        if parsed.found:
            explicit.append("instrumentation")
        if parsed.excluded:
            explicit.append("excluded_instruments")
        if parsed.found and _SOLO_RE.search(without_scoped_only(lowered)) and not others_join(lowered):
            return out, parsed.excluded, parsed.refused_parts
        taken = {f.instrument_id for f in parsed.found} | set(parsed.excluded)
        roles = filled_roles(self.kb, parsed.found)
        excluded_families = {self.kb.instrument(i).family for i in parsed.excluded}
        for artist in artists[:1]:
            for inst_id in artist.artist.instruments:
                inst = self.kb.instrument(inst_id)
                if inst_id not in taken and inst.family not in excluded_families:
                    out.append(InstrumentValue(name=inst.name, role=inst.roles[0],
                                               confidence=ARTIST_INSTRUMENT_CONFIDENCE, source="artist"))
                    taken.add(inst_id)
                    roles.add(inst.roles[0])
        for item in genre.instruments:
            inst = self.kb.instrument(item.instrument)
            if item.instrument in taken or item.role in roles or inst.family in excluded_families \
                    or plays_refused_part(inst, item.role, parsed.refused_parts):  # "no bass": no bass is guessed
                continue
            out.append(InstrumentValue(name=inst.name, role=item.role,
                                       confidence=INFERRED_INSTRUMENT_CONFIDENCE, source="inferred"))
            taken.add(item.instrument)
            roles.add(item.role)
        return out, parsed.excluded, parsed.refused_parts

    def _infer_energy(self, genre: Genre, moods: list[MoodFinding], bpm: float) -> float:
        parts = [genre.energy, float(np.clip((bpm - 60) / 120, 0, 1))]
        parts += [self.kb.mood(m.mood_id).energy for m in moods[:2]]
        return float(np.mean(parts))


def _promoted(ranking: list[GenreScore], genre_id: str) -> list[GenreScore]:
    """The ranking with ``genre_id`` first, as if the text had named it."""
    found = next((s for s in ranking if s.genre_id == genre_id), None)
    if found is None:
        return ranking
    top = GenreScore(genre_id, ranking[0].score + 0.01, True, found.similarity)
    return [top, *[s for s in ranking if s.genre_id != genre_id]]


def _key_from_label(label: str | None, chords: Chords) -> Key | None:
    return parse_key_label(label, chords) if label else None


def _without_artists(lowered: str, artists: list[ArtistFinding]) -> str:
    """The text with artists' names blanked out, so that "Daft Punk" or "Arctic Monkeys" names no genre."""
    for finding in artists:
        start, end = finding.span
        lowered = lowered[:start] + " " * (end - start) + lowered[end:]
    return lowered
