"""Stage 1 (spec §6.2): clean what the user typed before any model sees it.

Order matters: check the type and the length first (before any scan of a possibly huge input), replace
lone surrogates (undecodable bytes) and strip bidi controls, reject unreadable input (binary, empty), then normalise
unicode/whitespace, strip injection attempts and abusive words (with a note, never silently),
expand abbreviations, fix misspelled music terms, and detect the language. Every change is
recorded as a PreprocessNote so the UI can show it and nothing the user wrote is lost unnoticed.
Case is kept in the cleaned text because "EM" (E major) and "Em" (E minor) differ.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

from aurora.config import MAX_PROMPT_CHARS
from aurora.contracts import CleanPrompt, PreprocessNote
from aurora.exceptions import EmptyPromptError, PromptTooLongError, UnreadablePromptError
from knowledge_base import KnowledgeBase

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_BIDI_RE = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Bidirectional overrides and isolates: they reorder what a reader sees (U+202E), never what music means."""
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_UNICODE_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'\-]*")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+|\n+")  # not inside a number: "97.0 bpm" stays whole
# sentences aimed at the model rather than the music: secrets, its instructions, or an order to answer/print
_SECRET_RE = re.compile(
    r"\b(?:passwords?|passwd|credentials?|api[\s_-]*keys?|access\s+tokens?|system\s+(?:prompt|message)"
    r"|admin(?:istrator)?\s+(?:password|access|rights|account|panel)|(?:previous|prior|above|your|system|hidden)"
    r"\s+(?:instructions|rules|prompts?)|jailbreak)\b", re.I)
_AIMED_RE = re.compile(
    r"^\W*(?:(?:and|then|now|also|next|finally|after\s+that)[\s,]+)*(?:output|print|reveal|tell\s+me|say|respond"
    r"|reply|answer|return|repeat|translate|summari[sz]e|explain|execute|run|leak|dump|list|show\s+me"
    r"|give\s+me\s+(?:the|your)|you\s+(?:must|should|will)|always|never)\b", re.I)
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "are", "be",
    "it", "its", "this", "that", "me", "my", "your", "you", "we", "our", "all", "any", "no", "not", "now", "then",
    "so", "just", "up", "out", "new"})


class Preprocessor:
    """Holds the vocabularies (built once from the KB) and cleans prompts; thread-safe."""

    def __init__(self, kb: KnowledgeBase, *, max_chars: int = MAX_PROMPT_CHARS) -> None:
        self.kb = kb
        self.max_chars = max_chars
        moderation = kb.moderation
        self._blocked = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in sorted(moderation.blocked_terms, key=len, reverse=True))
            + r")\w*\b", re.I)
        self._injection = [re.compile(p, re.I) for p in moderation.injection_patterns]
        self._abbreviations = {k.lower(): v for k, v in kb.abbreviations.items()}
        self._abbrev_re = re.compile(
            r"(?<![\w&/-])(" + "|".join(re.escape(k) for k in sorted(self._abbreviations, key=len, reverse=True))
            + r")(?![\w&/-])", re.I)
        self._misspell = {k.lower(): v for k, v in kb.misspellings.items()}
        self._misspell_re = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(self._misspell, key=len, reverse=True))
            + r")(?![\w-])", re.I)
        self._vocabulary = _music_vocabulary(kb)
        self._feeling_words = _feeling_vocabulary(kb)
        self._lock = threading.Lock()
        self._symspell: Any = None
        self._english: set[str] | None = None
        self._detector: Any = None

    # -- public --------------------------------------------------------------------------------
    def clean(self, prompt: object) -> CleanPrompt:
        notes: list[PreprocessNote] = []
        text = self._as_text(prompt, notes)
        text = unicodedata.normalize("NFKC", text)
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            raise EmptyPromptError("The prompt is empty. Describe the music you want, e.g. "
                                   "'a melancholic lo-fi beat at 80 BPM in D minor with rhodes'.")
        text = self._strip_injection(text, notes)
        text = self._moderate(text, notes)
        if not text:
            raise EmptyPromptError("Nothing musical is left: the prompt only held instructions to the AI or "
                                   "abusive words, which were removed. Describe the music you want.")
        if not _WORD_RE.search(text) and not re.search(r"\d", text):
            if self._has_letters(text):
                return self._foreign(prompt, text, notes)
            raise EmptyPromptError("The prompt has no words to read (only symbols or emoji). "
                                   "Describe the music in words, e.g. 'calm piano ballad'.")
        text = self._expand_abbreviations(text, notes)
        text = self._fix_spelling(text, notes)
        language = self._language(text)
        if language != "en":
            notes.append(PreprocessNote(
                code="AURORA_LANGUAGE_UNSUPPORTED",
                message=f"The prompt looks like {language!s}; Aurora reads English, so only the music terms, "
                        "numbers and names it recognises are used and the rest falls back to defaults.",
            ))
        return CleanPrompt(original=readable(prompt), text=text, language=language, notes=notes,
                           flagged=any(n.code == "AURORA_CONTENT_FLAGGED" for n in notes))

    def is_known_word(self, word: str) -> bool:
        """A common English word or a music term: a finished word, not a fragment being typed."""
        lower = word.lower()
        return lower in self._vocabulary or lower in self._english_words()

    def normalise(self, text: str) -> str:
        """Only the word-level fixes (abbreviations, spelling), without notes or checks: how the suggester reads a
        partial prompt the way Parse will, on every keystroke."""
        notes: list[PreprocessNote] = []
        return self._fix_spelling(self._expand_abbreviations(re.sub(r"\s+", " ", text).strip(), notes), notes)

    # -- steps ---------------------------------------------------------------------------------
    def _as_text(self, prompt: object, notes: list[PreprocessNote]) -> str:
        """The first step: type, then length (before any scan), then characters no encoder can write
        (lone surrogates) replaced, bidi controls stripped, control characters blanked."""
        if isinstance(prompt, bytes):
            self._check_length(len(prompt) // 4)  # UTF-8 takes at most 4 bytes a character
            try:
                prompt = prompt.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadablePromptError("The prompt is binary data, not text.") from exc
        if not isinstance(prompt, str):
            raise UnreadablePromptError(f"The prompt must be text, got {type(prompt).__name__}.")
        self._check_length(len(prompt))
        text = prompt
        if _SURROGATE_RE.search(text):
            text = _without_surrogates(text)
            notes.append(PreprocessNote(code="AURORA_INPUT_REPLACED",
                                        message="Replaced characters that could not be read (invalid text encoding)."))
        if _BIDI_RE.search(text):
            text = _BIDI_RE.sub("", text)
            notes.append(PreprocessNote(code="AURORA_INPUT_REPLACED",
                                        message="Removed invisible text-direction controls."))
        controls = len(_CONTROL_RE.findall(text))
        if controls and controls > max(3, 0.1 * len(text)):
            raise UnreadablePromptError("The prompt contains binary or control characters, not readable text.")
        return _CONTROL_RE.sub(" ", text)

    def _check_length(self, length: int) -> None:
        if length > self.max_chars:
            raise PromptTooLongError(
                f"Prompt is {length:,} characters; the maximum is {self.max_chars:,}. "
                "Shorten it to the musical description.", detail={"length": length, "max": self.max_chars})

    def _strip_injection(self, text: str, notes: list[PreprocessNote]) -> str:
        """Drop every instruction-like sentence (a known injection pattern, a request for secrets or the
        model's instructions, an order to print/answer with nothing musical in it); keep the music around
        them ("Ignore previous instructions and make a lofi beat" keeps "make a lofi beat"). One note."""
        removed: list[str] = []
        kept: list[str] = []
        for sentence in _SENTENCE_END_RE.split(text):
            rest = sentence
            for pattern in self._injection:
                removed += [m.group(0).strip() for m in pattern.finditer(rest)]
                rest = pattern.sub(" ", rest)
            aimed = rest != sentence or _SECRET_RE.search(rest) or _AIMED_RE.search(rest)
            if aimed and (_SECRET_RE.search(rest) or not self._is_musical(rest)):
                if rest.strip(" .,;:!?-"):
                    removed.append(rest.strip())
                continue
            kept.append(rest)
        if not removed:
            return text
        notes.append(PreprocessNote(
            code="AURORA_INJECTION_STRIPPED",
            message="Removed instructions aimed at the AI rather than the music.",
            original=" … ".join(r for r in removed if r)))
        return re.sub(r"\s+", " ", " ".join(kept)).strip()

    def _is_musical(self, text: str) -> bool:
        """A music term (not a function word) or a number with a musical unit: what a description holds."""
        if re.search(r"\d\s*(?:bpm|bars?|beats?|seconds?|secs?|minutes?|mins?|s\b)", text, re.I):
            return True
        words = (w.lower() for w in _WORD_RE.findall(text))
        return any(w in self._vocabulary and w not in _FUNCTION_WORDS and len(w) >= 3 for w in words)

    def _moderate(self, text: str, notes: list[PreprocessNote]) -> str:
        found = [m.group(0) for m in self._blocked.finditer(text)]
        if not found:
            return text
        notes.append(PreprocessNote(code="AURORA_CONTENT_FLAGGED",
                                    message=f"Removed {len(found)} abusive word(s); the musical request is kept.",
                                    original=", ".join(found)))
        return re.sub(r"\s+", " ", self._blocked.sub(" ", text)).strip()

    def _expand_abbreviations(self, text: str, notes: list[PreprocessNote]) -> str:
        def repl(m: re.Match[str]) -> str:
            expansion = self._abbreviations[m.group(0).lower()]
            if expansion.lower() != m.group(0).lower():
                notes.append(PreprocessNote(code="AURORA_ABBREVIATION_EXPANDED",
                                            message=f"'{m.group(0)}' read as '{expansion}'",
                                            original=m.group(0), replacement=expansion))
            return expansion
        return self._abbrev_re.sub(repl, text)

    def _fix_spelling(self, text: str, notes: list[PreprocessNote]) -> str:
        def known(m: re.Match[str]) -> str:
            fixed = self._misspell[m.group(0).lower()]
            notes.append(PreprocessNote(code="AURORA_SPELLING_CORRECTED", message=f"'{m.group(0)}' -> '{fixed}'",
                                        original=m.group(0), replacement=fixed))
            return fixed
        text = self._misspell_re.sub(known, text)
        english = self._english_words()
        symspell = self._get_symspell()

        def fuzzy(m: re.Match[str]) -> str:
            word = m.group(0)
            lower = word.lower()
            if (len(lower) < 4 or lower in english or lower in self._vocabulary or not lower.isalpha()
                    or word[0].isupper()):
                return word
            fixed = self._closest_term(lower, symspell)
            if fixed is None or fixed == lower:
                return word
            notes.append(PreprocessNote(code="AURORA_SPELLING_CORRECTED", message=f"'{word}' -> '{fixed}'",
                                        original=word, replacement=fixed))
            return fixed
        return _WORD_RE.sub(fuzzy, text)

    def _closest_term(self, lower: str, symspell: Any) -> str | None:
        """The music term a misspelled word most likely meant: a held key first ("chilll", "sadd", "happpy"),
        then the nearest vocabulary word (one edit under 7 letters, two from 7). A 4-letter word ("chil",
        "epci") is corrected only when one term is that near, or one mood/feel word among them."""
        for collapsed in (re.sub(r"(\w)\1{2,}", r"\1\1", lower), re.sub(r"(\w)\1+", r"\1", lower)):
            if collapsed != lower and collapsed in self._vocabulary:
                return collapsed
        from symspellpy import Verbosity

        if len(lower) == 4:
            near = [str(s.term) for s in symspell.lookup(lower, Verbosity.ALL, max_edit_distance=1)]
            return near[0] if len(near) == 1 else self._likeliest(lower, near)
        distance = 1 if len(lower) < 7 else 2
        closest = [str(s.term) for s in symspell.lookup(lower, Verbosity.CLOSEST, max_edit_distance=distance)]
        if len(closest) <= 1:
            return closest[0] if closest else None
        return self._likeliest(lower, closest)  # still a tie: the word stays ("flanger" is no anger nor danger)

    def _likeliest(self, lower: str, candidates: list[str]) -> str | None:
        """Of several equally near terms: the one the typo is a missed double letter of ("chil" -> chill, not
        child), else the one it dropped a letter of ("techo" -> techno, not tech), else the one mood/feel word;
        None when that still leaves a tie."""
        for keep in ([c for c in candidates if re.sub(r"(\w)\1", r"\1", c) == lower and c != lower],
                     [c for c in candidates if len(c) == len(lower) + 1 and _is_subsequence(lower, c)],
                     [c for c in candidates if c in self._feeling_words]):
            if len(keep) == 1:
                return keep[0]
        return None

    def _language(self, text: str) -> str:
        """ISO 639-1 code. Short or mostly-music-vocabulary prompts count as English; otherwise the
        detector decides when it is confident (so "lo-fi hip hop trap beat" never reads as Italian)."""
        words = [w.lower() for w in _UNICODE_WORD_RE.findall(text)]
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return "en"
        latin_share = sum(1 for c in letters if c.isascii()) / len(letters)
        if latin_share > 0.5 and len(words) < 3:
            return "en"
        english = self._english_words()
        known_share = sum(1 for w in words if w in english or w in self._vocabulary) / max(1, len(words))
        values = self._get_detector().compute_language_confidence_values(text)
        if not values:
            return "en" if latin_share > 0.5 else "unknown"
        top = values[0]
        code = top.language.iso_code_639_1.name.lower()
        if code == "en" or (latin_share > 0.5 and (top.value < 0.8 or known_share >= 0.8)):
            return "en"
        return str(code)

    def _has_letters(self, text: str) -> bool:
        return any(c.isalpha() for c in text)

    def _foreign(self, prompt: object, text: str, notes: list[PreprocessNote]) -> CleanPrompt:
        language = self._language(text)
        notes.append(PreprocessNote(
            code="AURORA_LANGUAGE_UNSUPPORTED",
            message=f"The prompt is not in English (detected: {language}); Aurora reads English prompts, so "
                    "sensible defaults are used. Try describing genre, mood, tempo and instruments in English.",
        ))
        return CleanPrompt(original=readable(prompt), text=text, language=language, notes=notes)

    # -- lazily built resources ----------------------------------------------------------------
    def _english_words(self) -> set[str]:
        if self._english is None:
            with self._lock:
                if self._english is None:
                    import importlib.resources

                    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
                    words = set()
                    for line in path.read_text(encoding="utf-8").splitlines():
                        word, _, count = line.partition(" ")
                        if count and int(count) >= 20000:
                            words.add(word)
                    self._english = words
        return self._english

    def _get_symspell(self) -> Any:
        if self._symspell is None:
            with self._lock:
                if self._symspell is None:
                    from symspellpy import SymSpell

                    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
                    for word in sorted(self._vocabulary):  # a set's order changes per process: ties did too
                        if word.isalpha() and len(word) >= 4:
                            sym.create_dictionary_entry(word, 1)
                    self._symspell = sym
        return self._symspell

    def _get_detector(self) -> Any:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    from lingua import Language, LanguageDetectorBuilder

                    languages = [Language.ENGLISH, Language.SPANISH, Language.FRENCH, Language.GERMAN,
                                 Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH, Language.CHINESE,
                                 Language.JAPANESE, Language.KOREAN, Language.RUSSIAN, Language.ARABIC,
                                 Language.HINDI, Language.TURKISH, Language.POLISH, Language.SWEDISH]
                    self._detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
        return self._detector


def _without_surrogates(text: str) -> str:
    """Surrogate pairs (text that came through UTF-16) joined into their character; lone halves (bytes a
    terminal could not decode, kept by Python's surrogateescape) replaced with U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def readable(prompt: object) -> str:
    """The original prompt as text any encoder can write (JSON, a terminal, a log)."""
    text = prompt.decode("utf-8", "replace") if isinstance(prompt, bytes) else str(prompt)
    return _without_surrogates(text) if _SURROGATE_RE.search(text) else text

def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


# effects and production words people name ("flanger guitars" had become "anger guitars", a stated angry mood)
PRODUCTION_WORDS = ("flanger", "flanged", "phaser", "phased", "chorused", "tremolo", "vibrato", "reverb", "reverbed",
                    "delay", "delayed", "echo", "echoes", "distortion", "overdrive", "fuzz", "wah", "bitcrushed",
                    "bitcrusher", "sidechain", "sidechained", "compressed", "compressor", "saturated", "saturation",
                    "filtered", "autotune", "vocoder", "talkbox", "leslie", "panned", "stereo", "mono", "mixdown",
                    "mastered", "lofi", "detuned", "glitch", "glitchy", "stutter", "gated", "riser", "sweep")


def _feeling_vocabulary(kb: KnowledgeBase) -> set[str]:
    """Mood and feel words (names and one-word aliases): a tie between corrections goes to these, since
    prompts describe feelings far more often than they name rare terms ("chilll" is chill, not chilly)."""
    phrases = [p for m in kb.moods for p in (m.name, *m.aliases)] + [p for f in kb.feels for p in (f.name, *f.aliases)]
    return {w.lower() for p in phrases for w in re.findall(r"[A-Za-z]+", p)}


def _music_vocabulary(kb: KnowledgeBase) -> set[str]:
    """Every word of every KB name and alias: the words spell correction may correct *towards*."""
    phrases: list[str] = []
    for collection in (kb.genres, kb.instruments, kb.moods, kb.structures, kb.textures):
        for item in collection:
            phrases += [item.name, *item.aliases]
    for artist in kb.artists:
        phrases += [artist.name, *artist.aliases]
    for term in kb.tempo_terms:
        phrases += [term.term, *term.aliases]
    phrases += [adjective for genre in kb.genres for adjective in genre.adjectives]  # "punky" is not "funky"
    for feel in kb.feels:
        phrases += [feel.name, *feel.aliases]
    phrases += list(kb.misspellings.values()) + list(kb.abbreviations.values())
    phrases += ["major", "minor", "bpm", "tempo", "key", "chord", "chords", "progression", "beat", "beats",
                "melody", "harmony", "rhythm", "bassline", "verse", "chorus", "bridge", "intro", "outro", "drop"]
    phrases += list(PRODUCTION_WORDS)
    words: set[str] = set()
    for phrase in phrases:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", phrase))
    return words
