"""Text for matching and search: folding, language-aware stemming, vectors.

Stemming uses the Snowball stemmers (``snowballstemmer``) of the EU languages that have one;
other languages (and unknown ones) are folded only. Vectors are *hashed* character n-grams and
words, so a trained model is plain arrays (no vocabulary to pickle) and two processes that
load the same arrays compute the same vectors.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import numpy as np
import scipy.sparse as sp
import snowballstemmer
from sklearn.feature_extraction.text import HashingVectorizer

# ISO 639-1 → Snowball algorithm, for the EU languages Snowball covers.
SNOWBALL = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
    "pt": "portuguese",
    "nl": "dutch",
    "da": "danish",
    "sv": "swedish",
    "fi": "finnish",
    "hu": "hungarian",
    "ro": "romanian",
    "lt": "lithuanian",
    "el": "greek",
    "cs": "czech",
    "et": "estonian",
    "pl": "polish",
    "ga": "irish",
}
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CHAR_FEATURES = 2**20
WORD_FEATURES = 2**18


def fold(text: str) -> str:
    """Lower-case, accent-free: "Construção" and "construcao" meet."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@functools.cache
def _stemmer(language: str) -> Any:
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    try:
        return snowballstemmer.stemmer(algorithm)
    except KeyError:  # pragma: no cover - an older snowballstemmer without the language
        return None


def words(text: str) -> list[str]:
    return WORD.findall((text or "").casefold())


def stem_words(text: str, language: str) -> list[str]:
    """The text's words stemmed in its language, then folded (stems keep their accents' roots)."""
    stemmer = _stemmer((language or "").lower()[:2])
    found = words(text)
    if stemmer is not None:
        found = stemmer.stemWords(found)
    return [fold(w) for w in found if w]


@functools.lru_cache(maxsize=50_000)
def stem_word(word: str, language: str) -> str:
    """One word's folded stem in a language (cached: highlighting stems the same words often)."""
    stemmer = _stemmer(language)
    lowered = word.casefold()
    return fold(stemmer.stemWord(lowered) if stemmer is not None else lowered)


def stems_any_language(text: str, languages: tuple[str, ...]) -> set[str]:
    """A query's stems under each candidate language (the query's language is not known)."""
    out: set[str] = set()
    for language in languages:
        out.update(stem_words(text, language))
    out.update(fold(w) for w in words(text))
    return {w for w in out if w}


_char = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 5),
    n_features=CHAR_FEATURES,
    alternate_sign=False,
    norm=None,
    preprocessor=fold,
    dtype=np.float32,
)
_word = HashingVectorizer(
    analyzer="word",
    n_features=WORD_FEATURES,
    alternate_sign=False,
    norm=None,
    preprocessor=fold,
    token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106
    dtype=np.float32,
)


def raw_counts(texts: list[str]) -> sp.csr_matrix:
    """Hashed counts: character 3–5-grams within words, then words (one column block each)."""
    return sp.hstack([_char.transform(texts), _word.transform(texts)], format="csr")


def idf_from(counts: sp.csr_matrix, weights: np.ndarray | None = None) -> np.ndarray:
    """Smoothed inverse document frequency of each hashed feature."""
    n = counts.shape[0]
    presence = counts.copy()
    presence.data[:] = 1
    df = np.asarray(presence.sum(axis=0)).ravel()
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sub-linear tf × idf, rows L2-normalised."""
    out = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    np.log1p(out.data, out=out.data)
    out.data *= idf[out.indices]
    norms = np.sqrt(np.add.reduceat(out.data**2, out.indptr[:-1])) if out.nnz else np.zeros(0)
    lengths = np.diff(out.indptr)
    row_norms = np.ones(out.shape[0], dtype=np.float32)
    if out.nnz:
        nonempty = lengths > 0
        row_norms[nonempty] = norms[nonempty]
    out.data /= np.repeat(row_norms, lengths)
    return out
