"""CPV suggestion: weighted nearest neighbours over hashed character n-grams and words.

The examples are (text, CPV code, weight): imported notices' titles and short descriptions in
their own language, their official titles in up to 24 languages (TED's ML_TITLES, mostly the
main CPV label translated), and the CPV labels themselves. A text's K nearest examples vote
for their codes; the votes are summed per level (division = 2 digits, group 3, class 4, full
code 8), so a text whose neighbours disagree on the code but agree on the division still gets
a confident division. Confidence is a code's share of the votes at its level.

The model is arrays only (``to_bytes``/``from_bytes``, numpy ``.npz``, no pickle), stored in
the database by :mod:`govhub.matching.store` so every process loads the same model.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .text import fold, idf_from, raw_counts, tfidf

LEVELS = {"division": 2, "group": 3, "class": 4, "full": 8}
# Tuned on the temporal split of the shared TED notices (docs/benchmarks.md): more neighbours
# with a steeper similarity power beat 40 / 3 at every level.
NEIGHBOURS = 150
POWER = 5.0
# Mapping a query or document onto CPV concepts for cross-lingual search wants sharper
# distributions than a suggestion list does: the nearest example (often the very label in the
# query's language) should dominate.
QUERY_CONCEPT_POWER = 12.0
DOCUMENT_CONCEPT_POWER = 8.0


@dataclass(frozen=True)
class Example:
    text: str
    code: str  # 8 digits
    weight: float = 1.0


@dataclass(frozen=True)
class Suggestion:
    code: str  # digits, padded to 8 with zeros (division 45 → 45000000)
    confidence: float


def pad(digits: str) -> str:
    return (digits + "00000000")[:8]


class CpvSuggester:
    def __init__(
        self, *, idf: np.ndarray, matrix: sp.csr_matrix, codes: np.ndarray, weights: np.ndarray
    ) -> None:
        self.idf = idf
        self.matrix = matrix
        self.codes = codes
        self.weights = weights
        self._by_feature = matrix.T.tocsr()  # feature → examples, for fast queries

    # -- training -------------------------------------------------------------------------
    @classmethod
    def fit(cls, examples: Iterable[Example]) -> CpvSuggester:
        merged: dict[tuple[str, str], float] = defaultdict(float)
        shown: dict[tuple[str, str], str] = {}
        for example in examples:
            if not example.text.strip() or not example.code[:2].isdigit():
                continue
            key = (" ".join(fold(example.text).split()), example.code[:8])
            merged[key] += example.weight
            shown.setdefault(key, example.text)
        if not merged:
            raise ValueError("no examples to learn from")
        keys = list(merged)
        counts = raw_counts([shown[k] for k in keys])
        idf = idf_from(counts)
        return cls(
            idf=idf,
            matrix=tfidf(counts, idf),
            codes=np.array([k[1] for k in keys], dtype="U8"),
            weights=np.array([merged[k] for k in keys], dtype=np.float32),
        )

    # -- use --------------------------------------------------------------------------------
    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        return tfidf(raw_counts(list(texts)), self.idf)

    def votes(
        self, vectors: sp.csr_matrix, k: int = NEIGHBOURS, power: float = POWER
    ) -> list[list[tuple[int, float]]]:
        """Each row's K nearest examples: (example index, vote weight)."""
        sims = (vectors @ self._by_feature).tocsr()
        out = []
        for row in range(sims.shape[0]):
            start, end = sims.indptr[row], sims.indptr[row + 1]
            idx, val = sims.indices[start:end], sims.data[start:end]
            if len(val) > k:
                keep = np.argpartition(-val, k)[:k]
                idx, val = idx[keep], val[keep]
            out.append(
                [(int(i), float(v**power * self.weights[i])) for i, v in zip(idx, val, strict=True)]
            )
        return out

    def distributions(
        self, vectors: sp.csr_matrix, level: int, k: int = NEIGHBOURS, power: float = POWER
    ) -> list[dict[str, float]]:
        """Per row: {code prefix of ``level`` digits: share of the votes}."""
        result = []
        for votes in self.votes(vectors, k, power):
            agg: dict[str, float] = defaultdict(float)
            for i, v in votes:
                agg[self.codes[i][:level]] += v
            total = sum(agg.values()) or 1.0
            result.append({c: v / total for c, v in agg.items()})
        return result

    def suggest_many(
        self, texts: Sequence[str], *, level: int = 8, limit: int = 5, power: float = POWER
    ) -> list[list[Suggestion]]:
        out = []
        for dist in self.distributions(self.vectors(texts), level, power=power):
            ranked = sorted(dist.items(), key=lambda item: (-item[1], item[0]))[:limit]
            out.append([Suggestion(pad(c), round(s, 4)) for c, s in ranked])
        return out

    def suggest(
        self, text: str, *, level: int = 8, limit: int = 5, power: float = POWER
    ) -> list[Suggestion]:
        """The ``limit`` likeliest codes at ``level`` digits. Search passes the sharper
        ``QUERY_CONCEPT_POWER``/``DOCUMENT_CONCEPT_POWER`` when it maps text onto concepts."""
        if not text.strip():
            return []
        return self.suggest_many([text], level=level, limit=limit, power=power)[0]

    # -- storage ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        m = self.matrix
        np.savez_compressed(
            buffer,
            idf=self.idf,
            data=m.data.astype(np.float16),
            indices=m.indices,
            indptr=m.indptr,
            shape=np.array(m.shape),
            codes=self.codes,
            weights=self.weights,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> CpvSuggester:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            matrix = sp.csr_matrix(
                (z["data"].astype(np.float32), z["indices"], z["indptr"]),
                shape=tuple(z["shape"]),
            )
            return cls(idf=z["idf"], matrix=matrix, codes=z["codes"], weights=z["weights"])

    @property
    def size(self) -> int:
        return int(self.matrix.shape[0])
