"""All answers of a clustering run read at once: languages, stems and character-view words as arrays of numbers.

`preprocess.prepare` and `language.detect_language` read one answer at a time, and at 10,000 answers most of the
clustering's time went into that per-answer Python work. Here the answers are joined (a chunk at a time) and cut
into words by one regular-expression call; each distinct word is then analysed once (stems, its piece of the
character view, its votes for a language), and everything per answer is done with NumPy on word numbers. The result
is the same as answer by answer: the same languages as `detect_language`, the same stems, character view and
spellings as `prepare` (tests compare them).
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from .language import LATIN_ORDER, decide_latin_all, detect_language, token_scores
from .preprocess import _WORD, SPELLING_SAMPLE, _drop_links, _token

__all__ = ["Corpus", "gather", "no_collection_pauses", "read_corpus"]

# A letter that no answer is expected to hold (CYRILLIC LETTER MULTIOCULAR O): joined between answers, it is a word
# of its own, and the words between two of them belong to one answer. An answer that does hold it loses it.
_SEPARATOR = "\ua66e"
_JOIN = f" {_SEPARATOR} "
_NON_LATIN = re.compile("[\u0250-\U0010ffff]")
"""A letter beyond Latin script: such an answer is read by `detect_language` on its own."""
CHUNK = 10_000
"""Answers joined per regular-expression call: the words of a chunk are strings only until they are numbered."""


@dataclass
class Corpus:
    """The German (or undetermined) answers of a run as word numbers.

    ``rows``: the positions of these answers among all answers. For the answer at index ``d`` of ``rows``, its stems
    are ``stems[stem_ids[stem_ptr[d]:stem_ptr[d + 1]]]`` and its character-view words
    ``words[word_ids[word_ptr[d]:word_ptr[d + 1]]]``, in the order they were written (as `prepare` gives them).
    ``surface`` holds the original spellings per stem, counted as `prepare` counts them.
    """

    languages: list[str | None]
    rows: list[int]
    stem_ptr: np.ndarray
    stem_ids: np.ndarray
    word_ptr: np.ndarray
    word_ids: np.ndarray
    stems: list[str]
    words: list[str]
    surface: dict[str, Counter[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def stem_list(self, d: int) -> list[str]:
        stems = self.stems
        return [stems[i] for i in self.stem_ids[self.stem_ptr[d]:self.stem_ptr[d + 1]].tolist()]

    def char_view(self, d: int) -> str:
        words = self.words
        return " ".join(words[i] for i in self.word_ids[self.word_ptr[d]:self.word_ptr[d + 1]].tolist())

    def surface_form(self, stem_key: str) -> str:
        """The most frequent original spelling of a stem (ties: the capitalised, then the alphabetically first)."""
        forms = self.surface.get(stem_key)
        if not forms:
            return stem_key
        return min(forms.items(), key=lambda kv: (-kv[1], not kv[0][:1].isupper(), kv[0]))[0]


@contextmanager
def no_collection_pauses() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the block runs, as it was before afterwards.

    Reading answers creates hundreds of thousands of small objects, none in a reference cycle, and each burst of
    them made the collector scan everything alive again (about 10 % of a 10,000-answer clustering). Memory is
    still freed by reference counting; cycles, if any, are collected once the collector runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _numbering() -> defaultdict[str, int]:
    numbers: defaultdict[str, int] = defaultdict(None)
    numbers.default_factory = numbers.__len__
    return numbers


def read_corpus(texts: Sequence[str], progress: Callable[[float], None] | None = None) -> Corpus:
    """Languages of all answers, and the stems and character view of the German and undetermined ones."""
    n = len(texts)
    token_numbers = _numbering()
    number = token_numbers.__getitem__
    separator = number(_SEPARATOR)
    chunks: list[np.ndarray] = []
    for start in range(0, n, CHUNK):
        part = [_drop_links(text or "") for text in texts[start:start + CHUNK]]  # the check is cheap, the
        joined = _JOIN.join(part)  # regular expression is not: only answers that may hold a link get it
        if joined.count(_SEPARATOR) != len(part) - 1:
            joined = _JOIN.join(text.replace(_SEPARATOR, " ") for text in part)
        pieces = unicodedata.normalize("NFC", joined).split()
        chunks.append(_words_of(pieces, number))
        chunks.append(np.array([separator], dtype=np.int32))  # closes the chunk's last answer
        if progress is not None:
            progress(0.5 * min(n, start + CHUNK) / max(n, 1))
    all_tokens = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    del chunks
    vocabulary = list(token_numbers)
    # Answer of each word; the separators themselves are dropped.
    is_separator = all_tokens == separator
    doc_of_token = np.cumsum(is_separator, dtype=np.int32) - is_separator  # int32 throughout: half the memory
    keep = ~is_separator
    tokens = all_tokens[keep]
    doc_of = doc_of_token[keep]
    del all_tokens, is_separator, doc_of_token, keep

    languages = _languages(texts, vocabulary, tokens, doc_of, n)
    if progress is not None:
        progress(0.6)
    rows = [i for i, lang in enumerate(languages) if lang in (None, "de")]
    german = np.zeros(n, dtype=bool)
    german[rows] = True
    position = np.full(n, -1, dtype=np.int32)
    position[rows] = np.arange(len(rows))
    in_german = german[doc_of]
    tokens = tokens[in_german]
    doc_of = position[doc_of[in_german]]

    # Each distinct word of the German answers, analysed once (as `prepare` does through its caches).
    present = np.flatnonzero(np.bincount(tokens, minlength=len(vocabulary)))
    stem_numbers = _numbering()
    word_numbers = _numbering()
    token_stems: list[int] = []
    token_word = np.full(len(vocabulary), -1, dtype=np.int32)
    lengths = np.zeros(len(vocabulary), dtype=np.int32)
    analysed: list[tuple[int, tuple[tuple[str, str], ...]]] = []
    starts = np.zeros(len(vocabulary), dtype=np.int32)
    for t in present.tolist():
        pairs, piece = _token(vocabulary[t])
        starts[t] = len(token_stems)
        token_stems.extend(stem_numbers[key] for key, _part in pairs)
        lengths[t] = len(pairs)
        if piece:
            token_word[t] = word_numbers[piece]
        analysed.append((t, pairs))
    stems_of_tokens = np.asarray(token_stems, dtype=np.int32)
    if progress is not None:
        progress(0.8)

    n_docs = len(rows)
    # Stems in writing order: each word's stems, one after the other.
    per_token = lengths[tokens]
    stem_ids = gather(stems_of_tokens, starts, per_token, tokens)
    stem_ptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc_of, weights=per_token, minlength=n_docs).astype(np.int64), out=stem_ptr[1:])
    pieces = token_word[tokens]
    with_piece = pieces >= 0
    word_ids = pieces[with_piece]
    word_ptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc_of[with_piece], minlength=n_docs), out=word_ptr[1:])

    # Spellings, counted in about SPELLING_SAMPLE answers spread over the German ones (see `prepare`).
    stride = max(1, n_docs // SPELLING_SAMPLE)
    sampled = doc_of % stride == 0
    counts = np.bincount(tokens[sampled], minlength=len(vocabulary))
    surface: dict[str, Counter[str]] = {}
    for t, pairs in analysed:
        count = int(counts[t])
        for key, part in pairs:
            surface.setdefault(key, Counter())[part] += count
    if progress is not None:
        progress(1.0)
    return Corpus(
        languages=languages, rows=rows, stem_ptr=stem_ptr, stem_ids=stem_ids, word_ptr=word_ptr, word_ids=word_ids,
        stems=list(stem_numbers), words=list(word_numbers), surface=surface,
    )


def _words_of(pieces: list[str], number: Callable[[str], int]) -> np.ndarray:
    """The numbers of the words (`preprocess._WORD`) in whitespace-separated ``pieces``, in order.

    A word never spans white space, so the words of the text are those of its pieces one after the other; pieces
    repeat ("die", "Kita", "Radweg,"), and the regular expression runs once per distinct piece, not over the text."""
    piece_numbers = _numbering()
    of_piece = np.fromiter(map(piece_numbers.__getitem__, pieces), dtype=np.int64, count=len(pieces))
    words = [[number(w) for w in _WORD.findall(piece)] for piece in piece_numbers]
    counts = np.fromiter(map(len, words), dtype=np.int32, count=len(words))
    flat = np.fromiter(chain.from_iterable(words), dtype=np.int32, count=int(counts.sum()))
    return gather(flat, np.cumsum(counts, dtype=np.int32) - counts, counts[of_piece], of_piece)


def gather(flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray, items: np.ndarray) -> np.ndarray:
    """For each ``i = items[j]`` in turn, the values ``flat[starts[i]:starts[i] + lengths[j]]``, one range after
    the other (positions as 32-bit integers: half the memory of NumPy's default)."""
    positions = np.repeat(starts[items], lengths)
    positions -= np.repeat(np.cumsum(lengths, dtype=np.int32) - lengths, lengths)
    positions += np.arange(len(positions), dtype=np.int32)
    return flat[positions]


def _languages(texts: Sequence[str], vocabulary: list[str], tokens: np.ndarray, doc_of: np.ndarray,
               n: int) -> list[str | None]:
    """`detect_language` of every answer: Latin-script answers from their words' votes, summed per answer with
    NumPy; answers with other letters one by one."""
    scores = np.zeros((n, len(LATIN_ORDER)), dtype=np.float64)
    if len(tokens):
        present = np.flatnonzero(np.bincount(tokens, minlength=len(vocabulary)))
        table = np.zeros((len(vocabulary), len(LATIN_ORDER)), dtype=np.float64)
        for t in present.tolist():
            votes = token_scores(vocabulary[t])
            if votes is not None:
                table[t] = votes
        voting = table.any(axis=1)
        votes = voting[tokens]
        voters, owners = tokens[votes], doc_of[votes]
        for column in np.flatnonzero(table.any(axis=0)).tolist():
            scores[:, column] = np.bincount(owners, weights=table[voters, column], minlength=n)
    decided = decide_latin_all(scores)
    languages: list[str | None] = []
    for i, text in enumerate(texts):
        if not text:
            languages.append(None)
        elif _NON_LATIN.search(text) is None:
            languages.append(decided[i])
        else:
            languages.append(detect_language(text))
    return languages
