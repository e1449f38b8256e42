"""Text similarity between needs: TF-IDF weighted cosine over title and problem.

Computed in Python over a handful of candidates (those sharing a CPV group), so it needs no
search engine and gives the same answer on SQLite and PostgreSQL. Words are folded (lower
case, no accents), stop words dropped and a plural "s" trimmed, so "Traffic sensors" and
"traffic sensor" meet. Everything is ordered explicitly: the same needs give the same ranking.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from govhub.reference.selectors import fold

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_LENGTH = 3
# A title says more about a need than a sentence of its problem statement.
TITLE_WEIGHT = 2

# Words that say nothing about what is bought, in the platform's languages (folded).
_STOP_TEXT = {
    "en": (
        "about above after again against all also among and any are around because been "
        "before being below between both but can could did does doing down during each etc "
        "few for from further had has have having her here hers him his how into its itself "
        "just more most much must not now off once only other our ours out over own same "
        "shall she should some such than that the their theirs them then there these they "
        "this those through too under until very was way we were what when where which while "
        "who whom why will with within without would you your yours need needs want wants "
        "using use used new make"
    ),
    "fr": (
        "les des une est pour par avec dans sur que qui aux ses ces nos vos leur leurs pas "
        "plus sont ont etre fait comme mais elle ils nous vous"
    ),
    "de": (
        "der die das den dem des ein eine einer eines und oder mit von fur auf aus bei ist "
        "sind wird werden nicht auch als zur zum sich wir ihr sie"
    ),
    "it": "il lo la gli le dei delle degli per con non che una sono del della nel nella",
    "lt": "ir yra kad su per nuo del kaip bei tai jos jis",
}
STOP_WORDS = frozenset(word for text in _STOP_TEXT.values() for word in text.split())


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, str]]:
    """(stem, folded word) for each meaningful word, in order."""
    found = []
    for match in _WORD.finditer(fold(text or "")):
        word = match.group()
        if len(word) < MIN_LENGTH or word.isdigit() or word in STOP_WORDS:
            continue
        found.append((_stem(word), word))
    return found


def terms(title: str, problem: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for stem, _word in tokens(title):
        counts[stem] += TITLE_WEIGHT
    for stem, _word in tokens(problem):
        counts[stem] += 1
    return counts


def surface_forms(*texts: str) -> dict[str, str]:
    """Each stem's first form as written (folded), to show people words, not stems."""
    forms: dict[str, str] = {}
    for text in texts:
        for stem, word in tokens(text):
            forms.setdefault(stem, word)
    return forms


@dataclass(frozen=True)
class Match:
    score: float
    common: tuple[str, ...]  # shared stems, most telling first


def _weights(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {term: (1 + math.log(n)) * idf[term] for term, n in counts.items()}


def rank(query: Counter[str], documents: Sequence[Counter[str]]) -> list[Match]:
    """The cosine similarity of ``query`` with each document (in the documents' order).

    Inverse document frequencies come from the query and the documents together, so a
    word every candidate shares (the CPV group's own vocabulary) counts for less.
    """
    corpus = [query, *documents]
    frequency: Counter[str] = Counter()
    for counts in corpus:
        frequency.update(counts.keys())
    total = len(corpus)
    idf = {term: math.log((1 + total) / (1 + df)) + 1 for term, df in frequency.items()}
    query_weights = _weights(query, idf)
    query_norm = math.sqrt(sum(w * w for w in query_weights.values()))
    matches = []
    for counts in documents:
        weights = _weights(counts, idf)
        norm = math.sqrt(sum(w * w for w in weights.values()))
        shared = {
            term: query_weights[term] * weights[term]
            for term in query_weights.keys() & weights.keys()
        }
        dot = sum(shared[term] for term in sorted(shared))
        score = dot / (query_norm * norm) if query_norm and norm else 0.0
        common = tuple(sorted(shared, key=lambda term: (-shared[term], term)))
        matches.append(Match(score=round(score, 9), common=common))
    return matches
